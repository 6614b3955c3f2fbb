"""Periodic work run by the Huey consumer (one consumer runs periodic tasks)."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aftersales.servicedesk.services.sweep import sla_sweep


@db_periodic_task(crontab(minute=f"*/{settings.SLA_SWEEP_MINUTES}"))
def sweep_sla_deadlines() -> None:
    sla_sweep()
