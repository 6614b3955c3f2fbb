"""Posting to the stock ledger (PART-06): receipts, transfers, adjustments, scrap, corrections.

Every movement goes through ``post_movement``, which locks the part's balance row in that
warehouse, refuses to take more than is there, and writes the movement and the new balance in
the caller's transaction. Twenty technicians issuing the last ten bearings at once therefore
leave exactly zero, and ten of them get a clear refusal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import ServiceCenter, User
from aftersales.core.errors import DomainError
from aftersales.core.money import fmt_qty
from aftersales.parts.models import MovementKind, Part, StockBalance, StockMovement, Warehouse, WarehouseLevel

CENTRAL_CODE = "central"
CENT = Decimal("0.01")


def clean_quantity(quantity, *, field: str = "quantity") -> Decimal:
    """A positive quantity with at most two decimals, or ``DomainError``."""
    try:
        value = Decimal(str(quantity))
    except ArithmeticError as exc:
        raise DomainError({field: [_("Enter a quantity.")]}) from exc
    if not value.is_finite() or value <= 0 or value != value.quantize(CENT) or value > Decimal("99999999"):
        raise DomainError({field: [_("The quantity must be a positive number (at most two decimals).")]}, code="bad_quantity")
    return value


def central_warehouse() -> Warehouse:
    # Warehouse names are data, written in Chinese like the rest of the archive.
    return Warehouse.objects.get_or_create(code=CENTRAL_CODE, defaults={"name": "中心仓库", "level": WarehouseLevel.CENTRAL})[0]


def center_warehouse(center: ServiceCenter) -> Warehouse:
    return Warehouse.objects.get_or_create(
        code=f"c-{center.code}".lower(), defaults={"name": f"{center.name}仓库", "level": WarehouseLevel.CENTER,
                                                    "service_center": center},
    )[0]


def old_parts_warehouse(center: ServiceCenter) -> Warehouse:
    return Warehouse.objects.get_or_create(
        code=f"old-{center.code}".lower(), defaults={"name": f"{center.name}旧件库", "level": WarehouseLevel.OLD,
                                                      "service_center": center},
    )[0]


def van_warehouse(technician: User) -> Warehouse:
    """The technician's own van stock (created on first use)."""
    if technician.service_center_id is None:
        raise DomainError(_("%(name)s belongs to no service centre and has no van stock.") % {"name": technician})
    return Warehouse.objects.get_or_create(
        technician=technician, defaults={"code": f"van-{technician.username}".lower()[:30], "name": f"{technician}车载库",
                                         "level": WarehouseLevel.VAN, "service_center": technician.service_center},
    )[0]


def require_keeper(actor, warehouse: Warehouse) -> None:
    if not actor.has_perm("parts.keep_stock", warehouse):
        raise PermissionDenied(_("Only the keeper of %(wh)s may post to it.") % {"wh": warehouse})


def _balance_for_update(part: Part, warehouse: Warehouse, *, create: bool) -> StockBalance | None:
    balance = StockBalance.objects.select_for_update().filter(part=part, warehouse=warehouse).first()
    if balance is None and create:
        try:
            with transaction.atomic():
                StockBalance.objects.create(part=part, warehouse=warehouse)
        except IntegrityError:
            pass  # created by a concurrent first receipt; lock it below
        balance = StockBalance.objects.select_for_update().get(part=part, warehouse=warehouse)
    return balance


