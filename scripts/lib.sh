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
