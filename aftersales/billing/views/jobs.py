"""A job's bill (charges, discounts, invoice, payments) and quotations (点餐 quoting)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.billing import selectors, services
from aftersales.billing.models import ChargeLine, Coverage, Discount, Invoice, InvoiceKind, JobType, LineKind, Payment, PaymentMethod, QuoteFamily
from aftersales.billing.services.charges import hourly_rate
from aftersales.core.errors import DomainError
from aftersales.core.files import serve_private
from aftersales.core.pdf import pdf_response, png_data_uri
from aftersales.core.web import perform
from aftersales.customers.selectors import get_customer_for_user
from aftersales.parts import selectors as parts_selectors
from aftersales.parts.services import part_order_for_job
from aftersales.parts.views.catalogue import part_by_code
from aftersales.workorders.selectors import get_work_order_for_user
from aftersales.workorders.views.orders import rerender_with_input

PAGE_SIZE = 50


def _decimal(raw, field: str, label: str = "") -> Decimal:
    """``raw`` as a Decimal; otherwise a message that names the box (``label``), in the user's language."""
    try:
        value = Decimal(str(raw or "").strip())
    except InvalidOperation as exc:
        message = _("%(field)s: enter a number.") % {"field": label} if label else _("Enter a number.")
        raise DomainError({field: [message]}) from exc
    if not value.is_finite():
        raise DomainError({field: [_("%(field)s: enter a number.") % {"field": label or field}]})
    return value


@login_required
def job_bill(request, pk: int):
    wo = get_work_order_for_user(request.user, pk)
    user = request.user
    return render(request, "billing/job.html", {
        "wo": wo, "bill": selectors.job_bill(wo), "invoices": wo.invoices.select_related("issued_by"),
        "payments": wo.payments.select_related("collected_by", "handover"), "quotations": wo.quotations.all(),
        "can_price": user.has_perm("billing.price", wo), "can_dispatch": user.has_perm("workorders.dispatch", wo),
        "can_invoice": user.has_perm("billing.invoice", wo), "can_collect": user.has_perm("billing.collect", wo),
        "coverages": Coverage.choices, "invoice_kinds": InvoiceKind.choices, "methods": PaymentMethod.choices, "kinds": LineKind.choices,
        "today": timezone.localdate(),
    })


def _line(request, wo, pk) -> ChargeLine:
    line = wo.charges.filter(pk=pk).first()
    if line is None:
        raise Http404("charge line")
    return line


@login_required
@require_POST
def job_action(request, pk: int, action: str):
    """Every change to a job's bill, by ``action``; refusals come back as messages on the bill page."""
    wo = get_work_order_for_user(request.user, pk)
    user, post = request.user, request.POST
    calls = {
        "price": lambda: services.charges_price_job(actor=user, work_order=wo),
        "add-line": lambda: services.charge_add(actor=user, work_order=wo, description=post.get("description", ""),
                                                quantity=_decimal(post.get("quantity"), "quantity"),
                                                unit_price=_decimal(post.get("unit_price"), "unit_price"), kind=post.get("kind", "other")),
        "discount": lambda: services.discount_request(actor=user, line=_line(request, wo, post.get("line")),
                                                      amount=_decimal(post.get("amount"), "amount"), reason=post.get("reason", "")),
        "decide-discount": lambda: services.discount_decide(actor=user, approve=post.get("approve") == "1", discount=_discount(wo, post.get("discount"))),
        "coverage": lambda: services.charge_override_coverage(actor=user, line=_line(request, wo, post.get("line")), coverage=post.get("coverage", ""),
                                                              reason=post.get("reason", "")),
        "adjust": lambda: services.charge_adjust(actor=user, line=_line(request, wo, post.get("line")), quantity=post.get("quantity", ""),
                                                 unit_price=post.get("unit_price", ""), reason=post.get("reason", "")),
        "invoice": lambda: services.invoice_issue(actor=user, work_order=wo, kind=post.get("kind", ""), number=post.get("number", ""),
                                                  issued_on=_date(post.get("issued_on")), title=post.get("title", ""), tax_no=post.get("tax_no", "")),
        "void-invoice": lambda: services.invoice_void(actor=user, invoice=_invoice(wo, post.get("invoice")), reason=post.get("reason", "")),
        "payment": lambda: services.payment_record(actor=user, work_order=wo, amount=_decimal(post.get("amount"), "amount"),
                                                   method=post.get("method", ""), reference=post.get("reference", ""),
                                                   receipt_photo=request.FILES.get("receipt_photo"), on_site=post.get("on_site") == "1"),
        "use-part": lambda: services.work_order_use_part(
            actor=user, work_order=wo, part=part_by_code(post.get("part_code")), quantity=_decimal(post.get("quantity"), "quantity"),
            warehouse=parts_selectors.get_warehouse_for_user(user, post.get("warehouse")) if post.get("warehouse") else None,
            override_reason=post.get("override_reason", "")),
        "order-part": lambda: part_order_for_job(actor=user, work_order=wo, part=part_by_code(post.get("part_code")),
                                                 quantity=_decimal(post.get("quantity"), "quantity")),
        "return-part": lambda: services.work_order_return_part(actor=user, usage=_usage(wo, post.get("usage")),
                                                               quantity=_decimal(post.get("quantity"), "quantity")),
    }
    if action not in calls:
        raise Http404("action")
    errors: dict = {}
    success = _("Ordered for this job. If you must leave, end the visit as waiting for parts.") if action == "order-part" else None
    outcome = perform(request, calls[action], errors=errors, success=success)
    if not outcome and action in ("use-part", "order-part") and not post.get("next", "").startswith("/billing/"):
        # refused on the job page (phone or desk): the same page again, with the part code, quantity and reason typed
        return rerender_with_input(request, wo, errors, action="use_part")
    target = post.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("billing:job", pk=wo.pk)


