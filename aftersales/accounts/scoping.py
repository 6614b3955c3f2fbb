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
