"""The SLA sweeper: breaches flagged once, carry-over to the next day (DISP-02, DISP-03, DISP-05)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from aftersales.servicedesk.models import RequestEvent
from aftersales.servicedesk.selectors import open_queue
from aftersales.servicedesk.services import RequestInput, SweepResult, service_request_register, sla_sweep
from conftest import at


def call_at(actor, customer, moment, **fields):
    with time_machine.travel(moment, tick=False):
        return service_request_register(actor=actor, data=RequestInput(
            customer=customer, contact_phone="13800138000", fault_description="漏油", received_at=moment, **fields))


@pytest.mark.req("DISP-02")
def test_an_arrival_breach_is_flagged_once_however_often_the_sweeper_runs(clerk_li, customer_acme):
    sr = call_at(clerk_li, customer_acme, at(2026, 11, 23, 9, 0))
    assert sla_sweep(now=sr.arrival_due_at - dt.timedelta(minutes=1)).arrival_breaches == 0
    assert sla_sweep(now=sr.arrival_due_at).arrival_breaches == 1
    assert sla_sweep(now=sr.arrival_due_at + dt.timedelta(hours=1)).arrival_breaches == 0
    sr.refresh_from_db()
    assert sr.arrival_breached_at == sr.arrival_due_at
    assert RequestEvent.objects.filter(request=sr, kind="arrival_breached").count() == 1


@pytest.mark.req("DISP-05")
def test_a_missed_contact_deadline_is_flagged(clerk_li, customer_acme):
    sr = call_at(clerk_li, customer_acme, at(2026, 11, 23, 9, 0))
    result = sla_sweep(now=at(2026, 11, 24, 9, 0))
    assert result.contact_breaches == 1
    sr.refresh_from_db()
    assert sr.contact_breached_at is not None


@pytest.mark.req("DISP-03")
def test_a_call_not_dispatched_by_the_end_of_the_day_carries_over_and_sorts_first(clerk_li, supervisor_wang, customer_acme):
    yesterday = call_at(clerk_li, customer_acme, at(2026, 11, 23, 16, 0))
    today = call_at(clerk_li, customer_acme, at(2026, 11, 24, 8, 40), zone="urban")
    assert yesterday.carry_over_at == at(2026, 11, 23, 17, 30)
    assert sla_sweep(now=at(2026, 11, 24, 8, 45)).carried_over == 1
    assert list(open_queue(user=supervisor_wang)) == [yesterday, today]
    assert RequestEvent.objects.filter(request=yesterday, kind="carried_over").count() == 1


@pytest.mark.req("DISP-03")
def test_a_call_after_hours_carries_over_at_the_end_of_the_next_working_day(clerk_li, customer_acme):
    friday_evening = call_at(clerk_li, customer_acme, at(2026, 11, 27, 19, 0))
    assert friday_evening.carry_over_at == at(2026, 11, 30, 17, 30)


def test_cancelled_calls_are_not_flagged(clerk_li, customer_acme):
    from aftersales.servicedesk.services import service_request_cancel

    sr = call_at(clerk_li, customer_acme, at(2026, 11, 23, 9, 0))
    service_request_cancel(actor=clerk_li, request=sr, reason="重复登记")
    assert sla_sweep(now=at(2026, 12, 10, 9, 0)) == SweepResult(arrival_breaches=0, contact_breaches=0, carried_over=0)


def test_the_periodic_task_runs_the_sweeper(clerk_li, customer_acme):
    from aftersales.servicedesk.tasks import sweep_sla_deadlines

    sr = call_at(clerk_li, customer_acme, at(2026, 11, 23, 9, 0))
    with time_machine.travel(at(2026, 11, 25, 9, 0), tick=False):
        sweep_sla_deadlines.call_local()
    sr.refresh_from_db()
    assert sr.arrival_breached_at is not None and sr.carried_over
