"""The back office through the API, on the demo's records: an agent enters a card's answer and records a visit,
sales renews a contract, after-sales approves a return and the warehouse receives it, the keeper decides a
requisition — with the pages' permissions (another branch's record is not found) and the services' refusals."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from aftersales.accounts.models import User
from aftersales.api.tests.test_api import client_for
from aftersales.care.models import ReturnVisit
from aftersales.contracts.models import MaintenanceContract
from aftersales.feedback.models import OpinionCard
from aftersales.parts.models import Requisition
from aftersales.returns.models import ReturnRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", customers=40, quiet=True)
    for user in User.objects.all():
        user.set_password("pw-" + user.username)
        user.save(update_fields=["password"])
    return {user.username: user for user in User.objects.all()}


def test_the_back_office_works_its_records_through_the_api(demo):
    agent, outsider = client_for(demo["agent_he"]), client_for(demo["clerk_chen"])
    card = OpinionCard.objects.filter(service_center__code="SH", answered_at__isnull=True).first()
    assert outsider.post(f"/api/v1/opinion-cards/{card.pk}/answer/", {"via": "phone", "attitude": 4}, format="json").status_code == 404
    answered = agent.post(f"/api/v1/opinion-cards/{card.pk}/answer/", {"via": "phone", "attitude": 4, "skill": 4, "arrival": 3,
                                                                       "follow_through": 4}, format="json")
    assert answered.status_code == 200 and answered.json()["answered_via"] == "phone"
    again = {"via": "paper", "attitude": 1, "skill": 1, "arrival": 1, "follow_through": 1}
    assert agent.post(f"/api/v1/opinion-cards/{card.pk}/answer/", again, format="json").status_code == 409  # answered once

    visit = ReturnVisit.objects.filter(service_center__code="SH", status="due").first()
    recorded = agent.post(f"/api/v1/return-visits/{visit.pk}/record/", {"outcome": "no_answer"}, format="json")
    assert recorded.status_code == 200 and recorded.json()["attempts"] == visit.attempts + 1

    contract = MaintenanceContract.objects.filter(customer__service_center__code="SH", status="active").first()
    assert outsider.post(f"/api/v1/contracts/{contract.pk}/renew/", {}, format="json").status_code == 404
    renewed = client_for(demo["sales_ma"]).post(f"/api/v1/contracts/{contract.pk}/renew/", {}, format="json")
    assert renewed.status_code == 201 and renewed.json()["start_date"] > str(contract.start_date)

    goods = ReturnRequest.objects.filter(service_center__code="SH", status="requested").first()
    assert client_for(demo["warehouse_zhao"]).post(f"/api/v1/goods-returns/{goods.pk}/approve/", {}, format="json").status_code == 403
    assert client_for(demo["supervisor_wang"]).post(f"/api/v1/goods-returns/{goods.pk}/approve/", {}, format="json").status_code == 200
    received = client_for(demo["warehouse_zhao"]).post(f"/api/v1/goods-returns/{goods.pk}/receive/", {
        "quantity": "3", "arrived_on": str(timezone.localdate()), "inspection": "外观检查，确认问题属实"}, format="json")
    assert received.status_code == 200 and received.json()["status"] == "arrived"

    requisition = Requisition.objects.filter(service_center__code="SH", status="submitted").first()
    lines = [{"line": line.pk, "approved_quantity": str(line.quantity)} for line in requisition.lines.all()]
    decided = client_for(demo["warehouse_zhao"]).post(f"/api/v1/requisitions/{requisition.pk}/decide/", {"lines": lines, "version": requisition.version},
                                                      format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    stale = client_for(demo["warehouse_zhao"]).post(f"/api/v1/requisitions/{requisition.pk}/decide/", {"lines": lines, "version": requisition.version},
                                                    format="json")
    assert stale.status_code == 409

    from aftersales.complaints.models import ComplaintCase  # only the coordinators close a case, and only when it is done

    case = ComplaintCase.objects.filter(status="open", service_center__code="SH").first()
    assert client_for(demo["clerk_li"]).post(f"/api/v1/complaints/{case.pk}/close/", {}, format="json").status_code in (403, 409)
    refused = client_for(demo["manager_zhou"]).post(f"/api/v1/complaints/{case.pk}/close/", {}, format="json")
    assert refused.status_code in (400, 409) and ComplaintCase.objects.get(pk=case.pk).status == "open"  # steps still open


def test_records_are_registered_through_the_api_with_the_pages_rules(demo):
    from aftersales.complaints.models import ComplaintCase
    from aftersales.customers.models import Customer
    from aftersales.returns.models import ShipmentLine

    manager, clerk, outsider = client_for(demo["manager_zhou"]), client_for(demo["clerk_li"]), client_for(demo["clerk_chen"])
    shanghai_customer = Customer.objects.filter(service_center__code="SH").first()
    assert outsider.post("/api/v1/complaints/", {"customer": shanghai_customer.pk, "subject": "包装破损", "description": "外箱压坏"},
                         format="json").json()["fields"]["customer"]  # another branch's customer is not found
    created = clerk.post("/api/v1/complaints/", {"customer": shanghai_customer.pk, "subject": "包装破损", "description": "外箱压坏"},
                         format="json", HTTP_IDEMPOTENCY_KEY="cmp-1")
    assert created.status_code == 201 and created.json()["status"] == "open" and created.json()["due_at"]
    assert clerk.post("/api/v1/complaints/", {"customer": shanghai_customer.pk, "subject": "包装破损", "description": "外箱压坏"},
                      format="json", HTTP_IDEMPOTENCY_KEY="cmp-1").json()["id"] == created.json()["id"]  # a retry: one case
    case = ComplaintCase.objects.get(pk=created.json()["id"])
    step = case.steps.filter(done_at__isnull=True, skipped=False).order_by("position").first()
    assert clerk.post(f"/api/v1/complaints/{case.pk}/step/", {"opinion": "同意"}, format="json").status_code in (403, 400)
    owner = client_for(step.owner)
    signed = owner.post(f"/api/v1/complaints/{case.pk}/step/", {"opinion": "属实，外箱强度不足", "kind": "quality",
                                                                "cause_finding": "纸箱克重不足", "responsible_unit": "包装课",
                                                                "version": case.version}, format="json")
    assert signed.status_code == 200, signed.content
    assert ComplaintCase.objects.get(pk=case.pk).steps.get(pk=step.pk).done_at is not None

    unit = shanghai_customer.equipment.first()
    contract = client_for(demo["sales_ma"]).post("/api/v1/contracts/", {
        "customer": shanghai_customer.pk, "equipment": [unit.pk], "start_date": "2027-01-01", "end_date": "2027-12-31", "fee": "3600.00"},
        format="json")
    assert contract.status_code == 201 and contract.json()["customer"] == shanghai_customer.pk
    assert client_for(demo["tech_huang"]).post("/api/v1/contracts/", {
        "customer": shanghai_customer.pk, "equipment": [unit.pk], "start_date": "2027-01-01", "end_date": "2027-12-31"},
        format="json").status_code == 400  # Suzhou's technician does not see the customer

    line = ShipmentLine.objects.filter(shipment__customer__service_center__code="SH").first()
    requested = client_for(demo["sales_ma"]).post("/api/v1/goods-returns/", {
        "line": line.pk, "reason": "wrong_item", "quantity": "1", "reported_on": str(timezone.localdate())}, format="json")
    assert requested.status_code == 201, requested.content.decode()
    assert manager.get("/api/v1/goods-returns/").status_code == 200


def test_the_care_desk_reads_its_due_list(demo):
    agent = client_for(demo["agent_he"])
    due = agent.get("/api/v1/return-visits/?status=due&page_size=200").json()
    assert due["count"] > 0 and {visit["status"] for visit in due["results"]} == {"due"}
    assert agent.get("/api/v1/return-visits/?status=late").status_code == 400
