"""The SLA sweeper (habit 6): acts on persisted deadlines; safe to run any number of times.

Each flag is set with a conditional UPDATE (``… WHERE flag IS NULL``) so two sweepers running
at once, or a sweeper re-run after a crash, flag each request exactly once and write one
timeline row for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from aftersales.servicedesk.models import OPEN_STATUSES, RequestEvent, ServiceRequest, Status


@dataclass(frozen=True)
class SweepResult:
    arrival_breaches: int
    contact_breaches: int
    carried_over: int


def _flag(queryset, *, field: str, now: dt.datetime, kind: str, state_field: str | None = None) -> int:
    count = 0
    for pk in list(queryset.values_list("pk", flat=True)):
        with transaction.atomic():
            updates = {field: now if state_field is None else True}
            condition = {f"{field}__isnull": True} if state_field is None else {field: False}
            if ServiceRequest.objects.filter(pk=pk, **condition).update(**updates):
                RequestEvent.objects.create(request_id=pk, kind=kind)
                count += 1
    return count


def sla_sweep(now: dt.datetime | None = None) -> SweepResult:
    """Flag arrival and contact breaches and carry over undispatched requests, as of ``now``."""
    now = now or timezone.now()
    open_rows = ServiceRequest.objects.filter(status__in=OPEN_STATUSES)
    arrival = _flag(
        open_rows.filter(arrived_at__isnull=True, arrival_breached_at__isnull=True, arrival_due_at__lte=now),
        field="arrival_breached_at", now=now, kind="arrival_breached",
    )
    contact = _flag(
        open_rows.filter(contacted_at__isnull=True, contact_breached_at__isnull=True, contact_due_at__lte=now),
        field="contact_breached_at", now=now, kind="contact_breached",
    )
    carried = _flag(
        ServiceRequest.objects.filter(status=Status.REGISTERED, carried_over=False, carry_over_at__lte=now),
        field="carried_over", now=now, kind="carried_over", state_field="carried_over",
    )
    return SweepResult(arrival_breaches=arrival, contact_breaches=contact, carried_over=carried)
