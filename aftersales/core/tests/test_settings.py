"""The settings module: env-driven, loud on bad values, clean deploy check in production."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=environment,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", AFTERSALES_ENV="production",
                        SECRET_KEY="x" * 60 + "-production-key-for-the-check", AFTERSALES_VAR_DIR=str(tmp_path), ALLOWED_HOSTS="aftersales.example")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = run_manage("check", AFTERSALES_ENV="production", SECRET_KEY="", AFTERSALES_VAR_DIR=str(tmp_path))
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_a_malformed_boolean_fails_loudly(tmp_path):
    result = run_manage("check", DEBUG="maybe", AFTERSALES_VAR_DIR=str(tmp_path))
    assert result.returncode != 0 and "DEBUG must be a boolean" in result.stderr


def test_sqlite_is_the_default_with_wal_and_immediate_transactions():
    if os.environ.get("DATABASE_URL"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        return
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and "journal_mode=WAL" in options["init_command"]
    assert "busy_timeout" in options["init_command"]


def test_the_roles_exist_as_groups(db):
    from django.contrib.auth.models import Group

    from aftersales.accounts.roles import ALL_ROLES

    assert set(Group.objects.values_list("name", flat=True)) >= set(ALL_ROLES)
