"""Costs taken from the jobs and cost warnings, every night for the current month (both idempotent)."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aftersales.performance.costs import cost_warnings, costs_from_jobs


@db_periodic_task(crontab(minute="17", hour="2"))
def costs_nightly() -> None:
    from django.utils import timezone

    today = timezone.localdate()
    if today.day == 1:  # the last day of the previous month is still to be taken
        costs_from_jobs(month=today.replace(day=1) - dt.timedelta(days=1))
    costs_from_jobs(month=today)
    cost_warnings(month=today)
