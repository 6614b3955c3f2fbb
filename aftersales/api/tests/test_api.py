"""REST API: token auth, scoping, creating calls, JSON errors, OpenAPI."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from aftersales.servicedesk.models import ServiceRequest
from aftersales.testing import factories as f


def client_for(user) -> APIClient:
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": user.username, "password": "pw-" + user.username}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION="Token " + response.json()["token"])
    return client


@pytest.fixture
def lathe(customer_acme, lathe_model):
    return f.equipment(customer=customer_acme, model=lathe_model, serial="API-1", sold=timezone.localdate() - dt.timedelta(days=60))


def test_without_a_token_the_api_answers_401_in_json(db):
    response = APIClient().get("/api/v1/customers/")
    assert response.status_code == 401 and set(response.json()) == {"detail", "code", "fields"}


def test_a_wrong_password_gets_no_token(clerk_li):
    response = APIClient().post("/api/v1/auth/token/", {"username": "clerk_li", "password": "nope"}, format="json")
    assert response.status_code == 400


@pytest.mark.req("INTK-01")
@pytest.mark.req("CLS-01")
def test_a_clerk_registers_a_call_through_the_api_and_gets_category_and_deadline(clerk_li, lathe):
    response = client_for(clerk_li).post("/api/v1/service-requests/", {
        "equipment": lathe.pk, "contact_phone": "138 0013 8000", "fault_description": "数控系统报警"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["category"] == "C" and body["arrival_due_at"] and body["channel"] == "api"
    assert ServiceRequest.objects.get(pk=body["id"]).customer == lathe.customer


def test_bad_input_returns_field_messages_and_writes_nothing(clerk_li, lathe):
    response = client_for(clerk_li).post("/api/v1/service-requests/", {
        "equipment": lathe.pk, "contact_phone": "12", "fault_description": "x"}, format="json")
    assert response.status_code == 400
    assert "contact_phone" in response.json()["fields"]
    assert not ServiceRequest.objects.exists()


def test_an_english_client_gets_english_messages(clerk_li, lathe):
    response = client_for(clerk_li).post("/api/v1/service-requests/", {"equipment": lathe.pk, "contact_phone": "12", "fault_description": "x"},
                                         format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert "not a valid phone number" in response.json()["fields"]["contact_phone"][0]


def test_it_validates_ownership_of_customers(clerk_chen, customer_acme):
    client = client_for(clerk_chen)
    assert client.get(f"/api/v1/customers/{customer_acme.pk}/").status_code == 404
    assert customer_acme.pk not in [c["id"] for c in client.get("/api/v1/customers/").json()["results"]]


def test_it_validates_ownership_of_equipment(clerk_chen, lathe):
    assert client_for(clerk_chen).get(f"/api/v1/equipment/{lathe.pk}/").status_code == 404


def test_it_validates_ownership_of_service_requests(clerk_li, clerk_chen, lathe):
    created = client_for(clerk_li).post("/api/v1/service-requests/", {"equipment": lathe.pk, "contact_phone": "13800138000",
                                                                       "fault_description": "漏油"}, format="json").json()
    assert client_for(clerk_chen).get(f"/api/v1/service-requests/{created['id']}/").status_code == 404


def test_it_validates_ownership_when_registering_for_another_centres_equipment(clerk_chen, lathe):
    response = client_for(clerk_chen).post("/api/v1/service-requests/", {"equipment": lathe.pk, "contact_phone": "13800138000",
                                                                         "fault_description": "漏油"}, format="json")
    assert response.status_code == 400 and "equipment" in response.json()["fields"]


def test_it_validates_ownership_of_service_centres(clerk_li, manager_zhou, suzhou):
    assert [c["code"] for c in client_for(clerk_li).get("/api/v1/service-centers/").json()["results"]] == ["SH"]
    assert [c["code"] for c in client_for(manager_zhou).get("/api/v1/service-centers/").json()["results"]] == ["SH", "SZ"]


def test_an_illegal_transition_answers_409(clerk_li, lathe):
    client = client_for(clerk_li)
    sr = client.post("/api/v1/service-requests/", {"equipment": lathe.pk, "contact_phone": "13800138000", "fault_description": "漏油"},
                     format="json").json()
    assert client.post(f"/api/v1/service-requests/{sr['id']}/cancel/", {"reason": "重复"}, format="json").status_code == 200
    again = client.post(f"/api/v1/service-requests/{sr['id']}/cancel/", {"reason": "重复"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"


def test_a_stale_version_on_override_answers_409(supervisor_wang, lathe):
    client = client_for(supervisor_wang)
    sr = client.post("/api/v1/service-requests/", {"equipment": lathe.pk, "contact_phone": "13800138000", "fault_description": "漏油"},
                     format="json").json()
    ok = client.post(f"/api/v1/service-requests/{sr['id']}/override-category/", {"category": "A", "reason": "人为损坏", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["category"] == "A"
    stale = client.post(f"/api/v1/service-requests/{sr['id']}/override-category/", {"category": "B", "reason": "再改", "version": 1}, format="json")
    assert stale.status_code == 409


@pytest.mark.req("CUST-07")
def test_customers_are_searched_by_phone_and_serial(clerk_li, lathe):
    client = client_for(clerk_li)
    assert client.get("/api/v1/customers/", {"phone": "1380013"}).json()["count"] == 1
    assert client.get("/api/v1/customers/", {"serial": "API-1"}).json()["count"] == 1
    assert client.get("/api/v1/equipment/", {"serial": "API-1"}).json()["results"][0]["warranty"]["unit_active"] is not None


def test_creating_a_customer_with_a_bad_phone_is_a_400_with_fields(clerk_li):
    response = client_for(clerk_li).post("/api/v1/customers/", {"name": "新客户", "phones": ["abc"]}, format="json")
    assert response.status_code == 400 and "phones" in response.json()["fields"]


def test_creating_a_customer_through_the_api(clerk_li):
    response = client_for(clerk_li).post("/api/v1/customers/", {"name": "新客户", "phones": ["13912341234"],
                                                                "addresses": [{"address": "上海市徐汇区漕溪路1号"}]}, format="json")
    assert response.status_code == 201
    assert response.json()["addresses"][0]["zone"] == "urban"


def test_lists_are_paginated_with_a_maximum_page_size(manager_zhou, shanghai, settings):
    for i in range(3):
        f.customer(name=f"分页{i}", center=shanghai)
    body = client_for(manager_zhou).get("/api/v1/customers/", {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2


def test_the_openapi_schema_and_docs_are_served(clerk_li):
    client = client_for(clerk_li)
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200 and "/api/v1/service-requests/{id}/override-category/" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"cdn" not in docs.content.lower()
