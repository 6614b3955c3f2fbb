"""Reads of return visits: the due list, and the daily log, weekly summary and monthly analysis (VIS-03/04, VIS-08)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.accounts.scoping import scope_by_center
from aftersales.care.models import Outcome, ReturnVisit, VisitStatus
from aftersales.notifications.models import Message, Purpose


def visit_list(*, user, status: str = VisitStatus.DUE, day: dt.date | None = None, visit_type: str = "", mine: bool = False) -> QuerySet[ReturnVisit]:
    """The due list: visits of the reader's centre(s) due on ``day`` (default today) or overdue; other statuses as asked."""
    day = day or timezone.localdate()
    qs = scope_by_center(ReturnVisit.objects.all(), user)
    qs = qs | ReturnVisit.objects.filter(rule__assigned_role__in=list(user.role_codes)) if getattr(user, "is_authenticated", False) else qs
    if status == VisitStatus.DUE:
        qs = qs.filter(status=VisitStatus.DUE, due_from__lte=day)
    elif status:
        qs = qs.filter(status=status)
    if visit_type:
        qs = qs.filter(visit_type__code=visit_type)
    if mine:
        qs = qs.filter(assigned_to=user)
    return (qs.select_related("customer", "visit_type", "equipment__product_model", "request", "assigned_to", "rule", "blocked_by__visit_type")
            .prefetch_related("customer__phones").order_by("due_until", "id"))


def get_visit_for_user(user, pk: int) -> ReturnVisit:
    try:
        return visit_list(user=user, status="").get(pk=pk)
    except (ReturnVisit.DoesNotExist, ValueError) as exc:
        raise Http404("visit") from exc


def customer_contacts(visit: ReturnVisit, limit: int = 10) -> list[ReturnVisit]:
    """The customer's earlier visits (the agent sees what was said last time)."""
    return list(ReturnVisit.objects.filter(customer=visit.customer, status=VisitStatus.DONE).exclude(pk=visit.pk)
                .select_related("visit_type", "done_by").order_by("-done_at")[:limit])


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (timezone.make_aware(dt.datetime.combine(first, dt.time.min)), timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min)))


def daily_log(*, user, day: dt.date) -> list[ReturnVisit]:
    start, end = _bounds(day, day)
    return list(visit_list(user=user, status="").filter(Q(done_at__gte=start, done_at__lt=end) | Q(status=VisitStatus.SKIPPED, updated_at__gte=start,
                                                                                                  updated_at__lt=end)).order_by("done_at", "id"))


@dataclass
class TypeSummary:
    name: str
    due: int = 0
    done: int = 0
    reached: int = 0
    blocked: int = 0
    satisfaction: list[int] = field(default_factory=list)

    @property
    def coverage(self) -> int:
        return round(100 * self.done / self.due) if self.due else 0

    @property
    def reach_rate(self) -> int:
        return round(100 * self.reached / self.done) if self.done else 0

    @property
    def average(self) -> Decimal | None:
        return (Decimal(sum(self.satisfaction)) / len(self.satisfaction)).quantize(Decimal("0.01")) if self.satisfaction else None


def summary(*, user, first: dt.date, last: dt.date) -> list[TypeSummary]:
    """Per visit type for visits falling due in [first, last]: due, done, reached, blocked duplicates, coverage and satisfaction."""
    rows: dict[str, TypeSummary] = {}
    visits = visit_list(user=user, status="").filter(due_from__gte=first, due_from__lte=last)
    for v in visits:
        row = rows.setdefault(v.visit_type.name, TypeSummary(name=v.visit_type.name))
        if v.status == VisitStatus.BLOCKED:
            row.blocked += 1
            continue
        row.due += 1
        if v.status == VisitStatus.DONE:
            row.done += 1
            row.reached += v.outcome == Outcome.REACHED
            if v.satisfaction:
                row.satisfaction.append(v.satisfaction)
    return sorted(rows.values(), key=lambda r: r.name)


@dataclass
class Analysis:
    types: list[TypeSummary]
    items: list[tuple[str, Decimal, int]]
    reasons: list[tuple[str, int]]
    agents: list[tuple[str, int]]


def monthly_analysis(*, user, month: dt.date) -> Analysis:
    """VIS-03/04: the month's coverage by type, satisfaction by scored item, reasons for dissatisfaction, visits per agent."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    start, end = _bounds(first, last)
    done = list(visit_list(user=user, status=VisitStatus.DONE).filter(done_at__gte=start, done_at__lt=end))
    scores: dict[str, list[int]] = defaultdict(list)
    for v in done:
        for item, value in (v.scores or {}).items():
            scores[item].append(int(value))
    items = sorted(((item, (Decimal(sum(vals)) / len(vals)).quantize(Decimal("0.01")), len(vals)) for item, vals in scores.items()), key=lambda r: r[1])
    reasons = Counter(v.reasons for v in done if v.reasons).most_common(10)
    agents = Counter(str(v.done_by) for v in done if v.done_by_id).most_common()
    return Analysis(types=summary(user=user, first=first, last=last), items=items, reasons=reasons, agents=agents)


def reminder_list(*, user, limit: int = 200) -> QuerySet[Message]:
    """Greetings and reminders to the reader's customers, newest first (with their outbox status)."""
    from aftersales.customers.selectors import customer_list

    customers = customer_list(user=user).values("pk")
    return Message.objects.filter(purpose=Purpose.CARE, to_customer__in=customers).select_related("to_customer").order_by("-created_at", "-id")[:limit]
