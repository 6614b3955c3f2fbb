"""Dispatch (派工, DISP-01): assign, reassign and batch-assign calls to technicians, and suggest who.

Rules an assignment must pass (refused with a message, nothing written):
- the technician is an active user with the technician role;
- he belongs to the call's service centre, and has the skill (product category) of the call's
  model — either may be overridden by the supervisor with a reason, which is kept on the voucher;
- the call is still waiting for dispatch: of two supervisors assigning the same call at the same
  moment, the second finds it dispatched (row lock) and gets a conflict naming the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts import roles
from aftersales.accounts.models import User
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.models import document_number
from aftersales.notifications.services import notice_send
from aftersales.servicedesk.models import ServiceRequest, Status
from aftersales.servicedesk.services import classify, service_request_transition
from aftersales.workorders.models import REASSIGNABLE, WorkOrder, WorkOrderEvent
from aftersales.workorders.services.common import locked, require, require_reason, save

VOUCHER_PREFIX = "PG"


def assignment_problems(request: ServiceRequest, technician: User) -> list[str]:
    """What a supervisor must override (with a reason) to send ``technician`` to ``request``.

    Raises ``DomainError`` for what no override can fix: an inactive user or one who is not a
    technician.
    """
    if not technician.is_active or roles.TECHNICIAN not in technician.role_codes:
        raise DomainError({"technician": [_("%(name)s is not an active technician.") % {"name": technician}]}, code="not_technician")
    problems = []
    if technician.service_center_id != request.service_center_id:
        problems.append(_("%(name)s belongs to another service centre.") % {"name": technician})
    category = request.product_model.category if request.product_model_id else None
    if category is not None and category not in technician.skills.all():
        problems.append(_("%(name)s has no %(skill)s skill.") % {"name": technician, "skill": category})
    return problems


def _check_assignment(request: ServiceRequest, technician: User, override_reason: str) -> str:
    problems = assignment_problems(request, technician)
    override = (override_reason or "").strip()
    if problems and not override:
        raise DomainError(
            {"override_reason": [" ".join(problems) + " " + _("Give a reason to assign anyway.")]}, code="needs_override"
        )
    return override if problems else ""


def _notify_new_job(work_order: WorkOrder) -> None:
    sr = work_order.request
    notice_send(
        recipients=[work_order.technician], kind="new_job",
        title=_("New job %(no)s: %(customer)s") % {"no": work_order.number, "customer": sr.customer.name if sr.customer else _("internal")},
        body=sr.fault_description[:200], url=reverse("mobile:job", args=[work_order.pk]),
    )


def work_order_assign(
    *, actor, request: ServiceRequest, technician: User, override_reason: str = "", expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> WorkOrder:
    """Dispatch a waiting call: create its voucher, move the call to dispatched, tell the technician.

    The category is decided again for the voucher's date (CLS-01) unless a supervisor overrode
    the call's category, which then stands. The contact clock (DISP-05: 24 h from notification)
    restarts now when the customer gave no time. Conflict when the call is no longer waiting.
    """
    require(actor, "workorders.dispatch", request)
    override = _check_assignment(request, technician, override_reason)
    now = now or timezone.now()
    with transaction.atomic():
        sr = ServiceRequest.objects.select_for_update(of=("self",)).select_related("service_center", "equipment", "customer").get(pk=request.pk)
        if sr.status != Status.REGISTERED:
            raise ConflictError(_already_dispatched(sr), code="already_dispatched")
        if expected_version is not None and sr.version != expected_version:
            raise ConflictError(_("Someone else changed request %(no)s meanwhile. Reload and try again.") % {"no": sr.number})
        if sr.category_overridden:
            category, reason = sr.category, sr.category_reason
        else:
            decision = classify(equipment=sr.equipment, on=timezone.localtime(now).date(), internal=sr.category_code == "admin")
            category, reason = decision.category, decision.reason("zh-hans")
        work_order = WorkOrder(
            number=document_number(VOUCHER_PREFIX, now), request=sr, service_center=sr.service_center, technician=technician,
            assigned_by=actor, assigned_at=now, assignment_override=override, category=category, category_reason=reason[:300],
        )
        work_order._history_user = actor
        try:
            with transaction.atomic():
                work_order.save()
        except IntegrityError as exc:  # the partial unique index: one open voucher per call
            raise ConflictError(_already_dispatched(sr), code="already_dispatched") from exc
        WorkOrderEvent.objects.create(work_order=work_order, actor=actor, kind="assigned", to_state=work_order.status,
                                      note=f"{technician}" + (f" ({override})" if override else ""), at=now)
        contact_due = None if sr.requested_time or sr.contacted_at else now + dt.timedelta(hours=sr.service_center.contact_hours_allowed())
        extra = {"contact_due_at": contact_due, "contact_breached_at": None} if contact_due else {}
        service_request_transition(actor=actor, request=sr, transition="dispatch", note=f"{work_order.number} → {technician}", at=now, **extra)
        work_order.request.refresh_from_db()
        _notify_new_job(work_order)
    return work_order


def _already_dispatched(sr: ServiceRequest) -> str:
    current = sr.work_orders.select_related("technician", "assigned_by").order_by("-assigned_at").first()
    if current is None:
        return _("Call %(no)s is “%(state)s” and cannot be dispatched now.") % {"no": sr.number, "state": sr.get_status_display()}
    return _("Call %(no)s was already dispatched to %(tech)s by %(by)s at %(at)s.") % {
        "no": sr.number, "tech": current.technician, "by": current.assigned_by, "at": f"{timezone.localtime(current.assigned_at):%H:%M}",
    }


def work_orders_batch_assign(*, actor, assignments: list[tuple[ServiceRequest, User, str]], now: dt.datetime | None = None) -> list[WorkOrder]:
    """Assign several calls at once (habit 4: batch transitions are first-class).

    All or nothing: every call is tried, and if any is refused none is assigned and the error
    names each refused call, so the supervisor can untick those and send the rest again.
    """
    if not assignments:
        raise DomainError(_("Choose at least one call."), code="empty_batch")
    done, errors = [], []
    with transaction.atomic():
        for request, technician, override in assignments:
            try:
                with transaction.atomic():
                    done.append(work_order_assign(actor=actor, request=request, technician=technician, override_reason=override, now=now))
            except (DomainError, ConflictError) as exc:
                message = " ".join(exc.messages) if isinstance(exc, DomainError) else exc.message
                errors.append(f"{request.number}: {message}")
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise DomainError(_("Nothing was assigned. %(errors)s") % {"errors": " ".join(errors)}, code="batch_refused")
    return done


def work_order_reassign(
    *, actor, work_order: WorkOrder, technician: User, reason: str, override_reason: str = "", expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> WorkOrder:
    """Give the voucher to another technician before the visit or while the item is in the workshop.

    The reason is mandatory and logged; both technicians are told. A finished or cancelled voucher
    (or one whose technician is on site) cannot be reassigned: conflict.
    """
    require(actor, "workorders.dispatch", work_order)
    why = require_reason(reason, message=_("Give the reason for reassigning."))
    now = now or timezone.now()
    with transaction.atomic():
        current = locked(work_order, expected_version)
        if current.status not in REASSIGNABLE:
            raise ConflictError(
                _("Voucher %(no)s is “%(state)s”; it cannot be reassigned.") % {"no": current.number, "state": current.get_status_display()},
                code="illegal_transition",
            )
        if technician.pk == current.technician_id:
            raise DomainError({"technician": [_("%(name)s already has this job.") % {"name": technician}]})
        override = _check_assignment(current.request, technician, override_reason)
        previous = current.technician
        current.technician, current.assigned_by, current.assigned_at, current.assignment_override = technician, actor, now, override
        save(current, actor=actor, kind="reassigned", note=f"{previous} → {technician}: {why}", at=now)
        _notify_new_job(current)
        notice_send(recipients=[previous], kind="job_removed", title=_("Job %(no)s was given to %(tech)s") % {"no": current.number, "tech": technician},
                    body=why)
    return current


@dataclass(frozen=True)
class Suggestion:
    technician: User
    reason: str


def suggest_technicians(requests: list[ServiceRequest], technicians: list[User], loads: dict[int, int],
                        zones: dict[int, set[str]]) -> dict[int, Suggestion]:
    """Suggest a technician for each call, explained in one line.

    Calls choose in order of urgency (carried over first, then the earliest arrival deadline);
    for each, the technicians of its centre are ranked by skill match, then current load (counting
    the suggestions already made, so a batch spreads out), then whether they already work in the
    call's zone today. ``loads``: open jobs per technician; ``zones``: zones of their open jobs.
    """
    loads = dict(loads)
    result: dict[int, Suggestion] = {}
    for sr in sorted(requests, key=lambda r: (not r.carried_over, r.arrival_due_at, r.pk)):
        category_id = sr.product_model.category_id if sr.product_model_id else None
        candidates = [t for t in technicians if t.service_center_id == sr.service_center_id]
        if not candidates:
            continue

        def rank(tech: User, category_id=category_id, zone=sr.zone) -> tuple:
            skilled = category_id is None or any(s.pk == category_id for s in tech.skills.all())
            return (not skilled, loads.get(tech.pk, 0), zone not in zones.get(tech.pk, set()), tech.pk)

        best = min(candidates, key=rank)
        lacks_skill, load, away, _pk = rank(best)
        parts = [_("no matching skill") if lacks_skill else _("has the skill"), _("%(n)s open jobs") % {"n": load}]
        if not away:
            parts.append(_("already working in %(zone)s") % {"zone": sr.get_zone_display()})
        result[sr.pk] = Suggestion(best, f"{best}: " + _(", ").join(parts))
        loads[best.pk] = load + 1
    return result