def _date(raw):
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError as exc:
        raise DomainError({"issued_on": [_("Enter the date as 2026-11-26.")]}) from exc


def _discount(wo, pk) -> Discount:
    discount = Discount.objects.filter(pk=pk, line__work_order=wo).select_related("line__work_order").first()
    if discount is None:
        raise Http404("discount")
    return discount


def _invoice(wo, pk) -> Invoice:
    invoice = wo.invoices.filter(pk=pk).first()
    if invoice is None:
        raise Http404("invoice")
    return invoice


def _usage(wo, pk):
    usage = wo.parts_used.filter(pk=pk).select_related("work_order").first()
    if usage is None:
        raise Http404("part used")
    return usage


@login_required
def quotation_list(request):
    page = Paginator(selectors.quotations_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "billing/quotations.html", {"page": page})


@login_required
def quotation_new(request):
    """点餐 quoting: pick the family, tick quantities on its menu, add services, create."""
    wo = get_work_order_for_user(request.user, request.GET.get("work_order")) if request.GET.get("work_order") else None
    customer = wo.request.customer if wo else (get_customer_for_user(request.user, request.GET.get("customer")) if request.GET.get("customer") else None)
    if customer is None:
        raise Http404("customer")
    families = list(QuoteFamily.objects.prefetch_related("parts", "product_models"))
    model_id = wo.request.product_model_id if wo else None
    chosen = next((f for f in families if str(f.pk) == request.GET.get("family")), None) or next(
        (f for f in families if any(m.pk == model_id for m in f.product_models.all())), families[0] if families else None)
    errors: dict = {}
    if request.method == "POST":
        outcome = perform(request, lambda: services.quotation_create(
            actor=request.user, customer=customer, work_order=wo, family=chosen, items=_items(request.POST, chosen), note=request.POST.get("note", "")),
            success=_("Quotation created."), errors=errors)  # the per-box messages of ``_items`` and of the service
        if outcome:
            return redirect("billing:quotation", pk=outcome.value.pk)
    return render(request, "billing/quotation_form.html", {"wo": wo, "customer": customer, "families": families, "family": chosen,
                                                           "service_kinds": [k for k in LineKind.choices if k[0] != LineKind.PART],
                                                           "posted": request.POST if request.method == "POST" else _price_list_rows(wo),
                                                           "errors": errors},
                  status=422 if request.method == "POST" else 200)


def _price_list_rows(wo) -> dict:
    """The service rows of a new quotation prefilled from the published price list: an hour's labour at the technician's
    grade and the job's type, travel by the call's zone, the call-out fee. The technician changes what differs."""
    price_list = services.active_price_list()
    if wo is None or price_list is None:
        return {}
    job_type = JobType.WORKSHOP if hasattr(wo, "receipt") else JobType.ON_SITE
    rows = []
    rate = hourly_rate(price_list, wo.technician.grade, job_type)
    if rate is not None:
        rows.append((LineKind.LABOUR, _("Labour, %(type)s") % {"type": JobType(job_type).label}, "1", rate))
    fee = next((f.fee for f in price_list.travel_fees.all() if f.zone == wo.request.zone), None)
    if fee:
        rows.append((LineKind.TRAVEL, _("Travel (%(zone)s)") % {"zone": wo.request.get_zone_display()}, "1", fee))
    if price_list.call_out_fee and job_type == JobType.ON_SITE:
        rows.append((LineKind.CALL_OUT, _("Call-out fee"), "1", price_list.call_out_fee))
    posted = {}
    for i, (kind, description, qty, price) in enumerate(rows[:3]):
        posted.update({f"service-{i}-kind": kind, f"service-{i}-description": description, f"service-{i}-quantity": qty,
                       f"service-{i}-price": str(price)})
    return posted


