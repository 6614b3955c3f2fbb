"""Old parts (旧件返厂), warranty claims to the manufacturer (索赔单) and back-orders (PART-01, PART-04)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.models import document_number
from aftersales.core.uploads import accept_evidence
from aftersales.notifications.services import notice_send
from aftersales.parts.models import (
    BackOrder,
    BackOrderStatus,
    ClaimAttachment,
    MovementKind,
    OldPart,
    OldPartStatus,
    Part,
    Supplier,
    Warehouse,
    WarrantyClaim,
    WorkOrderPart,
)
from aftersales.parts.services.stock import clean_quantity, old_parts_warehouse, post_movement, require_keeper
from aftersales.workorders.models import ToldVia, WorkOrder
from aftersales.workorders.services.common import centre_supervisors

OLD_PART_PREFIX, CLAIM_PREFIX, BACK_ORDER_PREFIX = "JJ", "SP", "QH"


def old_part_tag(*, actor, usage: WorkOrderPart) -> OldPart:
    """Tag the part taken out in a warranty replacement so that it goes back to the factory."""
    return OldPart.objects.create(tag=document_number(OLD_PART_PREFIX, timezone.now()), part=usage.part, quantity=usage.quantity,
                                  work_order=usage.work_order, usage=usage)


def old_parts_receive(*, actor, old_parts: list[OldPart]) -> None:
    """The technician hands the tagged old parts in; they enter the centre's old-parts store."""
    with transaction.atomic():
        for old in old_parts:
            current = OldPart.objects.select_for_update(of=("self",)).select_related("work_order__service_center", "part").get(pk=old.pk)
            store = old_parts_warehouse(current.work_order.service_center)
            require_keeper(actor, store)
            if current.status != OldPartStatus.TAGGED:
                raise ConflictError(_("Old part %(tag)s was already handed in.") % {"tag": current.tag}, code="illegal_transition")
            post_movement(part=current.part, warehouse=store, kind=MovementKind.OLD_PART_RETURN, quantity=current.quantity, actor=actor,
                          unit_cost=Decimal("0"), work_order=current.work_order, reference=current.tag)
            current.status, current.received_at = OldPartStatus.RECEIVED, timezone.now()
            current._history_user = actor
            current.save()


def old_parts_ship(*, actor, old_parts: list[OldPart], shipment_ref: str) -> None:
    """Send received old parts back to the factory under one waybill."""
    if not (shipment_ref or "").strip():
        raise DomainError({"shipment_ref": [_("Enter the waybill or shipment number.")]})
    with transaction.atomic():
        for old in old_parts:
            current = OldPart.objects.select_for_update(of=("self",)).select_related("work_order__service_center", "part").get(pk=old.pk)
            store = old_parts_warehouse(current.work_order.service_center)
            require_keeper(actor, store)
            if current.status != OldPartStatus.RECEIVED:
                raise ConflictError(_("Old part %(tag)s is not in the old-parts store.") % {"tag": current.tag}, code="illegal_transition")
            post_movement(part=current.part, warehouse=store, kind=MovementKind.OLD_PART_RETURN, quantity=-current.quantity, actor=actor,
                          unit_cost=Decimal("0"), work_order=current.work_order, reference=shipment_ref.strip())
            current.status, current.shipped_at, current.shipment_ref = OldPartStatus.SHIPPED, timezone.now(), shipment_ref.strip()[:60]
            current._history_user = actor
            current.save()


def _require_claims(actor) -> None:
    if not actor.has_perm("parts.handle_claims"):
        raise PermissionDenied(_("You may not handle warranty claims."))


