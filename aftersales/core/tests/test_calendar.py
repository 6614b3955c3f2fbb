"""WorkCalendar: working intervals, the national calendar's holidays and 调休, overrides, predicted years."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.core.calendar import DayOverride, WorkCalendar, parse_intervals
from aftersales.core.errors import DomainError
from conftest import at

HOURS = parse_intervals("08:30-12:00,13:30-17:30")
# The national calendar is data (migration 0003 imports 2004–2026); every test here reads it.
pytestmark = pytest.mark.django_db


def calendar(**overrides) -> WorkCalendar:
    return WorkCalendar(intervals=HOURS, overrides=overrides.get("overrides", {}))


@pytest.mark.req("DISP-02")
def test_a_call_at_16_00_before_national_day_2026_is_due_after_the_holiday():
    deadline = calendar().add_working_hours(at(2026, 9, 30, 16, 0), 6)
    assert deadline.at == at(2026, 10, 8, 14, 30)
    assert deadline.confirmed


@pytest.mark.req("DISP-02")
def test_the_suburban_allowance_of_seven_hours_ends_an_hour_later():
    assert calendar().add_working_hours(at(2026, 9, 30, 16, 0), 7).at == at(2026, 10, 8, 15, 30)


@pytest.mark.req("DISP-02")
def test_national_day_2025_also_moves_the_deadline_past_the_eight_day_holiday():
    assert calendar().add_working_hours(at(2025, 9, 30, 16, 0), 6).at == at(2025, 10, 9, 14, 30)


def test_a_make_up_working_sunday_counts_as_a_working_day():
    # 2026-09-20 is a Sunday worked in exchange for National Day (调休).
    assert calendar().add_working_hours(at(2026, 9, 19, 10, 0), 1).at == at(2026, 9, 20, 9, 30)


def test_the_lunch_break_does_not_count():
    assert calendar().add_working_hours(at(2026, 11, 25, 11, 0), 2).at == at(2026, 11, 25, 14, 30)


def test_an_ordinary_weekend_is_skipped():
    # Friday 2026-11-27 16:30 + 2h → Monday 2026-11-30 09:30
    assert calendar().add_working_hours(at(2026, 11, 27, 16, 30), 2).at == at(2026, 11, 30, 9, 30)


def test_a_predicted_year_counts_monday_to_friday_outside_its_statutory_days_and_is_unconfirmed():
    deadline = calendar().add_working_hours(at(2027, 1, 8, 16, 0), 6)  # Friday
    assert deadline.at == at(2027, 1, 11, 14, 30)  # Monday
    assert deadline.confirmed is False


@pytest.mark.req("DISP-02")
def test_a_call_on_new_years_eve_2026_is_due_on_monday_4_january_2027_and_flagged_unconfirmed():
    # 2027-01-01 is New Year's Day by the statute, even before the State Council's notice for 2027.
    deadline = calendar().add_working_hours(at(2026, 12, 31, 16, 0), 6)
    assert deadline.at == at(2027, 1, 4, 14, 30)
    assert deadline.confirmed is False


def test_a_deadline_inside_a_confirmed_year_is_confirmed_even_when_the_next_year_is_not():
    assert calendar().add_working_hours(at(2026, 12, 30, 9, 0), 6).confirmed is True


@pytest.mark.req("DISP-02")
def test_national_day_2027_is_a_day_off_before_any_notice():
    # Thursday 30 September 2027, 16:00: 1–3 October are statutory, 4–5 October are owed for the weekend (补假).
    deadline = calendar().add_working_hours(at(2027, 9, 30, 16, 0), 6)
    assert deadline.at == at(2027, 10, 6, 14, 30) and deadline.confirmed is False


def test_an_administrators_override_wins_over_the_statutory_calendar():
    company_day_off = {dt.date(2026, 11, 26): DayOverride(is_working=False)}
    deadline = calendar(overrides=company_day_off).add_working_hours(at(2026, 11, 25, 17, 0), 1)
    assert deadline.at == at(2026, 11, 27, 9, 0)


def test_an_override_can_give_a_day_its_own_hours():
    short_day = {dt.date(2026, 11, 25): DayOverride(is_working=True, intervals=parse_intervals("09:00-10:00"))}
    assert calendar(overrides=short_day).add_working_hours(at(2026, 11, 25, 9, 0), 2).at == at(2026, 11, 26, 9, 30)


def test_working_time_between_counts_only_working_intervals():
    assert calendar().working_time_between(at(2026, 9, 30, 16, 0), at(2026, 10, 8, 14, 30)) == dt.timedelta(hours=6)


@pytest.mark.parametrize("text", ["8:30-12", "12:00-08:00", "08:00-12:00,11:00-13:00", "abc"])
def test_malformed_working_hours_are_refused_with_a_message(text):
    with pytest.raises(DomainError) as exc:
        parse_intervals(text)
    assert exc.value.messages[0]


moments = st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2028, 12, 20)).map(
    lambda d: d.replace(tzinfo=at(2026, 1, 1).tzinfo, second=0, microsecond=0)
)
amounts = st.integers(min_value=0, max_value=60 * 40).map(lambda m: dt.timedelta(minutes=m))


@settings(max_examples=150, deadline=None)
@given(start=moments, amount=amounts)
def test_adding_working_time_then_measuring_it_gives_the_same_amount(start, amount):
    cal = calendar()
    due = cal.add_working_time(start, amount).at
    assert due >= start
    assert cal.working_time_between(start, due) == amount


@settings(max_examples=100, deadline=None)
@given(start=moments, a=amounts, b=amounts)
def test_more_working_time_never_gives_an_earlier_deadline(start, a, b):
    cal = calendar()
    small, large = sorted([a, b])
    assert cal.add_working_time(start, small).at <= cal.add_working_time(start, large).at


@settings(max_examples=100, deadline=None)
@given(start=moments, amount=amounts.filter(lambda a: a > dt.timedelta(0)))
def test_a_deadline_always_falls_inside_working_time(start, amount):
    cal = calendar()
    due = cal.add_working_time(start, amount).at
    intervals, _ = cal.working_intervals(timezone.localdate(due))
    assert any(begin < due <= end for begin, end in intervals)


@pytest.mark.req("DISP-06")
def test_three_working_days_from_a_monday_end_at_the_close_of_thursday():
    due = calendar().add_working_days(at(2026, 11, 23, 17, 0), 3)
    assert due.at == at(2026, 11, 26, 17, 30) and due.confirmed


@pytest.mark.req("DISP-06")
def test_working_days_skip_the_national_day_holiday_and_count_the_make_up_saturday():
    # Taken in on Wednesday 30 September 2026; 1–7 October are holidays and Saturday 10 October
    # is a make-up working day (调休), so the three working days are 8, 9 and 10 October.
    assert calendar().add_working_days(at(2026, 9, 30, 10, 0), 3).at == at(2026, 10, 10, 17, 30)


@pytest.mark.req("DISP-06")
def test_items_taken_in_on_30_december_2026_are_promised_back_on_5_january_2027():
    # 31 December, then 4 and 5 January: New Year's Day 2027 is a statutory day off.
    due = calendar().add_working_days(at(2026, 12, 30, 15, 0), 3)
    assert due.at == at(2027, 1, 5, 17, 30) and due.confirmed is False


def test_the_next_working_day_of_a_holiday_is_the_first_day_back():
    assert calendar().next_working_day(dt.date(2026, 10, 3)) == dt.date(2026, 10, 8)
    assert calendar().next_working_day(dt.date(2026, 10, 10)) == dt.date(2026, 10, 10)  # a make-up Saturday


def test_the_calendar_benchmark_prints_its_figures_next_to_its_baselines():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("bench_calendar", count=2000, stdout=out)
    text = out.getvalue()
    assert "baseline: wall clock" in text and "the holiday package asked per day" in text and "target ≥ 100,000 per second" in text
