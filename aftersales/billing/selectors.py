"""Reads of billing: a job's bill, what is waiting to be invoiced, receivables, discounts, cash, parts cost."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.accounts.scoping import scope_money
from aftersales.billing.models import (
    COMPANY_BEARS,
    PAYABLE_NOW,
    ChargeLine,
    Coverage,
    Discount,
    Invoice,
    LineKind,
    Payment,
    PriceList,
    Quotation,
)
from aftersales.core.money import ZERO
from aftersales.workorders.models import Status as WorkOrderStatus
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.selectors import work_order_visible_to

DONE = (WorkOrderStatus.COMPLETED, WorkOrderStatus.RETURNED)


@dataclass
class Bill:
    """A job's charges with their amounts; ``due`` is what the customer still owes now."""

    lines: list[ChargeLine]
    net: Decimal
    tax: Decimal
    total: Decimal
    paid: Decimal
    company_cost: Decimal  # what warranty, contract and goodwill lines cost the company
    pending_discounts: list[Discount] = field(default_factory=list)

    @property
    def due(self) -> Decimal:
        return self.total - self.paid


def job_bill(work_order: WorkOrder) -> Bill:
    lines = list(work_order.charges.select_related("part_usage__part", "coverage_overridden_by", "invoice").prefetch_related("discounts"))
    payable = [line.amounts for line in lines if line.coverage in PAYABLE_NOW]
    paid = sum((p.amount for p in work_order.payments.all()), ZERO)
    return Bill(
        lines=lines, net=sum((a.net for a in payable), ZERO), tax=sum((a.tax for a in payable), ZERO), total=sum((a.total for a in payable), ZERO),
        paid=paid, company_cost=sum((line.cost for line in lines if line.coverage in COMPANY_BEARS), ZERO),
        pending_discounts=[d for line in lines for d in line.discounts.all() if d.status == Discount.Status.PENDING],
    )


def to_invoice(*, user) -> list[WorkOrder]:
    """Finished jobs with paid lines and no invoice yet, oldest first; ``late`` when not invoiced on the
    day of completion or return (BILL-02, BILL-03)."""
    qs = (work_order_visible_to(user).filter(status__in=DONE, charges__coverage__in=PAYABLE_NOW, charges__invoice__isnull=True)
          .exclude(pk__in=Invoice.objects.filter(voided_at__isnull=True, work_order__isnull=False).values("work_order_id"))
          .select_related("request__customer", "technician").distinct()
          .order_by("completed_at", "id"))
    today = timezone.localdate()
    jobs = list(qs)
    for wo in jobs:
        wo.late = timezone.localtime(wo.completed_at).date() < today
    return jobs


def invoices_visible_to(user) -> QuerySet[Invoice]:
    """Invoices of the user's centre; a field-only technician's only for his own jobs."""
    return scope_money(Invoice.objects.select_related("customer", "work_order", "settlement", "issued_by"), user,
                       center_field="customer__service_center")


