"""On site (REP-01, REP-05, DISP-04, DISP-05): contact, check-in, the visit's result, sign-off."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.configuration.values import rule
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.geo import distance_m
from aftersales.notifications.services import notice_send
from aftersales.servicedesk.services import (
    service_request_finish,
    service_request_record_arrival,
    service_request_record_contact,
    service_request_record_set_out,
    service_request_transition,
)
from aftersales.workorders.models import Signature, SignaturePurpose, Status, Visit, VisitResult, WorkOrder, WorkOrderEvent
from aftersales.workorders.policies import CHECKIN_FAR_METRES, SITE_LEARN_ACCURACY
from aftersales.workorders.services.common import (
    advance,
    centre_supervisors,
    check_labour,
    locked,
    open_visit,
    require,
    require_open,
    require_reason,
    save,
)
from aftersales.workorders.services.signatures import decode_signature
from aftersales.workorders.signals import work_finished

# An agreed visit time may not lie further ahead than this.
MAX_APPOINTMENT_AHEAD = dt.timedelta(days=366)
CLOCK_SKEW = dt.timedelta(minutes=10)


def work_order_record_contact(
    *, actor, work_order: WorkOrder, appointment_at: dt.datetime | None = None, note: str = "",
    expected_version: int | None = None, now: dt.datetime | None = None,
) -> WorkOrder:
    """The technician reached the customer (DISP-05) and, usually, agreed a visit time."""
    require(actor, "workorders.work", work_order)
    now = now or timezone.now()
    if appointment_at is not None and not (now - CLOCK_SKEW <= appointment_at <= now + MAX_APPOINTMENT_AHEAD):
        raise DomainError({"appointment_at": [_("The agreed time must lie between now and a year ahead.")]})
    with transaction.atomic():
        current = locked(work_order, expected_version)
        require_open(current)
        current.contacted_at = current.contacted_at or now
        current.appointment_at = appointment_at or current.appointment_at
        when = f" {timezone.localtime(appointment_at):%Y-%m-%d %H:%M}" if appointment_at else ""
        save(current, actor=actor, kind="contacted", note=(_("Visit agreed for") + when if when else "") + (f" {note}" if note else ""), at=now)
        service_request_record_contact(actor=actor, request=current.request, at=now, note=current.number)
    return current


def work_order_set_out(*, actor, work_order: WorkOrder, expected_version: int | None = None, now: dt.datetime | None = None) -> WorkOrder:
    """The technician leaves for the customer ("on my way"): the customer is told who comes and when.

    Only before the check-in, once per voucher (a second tap is a conflict, nothing is sent twice).
    """
    require(actor, "workorders.work", work_order)
    now = now or timezone.now()
    with transaction.atomic():
        current = locked(work_order, expected_version)
        if current.status != Status.ASSIGNED or current.departed_at is not None:
            raise ConflictError(_("Voucher %(no)s: the engineer already set out or is on site.") % {"no": current.number}, code="already_set_out")
        current.departed_at = now
        save(current, actor=actor, kind="set_out", at=now)
        service_request_record_set_out(actor=actor, request=current.request, at=now, note=current.number)
    return current


def _check_position(latitude: Decimal | None, longitude: Decimal | None, accuracy: int | None) -> None:
    if (latitude is None) != (longitude is None):
        raise DomainError({"latitude": [_("A position needs both latitude and longitude.")]})
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise DomainError({"latitude": [_("The position is not on Earth.")]})
    if accuracy is not None and not 0 <= accuracy <= 100_000:
        raise DomainError({"accuracy": [_("The position's accuracy is not plausible.")]})


def work_order_check_in(
    *, actor, work_order: WorkOrder, latitude: Decimal | None = None, longitude: Decimal | None = None,
    accuracy: int | None = None, expected_version: int | None = None, now: dt.datetime | None = None,
) -> Visit:
    """The technician is at the customer's: a visit starts, the call's arrival clock stops.

    The phone's position is stored when the browser gave one (with its accuracy in metres);
    without one the check-in still counts. Checking in twice is a conflict.
    """
    require(actor, "workorders.work", work_order)
    _check_position(latitude, longitude, accuracy)
    now = now or timezone.now()
    with transaction.atomic():
        current = locked(work_order, expected_version)
        if current.status == Status.ON_SITE:
            raise ConflictError(_("Voucher %(no)s is already checked in.") % {"no": current.number}, code="already_checked_in")
        before = advance(current, "check_in")
        visit = Visit.objects.create(
            work_order=current, technician=current.technician, arrived_at=now,
            latitude=latitude, longitude=longitude, location_accuracy_m=accuracy,
        )
        position = f" ({latitude}, {longitude} ±{accuracy or '?'} m)" if latitude is not None else ""
        _measure_from_site(current, visit, accuracy, actor=actor, now=now)
        if visit.distance_from_site_m is not None:
            position += " · " + _("%(m)s m from the site") % {"m": visit.distance_from_site_m}
        save(current, actor=actor, kind="check_in", before=before, note=position.strip(" ·"), at=now)
        service_request_record_arrival(actor=actor, request=current.request, at=now)
    return visit


def _measure_from_site(current: WorkOrder, visit: Visit, accuracy: int | None, *, actor, now: dt.datetime) -> None:
    """Compare the check-in's position with the machine's site (KB-03, anti-fraud on travel claims).

    A machine without a site takes the first check-in precise to ``SITE_LEARN_ACCURACY`` metres. Otherwise the
    distance is stored on the visit, and a check-in farther than ``CHECKIN_FAR_METRES`` — beyond the phone's own
    uncertainty — is flagged on the voucher's timeline and told to the centre's supervisors.
    """
    equipment = current.request.equipment
    if visit.latitude is None or visit.longitude is None or equipment is None:
        return
    if equipment.site_latitude is None or equipment.site_longitude is None:
        if accuracy is not None and accuracy <= rule(SITE_LEARN_ACCURACY):
            type(equipment).objects.filter(pk=equipment.pk, site_latitude__isnull=True).update(
                site_latitude=visit.latitude, site_longitude=visit.longitude, site_position_at=now)
        return
    metres = distance_m(float(visit.latitude), float(visit.longitude), float(equipment.site_latitude), float(equipment.site_longitude))
    limit = rule(CHECKIN_FAR_METRES, center=current.service_center)
    visit.distance_from_site_m = round(metres)
    visit.far_from_site = metres - (accuracy or 0) > limit
    visit.save(update_fields=["distance_from_site_m", "far_from_site"])
    if visit.far_from_site:
        note = _("Checked in %(m)s m from the machine's site (limit %(limit)s m).") % {"m": visit.distance_from_site_m, "limit": limit}
        WorkOrderEvent.objects.create(work_order=current, actor=actor, kind="checkin_far", note=note, at=now)
        notice_send(recipients=centre_supervisors(current.service_center), kind="checkin_far",
                    title=_("%(tech)s checked in far from the site on %(no)s") % {"tech": current.technician, "no": current.number},
                    body=note, url=reverse("workorders:detail", args=[current.pk]))


def check_fault_code(work_order: WorkOrder, fault_code) -> None:
    """A fault code must be one of the machine's family (or a general one)."""
    if fault_code is None:
        return
    model = work_order.request.product_model
    if not fault_code.is_active or fault_code.category_id not in (None, model.category_id if model else None):
        raise DomainError({"fault_code": [_("%(code)s is not a fault of this kind of machine.") % {"code": fault_code}]})


