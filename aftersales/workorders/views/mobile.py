"""The technician's phone (REP-01, REP-05): today's jobs in order and one job with its steps."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from aftersales.workorders import selectors
from aftersales.workorders.views.orders import action_context


@login_required
def my_jobs(request):
    jobs = selectors.attach_calendars(selectors.my_jobs(user=request.user))
    now = timezone.now()
    for wo in jobs:
        wo.overdue = wo.request.arrived_at is None and now >= wo.request.arrival_due_at
    return render(request, "workorders/mobile/jobs.html", {"jobs": jobs, "now": now})


@login_required
def job(request, pk: int):
    wo = selectors.get_work_order_for_user(request.user, pk)
    context = action_context(request, wo)
    context.update(history=list(selectors.equipment_history(wo)))
    return render(request, "workorders/mobile/job.html", context)
