"""What every answer tells the browser: no inline script may run, and nothing signed-in is kept in a cache."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_pages_and_the_api_forbid_inline_script_and_framing(admin_client):
    for url in ("/", "/customers/", "/api/v1/customers/"):
        response = admin_client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0], url
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, url


def test_signed_in_answers_are_never_stored_by_a_cache(admin_client, client):
    for url in ("/", "/customers/", "/api/v1/customers/", "/customers/export.xlsx"):
        assert admin_client.get(url)["Cache-Control"] == "private, no-store", url
    login = {part.strip() for part in client.get("/login/")["Cache-Control"].split(",")}  # Django's never_cache: stricter still
    assert {"private", "no-store"} <= login


def test_a_private_file_opened_in_a_tab_runs_no_script(admin_client, tmp_path, settings):
    from django.core.files.base import ContentFile

    from aftersales.core.files import private_storage, serve_private

    settings.PRIVATE_FILES_SERVE = "django"
    name = private_storage().save("tests/note.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    response = serve_private(private_storage().open(name))
    assert "sandbox" in response["Content-Security-Policy"] and response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    private_storage().delete(name)
