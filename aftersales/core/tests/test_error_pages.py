"""What a user gets when something is wrong: a message in his language, a reference for a server error, never a
traceback; JSON under /api/."""

from __future__ import annotations

import logging

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="aftersales.core.tests.urls_errors", DEBUG=False)
def test_a_server_error_shows_a_reference_that_is_also_in_the_log(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="aftersales.errors"):
        response = client.get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500 and 'id="error-reference"' in html and "Traceback" not in html and "RuntimeError" not in html
    reference = html.split('id="error-reference">')[1].split("<")[0]
    assert any(reference in record.getMessage() and record.exc_info for record in caplog.records)


@override_settings(ROOT_URLCONF="aftersales.core.tests.urls_errors", DEBUG=False)
def test_a_server_error_in_the_api_is_json_with_its_reference():
    response = Client(raise_request_exception=False).get("/api/v1/broken/")
    assert response.status_code == 500 and response.json()["code"] == "server_error" and response.json()["reference"]


def test_an_unknown_api_path_or_a_malformed_id_is_a_json_404(admin_client):
    for path in ("/api/v1/customers/abc/", "/api/v1/customers/99999999999999999999/", "/api/v1/no-such-thing/"):
        response = admin_client.get(path)
        assert response.status_code == 404 and response["Content-Type"].startswith("application/json"), path
        assert response.json()["code"] == "not_found"


def test_a_page_that_does_not_exist_is_a_friendly_404_in_chinese(admin_client):
    response = admin_client.get("/calls/99999999999999999999/")
    assert response.status_code == 404 and "不存在" in response.content.decode()


def test_a_bad_parameter_is_a_400_that_says_which(admin_client):
    response = admin_client.get("/calls/register.pdf?center=99999999999999999999")
    assert response.status_code == 400 and "99999999999999999999" in response.content.decode()
    api = admin_client.get("/api/v1/service-requests/?customer=abc")
    assert api.status_code == 400 and api.json()["code"] == "bad_parameter"


def test_a_filter_that_is_not_valid_shows_its_message_and_answers_400(admin_client):
    response = admin_client.get("/calls/?service_center=99999999999999999999")
    assert response.status_code == 400 and "invalid-feedback" in response.content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)"])
def test_next_pointing_to_another_site_is_ignored(admin_client, target):
    from django.test import RequestFactory

    from aftersales.core.web import redirect_back

    request = RequestFactory().post("/x/", {"next": target})
    assert redirect_back(request, "home")["Location"] == "/"


def test_a_nul_character_in_a_search_is_refused_alike_on_every_database(admin_client):
    """PostgreSQL cannot compare a string holding NUL; the request is refused before it gets there."""
    page = admin_client.get("/returns/?q=%00")
    assert page.status_code == 400 and "NUL" in page.content.decode()
    api = admin_client.get("/api/v1/customers/?search=a%00b")
    assert api.status_code == 400 and api["Content-Type"].startswith("application/json")
    assert admin_client.post("/calls/new/", {"description": "x\x00"}).status_code == 400
