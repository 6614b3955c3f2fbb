"""Writes of centres' own calendar days (``CalendarOverride``): saved or removed, then every open deadline and
planned date of the day is recomputed (``core.holidays.changes``) in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import CalendarOverride
from aftersales.core.holidays.changes import CalendarChange, calendar_changed


def _recompute(*, actor, days: set[dt.date], center_id: int | None, center_name: str) -> CalendarChange:
    reason = _("The working calendar of %(centre)s was changed for %(dates)s.") % {
        "centre": center_name, "dates": ", ".join(f"{d:%Y-%m-%d}" for d in sorted(days))}
    return calendar_changed(CalendarChange(start=min(days), end=max(days), reason=reason, actor=actor, now=timezone.now(),
                                           service_center_id=center_id))


def _require(actor) -> None:
    if actor is None or not actor.has_perm("core.manage_calendar"):
        raise PermissionDenied(_("Only an administrator or the service department may change the working calendar."))


def calendar_override_save(*, actor, override: CalendarOverride, previous: CalendarOverride | None = None) -> CalendarChange:
    """Save a centre's (or, without a centre, every centre's) own working day or day off and recompute what depended
    on the day — and on the day and centre it had before, when those changed. ``override`` is validated by the
    caller's form; refused without the permission to change the working calendar."""
    _require(actor)
    with transaction.atomic():
        override._history_user = actor
        override.save()
        change = _recompute(actor=actor, days={override.date}, center_id=override.service_center_id,
                            center_name=str(override.service_center or _("every centre")))
        if previous is not None and (previous.date, previous.service_center_id) != (override.date, override.service_center_id):
            _recompute(actor=actor, days={previous.date}, center_id=previous.service_center_id,
                       center_name=str(previous.service_center or _("every centre")))
        return change


def calendar_override_delete(*, actor, override: CalendarOverride) -> CalendarChange:
    """Remove a centre's own day: the national calendar applies to it again; what depended on it is recomputed."""
    _require(actor)
    with transaction.atomic():
        day, center_id, name = override.date, override.service_center_id, str(override.service_center or _("every centre"))
        override._history_user = actor
        override.delete()
        return _recompute(actor=actor, days={day}, center_id=center_id, center_name=name)
