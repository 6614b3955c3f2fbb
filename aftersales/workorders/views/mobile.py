"""The technician's phone (REP-01, REP-05): today's jobs in order and one job with its steps."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aftersales.workorders import selectors
from aftersales.workorders.navigation import job_map_links
from aftersales.workorders.views.orders import action_context


@login_required
def my_jobs(request):
    jobs = selectors.attach_calendars(selectors.my_jobs(user=request.user))
    now = timezone.now()
    for wo in jobs:
        wo.overdue = wo.request.arrived_at is None and now >= wo.request.arrival_due_at
        links = job_map_links(wo)
        wo.navigate = links[0] if links else None
    return render(request, "workorders/mobile/jobs.html", {"jobs": jobs, "now": now})


def job_context(request, wo) -> dict:
    context = action_context(request, wo)
    context.update(history=list(selectors.equipment_history(wo)), map_links=job_map_links(wo),
                   last_visit=context["visits"][-1] if context["visits"] else None)
    return context


@login_required
def job(request, pk: int):
    wo = selectors.get_work_order_for_user(request.user, pk)
    return render(request, "workorders/mobile/job.html", job_context(request, wo))


def bill_preview_context(wo, labour_minutes: int = 0) -> dict:
    """The rows, total and payments the customer reads before signing (see ``billing.services.bill_preview``)."""
    from aftersales.billing.models import Coverage
    from aftersales.billing.services import bill_preview
    from aftersales.core.money import ZERO

    rows = bill_preview(wo, labour_minutes=labour_minutes)
    for row in rows:
        row["coverage_label"] = Coverage(row["coverage"]).label
    return {"rows": rows, "total": sum((r["amounts"].total for r in rows), ZERO), "paid": sum((p.amount for p in wo.payments.all()), ZERO)}


@login_required
@require_GET
def bill_fragment(request, pk: int):
    """The bill preview for ``?labour_minutes=``, refreshed on the phone while the technician types."""
    wo = selectors.get_work_order_for_user(request.user, pk)
    if not request.user.has_perm("workorders.work", wo):
        raise PermissionDenied(_("Only the job's technician or the supervisor prices it."))
    raw = request.GET.get("labour_minutes") or "0"
    if not raw.isdigit() or int(raw) > 24 * 60:
        return HttpResponseBadRequest(_("Labour (minutes): enter a whole number of minutes, at most a day."))
    preview = bill_preview_context(wo, int(raw))
    return render(request, "workorders/actions/_bill_rows.html", preview)
