"""Performance pages: the month's score sheets, one score sheet (its cycle, pay, PDF and xlsx), attendance,
regional ranking and cost budgets."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from aftersales.accounts.models import ServiceCenter, User
from aftersales.accounts.scoping import can_see_center
from aftersales.core.importflow import ImportFlow
from aftersales.core.pdf import pdf_response
from aftersales.core.tabular import xlsx_response, xlsx_workbook
from aftersales.core.web import form_errors_message, perform
from aftersales.performance import attendance as attendance_services
from aftersales.performance import costs as cost_services
from aftersales.performance import selectors, services
from aftersales.performance.forms import AttendanceForm, BudgetForm, CorrectionForm, CostForm, ItemScoreForm, PlanForm, ReviewForm, SelfReportForm
from aftersales.performance.models import AssessmentStatus, Attendance, ItemScore, KpiItem, Source
from aftersales.performance.regions import regional_ranking
from aftersales.reports.charts import ChartSpec, svg_data_uri
from aftersales.servicedesk.models import JobType


def month_param(request) -> dt.date:
    """``?month=2026-11``; the current month when absent or unreadable."""
    try:
        return dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


def _neighbours(month: dt.date) -> tuple[str, str]:
    prev = (month - dt.timedelta(days=1)).replace(day=1)
    nxt = (month + dt.timedelta(days=32)).replace(day=1)
    return f"{prev:%Y-%m}", f"{nxt:%Y-%m}"


@login_required
def month(request):
    """The month's score sheets the reader may see, the grade distribution, and the month's actions."""
    m = month_param(request)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "open":
            people = selectors.people_with_schemes(request.user)
            done = perform(request, lambda: services.month_open(actor=request.user, month=m, people=people), success="")
            if done:
                messages.success(request, _("%(n)s score sheets are open for %(m)s.") % {"n": done.value, "m": f"{m:%Y-%m}"})
        elif action == "close":
            perform(request, lambda: services.month_close(actor=request.user, month=m), success=_("%(m)s is closed.") % {"m": f"{m:%Y-%m}"})
        return redirect(f"{request.path}?month={m:%Y-%m}")
    sheets = selectors.month_assessments(request.user, m)
    grades = selectors.grade_counts(sheets)
    chart = {"tooltip": {}, "grid": {"left": 30, "right": 10, "top": 10, "bottom": 20}, "xAxis": {"type": "category", "data": [g for g, _n in grades]},
             "yAxis": {"type": "value", "minInterval": 1}, "series": [{"type": "bar", "name": _("People"), "data": [n for _g, n in grades]}]}
    prev, nxt = _neighbours(m)
    return render(request, "performance/month.html", {
        "month": m, "prev": prev, "next": nxt, "sheets": sheets, "grades": grades, "chart": chart, "closed": selectors.month_closed(m),
        "may_open": request.user.has_role(*services.REVIEW_ROLES), "may_close": request.user.has_role(*services.HR_ROLES),
        "due": selectors.due_days(m),
    })


@login_required
def month_xlsx(request):
    """The month's score sheets as a workbook: one row per person, one column per item."""
    m = month_param(request)
    sheets = selectors.month_assessments(request.user, m)
    scores = {(s.assessment_id, s.item.name): s.points
              for s in ItemScore.objects.filter(assessment__in=sheets).select_related("item").order_by("item__scheme_id", "item__position")}
    names = list(dict.fromkeys(name for _a, name in scores))
    header = [_("Person"), _("Service centre"), _("Scheme"), *names, _("Score"), _("Grade"), _("Status")]
    rows = [[a.person.full_name or a.person.username, a.person.service_center.name if a.person.service_center else "", a.scheme.name,
             *[scores.get((a.pk, n), "") for n in names], a.total, a.grade, a.get_status_display()] for a in sheets]
    return xlsx_response(xlsx_workbook([(_("Scores %(m)s") % {"m": f"{m:%Y-%m}"}, header, rows)]), f"scores-{m:%Y-%m}.xlsx")


