"""Periodic work: cards for yesterday's closed calls, and overdue opinions and tasks."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from aftersales.feedback.services import feedback_overdue_sweep, opinion_card_sweep


@db_periodic_task(crontab(minute="7"))
def make_opinion_cards() -> None:
    """Hourly (idempotent): the first run after midnight cards the whole of yesterday's register."""
    opinion_card_sweep()


@db_periodic_task(crontab(minute="17"))
def flag_overdue_feedback() -> None:
    feedback_overdue_sweep()
