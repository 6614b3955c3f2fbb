"""Reads of returns: the list, one return, and the monthly return rate per salesperson (RET-11, RET-14, RET-18)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from aftersales.accounts.scoping import scope_by_center
from aftersales.returns.models import ReturnRequest, ReturnStatus, ShipmentLine


def return_list(*, user, status: str = "") -> QuerySet[ReturnRequest]:
    qs = scope_by_center(ReturnRequest.objects.all(), user)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("customer", "line__shipment", "salesperson", "rule").order_by("-reported_on", "-id")


def get_return_for_user(user, pk: int) -> ReturnRequest:
    try:
        return return_list(user=user).get(pk=pk)
    except (ReturnRequest.DoesNotExist, ValueError) as exc:
        raise Http404("return") from exc


def get_line_for_user(user, pk: int) -> ShipmentLine:
    try:
        return scope_by_center(ShipmentLine.objects.all(), user, field="shipment__customer__service_center").select_related(
            "shipment__customer", "shipment__salesperson").get(pk=pk)
    except (ShipmentLine.DoesNotExist, ValueError) as exc:
        raise Http404("shipment line") from exc


@dataclass
class RateRow:
    salesperson: str
    sales: Decimal
    returns: Decimal
    excluded: Decimal
    overdraft: int

    @property
    def rate(self) -> Decimal:
        return (self.returns * 100 / self.sales).quantize(Decimal("0.01")) if self.sales else Decimal("0.00")

    @property
    def over_cap(self) -> bool:
        return self.rate > Decimal(settings.RETURN_RATE_CAP_PERCENT)


def _month(month: dt.date) -> tuple[dt.date, dt.date]:
    start = month.replace(day=1)
    return start, (start + dt.timedelta(days=32)).replace(day=1)


def return_rates(*, user, month: dt.date) -> list[RateRow]:
    """RET-11: month returns ÷ month sales per salesperson (company shipping errors and factory batch defects excluded),
    with overdraft-selling occurrences (RET-14)."""
    start, end = _month(month)
    rows: dict[int, RateRow] = {}
    lines = scope_by_center(ShipmentLine.objects.all(), user, field="shipment__customer__service_center").filter(
        shipment__shipped_on__gte=start, shipment__shipped_on__lt=end).select_related("shipment__salesperson")
    for line in lines:
        person = line.shipment.salesperson
        row = rows.setdefault(person.pk, RateRow(str(person), Decimal("0"), Decimal("0"), Decimal("0"), 0))
        row.sales += line.amount
    returns = return_list(user=user).filter(reported_on__gte=start, reported_on__lt=end).exclude(
        status__in=[ReturnStatus.REFUSED, ReturnStatus.CANCELLED]).select_related("line")
    for request in returns:
        row = rows.setdefault(request.salesperson_id, RateRow(str(request.salesperson), Decimal("0"), Decimal("0"), Decimal("0"), 0))
        value = (request.quantity * request.line.unit_price).quantize(Decimal("0.01"))
        if request.company_fault:
            row.excluded += value
        else:
            row.returns += value
        row.overdraft += request.overdraft
    return sorted(rows.values(), key=lambda r: -r.rate)
