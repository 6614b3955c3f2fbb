"""The monthly after-sales summary (售后总表, RPT-02..05): every figure aggregated in the database, one grouped query per
table, scoped to what the reader may see and narrowed by the report's filters.

Filters: a period (a month, or any from–to range), a service centre, a region, a call category and a technician.
Figures that do not belong to a call (complaints, returns, costs) follow the period, centre and region only; the
report says so under the filters.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Avg, Case, Count, DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.accounts.scoping import scope_by_center
from aftersales.core.dbfunctions import PlusDays
from aftersales.core.errors import DomainError
from aftersales.core.params import MAX_ID

ZERO = Decimal("0")
HUNDRED = Decimal("100")
MONEY = DecimalField(max_digits=14, decimal_places=2)

# The figures held against targets (ReportTarget.key → label). Defaults are seeded by migration from RPT-04/05.
FIGURES = {
    "sla_compliance": gettext_lazy("Arrival within the deadline"),
    "first_time_fix": gettext_lazy("Fixed on the first visit"),
    "rework": gettext_lazy("Rework rate"),
    "claim_approval": gettext_lazy("Warranty claims approved"),
    "satisfaction": gettext_lazy("Opinion-card satisfaction"),
    "csi": gettext_lazy("Customer satisfaction index (CSI)"),
    "visit_coverage": gettext_lazy("Return visits of in-warranty calls"),
    "complaints_on_time": gettext_lazy("Complaints closed in time"),
    "major_complaints": gettext_lazy("Major complaints per call"),
    "return_rate": gettext_lazy("Return rate (returned / shipped)"),
    "cost_usage": gettext_lazy("Costs used of the budget"),
}


def pct(part, whole) -> Decimal | None:
    return (Decimal(part or 0) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01")) if whole else None


@dataclass
class Filters:
    start: dt.date
    end: dt.date  # inclusive
    center: int | None = None
    region: str = ""
    category: str = ""
    technician: int | None = None

    @property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))

    @property
    def months(self) -> list[dt.date]:
        out, m = [], self.start.replace(day=1)
        while m <= self.end:
            out.append(m)
            m = (m + dt.timedelta(days=32)).replace(day=1)
        return out

    @property
    def is_month(self) -> bool:
        return self.start.day == 1 and self.end == self.start.replace(day=calendar.monthrange(self.start.year, self.start.month)[1])

    def params(self) -> dict[str, str]:
        out = {"month": f"{self.start:%Y-%m}"} if self.is_month else {"from": self.start.isoformat(), "to": self.end.isoformat()}
        for key in ("center", "region", "category", "technician"):
            value = getattr(self, key)
            if value:
                out[key] = str(value)
        return out

    def querystring(self) -> str:
        """The shareable link's query: the same filters give the same report to anyone allowed to see it."""
        return urlencode(self.params())


