"""A change of the working calendar moves the arrival deadlines of open calls that ran across the changed days.

The arrival allowance is counted in working hours (DISP-02); the contact promise (DISP-05) in clock hours, which a
calendar change does not touch. Each call is recomputed from what it stored when it was registered — the time it
came in, the working hours it was given, the customer's own later appointment — so running this twice changes
nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.holidays.changes import CalendarChange, Moved, local_minute
from aftersales.servicedesk.models import OPEN_STATUSES, RequestEvent, ServiceRequest, Status


def recompute_arrival_deadlines(change: CalendarChange) -> None:
    """Open calls nobody has reached yet, received before the changed days end and due on or after their start."""
    start, end = change.bounds()
    calls = ServiceRequest.objects.filter(status__in=OPEN_STATUSES, arrived_at__isnull=True, received_at__lt=end, arrival_due_at__gte=start)
    if change.service_center_id is not None:
        calls = calls.filter(service_center_id=change.service_center_id)
    now = change.now or timezone.now()
    for call in calls.select_related("service_center").iterator(chunk_size=500):
        _recompute(call, change, now)


def _recompute(call: ServiceRequest, change: CalendarChange, now: dt.datetime) -> None:
    calendar = change.calendar_of(call.service_center)
    deadline = calendar.add_working_hours(call.received_at, call.arrival_hours)
    due = call.requested_time if call.requested_time and call.requested_time > deadline.at else deadline.at
    updates: dict = {}
    if due != call.arrival_due_at:
        updates["arrival_due_at"] = due
        if call.arrival_breached_at and due > now:
            updates["arrival_breached_at"] = None  # the breach was measured against a day that is not a working day
    if deadline.confirmed != call.arrival_due_confirmed:
        updates["arrival_due_confirmed"] = deadline.confirmed
    if call.status == Status.REGISTERED and not call.carried_over:
        first = calendar.add_working_hours(call.received_at, 0).at
        carry = calendar.end_of_working_day(first) or first
        if carry != call.carry_over_at:
            updates["carry_over_at"] = carry
    if not updates:
        return
    ServiceRequest.objects.filter(pk=call.pk).update(**updates)
    if "arrival_due_at" in updates:
        before, after = local_minute(call.arrival_due_at), local_minute(due)
        note = _("Arrival deadline %(a)s → %(b)s. %(why)s") % {"a": before, "b": after, "why": change.reason}
        if not deadline.confirmed:
            note += " " + _("(still provisional: a day it crosses is not confirmed)")
        RequestEvent.objects.create(request=call, actor=change.actor, kind="deadline_moved", note=note, at=now)
        change.moved.append(Moved(str(_("Arrival deadline")), call.number, reverse("servicedesk:detail", args=[call.pk]), before, after))
