"""Maintenance contracts (CON-01..02, DISP-10): register, planned visits on working days, T-30 notice and renewal, SLA levels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from aftersales.contracts.models import ContractStatus, MaintenanceContract, PlannedVisit, RenewalTask, SlaLevel
from aftersales.contracts.services import (
    contract_create,
    contract_notice_sweep,
    contract_renew,
    contract_terminate,
    contract_visit_sweep,
    plan_dates,
    renewal_declined,
)
from aftersales.core.errors import ConflictError, DomainError
from aftersales.notifications.models import Message, Notice
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from aftersales.testing.pdf import pdf_text
from conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales_ma(shanghai):
    return f.staff("sales_ma", "sales", shanghai)


@pytest.fixture
def lathe(customer_acme, lathe_model):
    """The lathe, sold in June 2024: its 12-month warranty is over before the 2026 contract starts (the contract pays)."""
    return f.equipment(customer=customer_acme, model=lathe_model, serial="CAK-0001", sold=dt.date(2024, 6, 1))


@pytest.fixture
def contract(sales_ma, lathe):
    return contract_create(actor=sales_ma, customer=lathe.customer, equipment=[lathe], start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31),
                           fee=Decimal("365000.00"), visits_per_year=4, salesperson=sales_ma)


@pytest.mark.req("CON-01")
def test_a_contract_is_registered_with_its_terms_and_its_visits_planned_on_working_days(contract, shanghai):
    assert (contract.fee, contract.number.startswith("HT-2026-")) == (Decimal("365000.00"), True)
    plans = list(contract.planned_visits.all())
    assert len(plans) == 4
    calendar = shanghai.calendar
    assert all(calendar.is_working_day(p.planned_on) and contract.start_date <= p.planned_on <= contract.end_date for p in plans)
    assert contract.renewal_notice_on == dt.date(2026, 12, 1)


def test_a_planned_visit_on_national_day_moves_to_the_next_working_day(shanghai):
    # One visit in a month-long term falls on 2026-10-05, inside the National Day holiday (10-01..10-07).
    assert plan_dates(start=dt.date(2026, 9, 20), end=dt.date(2026, 10, 20), visits_per_year=12, calendar=shanghai.calendar) == [dt.date(2026, 10, 8)]


def test_a_visit_at_the_end_of_the_term_moves_back_rather_than_past_the_end(shanghai):
    # Term 09-28..10-07: the only visit (10-02) cannot move forward within the term, so it moves back to 09-30.
    assert plan_dates(start=dt.date(2026, 9, 28), end=dt.date(2026, 10, 7), visits_per_year=37, calendar=shanghai.calendar) == [dt.date(2026, 9, 30)]


@pytest.mark.parametrize(("start", "end", "field"), [
    (dt.date(2026, 12, 31), dt.date(2026, 1, 1), "end_date"),
    (dt.date(2026, 1, 1), dt.date(2040, 1, 1), "end_date"),
])
def test_a_contract_ending_before_it_starts_is_refused_and_nothing_is_written(sales_ma, lathe, start, end, field):
    with pytest.raises(DomainError) as exc:
        contract_create(actor=sales_ma, customer=lathe.customer, equipment=[lathe], start_date=start, end_date=end)
    assert field in exc.value.message_dict
    assert not MaintenanceContract.objects.exists() and not PlannedVisit.objects.exists()


def test_another_customers_machine_cannot_be_covered(sales_ma, lathe, customer_wujiang, lathe_model):
    other = f.equipment(customer=customer_wujiang, model=lathe_model)
    with pytest.raises(DomainError):
        contract_create(actor=None, customer=lathe.customer, equipment=[lathe, other], start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))


def test_a_technician_cannot_register_contracts(tech_zhang, lathe):
    with pytest.raises(PermissionDenied):
        contract_create(actor=tech_zhang, customer=lathe.customer, equipment=[lathe], start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))


@pytest.mark.req("CON-02")
def test_a_month_before_the_end_the_notice_goes_out_and_a_salesperson_gets_a_renewal_task(client, contract, sales_ma):
    assert contract_notice_sweep(dt.date(2026, 11, 30)) == 0
    with time_machine.travel(at(2026, 12, 1, 10, 0), tick=False):
        assert contract_notice_sweep(dt.date(2026, 12, 1)) == 1
        assert contract_notice_sweep(dt.date(2026, 12, 2)) == 0
    task = RenewalTask.objects.get()
    assert (task.assigned_to, task.due_on) == (sales_ma, dt.date(2026, 12, 31))
    assert Notice.objects.filter(recipient=sales_ma, kind="renewal").exists()
    message = Message.objects.get(key=f"contract-notice:{contract.pk}")
    assert "2026-12-31" in message.body
    client.force_login(sales_ma)
    text = pdf_text(client.get(reverse("contracts:expiry_notice", args=[contract.pk])).content)
    assert "保养到期通知书" in text and contract.number in text and "2026年12月31日" in text


@pytest.mark.req("CON-02")
def test_renewal_makes_the_next_contract_linked_to_the_previous_one_and_closes_the_task(contract, sales_ma):
    contract_notice_sweep(dt.date(2026, 12, 1))
    renewed = contract_renew(actor=sales_ma, contract=contract)
    assert (renewed.previous, renewed.start_date, renewed.end_date) == (contract, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert list(renewed.equipment.all()) == list(contract.equipment.all()) and renewed.fee == contract.fee
    assert RenewalTask.objects.get().result == "renewed"
    with pytest.raises(ConflictError):
        contract_renew(actor=sales_ma, contract=contract)


def test_a_renewal_starting_before_the_old_contract_is_refused(contract, sales_ma):
    with pytest.raises(DomainError):
        contract_renew(actor=sales_ma, contract=contract, start_date=dt.date(2025, 6, 1), end_date=dt.date(2026, 6, 1))
    with pytest.raises(DomainError):
        contract_renew(actor=sales_ma, contract=contract, start_date=dt.date(2027, 1, 1), end_date=dt.date(2026, 12, 1))


def test_a_declined_renewal_needs_a_reason(contract, sales_ma):
    contract_notice_sweep(dt.date(2026, 12, 1))
    task = RenewalTask.objects.get()
    with pytest.raises(DomainError):
        renewal_declined(actor=sales_ma, task=task, note="")
    renewal_declined(actor=sales_ma, task=task, note="客户预算不足")
    task.refresh_from_db()
    assert task.result == "declined"


def test_a_contract_renewed_early_gets_no_notice_task(contract, sales_ma):
    contract_renew(actor=sales_ma, contract=contract)
    contract_notice_sweep(dt.date(2026, 12, 1))
    assert not RenewalTask.objects.exists()


@pytest.mark.req("CON-01")
def test_planned_visits_become_contract_calls_a_week_ahead_once(contract):
    plan = contract.planned_visits.order_by("planned_on").first()
    with time_machine.travel(at(2026, 1, 2, 9, 0), tick=False):
        assert contract_visit_sweep(plan.planned_on - dt.timedelta(days=8)) == 0
        assert contract_visit_sweep(plan.planned_on - dt.timedelta(days=7)) == 1
        assert contract_visit_sweep(plan.planned_on - dt.timedelta(days=6)) == 0
    plan.refresh_from_db()
    sr = plan.request
    assert (sr.channel, sr.category, sr.equipment) == ("contract", "B", plan.equipment)
    assert sr.requested_time == at(plan.planned_on.year, plan.planned_on.month, plan.planned_on.day, 9, 0)


def test_terminating_a_contract_cancels_its_remaining_visits(contract, sales_ma):
    with time_machine.travel(at(2026, 6, 1, 9, 0), tick=False):
        contract_terminate(actor=sales_ma, contract=contract, reason="客户设备报废")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED
    assert not contract.planned_visits.filter(planned_on__gt=dt.date(2026, 6, 1), cancelled=False).exists()


@pytest.mark.req("DISP-10")
def test_a_premium_contract_shortens_the_arrival_time_of_the_customers_calls(clerk_li, sales_ma, lathe):
    premium = SlaLevel.objects.create(code="premium", name="尊享", arrival_hours_urban=4, arrival_hours_suburban=5)
    contract_create(actor=sales_ma, customer=lathe.customer, equipment=[lathe], start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31),
                    sla_level=premium)
    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False):  # a Thursday morning
        sr = service_request_register(actor=clerk_li, data=RequestInput(customer=lathe.customer, equipment=lathe, contact_phone="13800138000",
                                                                         fault_description="异响"))
    assert sr.arrival_hours == 4


@pytest.mark.req("DISP-10")
def test_a_key_customers_sla_level_applies_without_a_contract(clerk_li, customer_acme):
    key = SlaLevel.objects.create(code="key", name="重点客户", arrival_hours_urban=5, arrival_hours_suburban=6)
    customer_acme.sla_level = key
    customer_acme.save()
    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False):
        sr = service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, contact_phone="13800138000", fault_description="异响"))
    assert sr.arrival_hours == 5


def test_a_slower_sla_level_never_lengthens_the_centres_promise(clerk_li, customer_acme):
    customer_acme.sla_level = SlaLevel.objects.create(code="slow", name="慢", arrival_hours_urban=24, arrival_hours_suburban=24)
    customer_acme.save()
    sr = service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, contact_phone="13800138000", fault_description="异响"))
    assert sr.arrival_hours == 6


def test_the_register_pages_show_the_contract_and_its_chain(client, contract, sales_ma, clerk_chen):
    renewed = contract_renew(actor=sales_ma, contract=contract)
    client.force_login(sales_ma)
    page = client.get(reverse("contracts:detail", args=[renewed.pk])).content.decode()
    assert contract.number in page and renewed.number in page
    client.force_login(clerk_chen)
    assert client.get(reverse("contracts:detail", args=[renewed.pk])).status_code == 404


def test_a_contract_is_registered_from_the_form(client, sales_ma, lathe):
    client.force_login(sales_ma)
    answer = client.post(reverse("contracts:create", args=[lathe.customer.pk]), {
        "equipment": [lathe.pk], "start_date": "2026-12-01", "end_date": "2027-11-30", "fee": "5800", "covers_labour": "on",
        "visits_per_year": "2"})
    assert answer.status_code == 302
    bad = client.post(reverse("contracts:create", args=[lathe.customer.pk]), {
        "equipment": [lathe.pk], "start_date": "2027-12-01", "end_date": "2027-11-30", "fee": "5800", "visits_per_year": "2"})
    assert "合同结束日期必须晚于开始日期" in bad.content.decode()
    assert MaintenanceContract.objects.count() == 1
