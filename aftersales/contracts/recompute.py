"""A change of the working calendar moves planned maintenance visits off days that are no longer working days.

A visit still only planned (not yet turned into a call) on a day off moves to the next working day of the term
(or the one before, at the end of the term), as when it was planned (DISP-10). The contract's timeline says so
and its owner — the salesperson, or the centre's supervisors when it has none — is told. Care picks the moved
visits up from ``change.shared["moved_visits"]`` to re-date the maintenance reminders.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.selectors import centre_supervisors
from aftersales.contracts.models import ContractEvent, PlannedVisit
from aftersales.contracts.services import working_day_within
from aftersales.core.holidays.changes import CalendarChange, Moved
from aftersales.notifications.services import notice_send


def recompute_planned_visits(change: CalendarChange) -> None:
    today = timezone.localdate(change.now or timezone.now())
    # Visits still ahead: one in the past that never became a call is history, not a plan to move.
    visits = (PlannedVisit.objects.filter(request__isnull=True, cancelled=False, planned_on__gte=max(change.start, today), planned_on__lte=change.end)
              .select_related("contract__customer__service_center", "contract__salesperson", "equipment"))
    if change.service_center_id is not None:
        visits = visits.filter(contract__customer__service_center_id=change.service_center_id)
    moved = change.shared.setdefault("moved_visits", [])
    now = change.now or timezone.now()
    for visit in visits:
        contract = visit.contract
        calendar = change.calendar_of(contract.customer.service_center)
        if calendar.is_working_day(visit.planned_on):
            continue
        before = visit.planned_on
        after = working_day_within(before, start=contract.start_date, end=contract.end_date, calendar=calendar)
        if after == before:
            continue
        PlannedVisit.objects.filter(pk=visit.pk).update(planned_on=after)
        what = str(visit.equipment.serial_no if visit.equipment else contract.number)
        note = _("Planned visit for %(what)s moved from %(a)s (not a working day) to %(b)s. %(why)s") % {
            "what": what, "a": f"{before:%Y-%m-%d}", "b": f"{after:%Y-%m-%d}", "why": change.reason}
        ContractEvent.objects.create(contract=contract, planned_visit=visit, actor=change.actor, kind="visit_moved", note=note, at=now)
        url = reverse("contracts:detail", args=[contract.pk])
        owners = [contract.salesperson] if contract.salesperson and contract.salesperson.is_active else centre_supervisors(contract.customer.service_center_id)
        notice_send(recipients=owners, kind="contract_visit_moved", title=_("Contract %(no)s: planned visit moved to %(day)s") % {
            "no": contract.number, "day": f"{after:%Y-%m-%d}"}, body=note, url=url, dedupe_key=f"visit-moved:{visit.pk}:{after:%Y%m%d}")
        change.moved.append(Moved(str(_("Planned maintenance visit")), f"{contract.number} · {what}", url, f"{before:%Y-%m-%d}", f"{after:%Y-%m-%d}"))
        visit.planned_on = after
        moved.append((visit, before, after))