def get_invoice_for_user(user, pk) -> Invoice:
    try:
        return invoices_visible_to(user).get(pk=pk)
    except (Invoice.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("invoice") from exc


@dataclass
class AgeingRow:
    customer: object
    buckets: dict[str, Decimal]
    total: Decimal


AGE_BUCKETS = (("0-30", 0, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, 100000))


def receivables_ageing(*, user, today: dt.date | None = None) -> list[AgeingRow]:
    """Per customer, what is invoiced and not yet paid, by days since the invoice (one pass, three queries)."""
    today = today or timezone.localdate()
    invoices = list(invoices_visible_to(user).filter(voided_at__isnull=True)
                    .prefetch_related(Prefetch("work_order__payments", queryset=Payment.objects.only("amount", "work_order_id")),
                                      Prefetch("settlement__payments", queryset=Payment.objects.only("amount", "settlement_id"))))
    rows: dict[int, AgeingRow] = {}
    for inv in invoices:
        source = inv.work_order or inv.settlement
        open_amount = inv.total - sum((p.amount for p in source.payments.all()), ZERO)
        if open_amount <= 0:
            continue
        age = (today - inv.issued_on).days
        bucket = next(name for name, lo, hi in AGE_BUCKETS if lo <= age <= hi) if age >= 0 else AGE_BUCKETS[0][0]
        row = rows.setdefault(inv.customer_id, AgeingRow(inv.customer, {name: ZERO for name, *_ in AGE_BUCKETS}, ZERO))
        row.buckets[bucket] += open_amount
        row.total += open_amount
    return sorted(rows.values(), key=lambda r: -r.total)


def discount_sheet(*, user, year: int, month: int) -> QuerySet[Discount]:
    """售后折价单: every discount asked in the month, with its job and decision (BILL-05)."""
    qs = Discount.objects.filter(created_at__year=year, created_at__month=month).select_related(
        "line__work_order__request__customer", "line__work_order__service_center", "requested_by", "decided_by")
    if not user.has_global_scope:
        qs = qs.filter(line__work_order__service_center_id=user.service_center_id)
    return qs.order_by("created_at", "id")


def cash_waiting(*, user) -> list[dict]:
    """On-site takings not yet handed to the accountant, per technician and day."""
    qs = Payment.objects.filter(on_site=True, handover__isnull=True).select_related("collected_by", "work_order")
    if not user.has_global_scope:
        qs = qs.filter(work_order__service_center_id=user.service_center_id)
    groups: dict[tuple, dict] = {}
    for p in qs.order_by("collected_at"):
        key = (p.collected_by_id, timezone.localtime(p.collected_at).date())
        group = groups.setdefault(key, {"technician": p.collected_by, "day": key[1], "payments": [], "total": ZERO})
        group["payments"].append(p)
        group["total"] += p.amount
    return list(groups.values())


def quotations_visible_to(user) -> QuerySet[Quotation]:
    """Quotations of the user's centre; a field-only technician's only for his jobs, or written by him without one."""
    return scope_money(Quotation.objects.select_related("customer", "work_order", "family", "created_by"), user,
                       center_field="customer__service_center", own_field="created_by")


def get_quotation_for_user(user, pk) -> Quotation:
    try:
        return quotations_visible_to(user).get(pk=pk)
    except (Quotation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("quotation") from exc


def price_list_in_force(on: dt.date | None = None) -> PriceList | None:
    on = on or timezone.localdate()
    return PriceList.objects.filter(effective_from__lte=on).prefetch_related("labour_rates", "travel_fees").order_by("-effective_from").first()


@dataclass
class PartsCostRow:
    region: str
    in_warranty_qty: Decimal = ZERO
    in_warranty_cost: Decimal = ZERO
    out_of_warranty_qty: Decimal = ZERO
    out_of_warranty_cost: Decimal = ZERO


def parts_cost_by_warranty(*, user, start: dt.date, end: dt.date) -> list[PartsCostRow]:
    """CLS-03: parts replaced in and out of warranty, by service centre, with their cost."""
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    lines = ChargeLine.objects.filter(kind=LineKind.PART, created_at__gte=lo, created_at__lt=hi).select_related("work_order__service_center")
    if not user.has_global_scope:
        lines = lines.filter(work_order__service_center_id=user.service_center_id)
    rows: dict[str, PartsCostRow] = defaultdict(lambda: PartsCostRow(""))
    for line in lines:
        row = rows[line.work_order.service_center.name]
        row.region = line.work_order.service_center.name
        if line.coverage in (Coverage.WARRANTY, Coverage.MAIN_PART):
            row.in_warranty_qty += line.quantity
            row.in_warranty_cost += line.cost
        else:
            row.out_of_warranty_qty += line.quantity
            row.out_of_warranty_cost += line.cost
    return sorted(rows.values(), key=lambda r: r.region)


def jobs_needing_a_price(*, user) -> QuerySet[WorkOrder]:
    """Open paid jobs whose customer has not accepted the price yet (INTK-09)."""
    return work_order_visible_to(user).filter(category="A", paid_work_accepted_at__isnull=True).exclude(
        Q(status__in=DONE) | Q(status=WorkOrderStatus.CANCELLED)).select_related("request__customer", "technician")


def recent_handovers(*, user, limit: int = 20) -> list:
    """The latest cash hand-overs of the user's centre (head office: all)."""
    from aftersales.billing.models import CashHandover

    qs = CashHandover.objects.select_related("technician", "received_by").order_by("-received_at")
    if not user.has_global_scope:
        qs = qs.filter(technician__service_center_id=user.service_center_id)
    return list(qs[:limit])
