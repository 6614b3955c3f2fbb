"""Change a rule's value (company-wide or for one centre) with a reason; the history keeps every change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.configuration.models import RuleValue
from aftersales.configuration.registry import spec
from aftersales.configuration.values import SNAPSHOT_NAME
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.snapshot import bump


def rule_set(*, actor, key: str, value: Any, reason: str, center=None, expected_version: int | None = None) -> RuleValue:
    """Give rule ``key`` the value ``value`` (validated against its declaration) for the company or ``center``.

    Refused, nothing changed: without the permission ``configuration.change_rules``; an unknown rule; a value out
    of range or of the wrong kind; a centre value for a rule that has none; no reason; a stale page.
    """
    if actor is None or not actor.has_perm("configuration.change_rules"):
        raise PermissionDenied(_("Only an administrator or the service department may change the rules."))
    try:
        declared = spec(key)
    except LookupError:
        raise DomainError({"key": [_("There is no rule “%(key)s”.") % {"key": key}]}, code="unknown_rule") from None
    if center is not None and not declared.per_centre:
        raise DomainError({"service_center": [_("“%(rule)s” is the same for every centre.") % {"rule": declared.label}]}, code="not_per_centre")
    why = (reason or "").strip()
    if not why:
        raise DomainError({"reason": [_("Give the reason for the change.")]}, code="no_reason")
    cleaned = declared.to_json(declared.clean(value))
    try:
        return _store(actor=actor, key=key, center=center, value=cleaned, reason=why, expected_version=expected_version)
    except IntegrityError:  # two first changes of the same rule at once: the other one was stored
        raise ConflictError(_("Someone changed this rule meanwhile; reload the page."), code="stale") from None


def _store(*, actor, key: str, center, value, reason: str, expected_version: int | None) -> RuleValue:
    with transaction.atomic():
        row = RuleValue.objects.select_for_update().filter(key=key, service_center=center).first()
        if row is not None and expected_version is not None and row.version != expected_version:
            raise ConflictError(_("Someone changed this rule meanwhile; reload the page."), code="stale")
        row = row or RuleValue(key=key, service_center=center, version=0)
        row.value, row.reason, row.changed_by, row.changed_at = value, reason[:300], actor, timezone.now()
        row.version += 1
        row._history_user = actor
        row._change_reason = reason[:100]
        row.save()
        bump(SNAPSHOT_NAME)
    return row
