"""The worker's side of the outbox: deliver a message now, sweep what is due, recover on start-up."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from aftersales.notifications.outbox import deliver_due, deliver_one, digest_sweep

logger = logging.getLogger(__name__)


@db_task()
def deliver_message(pk: int) -> bool:
    return deliver_one(pk)


@db_periodic_task(crontab(minute="*"))
def deliver_outbox() -> None:
    """Every minute: staff digests, then everything due (new, retried, or left by a worker that died)."""
    digest_sweep()
    deliver_due()


@on_startup()
def recover_outbox() -> None:
    """A worker that starts delivers what is already due, without waiting for the next minute."""
    from django.db import close_old_connections

    try:
        deliver_due()
    except Exception:  # a start-up sweep must never stop the worker
        logger.exception("start-up delivery sweep failed")
    finally:
        close_old_connections()
