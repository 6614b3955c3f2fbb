"""REST API of the service loop: dispatch, every voucher action, errors as 400/403/404/409, daily reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from aftersales.servicedesk.models import ServiceRequest
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from aftersales.testing.signatures import EMPTY, SIGNED
from aftersales.workorders.models import GoodsReceipt, WorkOrder


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def call(clerk_li, customer_acme, lathe_model):
    lathe = f.equipment(customer=customer_acme, model=lathe_model, serial="API-WO-1", sold=timezone.localdate() - dt.timedelta(days=30))
    return service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, equipment=lathe, contact_phone="13800138000",
                                                                      fault_description="主轴异响"))


@pytest.fixture
def voucher(supervisor_wang, tech_zhang, call):
    response = client_for(supervisor_wang).post(f"/api/v1/service-requests/{call.pk}/dispatch/", {"technician": tech_zhang.pk}, format="json")
    assert response.status_code == 201, response.content
    return WorkOrder.objects.get(pk=response.json()["id"])


def post(user, wo, action: str, data: dict | None = None):
    return client_for(user).post(f"/api/v1/work-orders/{wo.pk}/{action}/", data or {}, format="json")


@pytest.mark.req("DISP-01")
def test_a_supervisor_dispatches_a_call_through_the_api(voucher, call, tech_zhang):
    assert voucher.technician == tech_zhang and ServiceRequest.objects.get(pk=call.pk).status == "dispatched"


def test_dispatching_twice_answers_409(supervisor_wang, tech_zhang, voucher, call):
    response = client_for(supervisor_wang).post(f"/api/v1/service-requests/{call.pk}/dispatch/", {"technician": tech_zhang.pk}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_dispatched"


def test_a_clerk_dispatching_answers_403(clerk_li, tech_zhang, call):
    response = client_for(clerk_li).post(f"/api/v1/service-requests/{call.pk}/dispatch/", {"technician": tech_zhang.pk}, format="json")
    assert response.status_code == 403 and not WorkOrder.objects.exists()


def test_an_unknown_technician_answers_400_with_the_field(supervisor_wang, call):
    response = client_for(supervisor_wang).post(f"/api/v1/service-requests/{call.pk}/dispatch/", {"technician": 999999}, format="json")
    assert response.status_code == 400 and "technician" in response.json()["fields"]


@pytest.mark.req("REP-02")
@pytest.mark.req("REP-04")
def test_the_whole_take_back_loop_through_the_api(supervisor_wang, tech_zhang, voucher):
    assert post(tech_zhang, voucher, "check-in", {"latitude": "31.2", "longitude": "121.5", "accuracy": 30}).status_code == 200
    response = post(tech_zhang, voucher, "take-back", {"condition": "完好", "accessories": "电源线", "signature": SIGNED, "signer_name": "王工"})
    assert response.status_code == 200 and response.json()["receipt"]["number"].startswith("SJ")
    assert post(tech_zhang, voucher, "start-repair").status_code == 200
    finished = post(tech_zhang, voucher, "finish-repair", {"repair_minutes": 90, "work_done": "更换轴承",
                                                           "parts": [{"description": "轴承", "quantity": 2}]})
    assert finished.json()["repair_card"]["parts"] == [{"description": "轴承", "quantity": 2}]
    assert post(supervisor_wang, voucher, "inspect", {"passed": True}).status_code == 200
    receipt = GoodsReceipt.objects.get(work_order=voucher).number
    returned = post(tech_zhang, voucher, "return", {"receipt_no": receipt, "signature": SIGNED, "signer_name": "王工"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert ServiceRequest.objects.get(pk=voucher.request_id).status == "closed"


def test_an_illegal_step_answers_409_and_changes_nothing(tech_zhang, voucher):
    response = post(tech_zhang, voucher, "complete", {"work_done": "x", "signature": SIGNED, "signer_name": "王工"})
    assert response.status_code == 409 and response.json()["code"] == "not_checked_in"
    assert post(tech_zhang, voucher, "check-in").status_code == 200
    assert post(tech_zhang, voucher, "check-in").status_code == 409


def test_an_empty_signature_answers_400_on_the_signature_field(tech_zhang, voucher):
    post(tech_zhang, voucher, "check-in")
    response = post(tech_zhang, voucher, "complete", {"work_done": "调整", "signature": EMPTY, "signer_name": "王工"})
    assert response.status_code == 400 and "signature" in response.json()["fields"]
    assert WorkOrder.objects.get(pk=voucher.pk).status == "on_site"


def test_a_technician_inspecting_answers_403(tech_zhang, voucher):
    post(tech_zhang, voucher, "check-in")
    post(tech_zhang, voucher, "take-back", {"condition": "完好", "signature": SIGNED, "signer_name": "王工"})
    post(tech_zhang, voucher, "start-repair")
    post(tech_zhang, voucher, "finish-repair", {"repair_minutes": 60, "work_done": "修好"})
    assert post(tech_zhang, voucher, "inspect", {"passed": True}).status_code == 403


def test_a_stale_version_answers_409(tech_zhang, voucher):
    assert post(tech_zhang, voucher, "check-in", {"version": voucher.version + 5}).status_code == 409


def test_it_validates_ownership_of_work_orders(voucher, shanghai, clerk_chen):
    tech_qian = f.technician("tech_qian", shanghai, skills=["machine-tool"])
    assert client_for(tech_qian).get(f"/api/v1/work-orders/{voucher.pk}/").status_code == 404
    assert post(tech_qian, voucher, "check-in").status_code == 404
    assert client_for(clerk_chen).get(f"/api/v1/work-orders/{voucher.pk}/").status_code == 404
    assert client_for(tech_qian).get("/api/v1/work-orders/").json()["count"] == 0


def test_reassigning_a_completed_voucher_answers_409(supervisor_wang, tech_zhang, voucher, shanghai):
    post(tech_zhang, voucher, "check-in")
    post(tech_zhang, voucher, "complete", {"work_done": "调整", "signature": SIGNED, "signer_name": "王工"})
    tech_qian = f.technician("tech_qian", shanghai, skills=["machine-tool"])
    response = post(supervisor_wang, voucher, "reassign", {"technician": tech_qian.pk, "reason": "换人"})
    assert response.status_code == 409


def test_cancelling_through_the_api_returns_the_call_to_the_queue(supervisor_wang, voucher):
    assert post(supervisor_wang, voucher, "cancel", {"reason": "客户改约"}).status_code == 200
    assert ServiceRequest.objects.get(pk=voucher.request_id).status == "registered"


def test_the_work_order_list_filters_by_status(supervisor_wang, voucher):
    client = client_for(supervisor_wang)
    assert client.get("/api/v1/work-orders/?status=open").json()["count"] == 1
    assert client.get("/api/v1/work-orders/?status=returned").json()["count"] == 0
    assert client.get("/api/v1/work-orders/?status=nonsense").status_code == 400


@pytest.mark.req("DRPT-01")
def test_daily_reports_are_readable_through_the_api(tech_zhang, supervisor_wang, voucher):
    from aftersales.dailyreports.services import technician_report_open, technician_report_submit

    post(tech_zhang, voucher, "check-in")
    post(tech_zhang, voucher, "complete", {"work_done": "调整", "labour_minutes": 45, "signature": SIGNED, "signer_name": "王工"})
    report = technician_report_open(actor=tech_zhang, day=timezone.localdate())
    technician_report_submit(actor=tech_zhang, report=report)
    data = client_for(supervisor_wang).get(f"/api/v1/technician-daily-reports/?day={timezone.localdate():%Y-%m-%d}").json()
    assert data["count"] == 1 and data["results"][0]["lines"][0]["minutes"] == 45 and data["results"][0]["lines"][0]["category"] == "C"
    assert client_for(supervisor_wang).get("/api/v1/supervisor-daily-reports/").status_code == 200


def test_the_schema_documents_the_voucher_actions_and_their_errors(clerk_li):
    schema = client_for(clerk_li).get("/api/schema/?format=json").json()
    for action in ("check-in", "complete", "take-back", "inspect", "return", "reassign", "cancel"):
        operation = schema["paths"][f"/api/v1/work-orders/{{id}}/{action}/"]["post"]
        assert {"400", "403", "404", "409"} <= set(operation["responses"])
    assert "/api/v1/service-requests/{id}/dispatch/" in schema["paths"]
    assert "/api/v1/technician-daily-reports/" in schema["paths"]


@pytest.mark.req("PART-02")
def test_a_part_is_used_through_the_api_and_the_charges_show_its_coverage(tech_zhang, paid_job, van_zhang, bearing):
    response = post(tech_zhang, paid_job, "use-part", {"part_code": "brg-6205", "quantity": "2"})
    assert response.status_code == 201 and response.json()["coverage"] == "paid" and response.json()["total"] == "271.20"
    bill = client_for(tech_zhang).get(f"/api/v1/work-orders/{paid_job.pk}/charges/").json()
    assert (bill["total"], bill["due"]) == ("271.20", "271.20")
    short = post(tech_zhang, paid_job, "use-part", {"part_code": "BRG-6205", "quantity": "20"})
    assert short.status_code == 400 and short.json()["code"] == "insufficient_stock"


def test_the_catalogue_and_a_vans_stock_are_readable(tech_zhang, van_zhang, bearing):
    client = client_for(tech_zhang)
    assert client.get("/api/v1/parts/?q=BRG").json()["results"][0]["code"] == "BRG-6205"
    stock = client.get(f"/api/v1/warehouses/{van_zhang.pk}/stock/").json()
    assert {"part_code": "BRG-6205", "quantity": "10.00", "part": bearing.pk} in stock


def test_it_validates_ownership_of_warehouses_and_invoices(clerk_chen, van_zhang):
    assert client_for(clerk_chen).get(f"/api/v1/warehouses/{van_zhang.pk}/stock/").status_code == 404
    assert client_for(clerk_chen).get("/api/v1/invoices/").json()["count"] == 0