def _sheet_context(request, assessment, **forms):
    sheet = selectors.score_sheet(assessment)
    user = request.user
    a = sheet.assessment
    editable = a.status != AssessmentStatus.CLOSED and not selectors.month_closed(a.month)
    trend = selectors.grade_trend(a.person, a.month.year)
    chart = {"tooltip": {"trigger": "axis"}, "grid": {"left": 30, "right": 10, "top": 10, "bottom": 20},
             "xAxis": {"type": "category", "data": [m for m, _t, _g in trend]}, "yAxis": {"type": "value", "min": 0, "max": 100},
             "series": [{"type": "line", "name": _("Score"), "data": [float(t) for _m, t, _g in trend]}]}
    manual = {s.score.item_id: ItemScoreForm(prefix=f"i{s.score.item_id}", initial={"points": s.score.points, "occurrences": s.score.occurrences,
                                                                                     "comment": s.score.comment})
              for s in sheet.lines if s.score.item.source in (Source.MANUAL, Source.OCCURRENCES)}
    for line in sheet.lines:
        line.form = forms.get("item_forms", {}).get(line.score.item_id) or manual.get(line.score.item_id)
        line.may_enter = editable and line.form is not None and (user.has_role(*services.REVIEW_ROLES) or
                                                                  (line.score.item.assessor_role and user.has_role(line.score.item.assessor_role)))
    return {
        "sheet": sheet, "a": a, "editable": editable, "chart": chart, "trend": trend,
        "may_self_report": user.pk == a.person_id and a.status == AssessmentStatus.OPEN,
        "may_review": services.reviewer_may(user, a) and a.status == AssessmentStatus.SELF_REPORTED,
        "may_plan": services.reviewer_may(user, a) and editable,
        "may_submit": user.has_role("service_manager", "administrator") and a.status == AssessmentStatus.REVIEWED,
        "may_correct": user.has_role(*services.HR_ROLES) and a.status == AssessmentStatus.CLOSED,
        "self_form": forms.get("self_form") or SelfReportForm(initial={"text": a.self_report}),
        "review_form": forms.get("review_form") or ReviewForm(),
        "plan_form": forms.get("plan_form") or PlanForm(initial={"plan_completion": a.plan_completion, "over_plan_bonus": a.over_plan_bonus}),
        "correction_form": forms.get("correction_form") or CorrectionForm(),
    }


@login_required
def sheet(request, pk: int):
    assessment = selectors.assessment_get(request.user, pk)
    if assessment.status == AssessmentStatus.OPEN and not selectors.month_closed(assessment.month):
        services.assessment_measure(assessment)
    return render(request, "performance/sheet.html", _sheet_context(request, assessment))


@login_required
@require_POST
def sheet_action(request, pk: int, action: str):
    """Every change of a score sheet; a refusal is shown on the sheet and changes nothing."""
    assessment = selectors.assessment_get(request.user, pk)
    user, post = request.user, request.POST
    if action == "item":
        item = get_object_or_404(KpiItem, pk=post.get("item"), scheme_id=assessment.scheme_id)
        form = ItemScoreForm(post, prefix=f"i{item.pk}")
        if not form.is_valid():
            messages.error(request, form_errors_message(form))
            return render(request, "performance/sheet.html", _sheet_context(request, assessment, item_forms={item.pk: form}), status=400)
        d = form.cleaned_data
        ok = perform(request, lambda: services.item_score_enter(actor=user, assessment=assessment, item=item, points=d["points"],
                                                                occurrences=d["occurrences"], comment=d["comment"]), form=form)
        if not ok:
            return render(request, "performance/sheet.html", _sheet_context(request, assessment, item_forms={item.pk: form}), status=400)
    elif action == "self_report":
        form = SelfReportForm(post)
        form.is_valid()
        if not perform(request, lambda: services.assessment_self_report(actor=user, assessment=assessment, text=form.cleaned_data.get("text", "")), form=form):
            return render(request, "performance/sheet.html", _sheet_context(request, assessment, self_form=form), status=400)
    elif action == "review":
        form = ReviewForm(post)
        form.is_valid()
        perform(request, lambda: services.assessment_review(actor=user, assessment=assessment, comment=form.cleaned_data.get("comment", "")))
    elif action == "plan":
        form = PlanForm(post)
        if not form.is_valid():
            messages.error(request, form_errors_message(form))
            return render(request, "performance/sheet.html", _sheet_context(request, assessment, plan_form=form), status=400)
        perform(request, lambda: services.assessment_plan_set(actor=user, assessment=assessment, completion=form.cleaned_data["plan_completion"],
                                                              over_plan_bonus=form.cleaned_data["over_plan_bonus"]), form=form)
    elif action == "submit":
        perform(request, lambda: services.assessment_submit(actor=user, assessment=assessment), success=_("Sent to HR."))
    elif action == "correct":
        form = CorrectionForm(post)
        if not form.is_valid():
            messages.error(request, form_errors_message(form))
            return render(request, "performance/sheet.html", _sheet_context(request, assessment, correction_form=form), status=400)
        item = get_object_or_404(KpiItem, pk=form.cleaned_data["item"], scheme_id=assessment.scheme_id)
        if not perform(request, lambda: services.score_correct(actor=user, assessment=assessment, item=item, new_points=form.cleaned_data["new_points"],
                                                               reason=form.cleaned_data["reason"]), form=form):
            return render(request, "performance/sheet.html", _sheet_context(request, assessment, correction_form=form), status=400)
    else:
        raise PermissionDenied
    return redirect("performance:sheet", pk=assessment.pk)


