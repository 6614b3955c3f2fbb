"""Return pages: the list, a new return judged live by the rules, one return through approval, receipt and settlement,
the monthly return rates, the rules, and the 成品退货单 / 销货折让证明单 documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.files import serve_private
from aftersales.core.pdf import pdf_response
from aftersales.core.web import apply_domain_errors
from aftersales.returns import selectors as sel
from aftersales.returns import services
from aftersales.returns.forms import ReceiveForm, ReturnForm
from aftersales.returns.models import Outcome, ReturnRule, ReturnStatus

PAGE_SIZE = 50


@login_required
def return_list(request):
    status = request.GET.get("status", "")
    page = Paginator(sel.return_list(user=request.user, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "returns/list.html", {"page": page, "status": status, "statuses": ReturnStatus.choices})


@login_required
def return_create(request, line_pk: int):
    line = sel.get_line_for_user(request.user, line_pk)
    form = ReturnForm(request.POST or None, request.FILES or None, initial={"reported_on": timezone.localdate(), "quantity": line.quantity})
    preview = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.ReturnInput(line=line, reason=d["reason"], quantity=d["quantity"], reported_on=d["reported_on"], description=d["description"],
                                    photo=d["photo"], film_removed=d["film_removed"], missing_bags=d["missing_bags"], missing_boxes=d["missing_boxes"],
                                    purchasing_signed=d["purchasing_signed"])
        preview = services.judge(services.facts_for(line, reason=d["reason"], reported_on=d["reported_on"], photo=bool(d["photo"]),
                                                    film_removed=d["film_removed"], purchasing_signed=d["purchasing_signed"]))
        try:
            created = services.return_request_create(actor=request.user, data=data)
        except DomainError as exc:
            apply_domain_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Return %(no)s recorded: %(o)s.") % {"no": created.number, "o": created.get_outcome_display()})
            return redirect("returns:detail", pk=created.pk)
    return render(request, "returns/form.html", {"form": form, "line": line, "preview": preview})


@login_required
def return_detail(request, pk: int):
    ret = sel.get_return_for_user(request.user, pk)
    return render(request, "returns/detail.html", {
        "r": ret, "can_approve": request.user.has_perm("returns.approve", ret) and ret.status == ReturnStatus.REQUESTED,
        "can_receive": request.user.has_perm("returns.receive", ret) and ret.status == ReturnStatus.APPROVED,
        "can_settle": request.user.has_perm("returns.settle", ret) and ret.status == ReturnStatus.ARRIVED,
        "receive_form": ReceiveForm(initial={"arrived_on": timezone.localdate(), "quantity": ret.quantity_approved}),
        "tolerated": services.tolerated(ret.quantity_approved) if ret.quantity_approved else None,
        "allowance": ret.outcome == Outcome.PARTIAL_CREDIT or ret.packaging_deduction > 0})


def _act(request, call, success: str) -> None:
    try:
        call()
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    except ConflictError as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value.strip() else None
    except InvalidOperation:
        return Decimal("-1")


@login_required
@require_POST
def return_approve(request, pk: int):
    ret = sel.get_return_for_user(request.user, pk)
    _act(request, lambda: services.return_approve(actor=request.user, request=ret, quantity=_decimal(request.POST.get("quantity", ""))), _("Approved."))
    return redirect("returns:detail", pk=ret.pk)


@login_required
@require_POST
def return_receive(request, pk: int):
    ret = sel.get_return_for_user(request.user, pk)
    form = ReceiveForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _act(request, lambda: services.return_receive(actor=request.user, request=ret, quantity=d["quantity"], arrived_on=d["arrived_on"],
                                                      inspection=d["inspection"]), _("Received."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("returns:detail", pk=ret.pk)


@login_required
@require_POST
def return_settle(request, pk: int):
    ret = sel.get_return_for_user(request.user, pk)
    _act(request, lambda: services.return_settle(actor=request.user, request=ret), _("Settled."))
    return redirect("returns:detail", pk=ret.pk)


@login_required
@require_POST
def return_cancel(request, pk: int):
    ret = sel.get_return_for_user(request.user, pk)
    _act(request, lambda: services.return_cancel(actor=request.user, request=ret, reason=request.POST.get("reason", "")), _("Cancelled."))
    return redirect("returns:detail", pk=ret.pk)


@login_required
def rates(request):
    try:
        month = dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        month = timezone.localdate().replace(day=1)
    rows = sel.return_rates(user=request.user, month=month)
    chart = {"tooltip": {"trigger": "axis"}, "xAxis": {"type": "category", "data": [r.salesperson for r in rows]}, "yAxis": {"type": "value", "name": "%"},
             "series": [{"type": "bar", "name": _("Return rate %"), "data": [float(r.rate) for r in rows],
                         "markLine": {"data": [{"yAxis": float(settings.RETURN_RATE_CAP_PERCENT)}]}}]}
    return render(request, "returns/rates.html", {"rows": rows, "month": month, "chart": chart})


@login_required
def rules(request):
    return render(request, "returns/rules.html", {"rules": ReturnRule.objects.all()})


@login_required
def return_note_pdf(request, pk: int):
    """成品退货单 (RET-15): reason, method, basis; copy 1 Sales, copies 2–4 warehouse, accounting, sales."""
    ret = sel.get_return_for_user(request.user, pk)
    return pdf_response("pdf/return_note.html", {"r": ret, "copies": ["第一联 业务", "第二联 仓库", "第三联 会计", "第四联 业务"]},
                        filename=f"return-{ret.number}.pdf")


@login_required
def allowance_pdf(request, pk: int):
    """销货折让证明单 (RET-15): two copies, manager and GM approval, the customer's seal."""
    ret = sel.get_return_for_user(request.user, pk)
    return pdf_response("pdf/allowance_certificate.html", {"r": ret, "copies": ["第一联 业务", "第二联 会计"]}, filename=f"allowance-{ret.number}.pdf")


@login_required
def return_photo(request, pk: int):
    """The photo of a return (RET-03), for whoever may see the return."""
    request_ = sel.get_return_for_user(request.user, pk)
    if not request_.photo:
        raise Http404("photo")
    return serve_private(request_.photo, download_name=f"{request_.number}{PurePosixPath(request_.photo.name).suffix}")
