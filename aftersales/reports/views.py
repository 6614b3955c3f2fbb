"""Report pages: the live dashboard, the monthly after-sales summary, the quarterly summary, export jobs."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.errors import DomainError
from aftersales.core.files import serve_private
from aftersales.core.params import id_param
from aftersales.core.pdf import pdf_response
from aftersales.core.tabular import xlsx_response
from aftersales.core.web import perform
from aftersales.performance.models import CostCategory
from aftersales.reports import services
from aftersales.reports.charts import echarts, svg_data_uri
from aftersales.reports.dashboard import dashboard as build_dashboard
from aftersales.reports.exports import card_rows, category_label, channel_label, chart_specs, summary_xlsx
from aftersales.reports.exports import quarterly_docx as build_quarterly_docx
from aftersales.reports.models import ExportJob, JobStatus
from aftersales.reports.summary import Filters, filters_from, monthly_summary


@login_required
def dashboard(request):
    """RPT-01: what needs attention now; every number links to the filtered list behind it."""
    d = build_dashboard(user=request.user)
    load_chart = {"tooltip": {"trigger": "axis"}, "grid": {"left": 80, "right": 10, "top": 10, "bottom": 20},
                  "xAxis": {"type": "value"}, "yAxis": {"type": "category", "data": [name for name, _n in reversed(d.load)]},
                  "series": [{"type": "bar", "name": _("Open jobs"), "data": [n for _name, n in reversed(d.load)]}]}
    center_chart = {"tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 40, "right": 10, "top": 30, "bottom": 40},
                    "xAxis": {"type": "category", "data": [c for c, _n, _l in d.by_center]}, "yAxis": {"type": "value"},
                    "series": [{"type": "bar", "name": _("Open calls"), "data": [n for _c, n, _l in d.by_center]},
                               {"type": "bar", "name": _("Arrival breached"), "data": [late for _c, _n, late in d.by_center]}]}
    return render(request, "reports/dashboard.html", {"d": d, "load_chart": load_chart, "center_chart": center_chart})


# --- The monthly summary (售后总表) ---------------------------------------------------------------------
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require_reader(request) -> None:
    if not services.may_read(request.user):
        raise PermissionDenied


def _filter_choices(user) -> dict:
    from aftersales.accounts.models import ServiceCenter, User
    from aftersales.servicedesk.models import Category

    centers = ServiceCenter.objects.filter(is_active=True).order_by("code")
    if not user.has_global_scope:
        centers = centers.filter(pk=user.service_center_id)
    centers = list(centers)
    technicians = User.objects.filter(is_active=True, groups__name="technician").order_by("username")
    if not user.has_global_scope:
        technicians = technicians.filter(service_center_id=user.service_center_id)
    return {"centers": centers, "regions": sorted({c.region for c in centers}), "categories": Category.choices, "technicians": list(technicians)}


def _summary_or_errors(request):
    try:
        filters = filters_from(request.GET)
    except DomainError as exc:
        return None, exc.messages
    return monthly_summary(user=request.user, filters=filters), []


@login_required
def monthly(request):
    """RPT-02..05: the month's (or any period's) after-sales summary with its targets, charts and exports."""
    _require_reader(request)
    summary, errors = _summary_or_errors(request)
    context = {"errors": errors, "q": request.GET, **_filter_choices(request.user)}
    if summary is None:
        for message in errors:
            messages.error(request, message)
        return render(request, "reports/monthly.html", context, status=400)
    f = summary.filters
    prev_month = (f.start.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    next_month = (f.start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    charts = [(spec, echarts(spec)) for spec in chart_specs(summary)]
    share = request.build_absolute_uri(reverse("reports:monthly") + "?" + f.querystring())
    context.update({"s": summary, "f": f, "charts": charts, "share_url": share, "qs": f.querystring(), "card_rows": card_rows(summary),
                    "prev_month": f"{prev_month:%Y-%m}", "next_month": f"{next_month:%Y-%m}",
                    "category_rows": [(category_label(c), n) for c, n in sorted(summary.by_category.items())],
                    "channel_rows": [(channel_label(c), n) for c, n in sorted(summary.by_channel.items())],
                    "cost_rows": [(label, summary.budget.get(code, 0), summary.costs.get(code, 0)) for code, label in CostCategory.choices]})
    return render(request, "reports/monthly.html", context)


@login_required
def monthly_xlsx(request):
    _require_reader(request)
    summary, errors = _summary_or_errors(request)
    if summary is None:
        return HttpResponseBadRequest(" ".join(errors))
    f = summary.filters
    return xlsx_response(summary_xlsx(summary), f"summary-{f.start:%Y%m%d}-{f.end:%Y%m%d}.xlsx")


@login_required
def monthly_pdf(request):
    _require_reader(request)
    summary, errors = _summary_or_errors(request)
    if summary is None:
        return HttpResponseBadRequest(" ".join(errors))
    f = summary.filters
    charts = [(spec, svg_data_uri(spec)) for spec in chart_specs(summary) if not spec.empty]
    return pdf_response("pdf/monthly_summary.html", {"s": summary, "f": f, "charts": charts, "card_rows": card_rows(summary)},
                        filename=f"summary-{f.start:%Y%m%d}-{f.end:%Y%m%d}.pdf")


# --- Exports run by the worker ----------------------------------------------------------------------------
@login_required
@require_POST
def export_start(request):
    _require_reader(request)
    try:
        filters = filters_from(request.POST)
        job = services.export_request(actor=request.user, kind=request.POST.get("kind", "calls"), filters=filters)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("reports:monthly"))
    return redirect("reports:export", pk=job.pk)


def _job(request, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


@login_required
def export(request, pk: int):
    """The job's page: a progress bar the page refreshes (htmx) until the file is ready."""
    job = _job(request, pk)
    template = "reports/_export_progress.html" if request.htmx else "reports/export.html"
    return render(request, template, {"job": job})


