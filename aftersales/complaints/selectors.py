"""Reads of complaint cases, the steps waiting for a person, and the monthly statistics (CMP-13, CMP-26)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.accounts.scoping import scope_by_center
from aftersales.complaints.models import CaseStatus, CaseStep, ChaseSlip, ComplaintCase, StatisticsConfirmation


def case_list(*, user, status: str = "", q: str = "", overdue: bool = False) -> QuerySet[ComplaintCase]:
    """Cases of the reader's centre (every centre for head office), plus any case with a step of his."""
    if not getattr(user, "is_authenticated", False):
        return ComplaintCase.objects.none()
    qs = ComplaintCase.objects.filter(Q(pk__in=scope_by_center(ComplaintCase.objects.all(), user).values("pk")) | Q(steps__owner=user)).distinct()
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=CaseStatus.OPEN, due_at__lt=timezone.now())
    if q.strip():
        qs = qs.filter(Q(number__icontains=q.strip()) | Q(customer__name__icontains=q.strip()) | Q(subject__icontains=q.strip()))
    return qs.select_related("customer", "service_center", "parent").order_by("-accepted_at", "-id")


def get_case_for_user(user, pk: int) -> ComplaintCase:
    try:
        return case_list(user=user).get(pk=pk)
    except (ComplaintCase.DoesNotExist, ValueError) as exc:
        raise Http404("complaint") from exc


def my_steps(user) -> QuerySet[CaseStep]:
    return (CaseStep.objects.filter(owner=user, done_at__isnull=True, skipped=False, case__status=CaseStatus.OPEN)
            .select_related("case__customer").order_by("due_at"))


def my_slips(user) -> QuerySet[ChaseSlip]:
    return ChaseSlip.objects.filter(to_user=user, answered_at__isnull=True).select_related("step__case").order_by("-created_at")


def current_step(case: ComplaintCase) -> CaseStep | None:
    return next((s for s in case.steps.all() if s.is_open), None)


@dataclass
class Statistics:
    month: dt.date
    due_by: dt.date
    closed: list[ComplaintCase]
    by_cause: list[tuple[str, int]]
    by_unit: list[tuple[str, Decimal, int]]
    registered: int
    calls: int
    complaint_rate: Decimal
    major: int
    major_rate: Decimal
    within_deadline_percent: int
    satisfaction: Decimal | None
    confirmations: list[StatisticsConfirmation]


def _bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min)), timezone.make_aware(dt.datetime.combine(end, dt.time.min))


def _rate(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.01")) if whole else Decimal("0.00")


def monthly_statistics(*, user, month: dt.date) -> Statistics:
    """客户投诉案件统计表 of ``month``: closed cases by cause and responsible unit (with the ratio of responsibility),
    countermeasures, complaint and major-complaint rates (per call registered), closure within deadline, satisfaction."""
    from aftersales.servicedesk.selectors import request_list

    start, end = _bounds(month)
    cases = case_list(user=user)
    closed = list(cases.filter(status=CaseStatus.CLOSED, closed_at__gte=start, closed_at__lt=end).prefetch_related("responsibilities__person",
                                                                                                                 "responsibilities__department"))
    registered = cases.filter(accepted_at__gte=start, accepted_at__lt=end)
    calls = request_list(user=user).filter(received_at__gte=start, received_at__lt=end).count()
    causes = Counter(c.get_human_cause_display() if c.human_cause else c.get_kind_display() for c in closed)
    units: dict[str, list[Decimal]] = defaultdict(list)
    for case in closed:
        for share in case.responsibilities.all():
            units[str(share.person or share.department)].append(share.percent)
    by_unit = sorted(((name, (sum(p) / len(closed)).quantize(Decimal("0.01")), len(p)) for name, p in units.items()), key=lambda r: -r[1])
    on_time = sum(1 for c in closed if c.closed_at <= c.due_at)
    rated = [c.handling_satisfaction for c in closed if c.handling_satisfaction]
    start_day = month.replace(day=1)
    due_by = (start_day + dt.timedelta(days=32)).replace(day=settings.COMPLAINT_STATISTICS_DAY)
    return Statistics(
        month=start_day, due_by=due_by, closed=closed, by_cause=causes.most_common(), by_unit=by_unit, registered=registered.count(), calls=calls,
        complaint_rate=_rate(registered.count(), calls), major=registered.filter(major=True).count(),
        major_rate=_rate(registered.filter(major=True).count(), calls), within_deadline_percent=round(100 * on_time / len(closed)) if closed else 0,
        satisfaction=(Decimal(sum(rated)) / len(rated)).quantize(Decimal("0.01")) if rated else None,
        confirmations=list(StatisticsConfirmation.objects.filter(month=start_day).select_related("confirmed_by")))