def month_range(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def filters_from(params, *, today: dt.date | None = None) -> Filters:
    """Read the filters from a query string; bad values are refused with a message saying which (nothing is guessed)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    start, end = month_range(today.replace(day=1) - dt.timedelta(days=1))  # default: last month
    if params.get("from") or params.get("to"):
        try:
            start = dt.date.fromisoformat(params.get("from", ""))
            end = dt.date.fromisoformat(params.get("to", ""))
        except ValueError:
            errors["period"] = [_("Give the period as two dates, e.g. 2026-10-01 and 2026-10-31.")]
        else:
            if end < start:
                errors["period"] = [_("The period ends before it begins.")]
            elif (end - start).days > 366 * 3:
                errors["period"] = [_("A report covers at most three years.")]
    elif params.get("month"):
        try:
            start, end = month_range(dt.date.fromisoformat(params["month"] + "-01"))
        except ValueError:
            errors["month"] = [_("“%(v)s” is not a month (use 2026-11).") % {"v": params["month"]}]
    ints = {}
    for key in ("center", "technician"):
        raw = (params.get(key) or "").strip()
        valid = raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID
        if raw and not valid:
            errors[key] = [_("Choose a valid value.")]
        ints[key] = int(raw) if valid else None
    category = params.get("category") or ""
    if category and category not in ("A", "B", "C", "D"):
        errors["category"] = [_("Choose a valid value.")]
    if errors:
        raise DomainError(errors)
    return Filters(start=start, end=end, center=ints["center"], region=(params.get("region") or "").strip()[:80], category=category,
                   technician=ints["technician"])


def narrow(qs, f: Filters, user, *, center: str, category: str | None = None, technician: str | None = None):
    """Scope ``qs`` to the reader and the filters; ``center`` is the path to the service centre, ``category`` and
    ``technician`` the paths to the call's category and the technician (None: the filter does not apply)."""
    qs = scope_by_center(qs, user, center)
    if f.center:
        qs = qs.filter(**{f"{center}_id": f.center})
    if f.region:
        qs = qs.filter(**{f"{center}__region": f.region})
    if f.category and category:
        qs = qs.filter(**{category: f.category})
    if f.technician and technician:
        qs = qs.filter(**{technician: f.technician})
    return qs


@dataclass
class Line:
    key: str
    label: str
    actual: Decimal | None
    target: Decimal | None = None
    direction: str = ""
    light: str = ""


@dataclass
class Summary:
    filters: Filters
    by_category: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_center: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    closed: int = 0
    sla_measured: int = 0
    sla_met: int = 0
    rework_base: int = 0
    rework_back: int = 0
    jobs_completed: int = 0
    jobs_first_visit: int = 0
    money: list[dict] = field(default_factory=list)  # region, warranty (bool), kind, amount, cost
    parts_top: list[dict] = field(default_factory=list)
    parts_quantity: Decimal = ZERO
    parts_cost: Decimal = ZERO
    claims: dict = field(default_factory=dict)
    cards: dict = field(default_factory=dict)
    visits_due: int = 0
    visits_done: int = 0
    complaints: dict = field(default_factory=dict)
    returns: dict = field(default_factory=dict)
    shipped: Decimal = ZERO
    costs: dict[str, Decimal] = field(default_factory=dict)
    budget: dict[str, Decimal] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)

    # --- derived figures ---
    @property
    def sla_compliance(self) -> Decimal | None:
        return pct(self.sla_met, self.sla_measured)

    @property
    def rework_rate(self) -> Decimal | None:
        return pct(self.rework_back, self.rework_base)

    @property
    def first_time_fix(self) -> Decimal | None:
        return pct(self.jobs_first_visit, self.jobs_completed)

    @property
    def revenue(self) -> Decimal:
        return sum((m["amount"] for m in self.money if not m["warranty"]), ZERO)

    @property
    def warranty_value(self) -> Decimal:
        return sum((m["amount"] for m in self.money if m["warranty"]), ZERO)

    @property
    def money_cost(self) -> Decimal:
        return sum((m["cost"] for m in self.money), ZERO)

    @property
    def cost_total(self) -> Decimal:
        return sum(self.costs.values(), ZERO)

    @property
    def budget_total(self) -> Decimal:
        return sum(self.budget.values(), ZERO)


def _requests(s: Summary, f: Filters, user) -> None:
    from aftersales.servicedesk.models import ServiceRequest
    from aftersales.workorders.models import WorkOrder

    qs = narrow(ServiceRequest.objects.filter(received_at__gte=f.start_at, received_at__lt=f.end_at), f, user, center="service_center", category="category")
    if f.technician:
        qs = qs.filter(Exists(WorkOrder.objects.filter(request=OuterRef("pk"), technician_id=f.technician)))
    for row in qs.values("category", "channel", "service_center__name").annotate(n=Count("id")).order_by():
        s.by_category[row["category"]] = s.by_category.get(row["category"], 0) + row["n"]
        s.by_channel[row["channel"]] = s.by_channel.get(row["channel"], 0) + row["n"]
        s.by_center[row["service_center__name"]] = s.by_center.get(row["service_center__name"], 0) + row["n"]
        s.requests += row["n"]


