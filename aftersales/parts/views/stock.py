"""Warehouse pages: stock on hand and the ledger, receipts, transfers, scrap, corrections, counts, requisitions."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.errors import DomainError
from aftersales.core.web import form_errors_message, perform
from aftersales.parts import selectors, services
from aftersales.parts.forms import LineForm, RequisitionForm, ScrapForm, TransferForm, parse_lines
from aftersales.parts.models import StockCount, StockMovement, Warehouse
from aftersales.parts.views.catalogue import part_by_code

PAGE_SIZE = 50


@login_required
def warehouse_list(request):
    return render(request, "parts/warehouses.html", {"warehouses": selectors.warehouses_visible_to(request.user)})


@login_required
def warehouse_detail(request, pk: int):
    warehouse = selectors.get_warehouse_for_user(request.user, pk)
    q = request.GET.get("q", "")
    return render(request, "parts/warehouse.html", {
        "warehouse": warehouse, "q": q, "balances": Paginator(selectors.balances(warehouse=warehouse, q=q), PAGE_SIZE).get_page(request.GET.get("page")),
        "movements": selectors.movements(warehouse=warehouse)[:50], "can_keep": request.user.has_perm("parts.keep_stock", warehouse),
        "targets": selectors.warehouses_visible_to(request.user).exclude(pk=warehouse.pk),
        "open_count": StockCount.objects.filter(warehouse=warehouse, status=StockCount.Status.COUNTING).first(),
    })


def _warehouse_action(form_class, call, success):
    @login_required
    @require_POST
    def view(request, pk: int):
        warehouse = selectors.get_warehouse_for_user(request.user, pk)
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors_message(form))
        else:
            perform(request, lambda: call(request, warehouse, form.cleaned_data), success=str(success))
        return redirect("parts:warehouse", pk=warehouse.pk)

    return view


receive = _warehouse_action(LineForm, lambda r, wh, d: services.stock_receive(
    actor=r.user, warehouse=wh, lines=[(part_by_code(d["part_code"]), d["quantity"], d.get("unit_cost"))], reference=r.POST.get("reference", "")),
    _("Received."))
scrap = _warehouse_action(ScrapForm, lambda r, wh, d: services.stock_scrap(
    actor=r.user, warehouse=wh, part=part_by_code(d["part_code"]), quantity=d["quantity"], reason=d.get("reason") or ""), _("Scrapped."))


def _transfer(request, warehouse: Warehouse, d: dict):
    target = selectors.get_warehouse_for_user(request.user, d["target"])
    return services.stock_transfer(actor=request.user, source=warehouse, target=target, lines=[(part_by_code(d["part_code"]), d["quantity"])])


transfer = _warehouse_action(TransferForm, _transfer, _("Transferred."))


@login_required
@require_POST
def correct(request, pk: int):
    movement = StockMovement.objects.filter(pk=pk, warehouse__in=selectors.warehouses_visible_to(request.user)).select_related("warehouse").first()
    if movement is None:
        raise Http404("movement")
    perform(request, lambda: services.stock_correct(actor=request.user, movement=movement, reason=request.POST.get("reason", "")),
            success=_("Correction posted."))
    return redirect("parts:warehouse", pk=movement.warehouse_id)


@login_required
@require_POST
def count_start(request, pk: int):
    warehouse = selectors.get_warehouse_for_user(request.user, pk)
    outcome = perform(request, lambda: services.stock_count_start(actor=request.user, warehouse=warehouse), success=_("Count started."))
    return redirect("parts:count", pk=outcome.value.pk) if outcome else redirect("parts:warehouse", pk=pk)


@login_required
def count_detail(request, pk: int):
    count = StockCount.objects.filter(pk=pk, warehouse__in=selectors.warehouses_visible_to(request.user)).select_related("warehouse").first()
    if count is None:
        raise Http404("count")
    if request.method == "POST":
        counted = {}
        for line in count.lines.all():
            raw = request.POST.get(f"line-{line.pk}", "").strip()
            try:
                counted[line.pk] = Decimal(raw) if raw else None
            except InvalidOperation:
                messages.error(request, _("“%(v)s” is not a number.") % {"v": raw})
                return redirect("parts:count", pk=pk)
        post = request.POST.get("post") == "1"
        perform(request, lambda: (services.stock_count_record(actor=request.user, count=count, counted=counted),
                                  services.stock_count_post(actor=request.user, count=count) if post else None),
                success=_("Count posted.") if post else _("Saved."))
        return redirect("parts:count", pk=pk)
    return render(request, "parts/count.html", {"count": count, "lines": count.lines.select_related("part")})


def _lines(text: str) -> list:
    try:
        return [(part_by_code(code), Decimal(qty)) for code, qty in parse_lines(text)]
    except InvalidOperation as exc:
        raise DomainError({"lines": [_("Write each line as code × quantity.")]}) from exc


@login_required
def requisition_list(request):
    page = Paginator(selectors.requisitions_visible_to(request.user).order_by("-created_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "parts/requisitions.html", {"page": page})


@login_required
def requisition_new(request):
    visible = selectors.warehouses_visible_to(request.user)
    form = RequisitionForm(request.POST or None, initial={"to_warehouse": getattr(getattr(request.user, "van", None), "pk", None)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def create():
            return services.requisition_create(actor=request.user, to_warehouse=selectors.get_warehouse_for_user(request.user, d["to_warehouse"]),
                                               from_warehouse=selectors.get_warehouse_for_user(request.user, d["from_warehouse"]),
                                               lines=_lines(d["lines"]), reason=d.get("reason") or "")

        outcome = perform(request, create, form=form, success=_("Requisition submitted."))
        if outcome:
            return redirect("parts:requisition", pk=outcome.value.pk)
    return render(request, "parts/requisition_form.html", {"form": form, "warehouses": visible})


@login_required
def requisition_detail(request, pk: int):
    requisition = selectors.get_requisition_for_user(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "decide":
            approved = {line.pk: request.POST.get(f"line-{line.pk}") or 0 for line in requisition.lines.all()}
            perform(request, lambda: services.requisition_decide(actor=request.user, requisition=requisition, approved=approved,
                                                                 note=request.POST.get("note", "")))
        elif action == "transfer":
            perform(request, lambda: services.requisition_transfer(actor=request.user, requisition=requisition))
        elif action == "cancel":
            perform(request, lambda: services.requisition_cancel(actor=request.user, requisition=requisition))
        return redirect("parts:requisition", pk=pk)
    return render(request, "parts/requisition.html", {
        "requisition": requisition, "lines": requisition.lines.select_related("part"),
        "can_decide": request.user.has_perm("parts.keep_stock", requisition.from_warehouse),
    })
