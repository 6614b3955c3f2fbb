"""Greetings and reminders (VIS-06, VIS-07): on time, once, never to a customer who opted out, never at night."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from aftersales.care.models import Holiday, ReminderRule
from aftersales.care.services import reminder_sweep
from aftersales.customers.services import customer_update
from aftersales.notifications.models import Message, MessageStatus
from aftersales.testing import factories as f
from conftest import at

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


def only(kind: str) -> None:
    ReminderRule.objects.exclude(kind=kind).update(active=False)


@pytest.mark.req("VIS-06")
def test_a_birthday_greeting_goes_three_days_before_and_only_once(shanghai, clerk_li):
    only("birthday")
    wang = f.customer(name="王先生", center=shanghai, kind="person", birthday=dt.date(1980, 11, 29))
    f.customer(name="李女士", center=shanghai, kind="person", birthday=dt.date(1985, 12, 25))
    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False):
        assert reminder_sweep(TODAY) == 1
        assert reminder_sweep(TODAY) == 0
        assert reminder_sweep(TODAY + dt.timedelta(days=1)) == 0  # the catch-up sees the same birthday: already greeted
    message = Message.objects.get()
    assert message.to_customer == wang and "生日快乐" in message.body and message.purpose == "care"


@pytest.mark.req("VIS-06")
def test_a_missed_day_is_caught_up_but_never_after_the_birthday(shanghai):
    only("birthday")
    f.customer(name="王先生", center=shanghai, kind="person", birthday=dt.date(1980, 11, 28))
    f.customer(name="赵先生", center=shanghai, kind="person", birthday=dt.date(1980, 11, 26))
    reminder_sweep(TODAY)  # the sweeper was down on the 25th: 王 (28th) is greeted a day late, 赵 (today) not at all
    assert [m.to_customer.name for m in Message.objects.all()] == ["王先生"]


@pytest.mark.req("VIS-06")
def test_holiday_greetings_go_to_every_customer(shanghai, customer_acme):
    only("holiday")
    Holiday.objects.create(name="测试节", date=TODAY + dt.timedelta(days=2))
    f.customer(name="王先生", center=shanghai)
    assert reminder_sweep(TODAY) == 2
    assert all("测试节" in m.body for m in Message.objects.all())


@pytest.mark.req("VIS-06")
@pytest.mark.parametrize(("festival", "day"), [("中秋节", dt.date(2027, 9, 15)), ("春节", dt.date(2028, 1, 26)), ("中秋节", dt.date(2028, 10, 3)),
                                               ("国庆节", dt.date(2030, 10, 1))])
def test_the_festivals_are_greeted_on_their_own_day_every_year_without_anyone_typing_dates(customer_acme, festival, day):
    only("holiday")
    assert reminder_sweep(day - dt.timedelta(days=2)) == 1
    assert festival in Message.objects.get().body


@pytest.mark.req("VIS-07")
def test_inspection_and_insurance_are_reminded_a_week_before(customer_acme, lathe_model):
    only("inspection")
    ReminderRule.objects.filter(kind="insurance").update(active=True)
    car = f.equipment(customer=customer_acme, model=lathe_model)
    car.inspection_due = TODAY + dt.timedelta(days=7)
    car.insurance_due = TODAY + dt.timedelta(days=7)
    car.save()
    assert reminder_sweep(TODAY) == 2
    assert {m.subject for m in Message.objects.all()} == {"年检到期", "保险续保到期"}


@pytest.mark.req("VIS-07")
def test_the_end_of_the_warranty_is_announced_a_month_ahead(customer_acme, lathe_model):
    only("warranty")
    unit = f.equipment(customer=customer_acme, model=lathe_model, sold=dt.date(2025, 12, 27))  # 12 months from install → ends 2026-12-26
    assert unit.warranty_status(TODAY).unit_until == dt.date(2026, 12, 26)
    assert reminder_sweep(TODAY) == 1
    assert unit.serial_no in Message.objects.get().body


@pytest.mark.req("VIS-07")
def test_maintenance_due_under_a_contract_is_reminded_a_week_before(customer_acme, lathe):
    only("maintenance")
    contract = f.contract(customer=customer_acme, units=[lathe], start=dt.date(2026, 6, 1), end=dt.date(2027, 5, 31), visits_per_year=2)
    plan = contract.planned_visits.first()
    assert reminder_sweep(plan.planned_on - dt.timedelta(days=7)) == 1
    assert plan.planned_on.strftime("%Y-%m-%d") in Message.objects.get().body


def test_a_customer_who_opted_out_gets_no_reminder_and_the_outbox_says_why(client, shanghai, clerk_li, manager_zhou):
    only("birthday")
    wang = f.customer(name="王先生", center=shanghai, kind="person", birthday=dt.date(1980, 11, 29))
    customer_update(actor=clerk_li, customer=wang, opt_out_reminders=True)
    reminder_sweep(TODAY)
    message = Message.objects.get()
    assert (message.status, message.held_reason) == (MessageStatus.SUPPRESSED, "opted_out")
    client.force_login(manager_zhou)
    assert "客户已退订问候和提醒" in client.get(reverse("care:reminders")).content.decode()


@pytest.mark.req("VIS-11")
def test_reminders_made_at_night_wait_for_the_morning(shanghai):
    only("birthday")
    f.customer(name="王先生", center=shanghai, kind="person", birthday=dt.date(1980, 11, 29))
    with time_machine.travel(at(2026, 11, 26, 0, 33), tick=False):
        reminder_sweep(TODAY)
    assert Message.objects.get().next_attempt_at == at(2026, 11, 26, 8, 0)


def test_an_unknown_placeholder_is_refused_when_the_rule_is_saved():
    from django.core.exceptions import ValidationError

    rule = ReminderRule.objects.get(kind="birthday")
    rule.text = "{customer} 生日快乐 {oops}"
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert "{oops}" in str(exc.value)


def test_a_bad_placeholder_already_stored_never_reaches_the_customer_as_braces(shanghai):
    only("birthday")
    ReminderRule.objects.filter(kind="birthday").update(text="{customer} 生日快乐{oops}")
    f.customer(name="王先生", center=shanghai, kind="person", birthday=dt.date(1980, 11, 29))
    assert reminder_sweep(TODAY) == 1
    assert Message.objects.get().body == "王先生 生日快乐"
