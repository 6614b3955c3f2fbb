"""What each data source measures for one person in one month (KPI-01..03, KPI-07), each one aggregate query.

Values are percentages (0–100) or occurrence counts; ``None`` means "nothing to measure this month"
(no calls, no cards …), which does not count against the person.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from aftersales.core.dbfunctions import PlusDays

HUNDRED = Decimal("100")


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min)), timezone.make_aware(dt.datetime.combine(end, dt.time.min))


def _pct(part, whole) -> Decimal | None:
    return (Decimal(part) * HUNDRED / whole).quantize(Decimal("0.01")) if whole else None


@dataclass
class Measure:
    value: Decimal | None = None
    occurrences: int = 0


def attendance_score(absent_days: Decimal) -> Decimal:
    """KPI-03: 100 for a full month, −4 (``KPI_ATTENDANCE_POINTS_PER_DAY``) per absent day, a half day counting as a full one."""
    return max(Decimal("0"), HUNDRED - settings.KPI_ATTENDANCE_POINTS_PER_DAY * math.ceil(absent_days))


def sla(person, start, end) -> Measure:
    from aftersales.servicedesk.models import ServiceRequest

    row = ServiceRequest.objects.filter(closed_at__gte=start, closed_at__lt=end, work_orders__technician=person, arrival_sla_met__isnull=False).aggregate(
        n=Count("id", distinct=True), met=Count("id", filter=Q(arrival_sla_met=True), distinct=True))
    return Measure(_pct(row["met"], row["n"]))


def first_time_fix(person, start, end) -> Measure:
    from aftersales.workorders.models import WorkOrder

    jobs = WorkOrder.objects.filter(technician=person, completed_at__gte=start, completed_at__lt=end).annotate(visit_count=Count("visits"))
    row = jobs.aggregate(n=Count("id"), first=Count("id", filter=Q(visit_count=1)))
    return Measure(_pct(row["first"], row["n"]))


def rework(person, start, end) -> Measure:
    """100 − the share of this month's jobs whose machine came back within ``REWORK_DAYS`` (target < 2 %, RPT-04)."""
    from aftersales.servicedesk.models import ServiceRequest

    calls = ServiceRequest.objects.filter(closed_at__gte=start, closed_at__lt=end, work_orders__technician=person, equipment__isnull=False).distinct()
    total = calls.count()
    back = calls.filter(equipment__requests__received_at__gt=F("closed_at"),
                        equipment__requests__received_at__lte=PlusDays(F("closed_at"), settings.REWORK_DAYS)).distinct().count()
    rate = _pct(back, total)
    return Measure(None if rate is None else HUNDRED - rate, back)


def card_rating(person, start, end) -> Measure:
    """KPI-01: the opinion cards' four criteria, 4 = 100 %."""
    from aftersales.feedback.models import OpinionCard

    row = OpinionCard.objects.filter(technician=person, answered_at__gte=start, answered_at__lt=end).aggregate(
        n=Count("id"), a=Avg("attitude"), s=Avg("skill"), r=Avg("arrival"), f=Avg("follow_through"))
    if not row["n"]:
        return Measure()
    mean = sum(Decimal(str(row[k])) for k in "asrf") / 4
    return Measure((mean * 25).quantize(Decimal("0.01")))


def complaints(person, start, end) -> Measure:
    from aftersales.complaints.models import Responsibility

    n = Responsibility.objects.filter(person=person, case__closed_at__gte=start, case__closed_at__lt=end).count()
    return Measure(None, n)


def daily_reports(person, start, end) -> Measure:
    from aftersales.dailyreports.models import TechnicianDailyReport

    row = TechnicianDailyReport.objects.filter(technician=person, due_at__gte=start, due_at__lt=end).aggregate(
        n=Count("id"), on_time=Count("id", filter=Q(submitted_at__isnull=False, submitted_at__lte=F("due_at"))))
    return Measure(_pct(row["on_time"], row["n"]), row["n"] - row["on_time"])


def claims(person, start, end) -> Measure:
    from aftersales.parts.models import WarrantyClaim

    row = WarrantyClaim.objects.filter(created_by=person, decided_at__gte=start, decided_at__lt=end).aggregate(
        n=Count("id"), ok=Count("id", filter=Q(status="approved")))
    return Measure(_pct(row["ok"], row["n"]))


def visits(person, start, end) -> Measure:
    from aftersales.care.models import ReturnVisit

    done = ReturnVisit.objects.filter(done_by=person, done_at__gte=start, done_at__lt=end).count()
    target = settings.VISITS_PER_AGENT_PER_DAY * 21  # about 21 working days a month
    return Measure(min(HUNDRED, _pct(done, target) or Decimal("0")), done)


def daily_work(person, start, end) -> Measure:
    """KPI-02's "daily work": the mean of arrival on time, opinion-card ratings and daily reports on time, over those measured."""
    parts = [m.value for m in (sla(person, start, end), card_rating(person, start, end), daily_reports(person, start, end)) if m.value is not None]
    return Measure((sum(parts) / len(parts)).quantize(Decimal("0.01")) if parts else None)


MEASURES = {"sla": sla, "first_time_fix": first_time_fix, "rework": rework, "card_rating": card_rating, "complaints": complaints,
            "daily_reports": daily_reports, "claims": claims, "visits": visits, "daily_work": daily_work}


def check_ins_with_position(person, start, end) -> int:
    """Evidence for attendance: the month's check-ins that carry the phone's position."""
    from aftersales.workorders.models import Visit

    return Visit.objects.filter(technician=person, arrived_at__gte=start, arrived_at__lt=end, latitude__isnull=False).count()
