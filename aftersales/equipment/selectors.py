"""Reads of the installed base, scoped through the owning customer's service centre."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from aftersales.accounts.scoping import scope_by_center
from aftersales.equipment.models import Equipment, ProductModel


def equipment_visible_to(user) -> QuerySet[Equipment]:
    return scope_by_center(Equipment.objects.all(), user, field="customer__service_center")


def equipment_list(*, user, serial: str = "", plate: str = "", customer_id: int | None = None, q: str = "") -> QuerySet[Equipment]:
    qs = equipment_visible_to(user).select_related("product_model", "product_model__category", "customer")
    if serial.strip():
        qs = qs.filter(serial_no=serial.strip().upper())
    if plate.strip():
        qs = qs.filter(plate_no=plate.strip().upper())
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if q.strip():
        qs = qs.filter(Q(serial_no__startswith=q.strip().upper()) | Q(plate_no__startswith=q.strip().upper()))
    return qs.order_by("-id")


def get_equipment_for_user(user, pk: int) -> Equipment:
    try:
        return equipment_list(user=user).get(pk=pk)
    except (Equipment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("equipment") from exc


def product_model_list() -> QuerySet[ProductModel]:
    """Product models are a shared catalogue: every staff member may read it."""
    return ProductModel.objects.select_related("category").order_by("brand", "model_code")
