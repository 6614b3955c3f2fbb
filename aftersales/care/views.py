"""Return-visit pages: the agents' due list, one visit with its script, the reports (screen and xlsx),
the reminders sent, and the rules in force."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.care import selectors as sel
from aftersales.care import services
from aftersales.care.forms import VisitForm
from aftersales.care.models import ReminderRule, Satisfaction, VisitRule, VisitStatus, VisitType
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.tabular import xlsx_workbook
from aftersales.core.web import apply_domain_errors
from aftersales.notifications.outbox import quiet_release

PAGE_SIZE = 50


@login_required
def due_list(request):
    """Today's due list (and overdue ones), with who may be called now (quiet hours, VIS-11)."""
    status = request.GET.get("status", VisitStatus.DUE)
    rows = sel.visit_list(user=request.user, status=status, visit_type=request.GET.get("type", ""), mine=request.GET.get("mine") == "1")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    now, today = timezone.now(), timezone.localdate()
    for visit in page.object_list:
        visit.quiet_until = quiet_release(now, visit.customer)
        visit.overdue = visit.is_overdue(today)
    done_today = sel.daily_log(user=request.user, day=today)
    return render(request, "care/due_list.html", {
        "page": page, "status": status, "statuses": VisitStatus.choices, "types": VisitType.objects.all(), "type": request.GET.get("type", ""),
        "mine_done": sum(1 for v in done_today if v.done_by_id == request.user.pk), "target": settings.VISITS_PER_AGENT_PER_DAY})


@login_required
def visit_detail(request, pk: int):
    visit = sel.get_visit_for_user(request.user, pk)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        scores = {item: request.POST.get(f"score_{n}") for n, item in enumerate(visit.visit_type.items)}
        try:
            services.return_visit_record(actor=request.user, visit=visit, record=services.VisitRecord(
                outcome=d["outcome"], satisfaction=d["satisfaction"], scores=scores, content=d["content"], reasons=d["reasons"],
                actions=d["actions"], promised_by=d["promised_by"], complaint=d["complaint"]))
        except DomainError as exc:
            apply_domain_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("care:due")
    items = [(n, item, request.POST.get(f"score_{n}", "")) for n, item in enumerate(visit.visit_type.items)]
    return render(request, "care/visit.html", {
        "visit": visit, "form": form, "items": items, "levels": sorted(Satisfaction.choices, key=lambda c: -c[0]),
        "history": sel.customer_contacts(visit), "quiet_until": quiet_release(timezone.now(), visit.customer),
        "script": visit.visit_type.script.replace("{公司}", settings.COMPANY_NAME),
        "can_visit": request.user.has_perm("care.visit", visit) and visit.status == VisitStatus.DUE})


def _act(request, call, success: str) -> None:
    try:
        call()
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    except ConflictError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


@login_required
@require_POST
def visit_take(request, pk: int):
    visit = sel.get_visit_for_user(request.user, pk)
    _act(request, lambda: services.return_visit_take(actor=request.user, visit=visit), _("The visit is yours."))
    return redirect("care:visit", pk=visit.pk)


@login_required
@require_POST
def visit_skip(request, pk: int):
    visit = sel.get_visit_for_user(request.user, pk)
    _act(request, lambda: services.return_visit_skip(actor=request.user, visit=visit, reason=request.POST.get("reason", "")), _("Skipped."))
    return redirect("care:due")


def _day(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return default


def _report_context(request) -> dict:
    today = timezone.localdate()
    day = _day(request.GET.get("day", ""), today)
    week_start = day - dt.timedelta(days=day.weekday())
    month = day.replace(day=1)
    analysis = sel.monthly_analysis(user=request.user, month=month)
    return {"day": day, "week_start": week_start, "week_end": week_start + dt.timedelta(days=6), "month": month,
            "log": sel.daily_log(user=request.user, day=day), "week": sel.summary(user=request.user, first=week_start, last=week_start + dt.timedelta(days=6)),
            "analysis": analysis}


@login_required
def reports(request):
    """VIS-03/04: daily log, weekly summary and monthly analysis, on screen (with a chart) and as xlsx."""
    context = _report_context(request)
    analysis = context["analysis"]
    context["chart"] = {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 40, "right": 40, "bottom": 60, "top": 40},
        "xAxis": {"type": "category", "data": [t.name for t in analysis.types], "axisLabel": {"interval": 0, "rotate": 20}},
        "yAxis": [{"type": "value", "name": "%", "max": 100}, {"type": "value", "name": _("Satisfaction"), "min": 0, "max": 4}],
        "series": [{"name": _("Coverage %"), "type": "bar", "data": [t.coverage for t in analysis.types]},
                   {"name": _("Average satisfaction"), "type": "line", "yAxisIndex": 1, "data": [float(t.average or 0) for t in analysis.types]}],
    }
    return render(request, "care/reports.html", context)


@login_required
def reports_xlsx(request):
    c = _report_context(request)
    a = c["analysis"]
    summary_header = [_("Visit type"), _("Due"), _("Done"), _("Coverage %"), _("Reached %"), _("Blocked duplicates"), _("Average satisfaction")]

    def summary_rows(rows):
        return [[t.name, t.due, t.done, t.coverage, t.reach_rate, t.blocked, float(t.average) if t.average is not None else ""] for t in rows]

    sheets = [
        (_("Daily log"), [_("Time"), _("Agent"), _("Customer"), _("Visit type"), _("Outcome"), _("Satisfaction"), _("What was said"), _("Actions")],
         [[timezone.localtime(v.done_at).strftime("%Y-%m-%d %H:%M") if v.done_at else "", str(v.done_by or ""), v.customer.name, v.visit_type.name,
           v.get_outcome_display() if v.outcome else v.get_status_display(), v.get_satisfaction_display() if v.satisfaction else "", v.content, v.actions]
          for v in c["log"]]),
        (_("Weekly summary"), summary_header, summary_rows(c["week"])),
        (_("Monthly analysis"), summary_header, summary_rows(a.types)),
        (_("Satisfaction by item"), [_("Item"), _("Average"), _("Answers")], [[i, float(avg), n] for i, avg, n in a.items]),
        (_("Reasons"), [_("Reason"), _("Times")], [list(r) for r in a.reasons]),
    ]
    response = HttpResponse(xlsx_workbook(sheets), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="return-visits-{c["month"]:%Y-%m}.xlsx"'
    return response


@login_required
def reminders(request):
    return render(request, "care/reminders.html", {"rows": sel.reminder_list(user=request.user), "rules": ReminderRule.objects.all()})


@login_required
def rules(request):
    """The rules in force (VIS-01): administrators edit them in the admin site."""
    return render(request, "care/rules.html", {"rules": VisitRule.objects.select_related("visit_type"), "types": VisitType.objects.all(),
                                               "reminder_rules": ReminderRule.objects.all(), "dedup_days": settings.VISIT_DEDUP_DAYS})
