"""CMP-11 deadlines on the working calendar: calendar days, moved off a day off by rule, kept as registered."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from aftersales.complaints.models import CaseEvent, StepCode
from aftersales.complaints.policies import DEADLINE_MOVES
from aftersales.complaints.services import complaint_register
from aftersales.complaints.tests.conftest import quality_input
from aftersales.configuration.services import rule_set
from aftersales.testing import factories as f
from aftersales.testing.calendar import confirm_2027
from conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_an(db):
    return f.staff("admin_an", "administrator", None)


@pytest.mark.req("CMP-11")
def test_a_case_registered_on_10_february_2026_is_not_due_on_the_last_day_of_the_spring_festival(team, customer_acme):
    with time_machine.travel(at(2026, 2, 10, 9, 0), tick=False):
        case = complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme))
    # 13 days later is Monday 23 February, the last day of the holiday: the case is due at the close of the 24th.
    assert case.due_at == at(2026, 2, 24, 17, 30) == case.steps.order_by("position").last().due_at


@pytest.mark.req("CMP-11")
def test_with_the_rule_switched_off_the_deadline_is_thirteen_calendar_days_whatever_the_day(team, customer_acme, admin_an):
    rule_set(actor=admin_an, key=DEADLINE_MOVES, value=False, reason="总经办决定按日历日计算")
    with time_machine.travel(at(2026, 2, 10, 9, 0), tick=False):
        case = complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme))
    assert case.due_at == at(2026, 2, 23, 9, 0) and case.deadline_moves_to_working_day is False


def test_a_step_whose_share_ends_on_a_weekend_is_due_at_the_close_of_the_next_working_day(team, customer_acme):
    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False):  # Thursday: QA's 3 days end on Sunday
        case = complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme))
    assert case.steps.get(code=StepCode.QUALITY).due_at == at(2026, 11, 30, 17, 30)


@pytest.mark.req("CMP-11")
def test_confirming_2027_moves_an_open_cases_deadline_and_says_so_on_its_timeline(team, customer_acme, admin_an):
    with time_machine.travel(at(2027, 1, 27, 9, 0), tick=False):
        case = complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme))
    # 9 February 2027 is a predicted day off (owed for the Spring Festival weekend); the prediction ends on the 10th.
    assert case.due_at == at(2027, 2, 11, 17, 30)
    with time_machine.travel(at(2027, 1, 28, 10, 0), tick=False):
        confirm_2027(admin_an)  # the notice gives 5–12 February off
    case.refresh_from_db()
    assert case.due_at == at(2027, 2, 15, 17, 30)
    event = CaseEvent.objects.get(case=case, kind="deadline_moved")
    assert "2027-02-11 17:30" in event.note and "2027-02-15 17:30" in event.note and event.actor == admin_an


def test_a_case_keeps_the_rule_it_was_registered_under(team, customer_acme, admin_an):
    with time_machine.travel(at(2027, 1, 27, 9, 0), tick=False):
        case = complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme))
        rule_set(actor=admin_an, key=DEADLINE_MOVES, value=False, reason="改按日历日")
        confirm_2027(admin_an)
    case.refresh_from_db()
    assert case.deadline_moves_to_working_day is True and case.due_at == at(2027, 2, 15, 17, 30)


def test_a_case_counting_calendar_days_does_not_move_when_the_calendar_changes(team, customer_acme, admin_an):
    rule_set(actor=admin_an, key=DEADLINE_MOVES, value=False, reason="按日历日")
    with time_machine.travel(at(2027, 1, 27, 9, 0), tick=False):
        case = complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme))
        confirm_2027(admin_an)
    case.refresh_from_db()
    assert case.due_at == at(2027, 2, 9, 9, 0) and not CaseEvent.objects.filter(case=case).exists()
    assert dt.timedelta(days=13) == case.due_at - case.accepted_at
