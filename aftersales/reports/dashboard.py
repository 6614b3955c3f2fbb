"""The live dashboard (RPT-01): what needs attention now, scoped to what the reader may see.

Every figure is one aggregate query (or a small bounded set for the SLA-at-risk check, which needs
working-time arithmetic on each open call); the page's query count is asserted in the tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, Q
from django.utils import timezone

from aftersales.accounts.models import calendars_for
from aftersales.accounts.scoping import scope_by_center, scope_jobs


@dataclass
class Dashboard:
    open_calls: int
    waiting_dispatch: int
    at_risk: int
    breached: int
    carried_over: int
    custody: int
    custody_late: int
    complaints_open: int
    complaints_due_soon: int
    complaints_overdue: int
    returns_settle_late: int
    returns_escalated: int
    contracts_expiring: int
    cards_today: int
    card_average: Decimal | None
    load: list[tuple[str, int]]
    by_center: list[tuple[str, int, int]]


def _calls(user, now: dt.datetime) -> dict:
    from aftersales.servicedesk.models import OPEN_STATUSES, ServiceRequest

    qs = scope_jobs(ServiceRequest.objects.filter(status__in=OPEN_STATUSES), user, technician_field="work_orders__technician")
    late = Q(arrived_at__isnull=True, arrival_due_at__lte=now)
    counts = qs.aggregate(open=Count("id", distinct=True), waiting=Count("id", filter=Q(status="registered"), distinct=True),
                          breached=Count("id", filter=late, distinct=True),
                          carried=Count("id", filter=Q(carried_over=True, status="registered"), distinct=True))
    # At risk: not yet late but most of the allowance used — working time, so checked per call (open calls only).
    pending = list(qs.filter(arrived_at__isnull=True, arrival_due_at__gt=now).select_related("service_center").distinct())
    calendars = calendars_for(list({sr.service_center_id: sr.service_center for sr in pending}.values()))
    at_risk = 0
    for sr in pending:
        sr.service_center.__dict__["calendar"] = calendars[sr.service_center_id]
        at_risk += sr.is_arrival_near_due(now)
    counts["at_risk"] = at_risk
    return counts


def dashboard(*, user, now: dt.datetime | None = None) -> Dashboard:
    from aftersales.complaints.models import ComplaintCase
    from aftersales.contracts.models import MaintenanceContract
    from aftersales.feedback.models import OpinionCard
    from aftersales.returns.models import ReturnRequest
    from aftersales.servicedesk.models import ServiceRequest
    from aftersales.workorders.models import IN_CUSTODY, OPEN_STATUSES, WorkOrder

    now = now or timezone.now()
    today = timezone.localdate(now)
    calls = _calls(user, now)
    jobs = scope_jobs(WorkOrder.objects.all(), user, technician_field="technician")
    custody = jobs.filter(status__in=IN_CUSTODY).aggregate(all=Count("id"), late=Count("id", filter=Q(promised_return_at__lt=now)))
    complaints = scope_by_center(ComplaintCase.objects.filter(status="open"), user).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now)), soon=Count("id", filter=Q(due_at__gte=now, due_at__lt=now + dt.timedelta(days=3))))
    returns = scope_by_center(ReturnRequest.objects.filter(status="arrived"), user).aggregate(
        late=Count("id", filter=Q(settle_due_on__lt=today)), escalated=Count("id", filter=Q(escalate_on__lte=today)))
    contracts = scope_by_center(MaintenanceContract.objects.filter(status="active", end_date__gte=today,
                                                                   end_date__lte=today + dt.timedelta(days=settings.CONTRACT_NOTICE_DAYS)),
                                user, field="customer__service_center").count()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    cards = scope_by_center(OpinionCard.objects.filter(answered_at__gte=start), user).aggregate(
        n=Count("id"), a=Avg("attitude"), s=Avg("skill"), r=Avg("arrival"), f=Avg("follow_through"))
    averages = [cards[k] for k in "asrf" if cards[k] is not None]
    load = list(jobs.filter(status__in=OPEN_STATUSES).values("technician__full_name", "technician__username").annotate(n=Count("id")).order_by("-n")[:20])
    centers = list(scope_by_center(ServiceRequest.objects.filter(status__in=["registered", "dispatched", "in_service", "waiting_customer",
                                                                             "waiting_parts"]), user)
                   .values("service_center__name").annotate(n=Count("id"), late=Count("id", filter=Q(arrived_at__isnull=True, arrival_due_at__lte=now)))
                   .order_by("service_center__name"))
    return Dashboard(
        open_calls=calls["open"], waiting_dispatch=calls["waiting"], at_risk=calls["at_risk"], breached=calls["breached"], carried_over=calls["carried"],
        custody=custody["all"], custody_late=custody["late"], complaints_open=complaints["open"], complaints_due_soon=complaints["soon"],
        complaints_overdue=complaints["overdue"], returns_settle_late=returns["late"], returns_escalated=returns["escalated"], contracts_expiring=contracts,
        cards_today=cards["n"], card_average=(Decimal(sum(averages)) / len(averages)).quantize(Decimal("0.01")) if averages else None,
        load=[(r["technician__full_name"] or r["technician__username"], r["n"]) for r in load],
        by_center=[(r["service_center__name"], r["n"], r["late"]) for r in centers])
