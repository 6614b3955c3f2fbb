"""The API over quotations, payments and the back office's records: the pages' permissions, the services' refusals,
and writes that a retry never does twice (Idempotency-Key)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.api.tests.test_api import client_for
from aftersales.billing.models import Payment, Quotation
from aftersales.billing.services import QuoteItem, quotation_create, quotation_send
from aftersales.testing.signatures import SIGNED

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_quotation(tech_zhang, paid_job):
    quotation = quotation_create(actor=tech_zhang, customer=paid_job.request.customer, work_order=paid_job, items=[
        QuoteItem(kind="labour", description="更换主轴轴承工时", quantity=Decimal("2"), unit_price=Decimal("150"))])
    return quotation_send(actor=tech_zhang, quotation=quotation)


def test_the_technician_has_the_customer_accept_his_quotation_through_the_api(tech_zhang, sent_quotation):
    api = client_for(tech_zhang)
    listed = api.get("/api/v1/quotations/").json()
    assert [q["id"] for q in listed["results"]] == [sent_quotation.pk]
    accepted = api.post(f"/api/v1/quotations/{sent_quotation.pk}/accept/", {"signature": SIGNED, "signer_name": "王工"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = api.post(f"/api/v1/quotations/{sent_quotation.pk}/decline/", {"note": "太贵"}, format="json")
    assert again.status_code == 409 and again.json()["detail"]  # decided already: the step is illegal
    assert Quotation.objects.get(pk=sent_quotation.pk).status == "accepted"


def test_a_colleague_neither_reads_nor_decides_the_quotation(tech_wu, sent_quotation):
    api = client_for(tech_wu)
    assert api.get("/api/v1/quotations/").json()["count"] == 0
    assert api.post(f"/api/v1/quotations/{sent_quotation.pk}/accept/", {"signature": SIGNED, "signer_name": "王工"},
                    format="json").status_code == 404


def test_a_payment_sent_twice_with_one_idempotency_key_is_recorded_once(tech_zhang, accountant_qian, sent_quotation, paid_job):
    client_for(tech_zhang).post(f"/api/v1/quotations/{sent_quotation.pk}/accept/", {"signature": SIGNED, "signer_name": "王工"}, format="json")
    api = client_for(accountant_qian)
    body = {"amount": "100.00", "method": "bank", "reference": "网银 0001"}
    first = api.post(f"/api/v1/work-orders/{paid_job.pk}/payments/", body, format="json", HTTP_IDEMPOTENCY_KEY="pay-7f3a")
    retry = api.post(f"/api/v1/work-orders/{paid_job.pk}/payments/", body, format="json", HTTP_IDEMPOTENCY_KEY="pay-7f3a")
    assert first.status_code == retry.status_code == 201 and retry.json() == first.json(), first.content.decode()
    assert retry["Idempotent-Replayed"] == "true" and Payment.objects.filter(work_order=paid_job).count() == 1
    other = api.post(f"/api/v1/work-orders/{paid_job.pk}/payments/", {**body, "amount": "50.00"}, format="json",
                     HTTP_IDEMPOTENCY_KEY="pay-7f3a")
    assert other.status_code == 422 and Payment.objects.filter(work_order=paid_job).count() == 1
    listed = api.get(f"/api/v1/work-orders/{paid_job.pk}/payments/").json()
    assert [p["amount"] for p in listed] == ["100.00"]


def test_a_refused_write_keeps_nothing_and_may_be_corrected_under_the_same_key(accountant_qian, paid_job):
    api = client_for(accountant_qian)
    refused = api.post(f"/api/v1/work-orders/{paid_job.pk}/payments/", {"amount": "-5", "method": "cash"}, format="json",
                       HTTP_IDEMPOTENCY_KEY="k1")
    assert refused.status_code == 400 and refused.json()["fields"]["amount"]
    assert not Payment.objects.exists()


def test_a_colleagues_job_money_is_not_found_through_the_api(tech_wu, paid_job):
    api = client_for(tech_wu)
    assert api.get(f"/api/v1/work-orders/{paid_job.pk}/payments/").status_code == 404
    assert api.get(f"/api/v1/work-orders/{paid_job.pk}/parts/").status_code == 404


@pytest.mark.parametrize("path", ["opinion-cards", "return-visits", "contracts", "complaints", "goods-returns", "requisitions",
                                  "score-sheets"])
def test_the_back_office_lists_are_scoped_like_their_pages(path, clerk_chen, supervisor_wang):
    """Suzhou's desk sees none of Shanghai's records; an unknown id is a JSON 404."""
    for user in (clerk_chen, supervisor_wang):
        api = client_for(user)
        listing = api.get(f"/api/v1/{path}/")
        assert listing.status_code == 200 and "results" in listing.json(), path
        missing = api.get(f"/api/v1/{path}/999999/")
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_a_body_with_a_broken_character_is_a_400_not_a_server_error(tech_zhang, paid_job):
    api = client_for(tech_zhang)
    response = api.post(f"/api/v1/work-orders/{paid_job.pk}/complete/", '{"work_done": "\\ud89f", "version": 1}',
                        content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


@pytest.mark.parametrize("query", ["page=0", "page=abc", "page=", "page_size=0", "page_size=", "page_size=100000", "page=1&page=2"])
def test_a_bad_page_or_page_size_is_a_400_not_a_silent_default(query, clerk_li):
    response = client_for(clerk_li).get(f"/api/v1/customers/?{query}")
    assert response.status_code == 400 and response.json()["code"] == "bad_parameter", query


def test_a_page_after_the_last_is_a_404(clerk_li, customer_acme):
    assert client_for(clerk_li).get("/api/v1/customers/?page=7").status_code == 404


def test_the_manager_reads_the_months_figures_and_a_technician_is_refused(manager_zhou, tech_zhang, clerk_li, customer_acme):
    from django.utils import timezone

    from aftersales.servicedesk.services import RequestInput, service_request_register

    service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, contact_phone="13800138000", fault_description="不制冷"))
    month = f"{timezone.localdate():%Y-%m}"
    figures = client_for(manager_zhou).get(f"/api/v1/reports/monthly-summary/?month={month}").json()
    assert figures["requests"] == 1 and figures["start"].startswith(month) and figures["lines"]
    assert client_for(manager_zhou).get("/api/v1/reports/monthly-summary/?month=2026-13").status_code == 400
    assert client_for(tech_zhang).get(f"/api/v1/reports/monthly-summary/?month={month}").status_code == 403


def test_an_empty_idempotency_key_is_refused_and_a_method_the_endpoint_lacks_is_a_405(accountant_qian, paid_job):
    api = client_for(accountant_qian)
    empty = api.post(f"/api/v1/work-orders/{paid_job.pk}/payments/", {"amount": "1.00", "method": "cash"}, format="json",
                     HTTP_IDEMPOTENCY_KEY="")
    assert empty.status_code == 400 and not Payment.objects.exists()
    assert api.put(f"/api/v1/work-orders/{paid_job.pk}/payments/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 405


def test_every_operation_documents_its_errors_with_an_example(admin_client):
    schema = admin_client.get("/api/schema/?format=json").json()
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = {"400", "401", "403", "404", "429"} | ({"409", "422"} if method != "get" else set())
            if path.endswith("/auth/token/"):
                codes -= {"401"}
            for code in codes:
                content = operation["responses"].get(code, {}).get("content", {}).get("application/json", {})
                if not content.get("examples") and not content.get("example"):
                    missing.append((method, path, code))
    assert missing == []
