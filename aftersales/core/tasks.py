"""Periodic work of the ground floor, run by the Huey consumer."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aftersales.core.holidays.services import holiday_reconcile_sweep


@db_periodic_task(crontab(minute=f"*/{settings.SLA_SWEEP_MINUTES}"))
def reconcile_calendar_changes() -> None:
    holiday_reconcile_sweep()
