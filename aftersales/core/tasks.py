"""Periodic work of the ground floor, run by the Huey consumer."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aftersales.core.holidays.services import holiday_reconcile_sweep
from aftersales.core.importflow import import_files_sweep


@db_periodic_task(crontab(minute=f"*/{settings.SLA_SWEEP_MINUTES}"))
def reconcile_calendar_changes() -> None:
    holiday_reconcile_sweep()


@db_periodic_task(crontab(minute="17"))
def delete_old_import_files() -> None:
    import_files_sweep()
