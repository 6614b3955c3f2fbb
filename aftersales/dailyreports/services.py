"""Writes of the daily reports (DRPT-01..03, CLS-02).

Technician: open the day's draft (job lines are drawn from the day's visits and repair cards),
add category D administrative time, submit; the supervisor reviews it or sends it back.
Supervisor: the centre's report sums the submitted technician reports per person and category,
is submitted, signed by the branch manager when the centre is a branch, and received by the
service department. A submitted report cannot be edited (conflict) until it is sent back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from aftersales.accounts import roles
from aftersales.accounts.models import ServiceCenter, User
from aftersales.core.calendar import Deadline, WorkCalendar
from aftersales.core.errors import ConflictError, DomainError
from aftersales.dailyreports.models import (
    LineSource,
    ReportEvent,
    ReportLine,
    SupervisorDailyReport,
    SupervisorReportRow,
    SupervisorStatus,
    TechnicianDailyReport,
    TechStatus,
)
from aftersales.servicedesk.models import Category
from aftersales.workorders.models import RepairCard, Visit

MAX_DAY_MINUTES = 24 * 60


def due_at(center: ServiceCenter, day: dt.date, working_hours: int, calendar: WorkCalendar | None = None) -> Deadline:
    """A report for ``day`` is due ``working_hours`` into the working time after that day (on ``calendar``, the
    centre's own by default)."""
    next_midnight = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    return (calendar or center.calendar).add_working_hours(next_midnight, working_hours)


def _due(center: ServiceCenter, day: dt.date, working_hours: int) -> dict:
    deadline = due_at(center, day, working_hours)
    return {"due_at": deadline.at, "due_confirmed": deadline.confirmed}


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def job_lines(technician: User, day: dt.date) -> list[ReportLine]:
    """Unsaved lines for the technician's jobs on ``day``: one per voucher visited (labour minutes
    of the day's visits) and one per repair card finished that day (actual repair time)."""
    start, end = _day_bounds(day)
    minutes: dict[int, int] = defaultdict(int)
    vouchers = {}
    for visit in Visit.objects.filter(technician=technician, arrived_at__gte=start, arrived_at__lt=end).select_related(
        "work_order", "work_order__request__customer"
    ):
        minutes[visit.work_order_id] += visit.labour_minutes or 0
        vouchers[visit.work_order_id] = visit.work_order
    lines = [
        ReportLine(source=LineSource.JOB, work_order=wo, category=wo.category, minutes=minutes[pk],
                   description=f"{wo.number} {wo.request.customer.name if wo.request.customer_id else ''}".strip()[:200])
        for pk, wo in vouchers.items()
    ]
    cards = RepairCard.objects.filter(work_order__technician=technician, finished_at__gte=start, finished_at__lt=end).select_related("work_order")
    lines += [
        ReportLine(source=LineSource.JOB, work_order=card.work_order, category=card.work_order.category, minutes=card.repair_minutes or 0,
                   description=f"{card.number} {_('workshop repair')} {card.item_description}"[:200])
        for card in cards
    ]
    return lines


def _refresh_job_lines(report: TechnicianDailyReport) -> None:
    report.lines.filter(source=LineSource.JOB).delete()
    lines = job_lines(report.technician, report.day)
    for line in lines:
        line.report = report
    ReportLine.objects.bulk_create(lines)


def _log(*, actor, kind: str, before: str, after: str, note: str = "", technician_report=None, supervisor_report=None) -> None:
    ReportEvent.objects.create(actor=actor, kind=kind, from_state=before, to_state=after, note=note,
                               technician_report=technician_report, supervisor_report=supervisor_report)


def _locked_tech(report: TechnicianDailyReport, expected_version: int | None) -> TechnicianDailyReport:
    current = TechnicianDailyReport.objects.select_for_update(of=("self",)).select_related("technician", "service_center").get(pk=report.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(_("Someone else changed this report meanwhile. Reload and try again."))
    return current


def _advance(report, transition: str, *, actor, note: str = "", **log_target) -> None:
    method = getattr(report, transition)
    if not can_proceed(method):
        raise ConflictError(_("This report is “%(state)s”; this step is not possible now.") % {"state": report.get_status_display()},
                            code="illegal_transition")
    before = report.status
    method()
    report.version += 1
    report._history_user = actor
    report.save()
    _log(actor=actor, kind=transition, before=before, after=report.status, note=note, **log_target)


def _require_owner(actor, report: TechnicianDailyReport) -> None:
    if report.technician_id != actor.pk:
        raise PermissionDenied(_("Only %(name)s can fill in this report.") % {"name": report.technician})


def _require_draft(report: TechnicianDailyReport) -> None:
    if report.status != TechStatus.DRAFT:
        raise ConflictError(_("The report has been submitted and can no longer be edited."), code="submitted")


def technician_report_open(*, actor, day: dt.date) -> TechnicianDailyReport:
    """The actor's report for ``day``, created as a draft if needed; a draft's job lines are redrawn."""
    if roles.TECHNICIAN not in actor.role_codes or actor.service_center_id is None:
        raise PermissionDenied(_("Only a technician of a service centre writes a technician daily report."))
    if day > timezone.localdate():
        raise DomainError({"day": [_("A report cannot be written for a day that has not come.")]})
    with transaction.atomic():
        report, _created = TechnicianDailyReport.objects.select_for_update().get_or_create(
            technician=actor, day=day,
            defaults={"service_center": actor.service_center, **_due(actor.service_center, day, settings.TECH_REPORT_DUE_WORKING_HOURS)},
        )
        if report.status == TechStatus.DRAFT:
            _refresh_job_lines(report)
    return report


def technician_report_add_admin_time(*, actor, report: TechnicianDailyReport, minutes: int, description: str) -> ReportLine:
    """Category D time (inspection, parts management, tool upkeep, training …, CLS-01)."""
    _require_owner(actor, report)
    errors: dict[str, list[str]] = {}
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_DAY_MINUTES:
        errors["minutes"] = [_("Enter the minutes spent (1 to %(max)s).") % {"max": MAX_DAY_MINUTES}]
    if not (description or "").strip():
        errors["description"] = [_("Say what the administrative work was.")]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        current = _locked_tech(report, None)
        _require_draft(current)
        return ReportLine.objects.create(report=current, source=LineSource.ADMIN, category=Category.D, minutes=minutes,
                                         description=description.strip()[:200])


def technician_report_remove_line(*, actor, report: TechnicianDailyReport, line_id: int) -> None:
    """Remove an administrative line of a draft (job lines come from the vouchers)."""
    _require_owner(actor, report)
    with transaction.atomic():
        current = _locked_tech(report, None)
        _require_draft(current)
        current.lines.filter(pk=line_id, source=LineSource.ADMIN).delete()


def technician_report_submit(*, actor, report: TechnicianDailyReport, expected_version: int | None = None) -> TechnicianDailyReport:
    """Submit to the supervisor; the lines are drawn once more and then frozen. An empty day is refused."""
    _require_owner(actor, report)
    with transaction.atomic():
        current = _locked_tech(report, expected_version)
        _require_draft(current)
        _refresh_job_lines(current)
        if not current.lines.exists():
            raise DomainError(_("The report has no work: record the day's jobs or administrative time first."), code="empty_report")
        current.submitted_at = timezone.now()
        _advance(current, "submit", actor=actor, technician_report=current)
    return current


def _require_reviewer(actor, report) -> None:
    if not actor.has_perm("dailyreports.review", report):
        raise PermissionDenied(_("Only the centre's supervisor reviews technician reports."))


def technician_report_review(*, actor, report: TechnicianDailyReport, note: str = "", expected_version: int | None = None) -> TechnicianDailyReport:
    """The supervisor has read the report and files it (核阅存查)."""
    _require_reviewer(actor, report)
    with transaction.atomic():
        current = _locked_tech(report, expected_version)
        current.reviewed_at, current.reviewed_by, current.review_note = timezone.now(), actor, (note or "").strip()[:300]
        _advance(current, "review", actor=actor, note=note, technician_report=current)
    return current


def technician_report_send_back(*, actor, report: TechnicianDailyReport, note: str, expected_version: int | None = None) -> TechnicianDailyReport:
    """The supervisor returns the report for correction, saying what to correct."""
    _require_reviewer(actor, report)
    if len((note or "").strip()) < 2:
        raise DomainError({"note": [_("Say what should be corrected.")]})
    with transaction.atomic():
        current = _locked_tech(report, expected_version)
        current.review_note, current.submitted_at = note.strip()[:300], None
        _advance(current, "send_back", actor=actor, note=note, technician_report=current)
    return current


def _technicians_of(center: ServiceCenter) -> list[User]:
    return list(User.objects.filter(is_active=True, service_center=center, groups__name=roles.TECHNICIAN).order_by("full_name", "pk").distinct())


def _refresh_rows(report: SupervisorDailyReport) -> None:
    report.rows.all().delete()
    submitted = {
        r.technician_id: r for r in TechnicianDailyReport.objects.filter(
            service_center=report.service_center, day=report.day, status__in=[TechStatus.SUBMITTED, TechStatus.REVIEWED]
        ).prefetch_related("lines")
    }
    rows = []
    for tech in _technicians_of(report.service_center):
        row = SupervisorReportRow(report=report, technician=tech, technician_report=submitted.get(tech.pk))
        for line in (row.technician_report.lines.all() if row.technician_report else []):
            field = f"minutes_{line.category.lower()}"
            setattr(row, field, getattr(row, field) + line.minutes)
            row.jobs += line.source == LineSource.JOB
        rows.append(row)
    SupervisorReportRow.objects.bulk_create(rows)


def supervisor_report_open(*, actor, center: ServiceCenter, day: dt.date) -> SupervisorDailyReport:
    """The centre's report for ``day`` (a draft is recomputed from the technicians' reports)."""
    if not actor.has_perm("dailyreports.review", center):
        raise PermissionDenied(_("Only the centre's supervisor writes the supervisor daily report."))
    if day > timezone.localdate():
        raise DomainError({"day": [_("A report cannot be written for a day that has not come.")]})
    with transaction.atomic():
        report, _created = SupervisorDailyReport.objects.select_for_update().get_or_create(
            service_center=center, day=day,
            defaults={"author": actor, **_due(center, day, settings.SUPERVISOR_REPORT_DUE_WORKING_HOURS)},
        )
        if report.status == SupervisorStatus.DRAFT:
            _refresh_rows(report)
    return report


def _locked_supervisor(report: SupervisorDailyReport, expected_version: int | None) -> SupervisorDailyReport:
    current = SupervisorDailyReport.objects.select_for_update(of=("self",)).select_related("service_center").get(pk=report.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(_("Someone else changed this report meanwhile. Reload and try again."))
    return current


def supervisor_report_submit(*, actor, report: SupervisorDailyReport, note: str = "", expected_version: int | None = None) -> SupervisorDailyReport:
    """Submit the day's totals: to the branch manager for a branch, to the service department otherwise (DRPT-02/03)."""
    if not actor.has_perm("dailyreports.review", report):
        raise PermissionDenied(_("Only the centre's supervisor submits this report."))
    with transaction.atomic():
        current = _locked_supervisor(report, expected_version)
        if current.status == SupervisorStatus.DRAFT:
            _refresh_rows(current)
        current.note, current.author, current.submitted_at = (note or current.note).strip(), actor, timezone.now()
        _advance(current, "submit", actor=actor, supervisor_report=current)
    return current


def supervisor_report_sign(*, actor, report: SupervisorDailyReport, expected_version: int | None = None) -> SupervisorDailyReport:
    """The branch manager reads and signs the branch's report before it goes to the service department (DRPT-03)."""
    if not actor.has_perm("dailyreports.sign", report):
        raise PermissionDenied(_("Only the branch manager signs this report."))
    with transaction.atomic():
        current = _locked_supervisor(report, expected_version)
        if not current.service_center.is_branch:
            raise ConflictError(_("Only a branch's report is signed by a branch manager."), code="not_branch")
        current.signed_at, current.signed_by = timezone.now(), actor
        _advance(current, "sign", actor=actor, supervisor_report=current)
    return current


def supervisor_report_receive(*, actor, report: SupervisorDailyReport, expected_version: int | None = None) -> SupervisorDailyReport:
    """The service department files the report; a branch's report must be signed first (DRPT-03)."""
    if not actor.has_perm("dailyreports.receive", report):
        raise PermissionDenied(_("Only the service department receives supervisor reports."))
    with transaction.atomic():
        current = _locked_supervisor(report, expected_version)
        if current.service_center.is_branch and current.signed_at is None:
            raise ConflictError(_("A branch's report must be signed by the branch manager first."), code="not_signed")
        current.received_at, current.received_by = timezone.now(), actor
        _advance(current, "receive", actor=actor, supervisor_report=current)
    return current
