"""A change of the working calendar moves the due time of daily reports not yet handed in (DRPT).

A report is due a number of working hours into the working time after its day; a draft whose due time depends on
the changed days is recomputed. Reports already submitted keep the due time they were judged against.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.holidays.changes import CalendarChange, Moved, local_minute
from aftersales.dailyreports.models import ReportEvent, SupervisorDailyReport, SupervisorStatus, TechnicianDailyReport, TechStatus
from aftersales.dailyreports.services import due_at


def recompute_report_deadlines(change: CalendarChange) -> None:
    start, _end = change.bounds()
    now = change.now or timezone.now()
    kinds = (
        (TechnicianDailyReport, TechStatus.DRAFT, settings.TECH_REPORT_DUE_WORKING_HOURS, "technician_report", "dailyreports:technician"),
        (SupervisorDailyReport, SupervisorStatus.DRAFT, settings.SUPERVISOR_REPORT_DUE_WORKING_HOURS, "supervisor_report", "dailyreports:centre"),
    )
    for model, draft, hours, link, url_name in kinds:
        reports = model.objects.filter(status=draft, due_at__gte=start, day__lte=change.end).select_related("service_center")
        if change.service_center_id is not None:
            reports = reports.filter(service_center_id=change.service_center_id)
        for report in reports:
            deadline = due_at(report.service_center, report.day, hours, calendar=change.calendar_of(report.service_center))
            new = deadline.at
            if deadline.confirmed != report.due_confirmed:
                model.objects.filter(pk=report.pk).update(due_confirmed=deadline.confirmed)
            if new == report.due_at:
                continue
            model.objects.filter(pk=report.pk).update(due_at=new)
            ReportEvent.objects.create(**{link: report}, actor=change.actor, kind="deadline_moved", at=now, note=_(
                "Due %(a)s → %(b)s. %(why)s") % {"a": local_minute(report.due_at), "b": local_minute(new), "why": change.reason})
            change.moved.append(Moved(str(_("Daily report due")), f"{report.day:%Y-%m-%d} {getattr(report, 'technician', '') or report.service_center}",
                                      reverse(url_name, args=[report.pk]), local_minute(report.due_at), local_minute(new)))
