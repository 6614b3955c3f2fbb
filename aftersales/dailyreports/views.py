"""Daily report pages: the status board of a day, a technician's report, a centre's report."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftersales.accounts import roles
from aftersales.accounts.models import ServiceCenter
from aftersales.core.web import StyledFormMixin, perform
from aftersales.dailyreports import selectors, services


class AdminTimeForm(StyledFormMixin, forms.Form):
    minutes = forms.IntegerField(label=gettext_lazy("Minutes"), required=False)
    description = forms.CharField(label=gettext_lazy("Administrative work (category D)"), max_length=200, required=False)


def _day(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("day") or request.POST.get("day") or "")
    except ValueError:
        return timezone.localdate()


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@login_required
def report_board(request):
    """The day's reports: technicians' and centres' (missing and late ones highlighted)."""
    day, user = _day(request), request.user
    is_tech = roles.TECHNICIAN in user.role_codes
    oversees = user.has_global_scope or bool(user.role_codes & roles.CENTER_ROLES)
    return render(request, "dailyreports/board.html", {
        "day": day, "previous": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1), "is_tech": is_tech,
        "technicians": selectors.technician_report_board(user=user, day=day) if oversees else [],
        "centres": selectors.supervisor_report_board(user=user, day=day) if oversees else [],
        "mine": list(selectors.technician_reports_visible_to(user).filter(technician=user).order_by("-day")[:14]) if is_tech else [],
        "can_write_centre": user.has_perm("dailyreports.review", user.service_center) if user.service_center_id else False,
    })


@login_required
def open_my_report(request):
    """Open (create) the technician's own report for ``?day=`` and go to it."""
    outcome = perform(request, lambda: services.technician_report_open(actor=request.user, day=_day(request)), success="")
    return redirect("dailyreports:technician", pk=outcome.value.pk) if outcome else redirect("dailyreports:board")


@login_required
def technician_report(request, pk: int):
    report = selectors.get_technician_report_for_user(request.user, pk)
    return render(request, "dailyreports/technician.html", {
        "report": report, "lines": list(report.lines.select_related("work_order")), "form": AdminTimeForm(),
        "events": report.events.select_related("actor"), "is_owner": report.technician_id == request.user.pk,
        "can_review": request.user.has_perm("dailyreports.review", report),
        "total": sum(line.minutes for line in report.lines.all()),
    })


def _add_admin_time(request, report):
    form = AdminTimeForm(request.POST)
    d = form.cleaned_data if form.is_valid() else {}
    return services.technician_report_add_admin_time(actor=request.user, report=report, minutes=d.get("minutes") or 0,
                                                     description=d.get("description") or "")


@login_required
@require_POST
def technician_action(request, pk: int, action: str):
    report = selectors.get_technician_report_for_user(request.user, pk)
    user, note, version, line = request.user, request.POST.get("note", ""), _version(request), request.POST.get("line", "")
    calls = {
        "admin-time": lambda: _add_admin_time(request, report),
        "remove-line": lambda: services.technician_report_remove_line(actor=user, report=report, line_id=int(line) if line.isdigit() else 0),
        "submit": lambda: services.technician_report_submit(actor=user, report=report, expected_version=version),
        "review": lambda: services.technician_report_review(actor=user, report=report, note=note, expected_version=version),
        "send-back": lambda: services.technician_report_send_back(actor=user, report=report, note=note, expected_version=version),
    }
    if action not in calls:
        raise Http404("action")
    perform(request, calls[action])
    return redirect("dailyreports:technician", pk=pk)


@login_required
def open_centre_report(request):
    """Open (build) a centre's supervisor report for ``?day=`` (the user's centre, or ``?center=`` for head office)."""
    center_id = request.GET.get("center") or request.user.service_center_id
    center = ServiceCenter.objects.filter(pk=center_id).first() if str(center_id or "").isdigit() else None
    if center is None:
        raise Http404("centre")
    outcome = perform(request, lambda: services.supervisor_report_open(actor=request.user, center=center, day=_day(request)), success="")
    return redirect("dailyreports:centre", pk=outcome.value.pk) if outcome else redirect("dailyreports:board")


@login_required
def centre_report(request, pk: int):
    report = selectors.get_supervisor_report_for_user(request.user, pk)
    rows = list(report.rows.select_related("technician", "technician_report"))
    totals = {f"minutes_{c}": sum(getattr(r, f"minutes_{c}") for r in rows) for c in "abcd"}
    totals["jobs"] = sum(r.jobs for r in rows)
    return render(request, "dailyreports/centre.html", {
        "report": report, "rows": rows, "totals": totals, "events": report.events.select_related("actor"),
        "can_submit": request.user.has_perm("dailyreports.review", report), "can_sign": request.user.has_perm("dailyreports.sign", report),
        "can_receive": request.user.has_perm("dailyreports.receive", report),
    })


@login_required
@require_POST
def centre_action(request, pk: int, action: str):
    report = selectors.get_supervisor_report_for_user(request.user, pk)
    user, version = request.user, _version(request)
    calls = {
        "submit": lambda: services.supervisor_report_submit(actor=user, report=report, note=request.POST.get("note", ""), expected_version=version),
        "sign": lambda: services.supervisor_report_sign(actor=user, report=report, expected_version=version),
        "receive": lambda: services.supervisor_report_receive(actor=user, report=report, expected_version=version),
    }
    if action not in calls:
        raise Http404("action")
    perform(request, calls[action], success=_("Saved."))
    return redirect("dailyreports:centre", pk=pk)
