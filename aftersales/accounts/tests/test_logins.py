"""Logins resist guessing: an account locks after a few wrong passwords, an address after many, on every way in
(the staff login, the admin login, the API token), counted in the database; X-Forwarded-For is not believed."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from aftersales.core.clients import client_ip
from aftersales.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(shanghai):
    return f.staff("clerk_fang", "desk_clerk", shanghai)


def guess(client: Client, url: str, username: str, times: int, **extra) -> list[int]:
    return [client.post(url, {"username": username, "password": f"wrong-{n}"}, **extra).status_code for n in range(times)]


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_five_wrong_passwords_lock_the_account_and_then_even_the_right_one_is_refused(url, clerk, settings):
    client = Client()
    guess(client, url, "clerk_fang", 5)
    response = client.post(url, {"username": "clerk_fang", "password": "pw-clerk_fang"})
    assert response.status_code == 429 and "15" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_whatever_address_the_client_claims(clerk):
    client = Client()
    for n in range(5):
        client.post("/login/", {"username": "clerk_fang", "password": "x"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = client.post("/login/", {"username": "clerk_fang", "password": "pw-clerk_fang"}, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 429


def test_a_right_password_before_the_limit_logs_in_and_resets_the_count(clerk):
    client = Client()
    guess(client, "/login/", "clerk_fang", 4)
    assert client.post("/login/", {"username": "clerk_fang", "password": "pw-clerk_fang"}).status_code == 302
    client.logout()
    guess(client, "/login/", "clerk_fang", 4)
    assert client.post("/login/", {"username": "clerk_fang", "password": "pw-clerk_fang"}).status_code == 302


def test_the_api_token_is_locked_the_same_way_with_a_json_answer(clerk):
    api = APIClient()
    for _n in range(5):
        api.post("/api/v1/auth/token/", {"username": "clerk_fang", "password": "nope"}, format="json")
    response = api.post("/api/v1/auth/token/", {"username": "clerk_fang", "password": "pw-clerk_fang"}, format="json")
    assert response.status_code == 429 and response.json()["code"] == "locked_out"


def test_an_address_that_tried_many_accounts_is_refused_for_every_account(clerk, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    client = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(8):
        client.post("/login/", {"username": f"someone{n}", "password": "guess"})
    refused = client.post("/login/", {"username": "clerk_fang", "password": "pw-clerk_fang"})
    assert refused.status_code == 429 and 'id="locked-out"' in refused.content.decode()
    elsewhere = Client(REMOTE_ADDR="198.51.100.8")
    assert elsewhere.post("/login/", {"username": "clerk_fang", "password": "pw-clerk_fang"}).status_code == 302


def test_a_wrong_login_keeps_the_user_name_typed():
    response = Client().post("/login/", {"username": "clerk_typo", "password": "x"})
    assert 'value="clerk_typo"' in response.content.decode()


@pytest.mark.parametrize(("proxies", "forwarded", "remote", "expected"), [
    (0, "1.2.3.4", "10.0.0.1", "10.0.0.1"),  # no proxy of ours: the header is the client's own writing
    (1, "1.2.3.4, 203.0.113.5", "10.0.0.1", "203.0.113.5"),  # nginx appended what it saw; the client wrote 1.2.3.4
    (1, "", "10.0.0.1", "10.0.0.1"),
    (2, "6.6.6.6, 198.51.100.2, 10.1.1.1", "10.0.0.1", "198.51.100.2"),
])
def test_the_client_address_is_what_our_outermost_proxy_saw(settings, proxies, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


def test_a_staff_login_lasts_a_working_day(settings):
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
