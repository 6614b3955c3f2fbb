"""Reads of the service loop. A technician sees only his own jobs; a branch sees its centre."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.accounts import roles
from aftersales.accounts.models import ServiceCenter, User, calendars_for
from aftersales.accounts.scoping import scope_by_center, scope_jobs
from aftersales.servicedesk.models import ServiceRequest
from aftersales.servicedesk.models import Status as RequestStatus
from aftersales.servicedesk.selectors import request_visible_to
from aftersales.workorders.models import IN_CUSTODY, OPEN_STATUSES, GoodsReceipt, Status, Visit, WorkOrder

LIST_RELATED = ("request", "request__customer", "request__equipment", "request__product_model", "technician", "service_center")


def work_order_visible_to(user) -> QuerySet[WorkOrder]:
    return scope_jobs(WorkOrder.objects.all(), user, technician_field="technician")


def work_order_list(
    *, user, status: str = "", technician_id: int | None = None, service_center_id: int | None = None, q: str = "",
    date_from: dt.date | None = None, date_to: dt.date | None = None,
) -> QuerySet[WorkOrder]:
    """Vouchers newest first; ``status`` "open" keeps unfinished ones. Related rows are joined."""
    qs = work_order_visible_to(user).select_related(*LIST_RELATED)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if technician_id:
        qs = qs.filter(technician_id=technician_id)
    if service_center_id:
        qs = qs.filter(service_center_id=service_center_id)
    if q.strip():
        term = q.strip()
        qs = qs.filter(Q(number__iexact=term) | Q(request__number__iexact=term) | Q(request__customer__name__icontains=term))
    if date_from:
        qs = qs.filter(assigned_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(assigned_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return qs.order_by("-assigned_at", "-id")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def get_work_order_for_user(user, pk: int) -> WorkOrder:
    """The voucher if ``user`` may see it; 404 otherwise (another technician's job included)."""
    try:
        return work_order_list(user=user).select_related("receipt", "repair_card").get(pk=pk)
    except (WorkOrder.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("work order") from exc


def dispatch_queue(*, user, zone: str = "", category: str = "", skill_id: int | None = None) -> QuerySet[ServiceRequest]:
    """Calls waiting for dispatch: carried over first (DISP-03), then by arrival deadline (DISP-02)."""
    qs = request_visible_to(user).filter(status=RequestStatus.REGISTERED).select_related(
        "customer", "equipment", "product_model", "product_model__category", "service_center"
    )
    if zone:
        qs = qs.filter(zone=zone)
    if category:
        qs = qs.filter(category=category)
    if skill_id:
        qs = qs.filter(product_model__category_id=skill_id)
    return qs.order_by("-carried_over", "arrival_due_at", "id")


def escalated_jobs(*, user) -> QuerySet[WorkOrder]:
    """Open vouchers a technician escalated (DISP-04) and the supervisor has not yet reassigned."""
    return work_order_visible_to(user).filter(status__in=OPEN_STATUSES, escalated_at__isnull=False,
                                              escalated_at__gte=F("assigned_at")).select_related(*LIST_RELATED)


def technicians_for(user, *, today: dt.date | None = None) -> list[User]:
    """The technicians a dispatcher can send, with skills, open jobs, today's finished jobs and the
    zones they are already working in (``open_jobs``, ``done_today``, ``zones``). Three queries.
    """
    today = today or timezone.localdate()
    qs = User.objects.filter(is_active=True, groups__name=roles.TECHNICIAN).select_related("service_center")
    qs = scope_by_center(qs, user)
    qs = qs.annotate(
        open_jobs=Count("work_orders", filter=Q(work_orders__status__in=OPEN_STATUSES), distinct=True),
        done_today=Count("work_orders", filter=Q(work_orders__completed_at__gte=_day_start(today)), distinct=True),
    ).prefetch_related("skills").order_by("service_center__code", "open_jobs", "full_name")
    technicians = list(qs)
    zones: dict[int, set[str]] = {}
    rows = WorkOrder.objects.filter(technician__in=technicians, status__in=OPEN_STATUSES).values_list("technician_id", "request__zone")
    for tech_id, zone in rows:
        zones.setdefault(tech_id, set()).add(zone)
    for tech in technicians:
        tech.zones = zones.get(tech.pk, set())
    return technicians


def my_jobs(*, user) -> list[WorkOrder]:
    """The technician's open jobs in the order to do them: agreed times first, then by deadline."""
    qs = WorkOrder.objects.filter(technician=user, status__in=OPEN_STATUSES).select_related(*LIST_RELATED)
    jobs = list(qs)
    far = timezone.now() + dt.timedelta(days=3650)
    jobs.sort(key=lambda wo: (wo.appointment_at or wo.request.arrival_due_at or far, wo.pk))
    return jobs


def visit_history(work_order: WorkOrder) -> QuerySet[Visit]:
    return work_order.visits.select_related("technician").order_by("arrived_at", "id")


def equipment_history(work_order: WorkOrder, limit: int = 10) -> QuerySet[ServiceRequest]:
    """Earlier calls for the same machine, for the technician on site (CUST-03)."""
    sr = work_order.request
    if not sr.equipment_id:
        return ServiceRequest.objects.none()
    return (ServiceRequest.objects.filter(equipment_id=sr.equipment_id).exclude(pk=sr.pk)
            .prefetch_related(Prefetch("work_orders", queryset=WorkOrder.objects.select_related("technician")))
            .order_by("-received_at")[:limit])


def workshop_list(*, user) -> QuerySet[WorkOrder]:
    """Items in custody (taken back, not yet returned), the most pressing promise first."""
    return (work_order_visible_to(user).filter(status__in=IN_CUSTODY)
            .select_related(*LIST_RELATED, "receipt", "repair_card").order_by("promised_return_at", "id"))


def goods_register(*, user, date_from: dt.date | None = None, date_to: dt.date | None = None, open_only: bool = False) -> QuerySet[GoodsReceipt]:
    """客户商品进出登记簿: every item in (issued) and out (returned), newest first."""
    qs = scope_by_center(GoodsReceipt.objects.all(), user).select_related(
        "work_order", "work_order__request", "work_order__request__customer", "issued_by", "returned_by"
    )
    if date_from:
        qs = qs.filter(issued_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(issued_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if open_only:
        qs = qs.filter(voided_at__isnull=True)
    return qs.order_by("-issued_at", "-id")


def attach_calendars(rows: list, *, center_attr: str = "service_center") -> list:
    """Load the working calendars of the rows' centres in one query (for SLA figures in lists)."""
    centers: dict[int, ServiceCenter] = {}
    for row in rows:
        center = getattr(row, center_attr)
        centers.setdefault(center.pk, center)
    calendars_for(list(centers.values()))
    for row in rows:
        setattr(row, center_attr, centers[getattr(row, center_attr).pk])
    return rows


def statuses_for_filter() -> list[tuple[str, str]]:
    return [("open", "open"), *Status.choices]
