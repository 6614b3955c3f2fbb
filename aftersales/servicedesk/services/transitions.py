"""State changes of a request: declared FSM transitions, permission-checked, version-guarded, logged."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from aftersales.core.errors import ConflictError, DomainError
from aftersales.servicedesk.models import Category, RequestEvent, ServiceRequest, Status
from aftersales.servicedesk.progress import progress_notify
from aftersales.servicedesk.services.classify import Classification

MIN_REASON_LENGTH = 2


def _locked(request: ServiceRequest, expected_version: int | None) -> ServiceRequest:
    """Re-read ``request`` under a row lock and check the caller saw the latest version."""
    current = ServiceRequest.objects.select_for_update(of=("self",)).select_related("service_center").get(pk=request.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(_("Someone else changed request %(no)s meanwhile. Reload and try again.") % {"no": current.number})
    return current


def _require(actor, perm: str, request: ServiceRequest) -> None:
    if not actor.has_perm(perm, request):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("You are not allowed to do this for request %(no)s.") % {"no": request.number})


def service_request_transition(
    *, actor, request: ServiceRequest, transition: str, note: str = "", expected_version: int | None = None,
    at: dt.datetime | None = None, **fields
) -> ServiceRequest:
    """Run the FSM ``transition`` on ``request``; illegal or concurrent → ``ConflictError`` (HTTP 409).

    ``fields`` are set on the request in the same write (e.g. ``cancel_reason``).
    """
    with transaction.atomic():
        current = _locked(request, expected_version)
        method = getattr(current, transition, None)
        if method is None or not hasattr(method, "_django_fsm"):
            raise DomainError(_("Unknown action “%(t)s”.") % {"t": transition})
        before = current.status
        if not can_proceed(method):
            raise ConflictError(
                _("Request %(no)s is “%(state)s”; this action is not allowed now.")
                % {"no": current.number, "state": current.get_status_display()},
                code="illegal_transition",
            )
        try:
            method()
        except TransitionNotAllowed as exc:
            raise ConflictError(str(exc), code="illegal_transition") from exc
        for key, value in fields.items():
            setattr(current, key, value)
        current.version += 1
        current._history_user = actor
        try:
            current.save()
        except ConcurrentTransition as exc:
            raise ConflictError(_("Someone else changed request %(no)s meanwhile. Reload and try again.") % {"no": current.number}) from exc
        event = RequestEvent.objects.create(request=current, actor=actor, kind=transition, from_state=before, to_state=current.status, note=note,
                                            at=at or timezone.now())
        progress_notify(current, event)
    return current


OPEN_VOUCHER_STATES = ("assigned", "on_site", "taken_back", "in_repair", "repaired", "inspected")


def service_request_cancel(*, actor, request: ServiceRequest, reason: str, expected_version: int | None = None) -> ServiceRequest:
    """Cancel an open request; the reason is mandatory.

    A call with an open service voucher is refused: the voucher is cancelled first (on its page,
    with "cancel the call too"), so a technician is never left with a job for a cancelled call.
    """
    _require(actor, "servicedesk.cancel", request)
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise DomainError({"reason": [_("Give the reason for cancelling.")]})
    voucher = request.work_orders.filter(status__in=OPEN_VOUCHER_STATES).first()
    if voucher is not None:
        raise ConflictError(
            _("Call %(no)s has the open voucher %(wo)s; cancel the voucher and the call together on the voucher's page.")
            % {"no": request.number, "wo": voucher.number},
            code="open_voucher",
        )
    return service_request_transition(
        actor=actor, request=request, transition="cancel", note=reason.strip(),
        expected_version=expected_version, cancel_reason=reason.strip(),
    )


def service_request_override_category(
    *, actor, request: ServiceRequest, category: str, reason: str, expected_version: int | None = None
) -> ServiceRequest:
    """A supervisor changes the category (CLS-01) with a mandatory reason; timeline + audit history record it."""
    _require(actor, "servicedesk.override_category", request)
    errors: dict[str, list[str]] = {}
    if category not in Category.values:
        errors["category"] = [_("Category must be A, B, C or D.")]
    if len(reason.strip()) < MIN_REASON_LENGTH:
        errors["reason"] = [_("An override needs a reason.")]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        current = _locked(request, expected_version)
        if not current.is_open:
            raise ConflictError(_("Request %(no)s is closed; its category can no longer change.") % {"no": current.number}, code="closed")
        before = current.category
        decision = Classification(category, "override", {"by": str(actor), "reason": reason.strip()})
        current.category, current.category_code, current.category_params = category, decision.code, decision.params
        current.category_reason = decision.reason("zh-hans")[:300]
        current.category_overridden = True
        current.version += 1
        current._history_user = actor
        current.save()
        with translation.override("zh-hans"):
            note = reason.strip()
        RequestEvent.objects.create(
            request=current, actor=actor, kind="category_overridden", from_state=before, to_state=category, note=note
        )
    return current


def service_request_finish(*, actor, request: ServiceRequest, note: str = "", at: dt.datetime | None = None) -> ServiceRequest:
    """Resolve and close (注销) a call whose voucher is done, storing its SLA result (REP-01).

    Called by the work-order services when the customer has signed on site or the item went back.
    """
    from aftersales.servicedesk.services.sla import arrival_result

    with transaction.atomic():
        current = service_request_transition(actor=actor, request=request, transition="resolve", note=note, at=at)
        result = arrival_result(current)
        fields = {}
        if result is not None:
            fields = {"arrival_sla_met": result.met, "arrival_used_minutes": result.used_minutes, "arrival_late_minutes": result.late_minutes}
        return service_request_transition(actor=actor, request=current, transition="close", note=note, at=at, closed_at=at or timezone.now(), **fields)


def service_request_record_arrival(*, actor, request: ServiceRequest, at) -> ServiceRequest:
    """The technician arrived: stop the arrival clock (first arrival only) and start the service."""
    with transaction.atomic():
        current = _locked(request, None)
        if current.status in (Status.DISPATCHED, Status.WAITING_CUSTOMER, Status.WAITING_PARTS):
            return service_request_transition(
                actor=actor, request=current, transition="start_service", arrived_at=current.arrived_at or at, at=at
            )
        if current.arrived_at is None:
            current.arrived_at = at
            current.version += 1
            current._history_user = actor
            current.save()
        return current


def service_request_record_contact(*, actor, request: ServiceRequest, at, note: str = "") -> ServiceRequest:
    """The technician reached the customer (DISP-05): stop the contact clock once."""
    with transaction.atomic():
        current = _locked(request, None)
        if current.contacted_at is None:
            current.contacted_at = at
            current.version += 1
            current._history_user = actor
            current.save()
            RequestEvent.objects.create(request=current, actor=actor, kind="contacted", note=note, at=at)
        return current


def service_request_record_set_out(*, actor, request: ServiceRequest, at, note: str = "") -> RequestEvent:
    """The engineer set out for the customer: a timeline row, and the customer is told (no state change)."""
    with transaction.atomic():
        current = _locked(request, None)
        event = RequestEvent.objects.create(request=current, actor=actor, kind="set_out", note=note, at=at)
        progress_notify(current, event)
        return event
