"""The dispatch board (派工): waiting calls by urgency, suggestions, single and batch assignment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts import roles
from aftersales.accounts.models import User
from aftersales.core.models import ProductCategory
from aftersales.core.web import form_errors_message, perform, redirect_back
from aftersales.servicedesk.selectors import get_request_for_user, with_sla_state
from aftersales.workorders import selectors
from aftersales.workorders.forms import AssignForm, BatchAssignForm, BoardFilterForm
from aftersales.workorders.services import suggest_technicians, work_order_assign, work_orders_batch_assign

PAGE_SIZE = 50


def _require_dispatcher(user) -> None:
    if not user.has_perm("workorders.dispatch", None):
        raise PermissionDenied


def assignable_technicians() -> list[User]:
    """Every active technician, own centre or not: another centre's needs an override reason."""
    return list(User.objects.filter(is_active=True, groups__name=roles.TECHNICIAN).select_related("service_center")
                .order_by("service_center__code", "full_name").distinct())


def technician_by_pk(pk) -> User:
    user = User.objects.filter(pk=pk, is_active=True, groups__name=roles.TECHNICIAN).first()
    if user is None:
        raise Http404("technician")
    return user


@login_required
def board(request):
    _require_dispatcher(request.user)
    form = BoardFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    queue = selectors.dispatch_queue(user=request.user, zone=f.get("zone") or "", category=f.get("category") or "", skill_id=f.get("skill"))
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = with_sla_state(list(page.object_list), timezone.now())
    technicians = selectors.technicians_for(request.user)
    suggestions = suggest_technicians(rows, technicians, {t.pk: t.open_jobs for t in technicians}, {t.pk: t.zones for t in technicians})
    for row in rows:
        row.suggestion = suggestions.get(row.pk)
    return render(request, "workorders/board.html", {
        "form": form, "page": page, "rows": rows, "technicians": technicians, "all_technicians": assignable_technicians(),
        "escalated": list(selectors.escalated_jobs(user=request.user)[:PAGE_SIZE]), "skills": ProductCategory.objects.all(),
    })


def _back_to_board(request):
    return redirect_back(request, "workorders:board")


@login_required
@require_POST
def assign(request):
    _require_dispatcher(request.user)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_message(form))
        return _back_to_board(request)
    d = form.cleaned_data
    sr = get_request_for_user(request.user, d["request"])
    technician = technician_by_pk(d["technician"])
    perform(request, lambda: work_order_assign(actor=request.user, request=sr, technician=technician,
                                               override_reason=d.get("override_reason") or "", expected_version=d.get("version")),
            success=_("Call %(no)s dispatched to %(tech)s.") % {"no": sr.number, "tech": technician})
    return _back_to_board(request)


@login_required
@require_POST
def batch_assign(request):
    """Assign the ticked calls to one technician, or each to its suggested technician."""
    _require_dispatcher(request.user)
    form = BatchAssignForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("selected") if v.isdigit()]
    if not form.is_valid() or not ids:
        messages.error(request, _("Tick the calls to assign."))
        return _back_to_board(request)
    d = form.cleaned_data
    calls = [get_request_for_user(request.user, pk) for pk in ids]
    override = d.get("override_reason") or ""
    if d.get("use_suggestions"):
        technicians = selectors.technicians_for(request.user)
        picks = suggest_technicians(calls, technicians, {t.pk: t.open_jobs for t in technicians}, {t.pk: t.zones for t in technicians})
        missing = [sr.number for sr in calls if sr.pk not in picks]
        if missing:
            messages.error(request, _("No technician to suggest for %(calls)s.") % {"calls": ", ".join(missing)})
            return _back_to_board(request)
        plan = [(sr, picks[sr.pk].technician, override) for sr in calls]
    elif d.get("technician"):
        technician = technician_by_pk(d["technician"])
        plan = [(sr, technician, override) for sr in calls]
    else:
        messages.error(request, _("Choose a technician, or accept the suggestions."))
        return _back_to_board(request)
    perform(request, lambda: work_orders_batch_assign(actor=request.user, assignments=plan),
            success=_("%(n)s calls dispatched.") % {"n": len(plan)})
    return _back_to_board(request)