def _close_visit(current: WorkOrder, *, result: str, work_done: str, fault_cause: str, labour_minutes: int | None,
                 note: str, now: dt.datetime, fault_code=None) -> Visit:
    visit = open_visit(current)
    if visit is None:  # a state that needs a visit always has one; a missing one is a data fault
        raise ConflictError(_("Voucher %(no)s has no open visit; check in first.") % {"no": current.number}, code="no_visit")
    visit.finished_at, visit.result, visit.result_note = now, result, note
    visit.work_done, visit.fault_cause, visit.labour_minutes = work_done.strip(), fault_cause.strip(), labour_minutes
    visit.fault_code = fault_code
    visit.save()
    return visit


def signature_or_waiver(current: WorkOrder, signature: str, signer_name: str) -> bytes | None:
    """The drawn signature's PNG, or None when the supervisor has recorded why there is none."""
    if not (signature or "").strip() and current.signature_waived_reason:
        return None
    if not (signature or "").strip():
        raise DomainError(
            {"signature": [_("The customer must sign. If the customer cannot sign, the supervisor records why first.")]},
            code="signature_missing",
        )
    png = decode_signature(signature)
    if not (signer_name or "").strip():
        raise DomainError({"signer_name": [_("Enter the name of the person who signed.")]})
    return png


