"""Reads of parts and stock: what each person may see, and the stock reports (PART-01, PART-06)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from aftersales.accounts.scoping import scope_money
from aftersales.parts.models import (
    DECIDED_CLAIMS,
    BackOrder,
    BackOrderStatus,
    MovementKind,
    OldPart,
    Part,
    Requisition,
    StockBalance,
    StockMovement,
    Warehouse,
    WarehouseLevel,
    WarrantyClaim,
)

ZERO = Decimal("0")
QTY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def part_list(*, q: str = "", active_only: bool = True, family_model_ids: list[int] | None = None) -> QuerySet[Part]:
    """The catalogue (every staff member may read it), searched by code, name or specification."""
    qs = Part.objects.select_related("supplier").prefetch_related("compatible_models")
    if active_only:
        qs = qs.filter(is_active=True)
    if q.strip():
        term = q.strip()
        qs = qs.filter(Q(code__istartswith=term) | Q(name__icontains=term) | Q(specification__icontains=term))
    if family_model_ids:
        qs = qs.filter(Q(compatible_models__in=family_model_ids) | Q(compatible_models__isnull=True)).distinct()
    return qs.order_by("code")


def warehouses_visible_to(user) -> QuerySet[Warehouse]:
    """Head office sees every warehouse; a centre its own and the central one; a technician his van too."""
    qs = Warehouse.objects.filter(is_active=True).select_related("service_center", "technician")
    if user.has_global_scope:
        return qs
    return qs.filter(Q(level=WarehouseLevel.CENTRAL) | Q(service_center_id=user.service_center_id) | Q(technician=user))


def get_warehouse_for_user(user, pk) -> Warehouse:
    try:
        return warehouses_visible_to(user).get(pk=pk)
    except (Warehouse.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("warehouse") from exc


def balances(*, warehouse: Warehouse, q: str = "") -> QuerySet[StockBalance]:
    qs = StockBalance.objects.filter(warehouse=warehouse).exclude(quantity=0).select_related("part")
    if q.strip():
        qs = qs.filter(Q(part__code__istartswith=q.strip()) | Q(part__name__icontains=q.strip()))
    return qs.order_by("part__code")


def movements(*, warehouse: Warehouse | None = None, part: Part | None = None, work_order=None) -> QuerySet[StockMovement]:
    qs = StockMovement.objects.select_related("part", "warehouse", "actor", "work_order")
    if warehouse is not None:
        qs = qs.filter(warehouse=warehouse)
    if part is not None:
        qs = qs.filter(part=part)
    if work_order is not None:
        qs = qs.filter(work_order=work_order)
    return qs.order_by("-at", "-id")


def low_stock(*, user) -> QuerySet[Part]:
    """Stocked parts at or below their reorder point in a warehouse the user sees (central and centres)."""
    stores = warehouses_visible_to(user).filter(level__in=[WarehouseLevel.CENTRAL, WarehouseLevel.CENTER])
    rows = []
    for store in stores:
        on_hand = StockBalance.objects.filter(part=OuterRef("pk"), warehouse=store).values("quantity")[:1]
        qs = Part.objects.filter(is_active=True, reorder_point__gt=0).annotate(
            on_hand=Coalesce(Subquery(on_hand, output_field=QTY_FIELD), Value(ZERO), output_field=QTY_FIELD)
        ).filter(on_hand__lte=F("reorder_point"))
        rows.append(qs.order_by().annotate(store_name=Value(store.name)))  # a compound query takes no per-part ORDER BY
    if not rows:
        return Part.objects.none()
    combined = rows[0]
    for qs in rows[1:]:
        combined = combined.union(qs, all=True)
    return combined.order_by("code")


@dataclass
class AbcRow:
    part: Part
    value: Decimal
    share: Decimal  # cumulative share of consumption value, in percent
    grade: str


def abc_classification(*, start: dt.date, end: dt.date) -> list[AbcRow]:
    """Parts ranked by consumption value (issued minus returned, at cost) in [start, end].

    A: the parts that make up the first ``PARTS_ABC_A_PERCENT`` of the value; B: up to
    ``PARTS_ABC_B_PERCENT``; C: the rest, including parts not used at all in the period.
    """
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    used = (StockMovement.objects.filter(kind__in=[MovementKind.ISSUE, MovementKind.RETURN], at__gte=lo, at__lt=hi)
            .values("part_id").annotate(value=Sum(-F("quantity") * F("unit_cost"), output_field=QTY_FIELD)))
    values = {row["part_id"]: row["value"] or ZERO for row in used}
    parts = sorted(Part.objects.filter(is_active=True), key=lambda p: (-values.get(p.pk, ZERO), p.code))
    total = sum((v for v in values.values() if v > 0), ZERO)
    result, running = [], ZERO
    for part in parts:
        value = max(values.get(part.pk, ZERO), ZERO)
        before = running
        running += value
        share = (running * 100 / total).quantize(Decimal("0.1")) if total else Decimal("100")
        start_share = (before * 100 / total) if total else Decimal("100")
        grade = "C" if value == 0 else ("A" if start_share < settings.PARTS_ABC_A_PERCENT else "B" if start_share < settings.PARTS_ABC_B_PERCENT else "C")
        result.append(AbcRow(part, value.quantize(Decimal("0.01")), share, grade))
    return result


@dataclass
class StockReportRow:
    part: Part
    opening: Decimal
    received: Decimal
    issued: Decimal
    closing: Decimal
    closing_value: Decimal


def stock_report(*, warehouse: Warehouse, start: dt.date, end: dt.date) -> list[StockReportRow]:
    """材料进消存报表: per part, opening, in, out and closing quantity for [start, end] (two queries)."""
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    base = StockMovement.objects.filter(warehouse=warehouse)
    sums = base.filter(at__lt=hi).values("part_id").annotate(
        opening=Coalesce(Sum("quantity", filter=Q(at__lt=lo)), Value(ZERO), output_field=QTY_FIELD),
        received=Coalesce(Sum("quantity", filter=Q(at__gte=lo, quantity__gt=0)), Value(ZERO), output_field=QTY_FIELD),
        issued=Coalesce(Sum(-F("quantity"), filter=Q(at__gte=lo, quantity__lt=0)), Value(ZERO), output_field=QTY_FIELD),
    )
    parts = {p.pk: p for p in Part.objects.filter(pk__in=[r["part_id"] for r in sums])}
    rows = []
    for r in sums:
        part = parts[r["part_id"]]
        closing = r["opening"] + r["received"] - r["issued"]
        rows.append(StockReportRow(part, r["opening"], r["received"], r["issued"], closing, (closing * part.cost).quantize(Decimal("0.01"))))
    return sorted(rows, key=lambda row: row.part.code)


def requisitions_visible_to(user) -> QuerySet[Requisition]:
    """The requester's own; the keepers' of the warehouses involved; the centre's for its supervisors."""
    qs = Requisition.objects.select_related("requested_by", "from_warehouse", "to_warehouse", "service_center")
    if user.has_global_scope:
        return qs
    return qs.filter(Q(requested_by=user) | Q(service_center_id=user.service_center_id) | Q(from_warehouse__in=warehouses_visible_to(user)
                                                                                          .filter(level=WarehouseLevel.CENTRAL))).distinct()