def _closed(s: Summary, f: Filters, user, days: int) -> None:
    """Calls closed in the period: arrival deadline met, and the machine back within ``days`` (rework), in one query."""
    from aftersales.servicedesk.models import ServiceRequest, Status
    from aftersales.workorders.models import WorkOrder

    qs = narrow(ServiceRequest.objects.filter(status=Status.CLOSED, closed_at__gte=f.start_at, closed_at__lt=f.end_at), f, user,
                center="service_center", category="category")
    if f.technician:
        qs = qs.filter(Exists(WorkOrder.objects.filter(request=OuterRef("pk"), technician_id=f.technician)))
    back = ServiceRequest.objects.filter(equipment=OuterRef("equipment"), received_at__gt=OuterRef("closed_at"),
                                         received_at__lte=PlusDays(OuterRef("closed_at"), days))
    row = qs.annotate(came_back=Exists(back)).aggregate(
        n=Count("id"), measured=Count("id", filter=Q(arrival_sla_met__isnull=False)), met=Count("id", filter=Q(arrival_sla_met=True)),
        base=Count("id", filter=Q(equipment__isnull=False)), back=Count("id", filter=Q(came_back=True, equipment__isnull=False)))
    s.closed, s.sla_measured, s.sla_met, s.rework_base, s.rework_back = row["n"], row["measured"], row["met"], row["base"], row["back"]


def _first_visit(s: Summary, f: Filters, user) -> None:
    from aftersales.workorders.models import Visit, WorkOrder

    visits = Visit.objects.filter(work_order=OuterRef("pk")).order_by().values("work_order").annotate(c=Count("id")).values("c")
    qs = narrow(WorkOrder.objects.filter(completed_at__gte=f.start_at, completed_at__lt=f.end_at), f, user, center="service_center",
                category="request__category", technician="technician_id")
    row = qs.annotate(visit_count=Subquery(visits)).aggregate(n=Count("id"), first=Count("id", filter=Q(visit_count=1)))
    s.jobs_completed, s.jobs_first_visit = row["n"], row["first"]


def _money(s: Summary, f: Filters, user) -> None:
    """Repair revenue and cost by region, in / out of warranty and kind (labour, parts, travel …), one grouped query."""
    from aftersales.billing.models import CUSTOMER_PAYS, ChargeLine

    qs = narrow(ChargeLine.objects.filter(created_at__gte=f.start_at, created_at__lt=f.end_at), f, user, center="work_order__service_center",
                category="work_order__request__category", technician="work_order__technician_id")
    rows = (qs.annotate(warranty=Case(When(coverage__in=CUSTOMER_PAYS, then=Value(False)), default=Value(True)))
            .values("work_order__service_center__region", "warranty", "kind")
            .annotate(amount=Coalesce(Sum(F("quantity") * F("unit_price") - F("discount"), output_field=MONEY), Value(ZERO), output_field=MONEY),
                      cost=Coalesce(Sum("cost"), Value(ZERO), output_field=MONEY))
            .order_by("work_order__service_center__region", "warranty", "kind"))
    from aftersales.billing.models import LineKind

    s.money = [{"region": r["work_order__service_center__region"], "warranty": bool(r["warranty"]), "kind": r["kind"],
                "kind_label": str(LineKind(r["kind"]).label) if r["kind"] in LineKind.values else r["kind"],
                "amount": Decimal(r["amount"]).quantize(Decimal("0.01")), "cost": Decimal(r["cost"]).quantize(Decimal("0.01"))} for r in rows]


def _parts(s: Summary, f: Filters, user, top: int = 10) -> None:
    from aftersales.parts.models import WorkOrderPart

    qs = narrow(WorkOrderPart.objects.filter(issued_at__gte=f.start_at, issued_at__lt=f.end_at), f, user, center="work_order__service_center",
                category="work_order__request__category", technician="work_order__technician_id")
    used = F("quantity") - F("returned_quantity")
    rows = [{"part__code": r["part__code"], "part__name": r["part__name"], "quantity": r["used_qty"], "cost": r["used_cost"]}
            for r in qs.values("part__code", "part__name").annotate(used_qty=Sum(used), used_cost=Sum(used * F("unit_cost"), output_field=MONEY))
            .order_by("-used_cost", "part__code")]
    s.parts_top = rows[:top]
    s.parts_quantity = sum((r["quantity"] for r in rows), ZERO)
    s.parts_cost = sum((r["cost"] for r in rows), ZERO)


