"""The contract register: list, new contract, detail with planned visits and the renewal chain, renew,
terminate, and the printable expiry notice (保养到期通知书)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.contracts import selectors as sel
from aftersales.contracts import services
from aftersales.contracts.forms import ContractForm, RenewForm
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.national import national_calendar
from aftersales.core.pdf import pdf_response
from aftersales.core.web import apply_domain_errors
from aftersales.customers.selectors import get_customer_for_user

PAGE_SIZE = 50


@login_required
def contract_list(request):
    state = request.GET.get("state", "active")
    page = Paginator(sel.contract_list(user=request.user, state=state, q=request.GET.get("q", "")), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contracts/list.html", {"page": page, "state": state, "q": request.GET.get("q", ""),
                                                   "tasks": sel.renewal_tasks(user=request.user)[:20]})


@login_required
def contract_create(request, customer_pk: int):
    customer = get_customer_for_user(request.user, customer_pk)
    if not request.user.has_perm("contracts.manage", customer):
        raise PermissionDenied
    form = ContractForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            contract = services.contract_create(actor=request.user, customer=customer, equipment=list(d["equipment"]), start_date=d["start_date"],
                                                end_date=d["end_date"], fee=d["fee"], covers_labour=d["covers_labour"], covers_parts=d["covers_parts"],
                                                covers_travel=d["covers_travel"], coverage_notes=d["coverage_notes"], visits_per_year=d["visits_per_year"],
                                                sla_level=d["sla_level"], salesperson=d["salesperson"])
        except DomainError as exc:
            apply_domain_errors(form, exc)
        else:
            messages.success(request, _("Contract %(no)s registered; its visits are planned.") % {"no": contract.number})
            return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/form.html", {"form": form, "customer": customer})


@login_required
def contract_detail(request, pk: int):
    contract = sel.get_contract_for_user(request.user, pk)
    chain = []
    previous = contract.previous
    while previous is not None and len(chain) < 20:
        chain.append(previous)
        previous = previous.previous
    following = getattr(contract, "renewal", None)
    can_manage = request.user.has_perm("contracts.manage", contract.customer)
    plans = list(contract.planned_visits.select_related("equipment", "request"))
    national = national_calendar()
    for plan in plans:  # a date in a year whose holidays are not confirmed yet may still move
        plan.provisional = plan.request_id is None and not national.is_confirmed_year(plan.planned_on.year)
    return render(request, "contracts/detail.html", {
        "contract": contract, "units": contract.equipment.select_related("product_model"), "chain": chain, "following": following,
        "plans": plans, "task": getattr(contract, "renewal_task", None),
        "events": contract.events.select_related("actor"), "can_manage": can_manage, "renew_form": RenewForm(initial={
            "start_date": contract.end_date + dt.timedelta(days=1),
            "end_date": contract.end_date + (contract.end_date - contract.start_date) + dt.timedelta(days=1), "fee": contract.fee})})


def _perform(request, call, success: str) -> bool:
    try:
        call()
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    except ConflictError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
        return True
    return False


@login_required
@require_POST
def contract_renew(request, pk: int):
    contract = sel.get_contract_for_user(request.user, pk)
    if not request.user.has_perm("contracts.manage", contract.customer):
        raise PermissionDenied
    form = RenewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the dates and the fee."))
        return redirect("contracts:detail", pk=contract.pk)
    d = form.cleaned_data
    result = {}
    if _perform(request, lambda: result.setdefault("c", services.contract_renew(
            actor=request.user, contract=contract, start_date=d["start_date"], end_date=d["end_date"], fee=d["fee"])), _("Renewed.")):
        return redirect("contracts:detail", pk=result["c"].pk)
    return redirect("contracts:detail", pk=contract.pk)


@login_required
@require_POST
def renewal_decline(request, pk: int):
    contract = sel.get_contract_for_user(request.user, pk)
    task = getattr(contract, "renewal_task", None)
    if task is None:
        messages.error(request, _("There is no renewal task for this contract."))
    else:
        _perform(request, lambda: services.renewal_declined(actor=request.user, task=task, note=request.POST.get("note", "")), _("Recorded."))
    return redirect("contracts:detail", pk=contract.pk)


@login_required
@require_POST
def contract_terminate(request, pk: int):
    contract = sel.get_contract_for_user(request.user, pk)
    _perform(request, lambda: services.contract_terminate(actor=request.user, contract=contract, reason=request.POST.get("reason", "")),
             _("Contract terminated; its remaining visits are cancelled."))
    return redirect("contracts:detail", pk=contract.pk)


@login_required
def expiry_notice(request, pk: int):
    """保养到期通知书: the letter mailed a month before the end (CON-02)."""
    contract = sel.get_contract_for_user(request.user, pk)
    return pdf_response("pdf/contract_expiry_notice.html", {"contract": contract, "units": contract.equipment.select_related("product_model")},
                        filename=f"expiry-notice-{contract.number}.pdf")
