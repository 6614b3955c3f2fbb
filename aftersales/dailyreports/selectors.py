"""Reads of the daily reports: a technician sees his own, a centre its own, head office all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.accounts import roles
from aftersales.accounts.models import ServiceCenter, User
from aftersales.accounts.scoping import scope_by_center, scope_jobs
from aftersales.dailyreports.models import SupervisorDailyReport, TechnicianDailyReport
from aftersales.dailyreports.services import due_at


def technician_reports_visible_to(user) -> QuerySet[TechnicianDailyReport]:
    return scope_jobs(TechnicianDailyReport.objects.all(), user, technician_field="technician")


def get_technician_report_for_user(user, pk: int) -> TechnicianDailyReport:
    try:
        return technician_reports_visible_to(user).select_related("technician", "service_center", "reviewed_by").get(pk=pk)
    except (TechnicianDailyReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("report") from exc


def supervisor_reports_visible_to(user) -> QuerySet[SupervisorDailyReport]:
    return scope_by_center(SupervisorDailyReport.objects.all(), user)


def get_supervisor_report_for_user(user, pk: int) -> SupervisorDailyReport:
    try:
        return supervisor_reports_visible_to(user).select_related("service_center", "author", "signed_by", "received_by").get(pk=pk)
    except (SupervisorDailyReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("report") from exc


@dataclass
class ReportState:
    """One expected report on the status board: who, the report if any, and how it stands."""

    who: object
    report: object | None
    state: str  # "missing" (due and absent), "pending" (not yet due), "late", "on_time"
    due: dt.datetime | None = None


def _state(report, due: dt.datetime | None, now: dt.datetime) -> str:
    if report is None or report.submitted_at is None:
        return "missing" if due is not None and now > due else "pending"
    return "late" if report.is_late else "on_time"


def technician_report_board(*, user, day: dt.date, now: dt.datetime | None = None) -> list[ReportState]:
    """Every technician the user oversees, with his report for ``day``; missing and late are visible."""
    now = now or timezone.now()
    techs = scope_by_center(User.objects.filter(is_active=True, groups__name=roles.TECHNICIAN), user).select_related("service_center")
    techs = list(techs.order_by("service_center__code", "full_name").distinct())
    reports = {r.technician_id: r for r in TechnicianDailyReport.objects.filter(day=day, technician__in=techs)}
    dues: dict[int, dt.datetime] = {}
    result = []
    for tech in techs:
        if tech.service_center_id is None:
            continue
        if tech.service_center_id not in dues:
            dues[tech.service_center_id] = due_at(tech.service_center, day, settings.TECH_REPORT_DUE_WORKING_HOURS).at
        report = reports.get(tech.pk)
        due = report.due_at if report else dues[tech.service_center_id]
        result.append(ReportState(tech, report, _state(report, due, now), due))
    return result


def supervisor_report_board(*, user, day: dt.date, now: dt.datetime | None = None) -> list[ReportState]:
    """Every centre the user oversees, with its supervisor report for ``day``."""
    now = now or timezone.now()
    centers = list(ServiceCenter.objects.filter(is_active=True).order_by("code"))
    centers = [c for c in centers if user.has_global_scope or c.pk == user.service_center_id]
    reports = {r.service_center_id: r for r in SupervisorDailyReport.objects.filter(day=day, service_center__in=centers)}
    result = []
    for center in centers:
        report = reports.get(center.pk)
        due = report.due_at if report else due_at(center, day, settings.SUPERVISOR_REPORT_DUE_WORKING_HOURS).at
        result.append(ReportState(center, report, _state(report, due, now), due))
    return result
