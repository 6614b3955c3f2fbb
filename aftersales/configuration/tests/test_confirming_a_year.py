"""Confirming a year of the working calendar recomputes every open deadline and planned date that depends on it.

The story: on 2026-12-31 and in early February 2027 the desk works with the *predicted* 2027 calendar (statutory
days only, every deadline across it flagged unconfirmed). Then the service department pastes the State Council's
2027 notice and confirms it: the Spring Festival is longer than the statute alone, so some deadlines move; every
record that moved says so on its timeline; a maintenance visit planned on National Day moves and its owner is told.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from aftersales.accounts.models import CalendarOverride
from aftersales.care.models import ReminderRule
from aftersales.care.services import reminder_sweep
from aftersales.contracts.models import ContractEvent, PlannedVisit
from aftersales.core.holidays.changes import CalendarChange, calendar_changed
from aftersales.dailyreports.models import ReportEvent
from aftersales.dailyreports.services import technician_report_open
from aftersales.notifications.models import Message, MessageStatus, Notice
from aftersales.servicedesk.models import RequestEvent
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from aftersales.testing.calendar import confirm_2027
from aftersales.testing.signatures import SIGNED
from aftersales.workorders import services as wo
from aftersales.workorders.models import WorkOrderEvent
from conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_an(db):
    return f.staff("admin_an", "administrator", None)


def register(clerk, lathe, when: dt.datetime):
    with time_machine.travel(when, tick=False):
        return service_request_register(actor=clerk, data=RequestInput(
            customer=lathe.customer, equipment=lathe, contact_phone="13800138000", contact_name="王工", fault_description="主轴异响"))


@pytest.mark.req("DISP-02")
def test_a_call_on_new_years_eve_is_due_on_4_january_unconfirmed_until_2027_is_confirmed(clerk_li, lathe, admin_an):
    call = register(clerk_li, lathe, at(2026, 12, 31, 16, 0))
    assert call.arrival_due_at == at(2027, 1, 4, 14, 30) and call.arrival_due_confirmed is False
    with time_machine.travel(at(2027, 1, 2, 10, 0), tick=False):
        confirm_2027(admin_an)
    call.refresh_from_db()
    assert call.arrival_due_at == at(2027, 1, 4, 14, 30) and call.arrival_due_confirmed is True
    assert not RequestEvent.objects.filter(request=call, kind="deadline_moved").exists()  # it did not move


@pytest.mark.req("DISP-02")
def test_a_call_before_the_spring_festival_moves_when_the_notice_gives_two_more_days_off(clerk_li, lathe, admin_an):
    call = register(clerk_li, lathe, at(2027, 2, 4, 16, 0))
    assert call.arrival_due_at == at(2027, 2, 11, 14, 30)  # predicted: 5–10 February off
    with time_machine.travel(at(2027, 2, 4, 17, 0), tick=False):
        _year, change = confirm_2027(admin_an)
    call.refresh_from_db()
    assert call.arrival_due_at == at(2027, 2, 15, 14, 30) and call.arrival_due_confirmed
    event = RequestEvent.objects.get(request=call, kind="deadline_moved")
    assert "2027-02-11 14:30" in event.note and "2027-02-15 14:30" in event.note and event.actor == admin_an
    assert call.number in [m.record for m in change.moved]


def test_a_breach_flagged_on_a_day_that_turns_out_to_be_a_holiday_is_withdrawn(clerk_li, lathe, admin_an):
    from aftersales.servicedesk.services.sweep import sla_sweep

    call = register(clerk_li, lathe, at(2027, 2, 4, 16, 0))
    with time_machine.travel(at(2027, 2, 11, 15, 0), tick=False):  # past the predicted deadline: flagged
        sla_sweep()
        call.refresh_from_db()
        assert call.arrival_breached_at is not None
        confirm_2027(admin_an)  # the 11th is a day off after all
    call.refresh_from_db()
    assert call.arrival_breached_at is None and call.arrival_due_at == at(2027, 2, 15, 14, 30)


@pytest.mark.req("DISP-06")
def test_an_item_in_the_workshop_is_promised_back_after_the_confirmed_holiday(clerk_li, supervisor_wang, tech_zhang, lathe, admin_an):
    call = register(clerk_li, lathe, at(2027, 2, 2, 9, 0))
    order = wo.work_order_assign(actor=supervisor_wang, request=call, technician=tech_zhang, now=at(2027, 2, 2, 9, 10))
    wo.work_order_check_in(actor=tech_zhang, work_order=order, now=at(2027, 2, 3, 9, 0))
    wo.work_order_take_back(actor=tech_zhang, work_order=order, condition="外壳完好", work_done="带回检修", signature=SIGNED, signer_name="王工",
                            now=at(2027, 2, 3, 10, 0))
    order.refresh_from_db()
    assert order.promised_return_at == at(2027, 2, 12, 17, 30) and order.return_working_days == 3  # 4, 11, 12 February
    with time_machine.travel(at(2027, 2, 3, 11, 0), tick=False):
        confirm_2027(admin_an)
    order.refresh_from_db()
    assert order.promised_return_at == at(2027, 2, 16, 17, 30) and order.promised_return_confirmed  # 4, 15, 16 February
    assert WorkOrderEvent.objects.filter(work_order=order, kind="deadline_moved").count() == 1


def test_a_draft_daily_report_is_due_after_the_confirmed_holiday(tech_zhang, admin_an):
    with time_machine.travel(at(2027, 2, 4, 18, 0), tick=False):
        report = technician_report_open(actor=tech_zhang, day=dt.date(2027, 2, 4))
    assert report.due_at == at(2027, 2, 11, 9, 30)
    with time_machine.travel(at(2027, 2, 4, 19, 0), tick=False):
        confirm_2027(admin_an)
    report.refresh_from_db()
    assert report.due_at == at(2027, 2, 15, 9, 30)
    assert ReportEvent.objects.filter(technician_report=report, kind="deadline_moved").exists()


@pytest.mark.req("DISP-10")
def test_confirming_2027_moves_a_visit_planned_on_national_day_tells_its_owner_and_re_dates_the_reminder(client, customer_acme, lathe, admin_an,
                                                                                                        shanghai):
    sales_ma = f.staff("sales_ma", "sales", shanghai)
    contract = f.contract(customer=customer_acme, units=[lathe], start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31), salesperson=sales_ma,
                          visits_per_year=0)
    # Planned before this calendar existed (Monday to Friday): on 1 October.
    visit = PlannedVisit.objects.create(contract=contract, equipment=lathe, planned_on=dt.date(2027, 10, 1))
    ReminderRule.objects.filter(kind="maintenance").update(active=True)
    reminder_sweep(dt.date(2027, 9, 24))  # the customer was reminded a week ahead
    reminder = Message.objects.get(key=f"reminder:maintenance:{visit.pk}")
    Message.objects.filter(pk=reminder.pk).update(status=MessageStatus.SENT)
    with time_machine.travel(at(2027, 9, 25, 10, 0), tick=False):
        confirm_2027(admin_an)
    visit.refresh_from_db()
    assert visit.planned_on == dt.date(2027, 10, 8)  # 1–7 October off; the 8th is a Friday
    event = ContractEvent.objects.get(contract=contract, kind="visit_moved")
    assert "2027-10-01" in event.note and "2027-10-08" in event.note
    assert Notice.objects.filter(recipient=sales_ma, kind="contract_visit_moved").exists()
    correction = Message.objects.get(key=f"reminder:maintenance:{visit.pk}:moved:20271008")
    assert "2027-10-08" in correction.body and correction.to_customer == customer_acme
    client.force_login(sales_ma)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'data-kind="visit_moved"' in page and "2027-10-08" in page


def test_a_reminder_still_in_the_outbox_simply_gets_the_new_date(customer_acme, lathe, admin_an):
    contract = f.contract(customer=customer_acme, units=[lathe], start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31), visits_per_year=0)
    visit = PlannedVisit.objects.create(contract=contract, equipment=lathe, planned_on=dt.date(2027, 10, 1))
    ReminderRule.objects.filter(kind="maintenance").update(active=True)
    reminder_sweep(dt.date(2027, 9, 24))
    with time_machine.travel(at(2027, 9, 24, 22, 0), tick=False):  # held overnight by the quiet hours
        confirm_2027(admin_an)
    body = Message.objects.get(key=f"reminder:maintenance:{visit.pk}").body
    assert "2027-10-08" in body and "2027-10-01" not in body
    assert not Message.objects.filter(key__startswith=f"reminder:maintenance:{visit.pk}:moved").exists()


def test_running_the_recomputation_again_changes_nothing(clerk_li, lathe, admin_an):
    call = register(clerk_li, lathe, at(2027, 2, 4, 16, 0))
    with time_machine.travel(at(2027, 2, 4, 17, 0), tick=False):
        confirm_2027(admin_an)
        again = calendar_changed(CalendarChange(start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31), reason="again", actor=admin_an))
    assert again.moved == []
    assert RequestEvent.objects.filter(request=call, kind="deadline_moved").count() == 1


def test_a_centres_own_day_off_entered_in_the_admin_moves_its_calls_only(client, admin_user, clerk_li, clerk_chen, lathe, customer_wujiang,
                                                                         lathe_model):
    shanghai_call = register(clerk_li, lathe, at(2026, 12, 8, 16, 0))  # Tuesday: due Wednesday 14:30
    suzhou_unit = f.equipment(customer=customer_wujiang, model=lathe_model, serial="WJ-0001", sold=dt.date(2026, 9, 1))
    suzhou_call = register(clerk_chen, suzhou_unit, at(2026, 12, 8, 16, 0))
    assert (shanghai_call.arrival_due_at, suzhou_call.arrival_due_at) == (at(2026, 12, 9, 14, 30), at(2026, 12, 9, 15, 30))  # urban 6 h, suburban 7 h
    with time_machine.travel(at(2026, 12, 8, 17, 0), tick=False):
        client.force_login(admin_user)
        response = client.post(reverse("admin:accounts_calendaroverride_add"), {
            "date": "2026-12-09", "service_center": lathe.customer.service_center_id, "is_working": "", "hours": "", "note": "盘点停工"})
    assert response.status_code == 302 and CalendarOverride.objects.filter(date=dt.date(2026, 12, 9)).exists()
    shanghai_call.refresh_from_db()
    suzhou_call.refresh_from_db()
    assert shanghai_call.arrival_due_at == at(2026, 12, 10, 14, 30)
    assert suzhou_call.arrival_due_at == at(2026, 12, 9, 15, 30)
    assert RequestEvent.objects.filter(request=shanghai_call, kind="deadline_moved").exists()


@pytest.mark.req("DISP-10")
def test_a_2027_contract_plans_no_visit_on_a_predicted_holiday_and_shows_its_dates_as_provisional(client, customer_acme, lathe, shanghai):
    sales_ma = f.staff("sales_ma", "sales", shanghai)
    contract = f.contract(customer=customer_acme, units=[lathe], start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31), visits_per_year=2,
                          salesperson=sales_ma)
    days = sorted(contract.planned_visits.values_list("planned_on", flat=True))
    assert dt.date(2027, 10, 1) not in days and days[-1] == dt.date(2027, 10, 6)  # 1–5 October are predicted days off
    client.force_login(sales_ma)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert page.count("暂定") == 2


def test_a_call_registered_by_a_process_still_holding_the_old_calendar_is_caught_up_by_the_sweeper(clerk_li, lathe, admin_an):
    from unittest import mock

    from aftersales.core.holidays.services import holiday_reconcile_sweep
    from aftersales.core.national import national_calendar

    predicted = national_calendar()  # what a web worker elsewhere still holds for a moment after the confirmation
    with time_machine.travel(at(2027, 2, 4, 16, 0), tick=False):
        confirm_2027(admin_an)
        with mock.patch("aftersales.core.calendar.national_calendar", return_value=predicted):
            call = register(clerk_li, lathe, at(2027, 2, 4, 16, 0))
    assert (call.arrival_due_at, call.arrival_due_confirmed) == (at(2027, 2, 11, 14, 30), False)
    with time_machine.travel(at(2027, 2, 4, 16, 5), tick=False):
        assert holiday_reconcile_sweep() == 1
        assert holiday_reconcile_sweep() == 0  # idempotent
    call.refresh_from_db()
    assert (call.arrival_due_at, call.arrival_due_confirmed) == (at(2027, 2, 15, 14, 30), True)
    with time_machine.travel(at(2027, 2, 4, 18, 0), tick=False):  # an hour after the change it stops looking
        assert holiday_reconcile_sweep() == 0


def test_unconfirmed_complaint_and_report_deadlines_become_confirmed_with_the_year(manager_zhou, customer_acme, tech_zhang, admin_an):
    from aftersales.complaints.services import complaint_register
    from aftersales.complaints.tests.conftest import quality_input

    with time_machine.travel(at(2026, 12, 30, 9, 0), tick=False):
        case = complaint_register(actor=manager_zhou, data=quality_input(customer=customer_acme))  # due 2027-01-12
    with time_machine.travel(at(2026, 12, 31, 18, 0), tick=False):
        report = technician_report_open(actor=tech_zhang, day=dt.date(2026, 12, 31))  # due 2027-01-04
    assert (case.due_confirmed, report.due_confirmed) == (False, False)
    with time_machine.travel(at(2027, 1, 2, 10, 0), tick=False):
        confirm_2027(admin_an)
    case.refresh_from_db()
    report.refresh_from_db()
    assert (case.due_confirmed, report.due_confirmed) == (True, True)
    assert case.steps.filter(due_confirmed=False).count() == 0
