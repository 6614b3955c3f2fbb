"""Reads of the contract register, scoped through the customer's service centre."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.accounts.scoping import scope_by_center
from aftersales.contracts.models import ContractStatus, MaintenanceContract, RenewalTask


def contract_list(*, user, state: str = "", q: str = "") -> QuerySet[MaintenanceContract]:
    """``state``: active, expiring (ends within the notice days), ended, terminated, or all."""
    from django.conf import settings

    today = timezone.localdate()
    qs = scope_by_center(MaintenanceContract.objects.all(), user, field="customer__service_center")
    if state == "active":
        qs = qs.filter(status=ContractStatus.ACTIVE, start_date__lte=today, end_date__gte=today)
    elif state == "expiring":
        qs = qs.filter(status=ContractStatus.ACTIVE, end_date__gte=today, end_date__lte=today + dt.timedelta(days=settings.CONTRACT_NOTICE_DAYS))
    elif state == "ended":
        qs = qs.filter(end_date__lt=today).exclude(status=ContractStatus.TERMINATED)
    elif state == "terminated":
        qs = qs.filter(status=ContractStatus.TERMINATED)
    if q.strip():
        qs = qs.filter(number__icontains=q.strip()) | qs.filter(customer__name__icontains=q.strip())
    return qs.select_related("customer", "sla_level", "salesperson", "previous").prefetch_related("renewal").order_by("end_date", "id")


def get_contract_for_user(user, pk: int) -> MaintenanceContract:
    try:
        return contract_list(user=user).get(pk=pk)
    except (MaintenanceContract.DoesNotExist, ValueError) as exc:
        raise Http404("contract") from exc


def renewal_tasks(*, user, open_only: bool = True) -> QuerySet[RenewalTask]:
    qs = scope_by_center(RenewalTask.objects.all(), user, field="contract__customer__service_center")
    if open_only:
        qs = qs.filter(done_at__isnull=True)
    return qs.select_related("contract__customer", "assigned_to").order_by("due_on", "id")
