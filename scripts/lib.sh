# Shared by scripts/demo and scripts/test. Source it; do not run it.

# ensure_debian_packages PKG...: apt-get install the packages that are missing, when root on Debian.
# Without root it only warns: the rest of the script says what fails for lack of them.
ensure_debian_packages() {
  command -v dpkg >/dev/null 2>&1 || return 0
  local need=() pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  [ "${#need[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== apt-get install ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing Debian packages (run as root once to install them): ${need[*]}" >&2
  fi
}

# Packages the running product needs: Chinese fonts and Pango/HarfBuzz for the PDF forms.
# libcairo2: the charts drawn as pictures for the docx summary (CairoSVG).
PDF_PACKAGES=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2)

# ensure_venv PYTHON REQUIREMENTS_FILE: create .venv if needed and install the pinned lock into it.
ensure_venv() {
  [ -x .venv/bin/python ] || "$1" -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r "$2"
}

# start_temp_postgres PORT: a throw-away PostgreSQL server (UTF-8, C.UTF-8) on loopback, stopped and removed on exit.
# Sets PG_URL to its database URL.
start_temp_postgres() {
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$PGBIN" ]; then
    echo "PostgreSQL is not installed; run this script as root once so it can apt-get install it." >&2
    exit 1
  fi
  PGDIR="$(mktemp -d /tmp/aftersales-pg.XXXXXX)"
  PGPORT="$1"
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
  as_pg "$PGBIN/initdb" -D "$PGDIR/data" -E UTF8 --locale=C.UTF-8 --auth=trust -U aftersales >/dev/null
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
    -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  trap 'as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"' EXIT
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U aftersales -E UTF8 aftersales
  PG_URL="postgres://aftersales@127.0.0.1:$PGPORT/aftersales"
}
