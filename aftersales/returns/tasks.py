from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aftersales.returns.services import return_escalation_sweep


@db_periodic_task(crontab(minute="13", hour="*/6"))
def escalate_returns() -> None:
    """RET-13: returns unsettled 30 days after arrival (idempotent)."""
    return_escalation_sweep()
