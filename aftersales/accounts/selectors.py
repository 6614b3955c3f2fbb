"""Reads about people and centres that several apps need."""

from __future__ import annotations

from aftersales.accounts import roles
from aftersales.accounts.models import ServiceCenter, User


def centre_supervisors(center: ServiceCenter | int) -> list[User]:
    """The active supervisors (服务主任) of ``center``: who is told of escalations, late repairs, moved visits."""
    center_id = getattr(center, "pk", center)
    return list(User.objects.filter(is_active=True, service_center_id=center_id, groups__name=roles.SUPERVISOR).distinct().order_by("id"))
