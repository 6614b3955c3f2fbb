"""配件申请单 (PART-01): ask for parts, the warehouse approves (all, part or none) and transfers them."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.models import document_number
from aftersales.core.money import fmt_qty
from aftersales.notifications.services import notice_send
from aftersales.parts.models import Part, Requisition, RequisitionLine, Warehouse, WarehouseLevel
from aftersales.parts.services.stock import clean_quantity, require_keeper, stock_transfer

PREFIX = "PJ"


def _may_request_into(actor, warehouse: Warehouse) -> bool:
    """A technician asks for his own van; centre staff for their centre's warehouse or vans."""
    if warehouse.technician_id == actor.pk:
        return True
    if actor.has_perm("parts.keep_stock", warehouse):
        return True
    return warehouse.level in (WarehouseLevel.CENTER, WarehouseLevel.VAN) and warehouse.service_center_id == actor.service_center_id and \
        actor.has_perm("workorders.dispatch", warehouse)


def requisition_create(
    *, actor, to_warehouse: Warehouse, from_warehouse: Warehouse, lines: list[tuple[Part, Decimal]], work_order=None, reason: str = "",
) -> Requisition:
    """Submit a requisition; each part once, positive quantities, two different warehouses."""
    if not _may_request_into(actor, to_warehouse):
        raise PermissionDenied(_("You may only ask for parts for your own van or your centre."))
    errors: dict[str, list[str]] = {}
    if not lines:
        errors["lines"] = [_("Add at least one part.")]
    if len({part.pk for part, _qty in lines}) != len(lines):
        errors["lines"] = [_("List each part once.")]
    if to_warehouse.pk == from_warehouse.pk or from_warehouse.level in (WarehouseLevel.VAN, WarehouseLevel.OLD):
        errors["from_warehouse"] = [_("Ask a central or service-centre warehouse.")]
    if errors:
        raise DomainError(errors)
    cleaned = [(part, clean_quantity(qty)) for part, qty in lines]
    now = timezone.now()
    with transaction.atomic():
        requisition = Requisition.objects.create(
            number=document_number(PREFIX, now), requested_by=actor, service_center=to_warehouse.service_center or actor.service_center,
            to_warehouse=to_warehouse, from_warehouse=from_warehouse, work_order=work_order, reason=(reason or "").strip()[:200],
        )
        RequisitionLine.objects.bulk_create([RequisitionLine(requisition=requisition, part=p, quantity=q) for p, q in cleaned])
    return requisition


def _locked(requisition: Requisition, expected_version: int | None) -> Requisition:
    current = Requisition.objects.select_for_update(of=("self",)).select_related("from_warehouse", "to_warehouse", "requested_by").get(pk=requisition.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(_("Someone else changed requisition %(no)s meanwhile. Reload and try again.") % {"no": current.number})
    return current


def _advance(current: Requisition, transition: str) -> None:
    if not can_proceed(getattr(current, transition)):
        raise ConflictError(_("Requisition %(no)s is “%(state)s”; this step is not possible now.")
                            % {"no": current.number, "state": current.get_status_display()}, code="illegal_transition")
    getattr(current, transition)()
    current.version += 1
    current.save()


def _tell_requester(current: Requisition) -> None:
    notice_send(recipients=[current.requested_by], kind="requisition", url=reverse("parts:requisition", args=[current.pk]),
                title=_("Requisition %(no)s: %(state)s") % {"no": current.number, "state": current.get_status_display()})


def requisition_decide(*, actor, requisition: Requisition, approved: dict[int, Decimal], note: str = "",
                       expected_version: int | None = None) -> Requisition:
    """The keeper of the source warehouse approves each line up to what was asked (0 = not approved).

    All lines approved in full → approved; some → partly approved; none → rejected (reason needed).
    """
    require_keeper(actor, requisition.from_warehouse)
    with transaction.atomic():
        current = _locked(requisition, expected_version)
        lines = list(current.lines.select_related("part"))
        for line in lines:
            qty = Decimal(str(approved.get(line.pk, 0) or 0))
            if qty < 0 or qty > line.quantity or qty != qty.quantize(Decimal("0.01")):
                raise DomainError({"approved": [_("Approve between 0 and %(n)s of %(part)s.") % {"n": fmt_qty(line.quantity), "part": line.part}]})
            line.approved_quantity = qty
            line.save(update_fields=["approved_quantity"])
        granted = [line for line in lines if line.approved_quantity > 0]
        if not granted and len((note or "").strip()) < 2:
            raise DomainError({"note": [_("Say why nothing is approved.")]})
        transition = "reject" if not granted else ("approve" if all(line.approved_quantity == line.quantity for line in lines) else "approve_partly")
        current.decided_by, current.decided_at, current.decision_note = actor, timezone.now(), (note or "").strip()[:200]
        _advance(current, transition)
        _tell_requester(current)
    return current


def requisition_transfer(*, actor, requisition: Requisition, expected_version: int | None = None) -> Requisition:
    """Move the approved quantities to the requester's warehouse (refused, nothing moved, if stock is short)."""
    require_keeper(actor, requisition.from_warehouse)
    with transaction.atomic():
        current = _locked(requisition, expected_version)
        _advance(current, "transfer")
        lines = [(line.part, line.approved_quantity) for line in current.lines.select_related("part") if line.approved_quantity]
        stock_transfer(actor=actor, source=current.from_warehouse, target=current.to_warehouse, lines=lines, reference=current.number,
                       check_keeper=False)
        current.transferred_at = timezone.now()
        current.save(update_fields=["transferred_at"])
        _tell_requester(current)
    return current


def requisition_cancel(*, actor, requisition: Requisition) -> Requisition:
    if requisition.requested_by_id != actor.pk:
        raise PermissionDenied(_("Only the requester may withdraw a requisition."))
    with transaction.atomic():
        current = _locked(requisition, None)
        _advance(current, "cancel")
    return current
