"""Row-level scoping shared by every app: a branch sees its own centre, head office sees all."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)


def scope_by_center(qs: QuerySet[M], user, field: str = "service_center") -> QuerySet[M]:
    """Filter ``qs`` to what ``user`` may see through the service centre at ``field``.

    Anonymous or inactive users and staff without a centre (and without a global role) see nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.has_global_scope:
        return qs
    if user.service_center_id is None:
        return qs.none()
    return qs.filter(Q(**{f"{field}_id": user.service_center_id}))


def can_see_center(user, center_id: int | None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.has_global_scope or (center_id is not None and center_id == user.service_center_id)


def is_field_only(user) -> bool:
    """A technician with no desk, supervisor or head-office role: he sees only his own jobs."""
    from aftersales.accounts.roles import CENTER_ROLES, TECHNICIAN

    if user.has_global_scope:
        return False
    codes = user.role_codes
    return TECHNICIAN in codes and not (codes & CENTER_ROLES)


def scope_jobs(qs: QuerySet[M], user, *, center_field: str = "service_center", technician_field: str) -> QuerySet[M]:
    """Like ``scope_by_center``, but a field-only technician keeps only rows where he is the technician."""
    qs = scope_by_center(qs, user, field=center_field)
    if getattr(user, "is_authenticated", False) and is_field_only(user):
        qs = qs.filter(**{technician_field: user}).distinct()
    return qs


def scope_money(qs: QuerySet[M], user, *, center_field: str, work_order_field: str = "work_order",
                own_field: str | None = None) -> QuerySet[M]:
    """Money and parts records (quotations, invoices, payments, claims, old parts) by centre; a field-only technician
    keeps only those of his own jobs (``<work_order_field>__technician``), plus, with ``own_field``, the ones he made
    himself without a job (a quotation written before any job exists). He collects and quotes on his jobs; a
    colleague's prices, bills and claims are not his to read."""
    qs = scope_by_center(qs, user, field=center_field)
    if getattr(user, "is_authenticated", False) and is_field_only(user):
        mine = Q(**{f"{work_order_field}__technician": user})
        if own_field:
            mine |= Q(**{f"{work_order_field}__isnull": True, own_field: user})
        qs = qs.filter(mine)
    return qs