@login_required
def sheet_pdf(request, pk: int):
    """The score sheet to print and sign (person, superior, HR)."""
    assessment = selectors.assessment_get(request.user, pk)
    return pdf_response("pdf/score_sheet.html", {"sheet": selectors.score_sheet(assessment), "a": assessment},
                        filename=f"score-{assessment.person.username}-{assessment.month:%Y-%m}.pdf")


@login_required
def sheet_xlsx(request, pk: int):
    assessment = selectors.assessment_get(request.user, pk)
    sheet = selectors.score_sheet(assessment)
    rows = [[line.score.item.name, line.score.item.weight, line.score.item.get_source_display(), line.score.value if line.score.value is not None else "",
             line.score.occurrences, line.score.points, line.corrected if line.corrected is not None else "", line.score.comment] for line in sheet.lines]
    rows.append([_("Score"), "", "", "", "", assessment.total, "", assessment.grade])
    header = [_("Evaluation item"), _("Points"), _("Scored from"), _("Measured (%)"), _("Occurrences"), _("Score"), _("Corrected"), _("Comment")]
    title = f"{assessment.person.full_name or assessment.person.username} {assessment.month:%Y-%m}"
    return xlsx_response(xlsx_workbook([(title, header, rows)]), f"score-{assessment.person.username}-{assessment.month:%Y-%m}.xlsx")


# --- Attendance ---------------------------------------------------------------------------------------
IMPORT = ImportFlow(
    name="attendance", perm="performance.enter_attendance", run=attendance_services.import_attendance, title=_lazy("Import attendance"),
    help_text=_lazy("Columns: 工号 (the login name), 月份 (2026-11), 缺勤天数 (half days allowed), and optionally 姓名 and 备注. "
                    "Nothing is written until you confirm the preview."),
    commit_url_name="performance:attendance_import_commit", done_url_name="performance:attendance",
    done_message=lambda r: _("Imported: %(c)s new, %(u)s updated.") % {"c": r.counts.get("created", 0), "u": r.counts.get("updated", 0)},
    count_labels={"created": _lazy("new"), "updated": _lazy("updated")},
)


@login_required
def attendance(request):
    """The month's absent days per person, entered here or imported."""
    if not request.user.has_role(*attendance_services.ATTENDANCE_ROLES):
        raise PermissionDenied
    m = month_param(request)
    people = selectors.people_with_schemes(request.user)
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if form.is_valid():
            person = get_object_or_404(User, pk=form.cleaned_data["person"])
            perform(request, lambda: attendance_services.attendance_set(actor=request.user, person=person, month=m,
                                                                        absent_days=form.cleaned_data["absent_days"], note=form.cleaned_data["note"]))
        else:
            messages.error(request, form_errors_message(form))
        return redirect(f"{request.path}?month={m:%Y-%m}")
    rows = {a.person_id: a for a in Attendance.objects.filter(month=m, person__in=people)}
    prev, nxt = _neighbours(m)
    return render(request, "performance/attendance.html", {"month": m, "prev": prev, "next": nxt,
                                                            "people": [(p, rows.get(p.pk)) for p in people]})


@login_required
def attendance_import(request):
    return IMPORT.upload(request)


@login_required
@require_POST
def attendance_import_commit(request, key: str):
    return IMPORT.commit(request, key)


# --- Regions and costs ---------------------------------------------------------------------------------
@login_required
def regions(request):
    """KPI-11: points by region and job type for the month, the year to date, and the ranking."""
    m = month_param(request)
    ranking = regional_ranking(user=request.user, month=m)
    types = list(JobType.choices)
    chart = {"tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 60, "right": 10, "top": 30, "bottom": 20},
             "xAxis": {"type": "category", "data": [r.region for r in ranking]}, "yAxis": {"type": "value"},
             "series": [{"type": "bar", "stack": "pts", "name": str(label), "data": [r.by_type.get(code, 0) for r in ranking]} for code, label in types]}
    if request.GET.get("format") == "xlsx":
        header = [_("Rank"), _("Region"), *[str(label) for _c, label in types], _("Month"), _("Year to date")]
        rows = [[r.rank, r.region, *[r.by_type.get(code, 0) for code, _l in types], r.total, r.year_to_date] for r in ranking]
        return xlsx_response(xlsx_workbook([(_("Regional points %(m)s") % {"m": f"{m:%Y-%m}"}, header, rows)]), f"regions-{m:%Y-%m}.xlsx")
    if request.GET.get("format") == "pdf":
        spec = ChartSpec("regions", _("Regional points and ranking"), [r.region for r in ranking],
                         [(str(label), [r.by_type.get(code, 0) for r in ranking]) for code, label in types], kind="stacked")
        return pdf_response("pdf/regional_ranking.html", {"month": m, "ranking": ranking, "types": types, "total": sum(r.total for r in ranking),
                                                          "chart": None if spec.empty else svg_data_uri(spec)}, filename=f"regions-{m:%Y-%m}.pdf")
    prev, nxt = _neighbours(m)
    return render(request, "performance/regions.html", {"month": m, "prev": prev, "next": nxt, "ranking": ranking, "types": types, "chart": chart,
                                                         "total": sum(r.total for r in ranking)})