def _claims(s: Summary, f: Filters, user) -> None:
    from aftersales.parts.models import WarrantyClaim
    from aftersales.parts.models.claims import ClaimStatus

    qs = narrow(WarrantyClaim.objects.filter(decided_at__gte=f.start_at, decided_at__lt=f.end_at), f, user, center="work_order__service_center",
                category="work_order__request__category", technician="work_order__technician_id")
    s.claims = qs.aggregate(n=Count("id"), approved=Count("id", filter=Q(status__in=(ClaimStatus.APPROVED, ClaimStatus.PARTLY_APPROVED))),
                            claimed=Coalesce(Sum(F("parts_amount") + F("labour_amount"), output_field=MONEY), Value(ZERO), output_field=MONEY),
                            granted=Coalesce(Sum("approved_amount"), Value(ZERO), output_field=MONEY))


def _cards(s: Summary, f: Filters, user) -> None:
    """Opinion cards answered: mean per criterion (4 = very satisfied), the share satisfied (3 or 4) per criterion."""
    from aftersales.feedback.models import OpinionCard

    qs = narrow(OpinionCard.objects.filter(answered_at__gte=f.start_at, answered_at__lt=f.end_at), f, user, center="service_center",
                category="request__category", technician="technician_id")
    criteria = ("attitude", "skill", "arrival", "follow_through")
    agg = {"n": Count("id")}
    for c in criteria:
        agg[f"{c}_avg"] = Avg(c)
        agg[f"{c}_ok"] = Count("id", filter=Q(**{f"{c}__gte": 3}))
        agg[f"{c}_n"] = Count(c)
    s.cards = qs.aggregate(**agg)


def _visits(s: Summary, f: Filters, user) -> None:
    """Return-visit coverage of the in-warranty (category C) calls closed in the period (target 100 %, RPT-05)."""
    from aftersales.care.models import ReturnVisit, VisitStatus
    from aftersales.servicedesk.models import Category, ServiceRequest, Status
    from aftersales.workorders.models import WorkOrder

    qs = narrow(ServiceRequest.objects.filter(status=Status.CLOSED, closed_at__gte=f.start_at, closed_at__lt=f.end_at, category=Category.C), f, user,
                center="service_center")
    if f.technician:
        qs = qs.filter(Exists(WorkOrder.objects.filter(request=OuterRef("pk"), technician_id=f.technician)))
    done = ReturnVisit.objects.filter(request=OuterRef("pk"), status=VisitStatus.DONE)
    row = qs.annotate(visited=Exists(done)).aggregate(n=Count("id"), done=Count("id", filter=Q(visited=True)))
    s.visits_due, s.visits_done = row["n"], row["done"]


def _complaints(s: Summary, f: Filters, user) -> None:
    from aftersales.complaints.models import ComplaintCase

    qs = narrow(ComplaintCase.objects.filter(accepted_at__gte=f.start_at, accepted_at__lt=f.end_at), f, user, center="service_center")
    s.complaints = qs.aggregate(n=Count("id"), major=Count("id", filter=Q(major=True)), closed=Count("id", filter=Q(closed_at__isnull=False)),
                                on_time=Count("id", filter=Q(closed_at__isnull=False, closed_at__lte=F("due_at"))),
                                late_open=Count("id", filter=Q(closed_at__isnull=True, due_at__lt=timezone.now())))


def _returns(s: Summary, f: Filters, user) -> None:
    from aftersales.returns.models import ReturnRequest, ShipmentLine

    qs = narrow(ReturnRequest.objects.filter(reported_on__gte=f.start, reported_on__lte=f.end), f, user, center="service_center")
    s.returns = qs.aggregate(n=Count("id"), quantity=Coalesce(Sum("quantity"), Value(ZERO), output_field=MONEY))
    shipped = narrow(ShipmentLine.objects.filter(shipment__shipped_on__gte=f.start, shipment__shipped_on__lte=f.end), f, user,
                     center="shipment__customer__service_center")
    s.shipped = shipped.aggregate(q=Coalesce(Sum("quantity"), Value(ZERO), output_field=MONEY))["q"]


