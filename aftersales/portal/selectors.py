"""Reads of the public portal. A token or a phone login opens exactly one customer's records."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.billing.models import Invoice
from aftersales.contracts.models import MaintenanceContract
from aftersales.customers.models import Customer
from aftersales.equipment.models import Equipment, RetiredQrToken
from aftersales.servicedesk.models import ServiceRequest


class LabelRetired(Exception):
    """The label was replaced by a new one."""


def equipment_by_token(token: str) -> Equipment:
    """The machine behind a QR label; ``LabelRetired`` for a replaced label, ``Http404`` for an unknown one."""
    unit = Equipment.objects.select_related("product_model", "product_model__category", "customer__service_center").filter(qr_token=token).first()
    if unit is not None:
        return unit
    if RetiredQrToken.objects.filter(token=token).exists():
        raise LabelRetired
    raise Http404("label")


def request_by_tracking_token(token: str) -> ServiceRequest:
    try:
        return (ServiceRequest.objects.select_related("equipment__product_model", "service_center")
                .prefetch_related("work_orders__technician").get(tracking_token=token))
    except ServiceRequest.DoesNotExist as exc:
        raise Http404("request") from exc


def open_requests_for(equipment: Equipment) -> QuerySet[ServiceRequest]:
    """Open requests of the scanned machine (the page links to their tracking, not to anything else)."""
    from aftersales.servicedesk.models import OPEN_STATUSES

    return ServiceRequest.objects.filter(equipment=equipment, status__in=OPEN_STATUSES).order_by("-received_at")[:5]


@dataclass
class Overview:
    customers: list[Customer]
    equipment: list[Equipment]
    requests: list[ServiceRequest]
    contracts: list[MaintenanceContract]
    invoices: list[Invoice]


def portal_overview(customer_ids: list[int], *, limit: int = 50) -> Overview:
    """What a logged-in customer sees: his equipment, history, contracts and invoices — nothing else."""
    today = timezone.localdate()
    units = list(Equipment.objects.filter(customer_id__in=customer_ids).select_related("product_model").order_by("product_model__model_code", "serial_no"))
    for unit in units:
        unit.warranty = unit.warranty_status(today)
    return Overview(
        customers=list(Customer.objects.filter(pk__in=customer_ids)),
        equipment=units,
        requests=list(ServiceRequest.objects.filter(customer_id__in=customer_ids).select_related("equipment__product_model")
                      .prefetch_related("work_orders__technician").order_by("-received_at")[:limit]),
        contracts=list(MaintenanceContract.objects.filter(customer_id__in=customer_ids).prefetch_related("equipment").order_by("-start_date")),
        invoices=list(Invoice.objects.filter(customer_id__in=customer_ids, voided_at__isnull=True).order_by("-issued_on", "-id")[:limit]),
    )
