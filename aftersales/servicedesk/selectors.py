"""Reads of the call register, scoped to the user's service centre."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.accounts.scoping import scope_jobs
from aftersales.servicedesk.models import OPEN_STATUSES, ServiceRequest, Status


def request_visible_to(user) -> QuerySet[ServiceRequest]:
    """The user's centre's calls (all for head office); a technician sees only calls he was sent to."""
    return scope_jobs(ServiceRequest.objects.all(), user, technician_field="work_orders__technician")


def request_list(
    *, user, status: str = "", category: str = "", service_center_id: int | None = None,
    date_from: dt.date | None = None, date_to: dt.date | None = None, overdue: bool = False,
    q: str = "", customer_id: int | None = None, equipment_id: int | None = None, now: dt.datetime | None = None,
) -> QuerySet[ServiceRequest]:
    """The register, newest first; ``overdue`` keeps open requests past their arrival deadline."""
    qs = request_visible_to(user).select_related("customer", "equipment", "product_model", "service_center")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if service_center_id:
        qs = qs.filter(service_center_id=service_center_id)
    if date_from:
        qs = qs.filter(received_at__gte=timezone.make_aware(dt.datetime.combine(date_from, dt.time.min)))
    if date_to:
        qs = qs.filter(received_at__lt=timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min)))
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, arrived_at__isnull=True, arrival_due_at__lte=now or timezone.now())
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if equipment_id:
        qs = qs.filter(equipment_id=equipment_id)
    if q.strip():
        term = q.strip()
        qs = qs.filter(Q(number__iexact=term) | Q(customer__name__icontains=term) | Q(contact_phone__contains=term))
    return qs.order_by("-received_at", "-id")


def open_queue(*, user) -> QuerySet[ServiceRequest]:
    """Undispatched requests for the home page and, later, the dispatch board:
    carried-over first (DISP-03), then by arrival deadline."""
    return (
        request_visible_to(user)
        .filter(status=Status.REGISTERED)
        .select_related("customer", "service_center", "product_model")
        .order_by("-carried_over", "arrival_due_at", "id")
    )


def get_request_for_user(user, pk: int) -> ServiceRequest:
    try:
        return request_list(user=user).get(pk=pk)
    except (ServiceRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("service request") from exc


def with_sla_state(rows: list[ServiceRequest], now: dt.datetime) -> list[ServiceRequest]:
    """Set ``sla_state`` ("overdue" / "near" / "") on each row; calendars load in one query."""
    from aftersales.accounts.models import calendars_for

    centers = {r.service_center_id: r.service_center for r in rows}
    calendars_for(list(centers.values()))
    for row in rows:
        row.service_center = centers[row.service_center_id]
        row.sla_state = "overdue" if row.is_arrival_overdue(now) else ("near" if row.is_arrival_near_due(now) else "")
    return rows
