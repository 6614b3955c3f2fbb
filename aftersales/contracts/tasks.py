"""Daily contract work: expiry notices with renewal tasks (T-30) and calls for planned preventive visits."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aftersales.contracts.services import contract_notice_sweep, contract_visit_sweep


@db_periodic_task(crontab(minute="23"))
def contract_sweeps() -> None:
    """Hourly and idempotent, so a day the server was down is caught up."""
    contract_notice_sweep()
    contract_visit_sweep()
