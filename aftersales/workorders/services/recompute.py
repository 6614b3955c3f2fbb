"""A change of the working calendar moves the promised return of items in the workshop (DISP-06).

Only promises the system made: once a delay was reported (DISP-07) the customer was given a new time by a person,
and that time stands. The promise is recomputed from the moment the item was taken in and the working days it was
promised with.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.holidays.changes import CalendarChange, Moved, local_minute
from aftersales.workorders.models import IN_CUSTODY, WorkOrder, WorkOrderEvent


def recompute_return_promises(change: CalendarChange) -> None:
    start, end = change.bounds()
    orders = WorkOrder.objects.filter(status__in=IN_CUSTODY, delay_reported_at__isnull=True, promised_return_at__gte=start,
                                      receipt__issued_at__lt=end).select_related("service_center", "receipt")
    if change.service_center_id is not None:
        orders = orders.filter(service_center_id=change.service_center_id)
    now = change.now or timezone.now()
    for order in orders.iterator(chunk_size=500):
        days = order.return_working_days or order.service_center.return_days_allowed()
        promise = change.calendar_of(order.service_center).add_working_days(order.receipt.issued_at, days)
        updates: dict = {}
        if promise.at != order.promised_return_at:
            updates["promised_return_at"] = promise.at
            if order.return_overdue_flagged_at and promise.at > now:
                updates["return_overdue_flagged_at"] = None
        if promise.confirmed != order.promised_return_confirmed:
            updates["promised_return_confirmed"] = promise.confirmed
        if not updates:
            continue
        WorkOrder.objects.filter(pk=order.pk).update(**updates)
        if "promised_return_at" in updates:
            before, after = local_minute(order.promised_return_at), local_minute(promise.at)
            WorkOrderEvent.objects.create(work_order=order, actor=change.actor, kind="deadline_moved", at=now, note=_(
                "Return promised by %(a)s → %(b)s. %(why)s") % {"a": before, "b": after, "why": change.reason})
            change.moved.append(Moved(str(_("Promised return")), order.number, reverse("workorders:detail", args=[order.pk]), before, after))