def post_movement(
    *, part: Part, warehouse: Warehouse, kind: str, quantity: Decimal, actor, unit_cost: Decimal | None = None, work_order=None,
    reference: str = "", note: str = "", corrects: StockMovement | None = None, at: dt.datetime | None = None,
) -> StockMovement:
    """Post one signed movement (+ in, − out) and move the balance; refuse to go below zero.

    Must run inside the caller's transaction (so a multi-line document posts all or nothing).
    """
    if quantity == 0:
        raise DomainError({"quantity": [_("The quantity must not be zero.")]})
    if not warehouse.is_active:
        raise DomainError(_("%(wh)s is closed.") % {"wh": warehouse})
    balance = _balance_for_update(part, warehouse, create=quantity > 0)
    on_hand = balance.quantity if balance else Decimal("0")
    if on_hand + quantity < 0:
        raise DomainError(
            {"quantity": [_("Only %(on_hand)s %(unit)s of %(part)s in %(wh)s; %(wanted)s cannot be taken.")
                          % {"on_hand": fmt_qty(on_hand), "unit": part.unit, "part": part, "wh": warehouse, "wanted": fmt_qty(-quantity)}]},
            code="insufficient_stock",
        )
    balance.quantity = on_hand + quantity
    balance.save(update_fields=["quantity"])
    return StockMovement.objects.create(
        part=part, warehouse=warehouse, kind=kind, quantity=quantity, unit_cost=part.cost if unit_cost is None else unit_cost,
        actor=actor if getattr(actor, "pk", None) else None, work_order=work_order, reference=reference[:60], note=note[:200],
        corrects=corrects, at=at or timezone.now(),
    )


def stock_receive(*, actor, warehouse: Warehouse, lines: list[tuple[Part, Decimal, Decimal | None]], reference: str = "") -> list[StockMovement]:
    """Goods in from a supplier (delivery note ``reference``); ``lines`` are (part, quantity, unit cost or None)."""
    require_keeper(actor, warehouse)
    if not lines:
        raise DomainError(_("Add at least one line."))
    with transaction.atomic():
        return [post_movement(part=part, warehouse=warehouse, kind=MovementKind.RECEIPT, quantity=clean_quantity(qty), actor=actor,
                              unit_cost=cost, reference=reference) for part, qty, cost in lines]


def stock_transfer(*, actor, source: Warehouse, target: Warehouse, lines: list[tuple[Part, Decimal]], reference: str = "",
                   check_keeper: bool = True) -> list[StockMovement]:
    """Move parts between warehouses: one − leg and one + leg per line, all or nothing."""
    if check_keeper:
        require_keeper(actor, source)
    if source.pk == target.pk:
        raise DomainError(_("Choose two different warehouses."))
    movements = []
    with transaction.atomic():
        for part, qty in lines:
            qty = clean_quantity(qty)
            out = post_movement(part=part, warehouse=source, kind=MovementKind.TRANSFER_OUT, quantity=-qty, actor=actor, reference=reference,
                                note=str(target))
            movements += [out, post_movement(part=part, warehouse=target, kind=MovementKind.TRANSFER_IN, quantity=qty, actor=actor,
                                             unit_cost=out.unit_cost, reference=reference, note=str(source))]
    return movements


def stock_scrap(*, actor, warehouse: Warehouse, part: Part, quantity, reason: str) -> StockMovement:
    require_keeper(actor, warehouse)
    if len((reason or "").strip()) < 2:
        raise DomainError({"reason": [_("Give the reason for scrapping.")]})
    with transaction.atomic():
        return post_movement(part=part, warehouse=warehouse, kind=MovementKind.SCRAP, quantity=-clean_quantity(quantity), actor=actor,
                             note=reason.strip())


def stock_correct(*, actor, movement: StockMovement, reason: str) -> StockMovement:
    """Correct a posted movement by posting its opposite (the original stays in the ledger)."""
    require_keeper(actor, movement.warehouse)
    if len((reason or "").strip()) < 2:
        raise DomainError({"reason": [_("Give the reason for the correction.")]})
    if movement.kind in (MovementKind.ISSUE, MovementKind.RETURN):
        raise DomainError(_("Parts used on a job are corrected by returning them from the job."), code="job_movement")
    if movement.corrections.exists():
        raise DomainError(_("This movement has already been corrected."), code="already_corrected")
    with transaction.atomic():
        return post_movement(part=movement.part, warehouse=movement.warehouse, kind=movement.kind, quantity=-movement.quantity, actor=actor,
                             unit_cost=movement.unit_cost, reference=movement.reference, note=reason.strip(), corrects=movement)


def on_hand(part: Part, warehouse: Warehouse) -> Decimal:
    balance = StockBalance.objects.filter(part=part, warehouse=warehouse).values_list("quantity", flat=True).first()
    return balance if balance is not None else Decimal("0")
