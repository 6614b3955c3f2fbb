"""Helpers shared by the complaint services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from aftersales.accounts import roles
from aftersales.accounts.models import User
from aftersales.complaints.models import ComplaintCase
from aftersales.core.errors import ConflictError


def owner_for(role: str, center_id: int | None) -> User | None:
    """The first active user with ``role`` in the centre, else anyone with it (head office)."""
    if not role:
        return None
    users = User.objects.filter(is_active=True, groups__name=role).order_by("id")
    return users.filter(service_center_id=center_id).first() or users.filter(service_center__isnull=True).first() or users.first()


def manager_of(user: User | None) -> User | None:
    """Whom a reminder is copied to: the centre's supervisor, else the service department."""
    if user is None:
        return None
    if user.service_center_id:
        boss = User.objects.filter(is_active=True, service_center_id=user.service_center_id, groups__name=roles.SUPERVISOR).exclude(pk=user.pk).first()
        if boss:
            return boss
    return User.objects.filter(is_active=True, groups__name=roles.SERVICE_MANAGER).exclude(pk=user.pk).order_by("id").first()


def require_coordinator(actor) -> None:
    if not actor.has_perm("complaints.coordinate"):
        raise PermissionDenied(_("Only the complaint coordinator (service department) may do this."))


def locked_case(case: ComplaintCase, expected_version: int | None = None) -> ComplaintCase:
    current = ComplaintCase.objects.select_for_update(of=("self",)).select_related("customer", "service_center").get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(_("Someone else changed case %(no)s meanwhile. Reload and try again.") % {"no": current.number})
    return current


def save_case(case: ComplaintCase, actor) -> None:
    case.version += 1
    case._history_user = actor
    case.save()