def _costs(s: Summary, f: Filters, user) -> None:
    """Actual costs by category against the quotas of every centre in view for every month of the period."""
    from aftersales.performance.models import DEFAULT_QUOTA, CostBudget, CostCategory, CostEntry

    costs = narrow(CostEntry.objects.filter(day__gte=f.start, day__lte=f.end), f, user, center="service_center")
    s.costs = {c: ZERO for c in CostCategory.values}
    for category, amount in costs.values("category").annotate(a=Sum("amount")).values_list("category", "a").order_by():
        s.costs[category] = amount
    center_ids = list(_centers_in_view(f, user))
    set_ = {(b, m, c): a for b, m, c, a in CostBudget.objects.filter(service_center_id__in=center_ids, month__in=f.months)
            .values_list("service_center_id", "month", "category", "amount")}
    s.budget = {c: sum((set_.get((b, m, c), Decimal(DEFAULT_QUOTA[c])) for b in center_ids for m in f.months), ZERO) for c in CostCategory.values}


def _centers_in_view(f: Filters, user):
    from aftersales.accounts.models import ServiceCenter

    qs = ServiceCenter.objects.filter(is_active=True)
    if not user.has_global_scope:
        qs = qs.filter(pk=user.service_center_id) if user.service_center_id else qs.none()
    if f.center:
        qs = qs.filter(pk=f.center)
    if f.region:
        qs = qs.filter(region=f.region)
    return qs.values_list("pk", flat=True)


def _lines(s: Summary) -> None:
    from aftersales.reports.models import ReportTarget

    cards = s.cards or {}
    criteria = ("attitude", "skill", "arrival", "follow_through")
    ok = sum(cards.get(f"{c}_ok") or 0 for c in criteria)
    rated = sum(cards.get(f"{c}_n") or 0 for c in criteria)
    means = [Decimal(str(cards[f"{c}_avg"])) for c in criteria if cards.get(f"{c}_avg") is not None]
    actual = {
        "sla_compliance": s.sla_compliance, "first_time_fix": s.first_time_fix, "rework": s.rework_rate,
        "claim_approval": pct(s.claims.get("approved"), s.claims.get("n")), "satisfaction": pct(ok, rated),
        "csi": (sum(means) / len(means) * 25).quantize(Decimal("0.01")) if means else None,
        "visit_coverage": pct(s.visits_done, s.visits_due), "complaints_on_time": pct(s.complaints.get("on_time"), s.complaints.get("closed")),
        "major_complaints": pct(s.complaints.get("major"), s.requests), "return_rate": pct(s.returns.get("quantity"), s.shipped),
        "cost_usage": pct(s.cost_total, s.budget_total),
    }
    targets = {t.key: t for t in ReportTarget.objects.all()}
    for key, label in FIGURES.items():
        t = targets.get(key)
        s.lines.append(Line(key=key, label=str(label), actual=actual[key], target=t.target if t else None, direction=t.direction if t else "",
                            light=t.light(actual[key]) if t else ""))


def monthly_summary(*, user, filters: Filters) -> Summary:
    """Every figure of the 售后总表 for ``filters`` as ``user`` may see them (a fixed number of queries, whatever the volume)."""
    from django.conf import settings

    s = Summary(filters=filters)
    _requests(s, filters, user)
    _closed(s, filters, user, settings.REWORK_DAYS)
    _first_visit(s, filters, user)
    _money(s, filters, user)
    _parts(s, filters, user)
    _claims(s, filters, user)
    _cards(s, filters, user)
    _visits(s, filters, user)
    _complaints(s, filters, user)
    _returns(s, filters, user)
    _costs(s, filters, user)
    _lines(s)
    return s
