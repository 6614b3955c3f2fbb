"""Old parts, warranty claims, back-orders and the stock reports (ABC, low stock, 材料进消存报表)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.errors import DomainError
from aftersales.core.files import serve_private
from aftersales.core.pdf import pdf_response
from aftersales.core.tabular import xlsx_bytes
from aftersales.core.web import form_errors_message, perform, redirect_back
from aftersales.parts import selectors, services
from aftersales.parts.forms import BackOrderForm, ClaimForm, DelayForm, PeriodForm
from aftersales.parts.models import Supplier
from aftersales.parts.views.catalogue import part_by_code
from aftersales.workorders.selectors import get_work_order_for_user

PAGE_SIZE = 50


@login_required
def old_part_list(request):
    qs = selectors.old_parts_visible_to(request.user).order_by("status", "-created_at")
    if request.method == "POST":
        chosen = list(qs.filter(pk__in=request.POST.getlist("selected")))
        if request.POST.get("action") == "receive":
            perform(request, lambda: services.old_parts_receive(actor=request.user, old_parts=chosen), success=_("Received into the old-parts store."))
        else:
            perform(request, lambda: services.old_parts_ship(actor=request.user, old_parts=chosen, shipment_ref=request.POST.get("shipment_ref", "")),
                    success=_("Returned to the factory."))
        return redirect("parts:old_parts")
    return render(request, "parts/old_parts.html", {"page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))})


@login_required
def claim_list(request):
    page = Paginator(selectors.claims_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    year_start = timezone.localdate().replace(month=1, day=1)
    return render(request, "parts/claims.html", {"page": page, "rate": selectors.claim_approval_rate(user=request.user, since=year_start)})


@login_required
def claim_new(request, work_order_pk: int):
    work_order = get_work_order_for_user(request.user, work_order_pk)
    form = ClaimForm(request.POST or None, initial={"description": work_order.request.fault_description})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        manufacturer = Supplier.objects.filter(pk=d["manufacturer"]).first()
        if manufacturer is None:
            form.add_error("manufacturer", _("Choose the manufacturer."))
        else:
            outcome = perform(request, lambda: services.claim_create(actor=request.user, work_order=work_order, manufacturer=manufacturer,
                                                                     labour_minutes=d["labour_minutes"], labour_amount=d["labour_amount"],
                                                                     description=d.get("description") or ""), form=form)
            if outcome:
                return redirect("parts:claim", pk=outcome.value.pk)
    return render(request, "parts/claim_form.html", {"form": form, "wo": work_order, "manufacturers": Supplier.objects.all()})


@login_required
def claim_detail(request, pk: int):
    claim = selectors.get_claim_for_user(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "attach" and request.FILES.get("file"):
            perform(request, lambda: services.claim_attach(actor=request.user, claim=claim, upload=request.FILES["file"],
                                                           caption=request.POST.get("caption", "")))
        elif action == "submit":
            perform(request, lambda: services.claim_submit(actor=request.user, claim=claim))
        elif action == "decide":
            perform(request, lambda: services.claim_decide(actor=request.user, claim=claim, approved_amount=_decimal(request.POST.get("approved")),
                                                           note=request.POST.get("note", "")))
        return redirect("parts:claim", pk=pk)
    return render(request, "parts/claim.html", {"claim": claim, "old_parts": claim.old_parts.select_related("part"),
                                                "attachments": claim.attachments.all(), "can_decide": request.user.has_perm("parts.decide_claims"),
                                                "job_photos": claim.work_order.photos.all() if claim.work_order_id else []})


def _decimal(raw) -> Decimal:
    try:
        return Decimal(str(raw or "").strip())
    except InvalidOperation as exc:
        raise DomainError({"approved_amount": [_("Enter the approved amount.")]}) from exc


@login_required
def backorder_list(request):
    orders = selectors.backorders_visible_to(request.user, open_only=request.GET.get("all") != "1")
    return render(request, "parts/backorders.html", {"orders": orders, "today": timezone.localdate(), "delay_form": DelayForm(),
                                                     "warehouses": selectors.warehouses_visible_to(request.user)})


@login_required
@require_POST
def backorder_new(request, work_order_pk: int):
    work_order = get_work_order_for_user(request.user, work_order_pk)
    form = BackOrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_message(form))
    else:
        d = form.cleaned_data
        perform(request, lambda: services.backorder_create(actor=request.user, work_order=work_order, part=part_by_code(d["part_code"]),
                                                           quantity=d["quantity"], expected_on=d["expected_on"]), success=_("Part ordered."))
    return redirect_back(request, "parts:backorders")


@login_required
@require_POST
def backorder_action(request, pk: int):
    order = selectors.backorders_visible_to(request.user, open_only=False).filter(pk=pk).first()
    if order is None:
        raise Http404("back-order")
    if request.POST.get("action") == "arrive":
        warehouse = selectors.get_warehouse_for_user(request.user, request.POST.get("warehouse"))
        perform(request, lambda: services.backorder_arrive(actor=request.user, order=order, warehouse=warehouse), success=_("Arrived."))
    else:
        form = DelayForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors_message(form))
        else:
            d = form.cleaned_data
            perform(request, lambda: services.backorder_delay(actor=request.user, order=order, new_expected_on=d["new_expected_on"],
                                                              reason=d.get("reason") or "", customer_told_via=d.get("customer_told_via") or ""),
                    success=_("Delay recorded."))
    return redirect("parts:backorders")


def _period(request) -> tuple[dt.date, dt.date, PeriodForm]:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"start": today.replace(day=1), "end": today})
    if form.is_valid():
        return form.cleaned_data["start"], form.cleaned_data["end"], form
    return today.replace(day=1), today, form


@login_required
def abc_report(request):
    start, end, form = _period(request)
    return render(request, "parts/abc.html", {"rows": selectors.abc_classification(start=start, end=end), "form": form, "start": start, "end": end})


@login_required
def low_stock_report(request):
    return render(request, "parts/low_stock.html", {"parts": selectors.low_stock(user=request.user)})


@login_required
def stock_report(request):
    """材料进消存报表 per warehouse and period, on screen, as xlsx or as PDF."""
    start, end, form = _period(request)
    warehouses = selectors.warehouses_visible_to(request.user)
    chosen = request.GET.get("warehouse")
    warehouse = selectors.get_warehouse_for_user(request.user, chosen) if chosen else warehouses.first()
    rows = selectors.stock_report(warehouse=warehouse, start=start, end=end) if warehouse else []
    context = {"rows": rows, "warehouse": warehouse, "warehouses": warehouses, "form": form, "start": start, "end": end,
               "total_value": sum((r.closing_value for r in rows), Decimal("0"))}
    fmt = request.GET.get("format")
    if fmt == "xlsx" and warehouse:
        data = xlsx_bytes(_("Stock report"), ["配件编号", "名称", "单位", "期初", "入库", "出库", "期末", "期末金额"],
                          ((r.part.code, r.part.name, r.part.unit, r.opening, r.received, r.issued, r.closing, r.closing_value) for r in rows))
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="stock-{warehouse.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
        return response
    if fmt == "pdf" and warehouse:
        return pdf_response("parts/pdf/stock_report.html", context, filename=f"stock-{warehouse.code}-{start:%Y%m%d}-{end:%Y%m%d}.pdf")
    return render(request, "parts/stock_report.html", context)


@login_required
def claim_attachment(request, pk: int, attachment: int):
    """One piece of a claim's evidence, for whoever may see the claim."""
    claim = selectors.get_claim_for_user(request.user, pk)
    found = claim.attachments.filter(pk=attachment).first()
    if found is None:
        raise Http404("attachment")
    return serve_private(found.file, download_name=f"{claim.number}-{found.pk}{PurePosixPath(found.file.name).suffix}")