def _items(post, family) -> list:
    """The quoted items from the 点餐 form. Every box is checked before anything is refused, and each
    message names its box (the part, or the service row and column)."""
    items, errors = [], {}

    def number(name: str, label: str, default: str = "") -> Decimal | None:
        try:
            return _decimal(post.get(name, "").strip() or default, name, label)
        except DomainError as exc:
            errors.update(exc.message_dict)
            return None

    for part in (family.parts.all() if family else []):
        if post.get(f"part-{part.pk}", "").strip():
            qty = number(f"part-{part.pk}", _("Quantity of %(part)s") % {"part": part})
            if qty is not None and qty > 0:
                items.append(services.QuoteItem(part=part, quantity=qty))
    for i in range(3):
        description = post.get(f"service-{i}-description", "").strip()
        if description:
            row = _("Service line %(n)s") % {"n": i + 1}
            qty = number(f"service-{i}-quantity", _("%(row)s, quantity") % {"row": row}, "1")
            price = number(f"service-{i}-price", _("%(row)s, unit price") % {"row": row})
            if qty is not None and price is not None:
                items.append(services.QuoteItem(kind=post.get(f"service-{i}-kind", "other"), description=description, quantity=qty, unit_price=price))
    if errors:
        raise DomainError(errors)
    return items


@login_required
def quotation_detail(request, pk: int):
    quotation = selectors.get_quotation_for_user(request.user, pk)
    if request.method == "POST":
        action, post = request.POST.get("action"), request.POST
        if not request.user.has_perm("billing.quote", quotation.work_order or quotation.customer):
            raise PermissionDenied
        calls = {
            "send": lambda: services.quotation_send(actor=request.user, quotation=quotation),
            "accept": lambda: services.quotation_accept(actor=request.user, quotation=quotation, signature=post.get("signature", ""),
                                                        signer_name=post.get("signer_name", ""), note=post.get("note", "")),
            "decline": lambda: services.quotation_decline(actor=request.user, quotation=quotation, note=post.get("note", "")),
        }
        if action in calls and not perform(request, calls[action]) and action == "accept":
            lines = list(quotation.lines.select_related("part"))  # refused: the same page again, the signature and name kept
            return render(request, "billing/quotation.html", {"quotation": quotation, "lines": lines, "totals": _quote_totals(lines),
                                                              "signature": png_data_uri(quotation.acceptance_signature), "v": post}, status=422)
        target = post.get("next") or ""
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("billing:quotation", pk=pk)
    lines = list(quotation.lines.select_related("part"))
    return render(request, "billing/quotation.html", {"quotation": quotation, "lines": lines, "totals": _quote_totals(lines),
                                                      "signature": png_data_uri(quotation.acceptance_signature)})


def _quote_totals(lines) -> dict:
    amounts = [line.amounts for line in lines]
    return {"net": sum((a.net for a in amounts), Decimal("0")), "tax": sum((a.tax for a in amounts), Decimal("0")),
            "total": sum((a.total for a in amounts), Decimal("0"))}


@login_required
def quotation_pdf(request, pk: int):
    quotation = selectors.get_quotation_for_user(request.user, pk)
    lines = list(quotation.lines.select_related("part"))
    return pdf_response("billing/pdf/quotation.html", {"quotation": quotation, "lines": lines, "totals": _quote_totals(lines),
                                                       "signature": png_data_uri(quotation.acceptance_signature)}, filename=f"{quotation.number}.pdf")


@login_required
def payment_receipt(request, pk: int):
    """The photo of a payment's receipt, for whoever may see the job's money."""
    payment = get_object_or_404(Payment.objects.select_related("work_order"), pk=pk)
    wo = get_work_order_for_user(request.user, payment.work_order_id)
    if not request.user.has_perm("billing.view", wo) or not payment.receipt_photo:
        raise Http404("receipt")
    return serve_private(payment.receipt_photo, download_name=f"{wo.number}-{payment.pk}{PurePosixPath(payment.receipt_photo.name).suffix}")