def store_signature(current: WorkOrder, *, purpose: str, png: bytes | None, signer_name: str, actor, now: dt.datetime) -> None:
    if png is not None:
        Signature.objects.create(work_order=current, purpose=purpose, image=png, signer_name=signer_name.strip()[:60],
                                 signed_at=now, recorded_by=actor)


def require_paid_acceptance(current: WorkOrder) -> None:
    if current.needs_paid_acceptance:
        raise ConflictError(
            _("Voucher %(no)s is paid work: the customer must accept the quotation (or the clerk record the acceptance) before the work.")
            % {"no": current.number}, code="price_not_accepted",
        )


def work_order_record_paid_acceptance(*, actor, work_order: WorkOrder, how: str, now: dt.datetime | None = None) -> WorkOrder:
    """Record that the customer accepted the price of paid work (INTK-09): a signed quotation or the clerk's note of a call."""
    require(actor, "workorders.give_back", work_order, _("Only the job's technician or the desk may record the customer's acceptance."))
    text = require_reason(how, field="how", message=_("Say how the customer accepted (quotation signed, phone call with …)."))
    now = now or timezone.now()
    with transaction.atomic():
        current = locked(work_order, None)
        require_open(current)
        current.paid_work_accepted_at, current.paid_work_acceptance = now, text[:300]
        save(current, actor=actor, kind="paid_work_accepted", note=text, at=now)
    return current


def work_order_complete(
    *, actor, work_order: WorkOrder, work_done: str, fault_cause: str = "", labour_minutes: int | None = None,
    signature: str = "", signer_name: str = "", expected_version: int | None = None, now: dt.datetime | None = None, fault_code=None,
) -> WorkOrder:
    """Finished on site: the customer signs the voucher, the call is closed (注销) with its SLA result
    and the voucher archived (REP-01). Refused without a signature unless a supervisor waived it;
    refused (conflict) before check-in.
    """
    require(actor, "workorders.work", work_order)
    if not (work_done or "").strip():
        raise DomainError({"work_done": [_("Describe the work done.")]})
    check_labour(labour_minutes)
    check_fault_code(work_order, fault_code)
    now = now or timezone.now()
    with transaction.atomic():
        current = locked(work_order, expected_version)
        if current.status == Status.ASSIGNED:
            raise ConflictError(_("Check in at the customer's before completing voucher %(no)s.") % {"no": current.number}, code="not_checked_in")
        require_paid_acceptance(current)
        png = signature_or_waiver(current, signature, signer_name)
        before = advance(current, "complete")
        _close_visit(current, result=VisitResult.COMPLETED, work_done=work_done, fault_cause=fault_cause,
                     labour_minutes=labour_minutes, note="", now=now, fault_code=fault_code)
        store_signature(current, purpose=SignaturePurpose.COMPLETION, png=png, signer_name=signer_name, actor=actor, now=now)
        current.completed_at = current.archived_at = now
        signed = _("signed by %(name)s") % {"name": signer_name.strip()} if png else _("no signature: %(why)s") % {"why": current.signature_waived_reason}
        save(current, actor=actor, kind="complete", before=before, note=signed, at=now)
        WorkOrderEvent.objects.create(work_order=current, actor=actor, kind="archived", at=now)
        work_finished.send(sender=WorkOrder, actor=actor, work_order=current)
        service_request_finish(actor=actor, request=current.request, note=current.number, at=now)
    return current


