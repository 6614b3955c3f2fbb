"""Take-back repair (REP-02..04, DISP-06, DISP-07): receipt, repair card, inspection, return."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.models import document_number
from aftersales.notifications.services import notice_send
from aftersales.servicedesk.services import service_request_finish
from aftersales.workorders.models import (
    IN_CUSTODY,
    GoodsReceipt,
    RepairCard,
    RepairCardPart,
    SignaturePurpose,
    Status,
    ToldVia,
    VisitResult,
    WorkOrder,
    WorkOrderEvent,
)
from aftersales.workorders.services.common import advance, centre_supervisors, check_labour, locked, require, require_reason, save
from aftersales.workorders.services.visit import _close_visit, check_fault_code, require_paid_acceptance, signature_or_waiver, store_signature
from aftersales.workorders.signals import work_finished

RECEIPT_PREFIX = "SJ"
REPAIR_CARD_PREFIX = "XH"
# Longest repair one card may record, in minutes (a month of working days); more is a typing error.
MAX_REPAIR_MINUTES = 31 * 24 * 60


def _item(current: WorkOrder, item_description: str) -> str:
    sr = current.request
    return (item_description or "").strip() or (str(sr.equipment) if sr.equipment_id else (str(sr.product_model or "") or sr.fault_description[:60]))


def work_order_take_back(
    *, actor, work_order: WorkOrder, condition: str, accessories: str = "", item_description: str = "", work_done: str = "",
    fault_cause: str = "", labour_minutes: int | None = None, signature: str = "", signer_name: str = "",
    expected_version: int | None = None, now: dt.datetime | None = None, fault_code=None,
) -> GoodsReceipt:
    """The item cannot be repaired on site and goes to the workshop (REP-02).

    Issues a numbered goods receipt (condition and accessories listed) for the customer, records
    the customer's signature on the voucher, enters the item in the goods in/out register, opens a
    repair card to hang on it, and promises the return within the centre's working days (DISP-06).
    """
    require(actor, "workorders.work", work_order)
    if not (condition or "").strip():
        raise DomainError({"condition": [_("Describe the item's condition on intake (damage, missing parts …).")]})
    check_labour(labour_minutes)
    check_fault_code(work_order, fault_code)
    now = now or timezone.now()
    with transaction.atomic():
        current = locked(work_order, expected_version)
        if current.status == Status.ASSIGNED:
            raise ConflictError(_("Check in at the customer's first."), code="not_checked_in")
        png = signature_or_waiver(current, signature, signer_name)
        before = advance(current, "take_back")
        _close_visit(current, result=VisitResult.TAKEN_BACK, work_done=work_done, fault_cause=fault_cause,
                     labour_minutes=labour_minutes, note="", now=now, fault_code=fault_code)
        store_signature(current, purpose=SignaturePurpose.TAKE_BACK, png=png, signer_name=signer_name, actor=actor, now=now)
        item = _item(current, item_description)[:200]
        receipt = GoodsReceipt.objects.create(
            number=document_number(RECEIPT_PREFIX, now), work_order=current, service_center=current.service_center, item_description=item,
            condition=condition.strip(), accessories=accessories.strip()[:300], issued_at=now, issued_by=actor,
        )
        RepairCard.objects.create(number=document_number(REPAIR_CARD_PREFIX, now), work_order=current, item_description=item,
                                  fault=current.request.fault_description)
        days = current.service_center.return_days_allowed()
        promise = current.service_center.calendar.add_working_days(now, days)
        current.promised_return_at, current.promised_return_confirmed, current.return_working_days = promise.at, promise.confirmed, days
        save(current, actor=actor, kind="take_back", before=before, note=_("Receipt %(no)s; return promised by %(at)s")
             % {"no": receipt.number, "at": f"{timezone.localtime(promise.at):%Y-%m-%d %H:%M}"}, at=now)
    return receipt


def work_order_start_repair(*, actor, work_order: WorkOrder, expected_version: int | None = None, now: dt.datetime | None = None) -> WorkOrder:
    """Work starts on the item under its repair card."""
    require(actor, "workorders.work", work_order)
    now = now or timezone.now()
    with transaction.atomic():
        current = locked(work_order, expected_version)
        require_paid_acceptance(current)
        before = advance(current, "start_repair")
        card = current.repair_card
        card.started_at = card.started_at or now
        card.save(update_fields=["started_at"])
        save(current, actor=actor, kind="start_repair", before=before, note=card.number, at=now)
    return current


def _clean_parts(parts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    cleaned = []
    for description, quantity in parts:
        description = (description or "").strip()
        if not description and not quantity:
            continue
        if not description or not isinstance(quantity, int) or quantity < 1 or quantity > 9999:
            raise DomainError({"parts": [_("Each part needs a name and a quantity of at least 1.")]})
        cleaned.append((description[:120], quantity))
    return cleaned


def work_order_finish_repair(
    *, actor, work_order: WorkOrder, repair_minutes: int, work_done: str, parts: list[tuple[str, int]] | None = None,
    expected_version: int | None = None, now: dt.datetime | None = None,
) -> WorkOrder:
    """The repair is done: the card records the actual repair time and the parts replaced (REP-03)."""
    require(actor, "workorders.work", work_order)
    if not isinstance(repair_minutes, int) or not 1 <= repair_minutes <= MAX_REPAIR_MINUTES:
        raise DomainError({"repair_minutes": [_("Enter the actual repair time in minutes.")]})
    if not (work_done or "").strip():
        raise DomainError({"work_done": [_("Describe the work done.")]})
    lines = _clean_parts(parts or [])
    now = now or timezone.now()
    with transaction.atomic():
        current = locked(work_order, expected_version)
        before = advance(current, "finish_repair")
        card = current.repair_card
        card.finished_at, card.repair_minutes, card.work_done = now, repair_minutes, work_done.strip()
        card._history_user = actor
        card.save()
        card.parts.all().delete()
        RepairCardPart.objects.bulk_create([RepairCardPart(card=card, description=d, quantity=q) for d, q in lines])
        save(current, actor=actor, kind="finish_repair", before=before, note=_("%(m)s minutes") % {"m": repair_minutes}, at=now)
        work_finished.send(sender=WorkOrder, actor=actor, work_order=current)
    return current


def work_order_inspect(
    *, actor, work_order: WorkOrder, passed: bool, note: str = "", expected_version: int | None = None, now: dt.datetime | None = None,
) -> WorkOrder:
    """The supervisor inspects the repaired item (验讫, REP-04); a failed inspection sends it back to repair with the reason."""
    require(actor, "workorders.inspect", work_order, _("Only the supervisor inspects a repair (验讫)."))
    if not passed:
        note = require_reason(note, field="note", message=_("Say what is wrong, so the technician can put it right."))
    now = now or timezone.now()
    with transaction.atomic():
        current = locked(work_order, expected_version)
        before = advance(current, "pass_inspection" if passed else "fail_inspection")
        card = current.repair_card
        card._history_user = actor
        if passed:
            card.inspected_at, card.inspected_by = now, actor
        card.inspection_note = (note or "").strip()[:300]
        card.save()
        save(current, actor=actor, kind="pass_inspection" if passed else "fail_inspection", before=before, note=note or "", at=now)
    return current


def find_receipt(number: str) -> GoodsReceipt:
    """The receipt with ``number``; ``DomainError`` when there is none or it was voided."""
    receipt = GoodsReceipt.objects.filter(number=(number or "").strip().upper()).select_related("work_order").first()
    if receipt is None:
        raise DomainError({"receipt_no": [_("There is no receipt numbered “%(no)s”.") % {"no": (number or "").strip()}]}, code="unknown_receipt")
    if receipt.is_void:
        raise DomainError({"receipt_no": [_("Receipt %(no)s was voided on %(at)s: that item has already been returned.")
                                          % {"no": receipt.number, "at": f"{timezone.localtime(receipt.voided_at):%Y-%m-%d}"}]},
                          code="voided_receipt")
    return receipt


def work_order_give_back(
    *, actor, work_order: WorkOrder, receipt_no: str, signature: str, signer_name: str,
    expected_version: int | None = None, now: dt.datetime | None = None,
) -> WorkOrder:
    """Return the inspected item against the customer's receipt, which is voided for good (REP-04).

    The customer signs (or seals) the voucher; the register records the return date; the call is
    closed (注销) with its SLA result and the voucher archived. Refused before inspection (conflict),
    for an unknown or already voided receipt, or a receipt of another voucher.
    """
    require(actor, "workorders.give_back", work_order)
    receipt = find_receipt(receipt_no)
    if receipt.work_order_id != work_order.pk:
        raise DomainError({"receipt_no": [_("Receipt %(no)s belongs to voucher %(wo)s, not to this one.")
                                          % {"no": receipt.number, "wo": receipt.work_order.number}]}, code="wrong_receipt")
    now = now or timezone.now()
    with transaction.atomic():
        current = locked(work_order, expected_version)
        if current.status in IN_CUSTODY and current.status != Status.INSPECTED:
            raise ConflictError(_("Voucher %(no)s has not passed inspection (验讫) yet; the item cannot go back.") % {"no": current.number},
                                code="not_inspected")
        png = signature_or_waiver(current, signature, signer_name)
        before = advance(current, "give_back")
        updated = GoodsReceipt.objects.filter(pk=receipt.pk, voided_at__isnull=True).update(returned_at=now, returned_by=actor, voided_at=now)
        if not updated:  # voided by someone else a moment ago
            raise ConflictError(_("Receipt %(no)s was voided meanwhile.") % {"no": receipt.number}, code="voided_receipt")
        store_signature(current, purpose=SignaturePurpose.RETURN, png=png, signer_name=signer_name, actor=actor, now=now)
        current.completed_at = current.archived_at = now
        save(current, actor=actor, kind="give_back", before=before, note=_("Receipt %(no)s voided") % {"no": receipt.number}, at=now)
        WorkOrderEvent.objects.create(work_order=current, actor=actor, kind="archived", at=now)
        service_request_finish(actor=actor, request=current.request, note=current.number, at=now)
    return current


def work_order_report_delay(
    *, actor, work_order: WorkOrder, reason: str, new_promised_at: dt.datetime, customer_told_via: str,
    expected_version: int | None = None, now: dt.datetime | None = None,
) -> WorkOrder:
    """The repair will miss its promised time (DISP-07): the supervisor is told at once, and the
    customer has been told in advance, with the reason, by the channel recorded here.
    """
    require(actor, "workorders.work", work_order)
    why = require_reason(reason, message=_("Give the reason for the delay."))
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if new_promised_at is None or new_promised_at <= now:
        errors["new_promised_at"] = [_("The new return time must lie in the future.")]
    if customer_told_via not in ToldVia.values:
        errors["customer_told_via"] = [_("Say how the customer was told.")]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        current = locked(work_order, expected_version)
        if current.status not in IN_CUSTODY:
            raise ConflictError(_("Only an item in the workshop can be delayed."), code="illegal_transition")
        current.delay_reason, current.delay_reported_at, current.customer_told_via = why[:300], now, customer_told_via
        current.promised_return_at, current.return_overdue_flagged_at = new_promised_at, None
        save(current, actor=actor, kind="delay_reported", note=f"{why} → {timezone.localtime(new_promised_at):%Y-%m-%d %H:%M}", at=now)
        notice_send(recipients=centre_supervisors(current.service_center), kind="repair_delay",
                    title=_("Repair %(no)s will be late") % {"no": current.number}, body=why,
                    url=reverse("workorders:detail", args=[current.pk]))
    return current


def goods_receipt_set_location(*, actor, work_order: WorkOrder, location: str) -> GoodsReceipt:
    """The clerk notes where the item is kept in the workshop (the register's location column)."""
    require(actor, "workorders.give_back", work_order)
    receipt = getattr(work_order, "receipt", None)
    if receipt is None or receipt.is_void:
        raise ConflictError(_("There is no item of this voucher in the workshop."), code="not_in_custody")
    receipt.location, receipt._history_user = (location or "").strip()[:60], actor
    receipt.save(update_fields=["location"])
    return receipt