@login_required
def export_download(request, pk: int):
    job = _job(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    return serve_private(job.file, download_name=job.file_name, as_attachment=True)


# --- The quarterly summary ---------------------------------------------------------------------------------
def _quarter_params(request) -> tuple[int, int, int | None]:
    today = timezone.localdate()
    last = (today.month - 1) // 3 or 4
    default_year = today.year if last != 4 or today.month > 3 else today.year - 1
    try:
        year = int(request.GET.get("year") or default_year)
        quarter = int(request.GET.get("quarter") or last)
    except ValueError as exc:
        raise DomainError(_("Choose a quarter between 1 and 4 of a year between 2000 and 2100.")) from exc
    center = id_param(request.GET.get("center"), _("service centre"))
    services.quarter_bounds(year, quarter)
    return year, quarter, center


def _quarter(request):
    year, quarter, center = _quarter_params(request)
    if center is not None and not request.user.has_global_scope and center != request.user.service_center_id:
        raise PermissionDenied
    start, end = services.quarter_bounds(year, quarter)
    prev_start, prev_end = services.quarter_bounds(year - (quarter == 1), quarter - 1 or 4)
    this = monthly_summary(user=request.user, filters=Filters(start=start, end=end, center=center))
    before = monthly_summary(user=request.user, filters=Filters(start=prev_start, end=prev_end, center=center))
    text = services.quarterly_text(year=year, quarter=quarter, center_id=center)
    center_name = next((c.name for c in _filter_choices(request.user)["centers"] if c.pk == center), "") if center else ""
    title = _("After-sales summary, %(y)s Q%(q)s") % {"y": year, "q": quarter} + (f" · {center_name}" if center_name else "")
    return {"year": year, "quarter": quarter, "center": center, "s": this, "before": before, "text": text, "title": title,
            "compare": [(a, b) for a, b in zip(this.lines, before.lines, strict=True)]}


@login_required
def quarterly(request):
    """The quarter's summary in the seed's three parts, pre-filled with the quarter's figures against the previous quarter's."""
    _require_reader(request)
    try:
        ctx = _quarter(request)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(request, "reports/quarterly.html", {"errors": exc.messages, **_filter_choices(request.user)}, status=400)
    status = 200
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", "-1"))
        except ValueError:
            version = -1
        done = perform(request, lambda: services.quarterly_text_save(actor=request.user, year=ctx["year"], quarter=ctx["quarter"], center_id=ctx["center"],
                                                                     text=request.POST, version=version))
        if done:
            return redirect(request.get_full_path())
        status = 409
        ctx["draft"] = {k: request.POST.get(k, "") for k in services.TEXT_FIELDS}
    ctx["charts"] = [(spec, echarts(spec)) for spec in chart_specs(ctx["s"])]
    ctx["may_write"] = request.user.has_role(*services.WRITE_ROLES)
    ctx.update(_filter_choices(request.user))
    return render(request, "reports/quarterly.html", ctx, status=status)


@login_required
def quarterly_pdf(request):
    _require_reader(request)
    try:
        ctx = _quarter(request)
    except DomainError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    ctx["charts"] = [(spec, svg_data_uri(spec)) for spec in chart_specs(ctx["s"]) if not spec.empty]
    return pdf_response("pdf/quarterly_summary.html", ctx, filename=f"summary-{ctx['year']}-Q{ctx['quarter']}.pdf")


@login_required
def quarterly_docx(request):
    _require_reader(request)
    try:
        ctx = _quarter(request)
    except DomainError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    content = build_quarterly_docx(title=ctx["title"], summary=ctx["s"], text=ctx["text"], charts=chart_specs(ctx["s"]))
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="summary-{ctx["year"]}-Q{ctx["quarter"]}.docx"'
    return response
