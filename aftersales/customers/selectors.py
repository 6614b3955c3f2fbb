"""Reads of the customer archive, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from aftersales.accounts.scoping import scope_by_center
from aftersales.customers.models import Customer, CustomerAddress, CustomerPhone, MergeCandidate
from aftersales.customers.phones import phone_search_prefix


def customer_visible_to(user) -> QuerySet[Customer]:
    return scope_by_center(Customer.objects.all(), user)


def customer_list(
    *, user, q: str = "", phone: str = "", serial: str = "", plate: str = "", customer_no: str = "",
    created_from: dt.date | None = None, created_to: dt.date | None = None, service_center_id: int | None = None,
) -> QuerySet[Customer]:
    """Search the archive (CUST-07): ``q`` matches name (prefix or contains), customer ID, phone,
    serial/VIN or plate; the other arguments narrow further. Phones and addresses are prefetched.
    """
    qs = customer_visible_to(user).select_related("service_center")
    if q.strip():
        term = q.strip()
        # Serials and plates are stored upper-case, so an exact match on the upper-cased term
        # uses their indexes; names match anywhere, and prefix matches sort first below.
        cond = Q(name__icontains=term) | Q(customer_no=term.upper()) | Q(equipment__serial_no=term.upper())
        cond |= Q(equipment__plate_no=term.upper())
        prefix = phone_search_prefix(term)
        if prefix:
            cond |= Q(phones__number__startswith=prefix)
        qs = qs.filter(cond)
    if phone.strip():
        prefix = phone_search_prefix(phone)
        qs = qs.filter(phones__number__startswith=prefix) if prefix else qs.none()
    if serial.strip():
        qs = qs.filter(equipment__serial_no=serial.strip().upper())
    if plate.strip():
        qs = qs.filter(equipment__plate_no=plate.strip().upper())
    if customer_no.strip():
        qs = qs.filter(customer_no=customer_no.strip().upper())
    if created_from:
        qs = qs.filter(created_at__date__gte=created_from)
    if created_to:
        qs = qs.filter(created_at__date__lte=created_to)
    if service_center_id:
        qs = qs.filter(service_center_id=service_center_id)
    ordering = ["customer_no"]
    if q.strip():
        qs = qs.annotate(name_rank=Case(When(name__startswith=q.strip(), then=Value(0)), default=Value(1)))
        ordering = ["name_rank", "name", "customer_no"]
    return qs.distinct().prefetch_related(
        Prefetch("phones", queryset=CustomerPhone.objects.order_by("-is_primary", "id")),
        Prefetch("addresses", queryset=CustomerAddress.objects.order_by("-is_default", "id")),
        "tags",
    ).order_by(*ordering)


def get_customer_for_user(user, pk: int) -> Customer:
    """The customer if ``user`` may see it; 404 otherwise (no hint that it exists)."""
    try:
        return customer_list(user=user).get(pk=pk)
    except (Customer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("customer") from exc


def customers_by_phone(*, user, phone: str, limit: int = 10) -> list[Customer]:
    """For the call form: customers whose phone starts with what the clerk typed, with equipment."""
    prefix = phone_search_prefix(phone)
    if not prefix:
        return []
    from aftersales.equipment.models import Equipment

    qs = customer_visible_to(user).filter(phones__number__startswith=prefix).distinct().prefetch_related(
        "phones", "addresses", Prefetch("equipment", queryset=Equipment.objects.select_related("product_model"))
    )
    return list(qs.order_by("name")[:limit])


def merge_candidate_list(*, user) -> QuerySet[MergeCandidate]:
    """Open duplicate flags whose two customers the user can both see, oldest first."""
    visible = customer_visible_to(user)
    return (
        MergeCandidate.objects.filter(state=MergeCandidate.State.OPEN, customer__in=visible, other__in=visible)
        .select_related("customer", "other", "customer__service_center", "other__service_center")
        .order_by("created_at", "id")
    )


def get_merge_candidate_for_user(user, pk: int) -> MergeCandidate:
    try:
        return merge_candidate_list(user=user).get(pk=pk)
    except (MergeCandidate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("merge candidate") from exc