def claim_create(*, actor, work_order: WorkOrder, manufacturer: Supplier, labour_minutes: int = 0, labour_amount: Decimal = Decimal("0"),
                 description: str = "") -> WarrantyClaim:
    """Raise a claim from a warranty repair: its unclaimed old parts at cost, plus the labour."""
    _require_claims(actor)
    if not actor.has_perm("workorders.dispatch", work_order) and not actor.has_global_scope:
        raise PermissionDenied(_("This job belongs to another service centre."))
    if labour_minutes < 0 or labour_amount < 0:
        raise DomainError({"labour_amount": [_("Labour cannot be negative.")]})
    with transaction.atomic():
        parts = list(OldPart.objects.select_for_update(of=("self",)).filter(work_order=work_order, claim__isnull=True).select_related("part"))
        if not parts and not labour_amount:
            raise DomainError(_("There is nothing to claim: no old parts and no labour."), code="empty_claim")
        claim = WarrantyClaim.objects.create(
            number=document_number(CLAIM_PREFIX, timezone.now()), work_order=work_order, manufacturer=manufacturer, created_by=actor,
            parts_amount=sum((p.quantity * p.part.cost for p in parts), Decimal("0")).quantize(Decimal("0.01")),
            labour_minutes=labour_minutes, labour_amount=Decimal(labour_amount).quantize(Decimal("0.01")),
            description=(description or work_order.request.fault_description).strip(),
        )
        OldPart.objects.filter(pk__in=[p.pk for p in parts]).update(claim=claim)
    return claim


def claim_attach(*, actor, claim: WarrantyClaim, upload, caption: str = "") -> ClaimAttachment:
    _require_claims(actor)
    if claim.status != "draft":
        raise ConflictError(_("Evidence is added before the claim is submitted."), code="submitted")
    evidence = accept_evidence(upload, field="file")  # a photo or a PDF, by its content; anything else is refused
    return ClaimAttachment.objects.create(claim=claim, file=evidence, caption=(caption or "").strip()[:120], uploaded_by=actor)


def _advance(claim: WarrantyClaim, transition: str, actor) -> None:
    if not can_proceed(getattr(claim, transition)):
        raise ConflictError(_("Claim %(no)s is “%(state)s”; this step is not possible now.")
                            % {"no": claim.number, "state": claim.get_status_display()}, code="illegal_transition")
    getattr(claim, transition)()
    claim.version += 1
    claim._history_user = actor
    claim.save()


def claim_submit(*, actor, claim: WarrantyClaim) -> WarrantyClaim:
    """Send the claim; it must carry evidence (a photo of the defect, the tag …)."""
    _require_claims(actor)
    with transaction.atomic():
        current = WarrantyClaim.objects.select_for_update().get(pk=claim.pk)
        if not current.attachments.exists():
            raise DomainError(_("Attach the evidence (photos, tag, test report) before submitting."), code="no_evidence")
        current.submitted_at = timezone.now()
        _advance(current, "submit", actor)
    return current


def claim_decide(*, actor, claim: WarrantyClaim, approved_amount: Decimal, note: str = "") -> WarrantyClaim:
    """Record the manufacturer's answer: all, part or nothing of the amount claimed."""
    if not actor.has_perm("parts.decide_claims"):
        raise PermissionDenied(_("You may not record the manufacturer's decision."))
    amount = Decimal(str(approved_amount)).quantize(Decimal("0.01"))
    with transaction.atomic():
        current = WarrantyClaim.objects.select_for_update().get(pk=claim.pk)
        if amount < 0 or amount > current.claimed_amount:
            raise DomainError({"approved_amount": [_("Approve between 0 and the %(n)s yuan claimed.") % {"n": current.claimed_amount}]})
        if amount < current.claimed_amount and len((note or "").strip()) < 2:
            raise DomainError({"note": [_("Record why the manufacturer did not approve everything.")]})
        transition = "approve" if amount == current.claimed_amount else ("reject" if amount == 0 else "approve_partly")
        current.approved_amount, current.decision_note, current.decided_at = amount, (note or "").strip()[:300], timezone.now()
        _advance(current, transition, actor)
    return current


def _warranty_end(work_order: WorkOrder, part: Part) -> dt.date | None:
    equipment = work_order.request.equipment
    if equipment is None:
        return None
    status = equipment.warranty_status(timezone.localdate())
    ends = [d for d in (status.unit_until, status.main_parts_until if part.is_main_part else None) if d and d >= timezone.localdate()]
    return max(ends) if ends else None


