"""Stock counts (盘点, PART-06): freeze what the ledger expects, record what is on the shelf, post the differences."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import ConflictError, DomainError
from aftersales.parts.models import MovementKind, StockBalance, StockCount, StockCountLine, Warehouse
from aftersales.parts.services.stock import post_movement, require_keeper


def stock_count_start(*, actor, warehouse: Warehouse) -> StockCount:
    """Open a count with every part the warehouse holds (one open count per warehouse)."""
    require_keeper(actor, warehouse)
    try:
        with transaction.atomic():
            count = StockCount.objects.create(warehouse=warehouse, started_by=actor)
            StockCountLine.objects.bulk_create([
                StockCountLine(count=count, part_id=part_id, expected=qty)
                for part_id, qty in StockBalance.objects.filter(warehouse=warehouse).values_list("part_id", "quantity")
            ])
    except IntegrityError as exc:
        raise ConflictError(_("%(wh)s is already being counted.") % {"wh": warehouse}, code="count_open") from exc
    return count


def stock_count_record(*, actor, count: StockCount, counted: dict[int, Decimal]) -> StockCount:
    """Record counted quantities by line id (0 or more, two decimals)."""
    require_keeper(actor, count.warehouse)
    if count.status != StockCount.Status.COUNTING:
        raise ConflictError(_("This count has been posted."), code="posted")
    with transaction.atomic():
        for line in count.lines.select_for_update():
            if line.pk in counted and counted[line.pk] is not None:
                value = Decimal(str(counted[line.pk]))
                if value < 0 or value != value.quantize(Decimal("0.01")):
                    raise DomainError({"counted": [_("A counted quantity cannot be negative.")]})
                line.counted = value
                line.save(update_fields=["counted"])
    return count


def stock_count_post(*, actor, count: StockCount) -> StockCount:
    """Post one adjustment per difference; every line must have been counted. Movements since the
    count began are respected: the adjustment is the counted minus the expected quantity."""
    require_keeper(actor, count.warehouse)
    with transaction.atomic():
        current = StockCount.objects.select_for_update().get(pk=count.pk)
        if current.status != StockCount.Status.COUNTING:
            raise ConflictError(_("This count has been posted."), code="posted")
        lines = list(current.lines.select_related("part"))
        missing = [line.part.code for line in lines if line.counted is None]
        if missing:
            raise DomainError(_("Count these parts first: %(codes)s") % {"codes": ", ".join(missing[:20])}, code="uncounted")
        for line in lines:
            if line.difference:
                post_movement(part=line.part, warehouse=current.warehouse, kind=MovementKind.ADJUSTMENT, quantity=line.difference, actor=actor,
                              reference=f"count-{current.pk}", note=_("stock count"))
        current.status, current.posted_by, current.posted_at = StockCount.Status.POSTED, actor, timezone.now()
        current.save()
    return current