@login_required
def costs(request):
    """COST-01..03: a centre's month, actual against quota per category, with the budget and cost entry forms."""
    if not request.user.has_perm("performance.read_costs"):
        raise PermissionDenied
    m = month_param(request)
    centers = [c for c in ServiceCenter.objects.filter(is_active=True).order_by("code") if can_see_center(request.user, c.pk)]
    if not centers:
        raise PermissionDenied
    center = next((c for c in centers if str(c.pk) == request.GET.get("center")), centers[0])
    budget_form = BudgetForm(quota=cost_services.quota(center, m))
    cost_form = CostForm(initial={"day": timezone.localdate()})
    if request.method == "POST":
        if request.POST.get("action") == "budget":
            budget_form = BudgetForm(request.POST, quota=cost_services.quota(center, m))
            if budget_form.is_valid():
                done = perform(request, lambda: cost_services.budget_set(actor=request.user, center=center, month=m, amounts=budget_form.cleaned_data),
                               form=budget_form)
            else:
                done = False
                messages.error(request, form_errors_message(budget_form))
        else:
            cost_form = CostForm(request.POST)
            if cost_form.is_valid():
                d = cost_form.cleaned_data
                done = perform(request, lambda: cost_services.cost_record(actor=request.user, center=center, day=d["day"], category=d["category"],
                                                                          amount=d["amount"], note=d["note"]), form=cost_form)
            else:
                done = False
                messages.error(request, form_errors_message(cost_form))
        if done:
            return redirect(f"{request.path}?center={center.pk}&month={m:%Y-%m}")
    lines = cost_services.cost_report(center=center, month=m)
    if request.GET.get("format") == "xlsx":
        header = [_("Category"), _("Quota"), _("Actual"), _("Variance"), "%", _("Quota, year to date"), _("Actual, year to date")]
        rows = [[line.label, line.quota, line.actual, line.variance, line.percent, line.ytd_quota, line.ytd_actual] for line in lines]
        return xlsx_response(xlsx_workbook([(f"{center.code} {m:%Y-%m}", header, rows)]), f"costs-{center.code}-{m:%Y-%m}.xlsx")
    if request.GET.get("format") == "pdf":
        spec = ChartSpec("costs", _("Costs against the budget"), [line.label for line in lines],
                         [(_("Quota"), [float(line.quota) for line in lines]), (_("Actual"), [float(line.actual) for line in lines])])
        return pdf_response("pdf/cost_report.html", {"month": m, "center": center, "lines": lines, "chart": None if spec.empty else svg_data_uri(spec),
                                                     "total_quota": sum(line.quota for line in lines), "total_actual": sum(line.actual for line in lines)},
                            filename=f"costs-{center.code}-{m:%Y-%m}.pdf")
    chart = {"tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 60, "right": 10, "top": 30, "bottom": 40},
             "xAxis": {"type": "category", "data": [line.label for line in lines]}, "yAxis": {"type": "value"},
             "series": [{"type": "bar", "name": _("Quota"), "data": [float(line.quota) for line in lines]},
                        {"type": "bar", "name": _("Actual"), "data": [float(line.actual) for line in lines]}]}
    prev, nxt = _neighbours(m)
    entries = cost_services.CostEntry.objects.filter(service_center=center, day__year=m.year, day__month=m.month).select_related("entered_by")[:200]
    return render(request, "performance/costs.html", {
        "month": m, "prev": prev, "next": nxt, "center": center, "centers": centers, "lines": lines, "chart": chart, "entries": entries,
        "total_quota": sum(line.quota for line in lines), "total_actual": sum(line.actual for line in lines),
        "budget_form": budget_form, "cost_form": cost_form,
        "may_budget": request.user.has_role(*cost_services.BUDGET_ROLES), "may_enter": request.user.has_role(*cost_services.ENTRY_ROLES),
    }, status=400 if request.method == "POST" else 200)