def get_requisition_for_user(user, pk) -> Requisition:
    try:
        return requisitions_visible_to(user).get(pk=pk)
    except (Requisition.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("requisition") from exc


def old_parts_visible_to(user) -> QuerySet[OldPart]:
    qs = OldPart.objects.select_related("part", "work_order", "work_order__service_center", "claim")
    return scope_money(qs, user, center_field="work_order__service_center")


def claims_visible_to(user) -> QuerySet[WarrantyClaim]:
    """Claims of the user's centre; a field-only technician's only for his own jobs."""
    return scope_money(WarrantyClaim.objects.select_related("work_order", "manufacturer", "created_by"), user,
                       center_field="work_order__service_center")


def get_claim_for_user(user, pk) -> WarrantyClaim:
    try:
        return claims_visible_to(user).get(pk=pk)
    except (WarrantyClaim.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("claim") from exc


@dataclass
class ClaimRate:
    decided: int
    approved: int
    rate: Decimal | None  # percent of decided claims approved in full or in part
    target: int

    @property
    def on_target(self) -> bool | None:
        return None if self.rate is None else self.rate >= self.target


def claim_approval_rate(*, user, since: dt.date | None = None) -> ClaimRate:
    """The claim approval rate KPI (target ``CLAIM_APPROVAL_TARGET_PERCENT``, 95 % by default)."""
    qs = claims_visible_to(user).filter(status__in=DECIDED_CLAIMS)
    if since:
        qs = qs.filter(decided_at__date__gte=since)
    decided = qs.count()
    approved = qs.exclude(status="rejected").count()
    rate = (Decimal(approved) * 100 / decided).quantize(Decimal("0.1")) if decided else None
    return ClaimRate(decided, approved, rate, settings.CLAIM_APPROVAL_TARGET_PERCENT)


def backorders_visible_to(user, *, open_only: bool = True) -> QuerySet[BackOrder]:
    qs = BackOrder.objects.select_related("part", "work_order", "work_order__request__customer", "supplier")
    if open_only:
        qs = qs.filter(status=BackOrderStatus.ORDERED)
    return scope_money(qs, user, center_field="work_order__service_center")


@dataclass
class VanStock:
    """The technician's van stock for one job: what fits the machine's model first, the rest after."""

    fitting: list[StockBalance]
    other: list[StockBalance]


def van_stock_for_job(work_order) -> VanStock:
    """What is in the job's technician's van now (two queries), split by whether it fits the machine's model."""
    rows = list(StockBalance.objects.filter(warehouse__technician_id=work_order.technician_id, warehouse__level=WarehouseLevel.VAN, quantity__gt=0)
                .select_related("part", "warehouse").prefetch_related("part__compatible_models").order_by("part__code"))
    model_id = work_order.request.product_model_id
    return VanStock(fitting=[r for r in rows if r.part.fits(model_id)], other=[r for r in rows if not r.part.fits(model_id)])
