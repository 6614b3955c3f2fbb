"""Periodic work of the Huey consumer for the workshop."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aftersales.workorders.services.sweep import return_overdue_sweep


@db_periodic_task(crontab(minute=f"*/{settings.SLA_SWEEP_MINUTES}"))
def sweep_overdue_returns() -> None:
    return_overdue_sweep()
