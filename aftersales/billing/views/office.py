"""The accountant's desk and the billing reports: invoicing queue, cash hand-overs, receivables,
the monthly discount sheet, the published price list, parts agreements, parts cost by warranty."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts.models import User
from aftersales.billing import selectors, services
from aftersales.billing.models import InvoiceKind, PartsAgreement
from aftersales.core.errors import DomainError
from aftersales.core.pdf import pdf_response
from aftersales.core.tabular import xlsx_bytes
from aftersales.core.web import perform
from aftersales.customers.selectors import get_customer_for_user


def _require_office(user) -> None:
    if not user.has_perm("billing.view_office"):
        raise PermissionDenied(_("These sheets list the whole centre's money; ask your supervisor or the accountant."))


def _require_accountant(user) -> None:
    if not user.has_perm("billing.invoice", user.service_center) and not user.has_global_scope:
        raise PermissionDenied


@login_required
def invoicing_desk(request):
    _require_accountant(request.user)
    return render(request, "billing/desk.html", {
        "jobs": selectors.to_invoice(user=request.user), "cash": selectors.cash_waiting(user=request.user),
        "invoices": selectors.invoices_visible_to(request.user)[:30], "handovers": selectors.recent_handovers(user=request.user),
    })


@login_required
@require_POST
def receive_cash(request):
    technician = User.objects.filter(pk=request.POST.get("technician")).first()
    if technician is None:
        raise Http404("technician")

    def receive():
        try:
            day, counted = dt.date.fromisoformat(request.POST.get("day", "")), Decimal(request.POST.get("counted_total") or "x")
        except (ValueError, InvalidOperation) as exc:
            raise DomainError({"counted_total": [_("Enter the amount counted.")]}) from exc
        return services.cash_handover_receive(actor=request.user, technician=technician, day=day, counted_total=counted,
                                              note=request.POST.get("note", ""))

    perform(request, receive, success=_("Cash received."))
    return redirect("billing:desk")


@login_required
def receivables(request):
    _require_accountant(request.user)
    return render(request, "billing/receivables.html", {"rows": selectors.receivables_ageing(user=request.user),
                                                        "buckets": [name for name, *_r in selectors.AGE_BUCKETS]})


def _month(request) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in (request.GET.get("month") or "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        today = timezone.localdate()
        year, month = today.year, today.month
    return year, month


@login_required
def discount_sheet(request):
    """售后折价单 of a month (BILL-05), on screen, as xlsx, or printed for the manager's signature."""
    _require_office(request.user)
    year, month = _month(request)
    discounts = list(selectors.discount_sheet(user=request.user, year=year, month=month))
    approved = sum((d.amount for d in discounts if d.status == "approved"), Decimal("0"))
    context = {"discounts": discounts, "year": year, "month": month, "approved_total": approved}
    if request.GET.get("format") == "xlsx":
        rows = ((timezone.localdate(d.created_at), d.line.work_order.number,
                 d.line.work_order.request.customer.name if d.line.work_order.request.customer else "",
                 d.line.description, d.line.amounts.list_amount, d.amount, d.reason, d.get_status_display(), str(d.decided_by or ""))
                for d in discounts)
        response = HttpResponse(xlsx_bytes(_("Discount sheet"), ["日期", "凭证号", "客户", "项目", "原价", "折让", "原因", "状态", "审批人"], rows),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="discounts-{year}{month:02d}.xlsx"'
        return response
    if request.GET.get("format") == "pdf":
        return pdf_response("billing/pdf/discount_sheet.html", context, filename=f"discounts-{year}{month:02d}.pdf")
    return render(request, "billing/discounts.html", context)


@login_required
def price_list(request):
    """The service price list in force, to publish for customers (BILL-04)."""
    current = selectors.price_list_in_force()
    if request.GET.get("format") == "pdf" and current:
        return pdf_response("billing/pdf/price_list.html", {"price_list": current}, filename=f"price-list-{current.effective_from}.pdf")
    return render(request, "billing/price_list.html", {"price_list": current})


@login_required
def agreement_list(request):
    _require_office(request.user)
    qs = PartsAgreement.objects.select_related("customer").prefetch_related("settlements__invoices")
    if not request.user.has_global_scope:
        qs = qs.filter(customer__service_center_id=request.user.service_center_id)
    return render(request, "billing/agreements.html", {"agreements": qs, "invoice_kinds": InvoiceKind.choices, "today": timezone.localdate()})


@login_required
@require_POST
def agreement_action(request):
    _require_office(request.user)
    post = request.POST
    action = post.get("action")
    if action == "create":
        customer = get_customer_for_user(request.user, post.get("customer"))
        perform(request, lambda: services.agreement_create(actor=request.user, customer=customer, start_date=_date(post.get("start_date")),
                                                           end_date=_date(post.get("end_date")), settlement_months=int(post.get("settlement_months") or 6),
                                                           price_factor=Decimal(post.get("price_factor") or "1")))
    else:
        agreement = PartsAgreement.objects.filter(pk=post.get("agreement")).first()
        if agreement is None:
            raise Http404("agreement")
        if action == "settle":
            perform(request, lambda: services.settlement_create(actor=request.user, agreement=agreement, period_end=_date(post.get("period_end"))))
        elif action == "invoice":
            settlement = agreement.settlements.filter(pk=post.get("settlement")).first()
            if settlement is None:
                raise Http404("settlement")
            perform(request, lambda: services.settlement_invoice(actor=request.user, settlement=settlement, kind=post.get("kind", ""),
                                                                 number=post.get("number", ""), issued_on=_date(post.get("issued_on")),
                                                                 title=post.get("title", ""), tax_no=post.get("tax_no", "")))
    return redirect("billing:agreements")


def _date(raw) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError as exc:
        raise DomainError({"date": [_("Enter the date as 2026-11-26.")]}) from exc


@login_required
def parts_cost_report(request):
    """CLS-03: parts replaced in and out of warranty, by centre, with cost."""
    _require_office(request.user)
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start") or "")
        end = dt.date.fromisoformat(request.GET.get("end") or "")
    except ValueError:
        start, end = today.replace(day=1), today
    rows = selectors.parts_cost_by_warranty(user=request.user, start=start, end=end)
    return render(request, "billing/parts_cost.html", {"rows": rows, "start": start, "end": end})
