"""Process copies of the national calendar (and the rules) stay current: a change elsewhere arrives, a rolled-back
change never does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from aftersales.core.holidays.festivals import DayKind
from aftersales.core.models import CacheRevision, HolidayDay, HolidayYear
from aftersales.core.national import SNAPSHOT_NAME, national_calendar
from aftersales.core.snapshot import bump

pytestmark = pytest.mark.django_db
NEW_YEARS_EVE_2027 = dt.date(2027, 12, 31)


def another_process_adds_a_day_off() -> None:
    """What a web worker elsewhere does: new rows and a higher revision, without touching this process's copy."""
    year = HolidayYear.objects.create(year=2027)
    HolidayDay.objects.create(holiday_year=year, date=NEW_YEARS_EVE_2027, kind=DayKind.HOLIDAY, festival="other", basis="other")
    CacheRevision.objects.update_or_create(name=SNAPSHOT_NAME, defaults={"value": 99})


def test_a_change_made_by_another_process_arrives_after_the_check_interval(settings):
    settings.SNAPSHOT_CHECK_SECONDS = 0
    assert national_calendar().day_status(NEW_YEARS_EVE_2027)[0] is True
    another_process_adds_a_day_off()
    assert national_calendar().day_status(NEW_YEARS_EVE_2027)[0] is False


def test_without_a_check_interval_the_copy_is_kept_until_this_process_changes_it(settings):
    settings.SNAPSHOT_CHECK_SECONDS = None
    assert national_calendar().day_status(NEW_YEARS_EVE_2027)[0] is True
    another_process_adds_a_day_off()
    assert national_calendar().day_status(NEW_YEARS_EVE_2027)[0] is True
    bump(SNAPSHOT_NAME)
    assert national_calendar().day_status(NEW_YEARS_EVE_2027)[0] is False


def test_a_change_rolled_back_is_never_seen(settings):
    settings.SNAPSHOT_CHECK_SECONDS = None
    national_calendar()
    with pytest.raises(RuntimeError), transaction.atomic():
        year = HolidayYear.objects.create(year=2027)
        HolidayDay.objects.create(holiday_year=year, date=NEW_YEARS_EVE_2027, kind=DayKind.HOLIDAY, festival="other", basis="other")
        bump(SNAPSHOT_NAME)
        assert national_calendar().day_status(NEW_YEARS_EVE_2027)[0] is False  # inside the change it is seen
        raise RuntimeError("the change fails")
    assert national_calendar().day_status(NEW_YEARS_EVE_2027)[0] is True


def test_loading_the_calendar_takes_three_queries_and_reading_it_none(django_assert_num_queries, settings):
    settings.SNAPSHOT_CHECK_SECONDS = None
    with django_assert_num_queries(3):  # the revision, the years, the days
        national_calendar()
    with django_assert_num_queries(0):
        for day in range(365):
            national_calendar().day_status(dt.date(2026, 1, 1) + dt.timedelta(days=day))
