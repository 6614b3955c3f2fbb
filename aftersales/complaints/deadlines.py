"""CMP-11: a complaint is closed within 13 calendar days (17 abroad) of its acceptance, and each step has its share.

The seed counts calendar days, and so do we. But a period whose last day is not a working day ends at the close of
the next working day — as the Civil Code does for periods (第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日)
— so a case registered on 2026-02-10 is not due on the last day of the Spring Festival. That is the rule
``complaints.deadline_moves_to_working_day`` (on by default); a case keeps the choice it was registered under.

The steps' days (routing data, adding up to 13) are a share of the whole period: a foreign case's steps are scaled
to its 17 days, so its last step ends with the case and not at day 13.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone

from aftersales.core.calendar import Deadline, WorkCalendar


def period_end(*, start: dt.datetime, days: int, calendar: WorkCalendar, move_to_working_day: bool) -> Deadline:
    """``start`` + ``days`` calendar days; when the last day is a day off and the rule says so, the close of the next
    working day instead. Unconfirmed when the days that decide it (the last day, and those up to the next working
    day) lie in a year whose holidays are not confirmed; counting plain calendar days is always confirmed."""
    due = start + dt.timedelta(days=days)
    if not move_to_working_day:
        return Deadline(due)
    day = timezone.localtime(due, calendar.tz).date()
    working, confirmed = calendar.day_status(day)
    if working:
        return Deadline(due, confirmed)
    back = calendar.next_working_day(day)
    while day < back:
        day += dt.timedelta(days=1)
        confirmed = confirmed and calendar.day_status(day)[1]
    return Deadline(calendar.close_of_business(back), confirmed)


def step_days(route: list[int], total: int) -> list[int]:
    """Cumulative day offsets of the steps whose own days are ``route``, scaled so the last ends at ``total``.

    ``[1, 2, 2, 1, 1, 1, 1, 1, 2, 1]`` (13 days) → the same offsets for 13, stretched proportionally for 17 and
    rounded half up to whole days, never decreasing, the last exactly ``total``.
    """
    planned = sum(route)
    offsets, running = [], 0
    for days in route:
        running += days
        share = Decimal(running * total) / Decimal(planned) if planned else Decimal(total)
        offsets.append(int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    if offsets:
        offsets[-1] = total
    return offsets


def survey_due(case, requested_at: dt.datetime) -> Deadline:
    """CMP-04: the joint survey's report is due ``COMPLAINT_SURVEY_DAYS`` after QA asked for it, moved off a day off
    like the case's own deadline."""
    return period_end(start=requested_at, days=settings.COMPLAINT_SURVEY_DAYS, calendar=case.service_center.calendar,
                      move_to_working_day=case.deadline_moves_to_working_day)
