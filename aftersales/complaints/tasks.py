"""Complaint reminders every hour, and the month's penalty instalments on the first day of each month."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aftersales.complaints.services import complaint_sweep, penalty_instalments_run


@db_periodic_task(crontab(minute="43"))
def chase_complaints() -> None:
    complaint_sweep()


@db_periodic_task(crontab(minute="53", hour="1"))
def penalty_instalments() -> None:
    """Daily and idempotent per month, so a missed first day is caught up."""
    from django.utils import timezone

    penalty_instalments_run(month=timezone.localdate())
