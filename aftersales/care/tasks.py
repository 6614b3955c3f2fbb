"""Daily care work: the visit due list and the greetings and reminders."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aftersales.care.services import reminder_sweep, visit_plan_sweep


@db_periodic_task(crontab(minute="33"))
def plan_care() -> None:
    """Hourly and idempotent: the first run of the day plans the day (reminders wait in the outbox for the morning)."""
    visit_plan_sweep()
    reminder_sweep()
