"""Shared steps of every work-order service: lock, check, transition, save, log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from aftersales.accounts.selectors import centre_supervisors  # noqa: F401  (re-exported: the services tell supervisors)
from aftersales.core.errors import ConflictError, DomainError
from aftersales.workorders.models import OPEN_STATUSES, Visit, WorkOrder, WorkOrderEvent

MIN_REASON_LENGTH = 2
# Longest labour entry for one visit; more is a typing error (minutes, not hours).
MAX_LABOUR_MINUTES = 24 * 60


def require(actor, perm: str, obj, message: str | None = None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message or _("You are not allowed to do this."))


def require_reason(reason: str, field: str = "reason", message: str | None = None) -> str:
    text = (reason or "").strip()
    if len(text) < MIN_REASON_LENGTH:
        raise DomainError({field: [message or _("Give the reason.")]}, code="reason_required")
    return text


def check_labour(minutes: int | None, field: str = "labour_minutes") -> None:
    if minutes is not None and not 0 <= minutes <= MAX_LABOUR_MINUTES:
        raise DomainError({field: [_("Labour time must be between 0 and %(max)s minutes.") % {"max": MAX_LABOUR_MINUTES}]})


def locked(work_order: WorkOrder, expected_version: int | None) -> WorkOrder:
    """Re-read under a row lock; a caller who saw an older version gets a conflict (HTTP 409)."""
    current = WorkOrder.objects.select_for_update(of=("self",)).select_related("request", "service_center", "technician").get(pk=work_order.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(_("Someone else changed voucher %(no)s meanwhile. Reload and try again.") % {"no": current.number})
    return current


def advance(current: WorkOrder, transition: str) -> str:
    """Run a declared transition; return the state before. Illegal → ``ConflictError``."""
    method = getattr(current, transition)
    if not can_proceed(method):
        raise ConflictError(
            _("Voucher %(no)s is “%(state)s”; this step is not possible now.") % {"no": current.number, "state": current.get_status_display()},
            code="illegal_transition",
        )
    before = current.status
    method()
    return before


def save(current: WorkOrder, *, actor, kind: str, before: str = "", note: str = "", at: dt.datetime | None = None) -> WorkOrder:
    """Save with a new version and audit user, and write the timeline row (dated ``at``, default now)."""
    current.version += 1
    current._history_user = actor
    try:
        current.save()
    except ConcurrentTransition as exc:
        raise ConflictError(_("Someone else changed voucher %(no)s meanwhile. Reload and try again.") % {"no": current.number}) from exc
    WorkOrderEvent.objects.create(
        work_order=current, actor=actor, kind=kind, from_state=before, to_state=current.status if before else "", note=note,
        at=at or timezone.now(),
    )
    return current


def open_visit(current: WorkOrder) -> Visit | None:
    return current.visits.filter(finished_at__isnull=True).order_by("-arrived_at").first()


def require_open(current: WorkOrder) -> None:
    if current.status not in OPEN_STATUSES:
        raise ConflictError(
            _("Voucher %(no)s is “%(state)s”; it can no longer change.") % {"no": current.number, "state": current.get_status_display()},
            code="closed",
        )