def _warn_if_warranty_ends_first(order: BackOrder) -> None:
    if order.warranty_expires_first:
        notice_send(recipients=[*centre_supervisors(order.work_order.service_center), order.work_order.technician], kind="backorder_warranty",
                    title=_("Warranty of %(wo)s ends %(end)s, before %(part)s arrives")
                    % {"wo": order.work_order.number, "end": order.warranty_ends, "part": order.part},
                    url=reverse("parts:backorders"), dedupe_key=f"backorder-warranty:{order.pk}:{order.expected_on}")


def backorder_create(*, actor, work_order: WorkOrder, part: Part, quantity, expected_on: dt.date, supplier: Supplier | None = None) -> BackOrder:
    """Order a part for a customer's job; warn at once if the warranty will end before it arrives."""
    if not actor.has_perm("workorders.work", work_order) and not actor.has_perm("parts.keep_stock", None):
        raise PermissionDenied(_("You may not order parts for this job."))
    if expected_on < timezone.localdate():
        raise DomainError({"expected_on": [_("The expected date cannot lie in the past.")]})
    with transaction.atomic():
        order = BackOrder.objects.create(
            number=document_number(BACK_ORDER_PREFIX, timezone.now()), part=part, quantity=clean_quantity(quantity), work_order=work_order,
            supplier=supplier or part.supplier, ordered_by=actor, expected_on=expected_on, warranty_ends=_warranty_end(work_order, part),
        )
        _warn_if_warranty_ends_first(order)
    return order


def backorder_delay(*, actor, order: BackOrder, new_expected_on: dt.date, reason: str, customer_told_via: str) -> BackOrder:
    """The supplier moved the date: the customer is told in advance (how is recorded) and the warranty check runs again."""
    errors: dict[str, list[str]] = {}
    if order.status != BackOrderStatus.ORDERED:
        raise ConflictError(_("Back-order %(no)s is no longer open.") % {"no": order.number}, code="closed")
    if new_expected_on <= order.expected_on:
        errors["new_expected_on"] = [_("A delay moves the date later.")]
    if len((reason or "").strip()) < 2:
        errors["reason"] = [_("Give the reason for the delay.")]
    if customer_told_via not in ToldVia.values:
        errors["customer_told_via"] = [_("Say how the customer was told.")]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        current = BackOrder.objects.select_for_update().get(pk=order.pk)
        current.expected_on, current.delay_count, current.last_delay_reason = new_expected_on, current.delay_count + 1, reason.strip()[:200]
        current.customer_told_at, current.customer_told_via = timezone.now(), customer_told_via
        current.warranty_ends = _warranty_end(current.work_order, current.part)
        current._history_user = actor
        current.save()
        _warn_if_warranty_ends_first(current)
    return current


def backorder_arrive(*, actor, order: BackOrder, warehouse: Warehouse, unit_cost: Decimal | None = None) -> BackOrder:
    """The part has come: it is received into ``warehouse`` and the job's technician is told."""
    require_keeper(actor, warehouse)
    with transaction.atomic():
        current = BackOrder.objects.select_for_update(of=("self",)).select_related("part", "work_order").get(pk=order.pk)
        if current.status != BackOrderStatus.ORDERED:
            raise ConflictError(_("Back-order %(no)s is no longer open.") % {"no": current.number}, code="closed")
        post_movement(part=current.part, warehouse=warehouse, kind=MovementKind.RECEIPT, quantity=current.quantity, actor=actor,
                      unit_cost=unit_cost, work_order=None, reference=current.number)
        current.status, current.arrived_at = BackOrderStatus.ARRIVED, timezone.now()
        current._history_user = actor
        current.save()
        notice_send(recipients=[current.work_order.technician], kind="backorder_arrived",
                    title=_("%(part)s for %(wo)s has arrived") % {"part": current.part, "wo": current.work_order.number},
                    url=reverse("workorders:detail", args=[current.work_order_id]))
    return current