WAITING_TRANSITIONS = {"parts": "wait_for_parts", "customer": "wait_for_customer"}


def work_order_end_visit(
    *, actor, work_order: WorkOrder, result: str, reason: str, work_done: str = "", fault_cause: str = "",
    labour_minutes: int | None = None, waiting_for: str = "", expected_version: int | None = None, now: dt.datetime | None = None,
    fault_code=None,
) -> WorkOrder:
    """The visit ends unfinished: another visit is needed (REP-05, with the reason), or the job cannot
    be finished in the promised time and goes to the supervisor at once (DISP-04).
    The voucher returns to "assigned" for the next visit. ``waiting_for`` ("parts" or "customer")
    puts the call in that pause state until the next check-in.
    """
    require(actor, "workorders.work", work_order)
    if result not in (VisitResult.REVISIT, VisitResult.ESCALATED):
        raise DomainError({"result": [_("Choose “needs another visit” or “cannot finish in time”.")]})
    if waiting_for and waiting_for not in WAITING_TRANSITIONS:
        raise DomainError({"waiting_for": [_("Waiting for parts or for the customer?")]})
    why = require_reason(reason, message=_("Give the reason."))
    check_labour(labour_minutes)
    check_fault_code(work_order, fault_code)
    now = now or timezone.now()
    with transaction.atomic():
        current = locked(work_order, expected_version)
        if current.status == Status.ASSIGNED:
            raise ConflictError(_("Check in at the customer's first."), code="not_checked_in")
        before = advance(current, "end_visit")
        _close_visit(current, result=result, work_done=work_done, fault_cause=fault_cause, labour_minutes=labour_minutes, note=why, now=now,
                     fault_code=fault_code)
        save(current, actor=actor, kind="end_visit", before=before, note=f"{VisitResult(result).label}: {why}", at=now)
        if waiting_for:
            service_request_transition(actor=actor, request=current.request, transition=WAITING_TRANSITIONS[waiting_for], note=why, at=now)
        if result == VisitResult.ESCALATED:
            _escalate(current, actor=actor, reason=why, now=now)
    return current


def _escalate(current: WorkOrder, *, actor, reason: str, now: dt.datetime) -> None:
    current.escalated_at, current.escalation_reason = now, reason[:300]
    save(current, actor=actor, kind="escalated", note=reason, at=now)
    notice_send(
        recipients=centre_supervisors(current.service_center), kind="escalation",
        title=_("%(tech)s cannot finish %(no)s in time") % {"tech": current.technician, "no": current.number},
        body=reason, url=reverse("workorders:detail", args=[current.pk]),
    )


def work_order_escalate(*, actor, work_order: WorkOrder, reason: str, expected_version: int | None = None,
                        now: dt.datetime | None = None) -> WorkOrder:
    """DISP-04 at any point of an open job (e.g. a repair in the workshop): tell the supervisor at once."""
    require(actor, "workorders.work", work_order)
    why = require_reason(reason, message=_("Give the reason."))
    with transaction.atomic():
        current = locked(work_order, expected_version)
        require_open(current)
        _escalate(current, actor=actor, reason=why, now=now or timezone.now())
    return current


def work_order_waive_signature(*, actor, work_order: WorkOrder, reason: str, expected_version: int | None = None) -> WorkOrder:
    """The supervisor records why the customer cannot sign (absent, refuses …); completion may then go ahead."""
    require(actor, "workorders.waive_signature", work_order, _("Only the supervisor may excuse a missing signature."))
    why = require_reason(reason, message=_("Give the reason why the customer cannot sign."))
    with transaction.atomic():
        current = locked(work_order, expected_version)
        require_open(current)
        current.signature_waived_reason, current.signature_waived_by = why[:300], actor
        save(current, actor=actor, kind="signature_waived", note=why)
    return current
