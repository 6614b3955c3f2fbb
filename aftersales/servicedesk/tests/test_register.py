"""Registering calls: classification (CLS-01), SLA clocks (DISP-02/05) and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from aftersales.servicedesk.models import RequestEvent, ServiceRequest
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from conftest import at

NOW = at(2026, 9, 30, 16, 0)


@pytest.fixture
def in_warranty_lathe(customer_acme, lathe_model):
    return f.equipment(customer=customer_acme, model=lathe_model, serial="L2026001", sold=dt.date(2026, 3, 2))


def register(actor, **fields) -> ServiceRequest:
    fields.setdefault("fault_description", "主轴异响")
    fields.setdefault("contact_phone", "13800138000")
    with time_machine.travel(NOW, tick=False):
        return service_request_register(actor=actor, data=RequestInput(**fields))


@pytest.mark.req("CLS-01")
@pytest.mark.req("INTK-01")
def test_a_call_for_an_in_warranty_machine_is_category_c_with_the_warranty_end_as_reason(clerk_li, customer_acme, in_warranty_lathe):
    sr = register(clerk_li, customer=customer_acme, equipment=in_warranty_lathe)
    assert sr.category == "C"
    assert sr.category_reason == "整机保修至2027-03-01"
    assert sr.product_model == in_warranty_lathe.product_model
    assert sr.number.startswith("BX260930")


@pytest.mark.req("CLS-01")
def test_an_active_contract_makes_an_out_of_warranty_machine_category_b(clerk_li, customer_acme, lathe_model):
    old = f.equipment(customer=customer_acme, model=lathe_model, sold=dt.date(2020, 1, 1))
    f.contract(customer=customer_acme, units=[old], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), number="HT-2026-014")
    sr = register(clerk_li, customer=customer_acme, equipment=old)
    assert sr.category == "B"
    assert "保养合同 HT-2026-014" in sr.category_reason


@pytest.mark.req("CLS-01")
def test_warranty_wins_over_a_contract_and_the_reason_names_both(clerk_li, customer_acme, in_warranty_lathe):
    f.contract(customer=customer_acme, units=[in_warranty_lathe], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), number="HT-2026-020")
    sr = register(clerk_li, customer=customer_acme, equipment=in_warranty_lathe)
    assert sr.category == "C"
    assert "HT-2026-020" in sr.category_reason and "保修" in sr.category_reason


@pytest.mark.req("CLS-01")
def test_a_machine_out_of_warranty_without_contract_is_paid_category_a(clerk_li, customer_acme):
    model = f.product_model(model_code="M7130", warranty_months=12)
    old = f.equipment(customer=customer_acme, model=model, sold=dt.date(2023, 5, 1))
    sr = register(clerk_li, customer=customer_acme, equipment=old)
    assert sr.category == "A"
    assert sr.category_reason == "整机保修已于2024-04-30到期，且无有效保养合同"


@pytest.mark.req("CLS-01")
def test_only_main_parts_in_warranty_is_free_service_with_a_line_by_line_note(clerk_li, customer_acme, lathe_model):
    unit = f.equipment(customer=customer_acme, model=lathe_model, sold=dt.date(2024, 6, 1))
    sr = register(clerk_li, customer=customer_acme, equipment=unit)
    assert sr.category == "C"
    assert "主要部件" in sr.category_reason


@pytest.mark.req("CLS-01")
def test_internal_administrative_work_is_category_d(clerk_li):
    sr = register(clerk_li, internal=True, contact_phone="", fault_description="工具保养")
    assert sr.category == "D"
    assert sr.customer is None


@pytest.mark.req("DISP-02")
def test_an_urban_call_at_16_00_before_national_day_is_due_on_8_october(clerk_li, customer_acme, in_warranty_lathe):
    sr = register(clerk_li, customer=customer_acme, equipment=in_warranty_lathe)
    assert sr.zone == "urban"
    assert sr.arrival_hours == 6
    assert sr.arrival_due_at == at(2026, 10, 8, 14, 30)
    assert sr.arrival_due_confirmed


@pytest.mark.req("DISP-02")
def test_a_suburban_address_gets_seven_working_hours(clerk_li, customer_acme, in_warranty_lathe):
    sr = register(clerk_li, customer=customer_acme, equipment=in_warranty_lathe, address="上海市松江区新桥镇8号")
    assert sr.zone == "suburban"
    assert sr.arrival_due_at == at(2026, 10, 8, 15, 30)


@pytest.mark.req("DISP-02")
def test_a_centre_can_set_its_own_allowance(clerk_li, shanghai, customer_acme, in_warranty_lathe):
    shanghai.arrival_hours_urban = 4
    shanghai.save()
    sr = register(clerk_li, customer=customer_acme, equipment=in_warranty_lathe)
    assert sr.arrival_due_at == at(2026, 10, 8, 11, 0)


@pytest.mark.req("DISP-05")
def test_without_a_requested_time_the_customer_must_be_contacted_within_24_hours(clerk_li, customer_acme, in_warranty_lathe):
    sr = register(clerk_li, customer=customer_acme, equipment=in_warranty_lathe)
    assert sr.contact_due_at == NOW + dt.timedelta(hours=24)


@pytest.mark.req("DISP-05")
def test_a_requested_time_replaces_the_contact_clock_and_a_later_visit_is_not_late(clerk_li, customer_acme, in_warranty_lathe):
    wanted = at(2026, 10, 12, 9, 0)
    sr = register(clerk_li, customer=customer_acme, equipment=in_warranty_lathe, requested_time=wanted)
    assert sr.contact_due_at is None
    assert sr.arrival_due_at == wanted


@pytest.mark.req("INTK-02")
def test_registration_writes_the_first_timeline_row_and_audit_history(clerk_li, customer_acme, in_warranty_lathe):
    sr = register(clerk_li, customer=customer_acme, equipment=in_warranty_lathe)
    event = RequestEvent.objects.get(request=sr)
    assert (event.kind, event.to_state, event.actor) == ("registered", "registered", clerk_li)
    assert sr.history.first().history_user == clerk_li


@pytest.mark.req("INTK-05")
def test_a_serial_number_typed_by_the_clerk_finds_the_customers_machine(clerk_li, customer_acme, in_warranty_lathe):
    sr = register(clerk_li, customer=customer_acme, serial_no="l2026001")
    assert sr.equipment == in_warranty_lathe


def test_a_call_in_a_year_nobody_confirmed_gets_an_unconfirmed_deadline(clerk_li, customer_acme, in_warranty_lathe):
    with time_machine.travel(at(2027, 1, 8, 16, 0), tick=False):
        sr = service_request_register(actor=clerk_li, data=RequestInput(
            customer=customer_acme, equipment=in_warranty_lathe, contact_phone="13800138000", fault_description="漏油"))
    assert sr.arrival_due_confirmed is False


# --- bad input: a clear message, nothing written -----------------------------------------------

def assert_refused(actor, field: str, text: str, **fields) -> None:
    before = (ServiceRequest.objects.count(), RequestEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        register(actor, **fields)
    assert text in " ".join(exc.value.message_dict.get(field, [])), exc.value.message_dict
    assert (ServiceRequest.objects.count(), RequestEvent.objects.count()) == before


def test_an_invalid_phone_is_refused(clerk_li, customer_acme):
    assert_refused(clerk_li, "contact_phone", "不是有效的电话号码", customer=customer_acme, contact_phone="12345")


def test_an_unknown_serial_is_refused(clerk_li, customer_acme, in_warranty_lathe):
    assert_refused(clerk_li, "serial_no", "未登记序列号为 NOPE-1 的设备", customer=customer_acme, serial_no="NOPE-1")


def test_equipment_of_another_customer_is_refused(clerk_li, customer_acme, shanghai, lathe_model):
    other = f.customer(name="别家公司", center=shanghai)
    theirs = f.equipment(customer=other, model=lathe_model)
    assert_refused(clerk_li, "equipment", "属于另一位客户", customer=customer_acme, equipment=theirs)


def test_a_branch_clerk_cannot_register_a_call_for_another_centres_customer(clerk_li, customer_wujiang):
    assert_refused(clerk_li, "customer", "属于其他服务中心", customer=customer_wujiang)


def test_a_call_in_the_future_is_refused(clerk_li, customer_acme):
    assert_refused(clerk_li, "received_at", "不能晚于现在", customer=customer_acme, received_at=at(2026, 12, 1, 9, 0))


def test_a_date_before_the_calendars_first_year_is_refused(clerk_li, customer_acme):
    assert_refused(clerk_li, "received_at", "2004", customer=customer_acme, received_at=at(1999, 12, 1, 9, 0))


def test_a_requested_time_too_far_ahead_for_the_calendar_is_refused(clerk_li, customer_acme):
    assert_refused(clerk_li, "requested_time", "一年以上", customer=customer_acme, requested_time=at(2028, 1, 5, 9, 0))


def test_a_call_without_fault_description_is_refused(clerk_li, customer_acme):
    assert_refused(clerk_li, "fault_description", "故障", customer=customer_acme, fault_description="  ")
