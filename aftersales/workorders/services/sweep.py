"""The workshop sweeper (habit 6): items past their promised return are flagged once (DISP-06).

A flag is set with a conditional UPDATE, so re-runs and concurrent sweepers flag each voucher
once, write one timeline row and send one notice per person (the notice is de-duplicated too).
A delay report re-arms the flag with the new promised time.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.notifications.services import notice_send
from aftersales.workorders.models import IN_CUSTODY, WorkOrder, WorkOrderEvent
from aftersales.workorders.services.common import centre_supervisors


def return_overdue_sweep(now: dt.datetime | None = None) -> int:
    """Flag items still in custody after their promised return; tell the supervisor and technician."""
    now = now or timezone.now()
    due = WorkOrder.objects.filter(status__in=IN_CUSTODY, return_overdue_flagged_at__isnull=True, promised_return_at__lte=now)
    flagged = 0
    for wo in due.select_related("service_center", "technician"):
        with transaction.atomic():
            if not WorkOrder.objects.filter(pk=wo.pk, return_overdue_flagged_at__isnull=True).update(return_overdue_flagged_at=now):
                continue
            WorkOrderEvent.objects.create(work_order=wo, kind="return_overdue")
            notice_send(
                recipients=[*centre_supervisors(wo.service_center), wo.technician], kind="return_overdue",
                title=_("Item of %(no)s is past its promised return") % {"no": wo.number},
                url=reverse("workorders:detail", args=[wo.pk]),
                dedupe_key=f"return_overdue:{wo.pk}:{wo.promised_return_at:%Y%m%d%H%M}",  # utc: a key, never shown
            )
            flagged += 1
    return flagged
