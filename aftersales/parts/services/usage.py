"""Parts used on a job (PART-02): issued from the technician's van (or his centre's warehouse), returned if unused."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.money import fmt_qty
from aftersales.parts.models import MovementKind, Part, Requisition, Warehouse, WarehouseLevel, WorkOrderPart
from aftersales.parts.services.requisitions import requisition_create
from aftersales.parts.services.stock import center_warehouse, clean_quantity, post_movement, van_warehouse
from aftersales.workorders.models import Status as WorkOrderStatus
from aftersales.workorders.models import WorkOrder, WorkOrderEvent

# Parts are fitted while the technician is at the machine or the item is in the workshop.
USABLE_STATES = (WorkOrderStatus.ON_SITE, WorkOrderStatus.TAKEN_BACK, WorkOrderStatus.IN_REPAIR)


def _source(work_order: WorkOrder, warehouse: Warehouse | None) -> Warehouse:
    """The technician's van by default; otherwise his centre's own warehouse, never another centre's."""
    if warehouse is None:
        return van_warehouse(work_order.technician)
    allowed = warehouse.level == WarehouseLevel.CENTER and warehouse.service_center_id == work_order.service_center_id
    if not (allowed or warehouse.technician_id == work_order.technician_id):
        raise DomainError({"warehouse": [_("Parts for this job come from the technician's van or the centre's warehouse.")]})
    return warehouse


def part_issue_to_work_order(
    *, actor, work_order: WorkOrder, part: Part, quantity, warehouse: Warehouse | None = None, override_reason: str = "",
) -> WorkOrderPart:
    """Take ``quantity`` of ``part`` out of stock for this job and record it on the voucher.

    A part not listed as compatible with the machine's model needs a reason (the technician may
    know a substitute fits); more than is in stock is refused; the job must be under way.
    """
    if not actor.has_perm("workorders.work", work_order):
        raise PermissionDenied(_("Only the job's technician or the supervisor may use parts on it."))
    qty = clean_quantity(quantity)
    override = (override_reason or "").strip()
    with transaction.atomic():
        current = WorkOrder.objects.select_for_update(of=("self",)).select_related("request__product_model", "technician").get(pk=work_order.pk)
        if current.status not in USABLE_STATES:
            raise ConflictError(_("Parts are used while the job is on site or in the workshop; voucher %(no)s is “%(state)s”.")
                                % {"no": current.number, "state": current.get_status_display()}, code="illegal_transition")
        model_id = current.request.product_model_id
        if not part.fits(model_id) and not override:
            raise DomainError({"override_reason": [_("%(part)s is not listed for %(model)s. Give a reason to use it anyway.")
                                                   % {"part": part, "model": current.request.product_model}]}, code="not_compatible")
        source = _source(current, warehouse)
        movement = post_movement(part=part, warehouse=source, kind=MovementKind.ISSUE, quantity=-qty, actor=actor, work_order=current,
                                 reference=current.number, note=override)
        return WorkOrderPart.objects.create(work_order=current, part=part, warehouse=source, quantity=qty, unit_cost=movement.unit_cost,
                                            issued_by=actor, compatibility_override=override if not part.fits(model_id) else "")


def part_return_from_work_order(*, actor, usage: WorkOrderPart, quantity) -> WorkOrderPart:
    """An unused part goes back to the warehouse it came from, at the cost it left at."""
    work_order = usage.work_order
    if not actor.has_perm("workorders.work", work_order):
        raise PermissionDenied(_("Only the job's technician or the supervisor may return its parts."))
    qty = clean_quantity(quantity)
    with transaction.atomic():
        current = WorkOrderPart.objects.select_for_update().get(pk=usage.pk)
        if qty > current.net_quantity:
            raise DomainError({"quantity": [_("Only %(n)s were used on this job.") % {"n": fmt_qty(current.net_quantity)}]})
        post_movement(part=current.part, warehouse=current.warehouse, kind=MovementKind.RETURN, quantity=qty, actor=actor, work_order=work_order,
                      unit_cost=current.unit_cost, reference=work_order.number)
        current.returned_quantity += qty
        current.save(update_fields=["returned_quantity"])
    return current


def parts_cost(work_order: WorkOrder) -> Decimal:
    """What the parts used on the job cost the company."""
    return sum((u.net_quantity * u.unit_cost for u in work_order.parts_used.all()), Decimal("0")).quantize(Decimal("0.01"))


def part_order_for_job(*, actor, work_order: WorkOrder, part: Part, quantity) -> Requisition:
    """"Order this part": the van has none, so a requisition from the centre's warehouse to the technician's
    van is submitted for this job and noted on its timeline. The technician then ends the visit as waiting
    for parts (the form offers it), which pauses the call until he checks in again."""
    if not actor.has_perm("workorders.work", work_order):
        raise PermissionDenied(_("Only the job's technician or the supervisor may order parts for it."))
    qty = clean_quantity(quantity)
    with transaction.atomic():
        requisition = requisition_create(actor=actor, to_warehouse=van_warehouse(work_order.technician),
                                         from_warehouse=center_warehouse(work_order.service_center), lines=[(part, qty)], work_order=work_order,
                                         reason=_("Needed on job %(no)s") % {"no": work_order.number})
        WorkOrderEvent.objects.create(work_order=work_order, actor=actor, kind="part_ordered",
                                      note=f"{requisition.number}: {part} × {fmt_qty(qty)}")
    return requisition
