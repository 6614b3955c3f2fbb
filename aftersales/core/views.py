"""Home page: today's open calls and SLA breaches for the user's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from aftersales.accounts.scoping import is_field_only
from aftersales.servicedesk.selectors import open_queue, request_list, with_sla_state

HOME_ROWS = 30


@login_required
def home(request):
    """Today's open calls and breaches; a technician goes straight to his jobs on the phone page."""
    if is_field_only(request.user):
        return redirect("mobile:jobs")
    now = timezone.now()
    today = timezone.localdate()
    queue = with_sla_state(list(open_queue(user=request.user)[:HOME_ROWS]), now)
    overdue = with_sla_state(list(request_list(user=request.user, overdue=True, now=now)[:HOME_ROWS]), now)
    today_count = request_list(user=request.user, date_from=today, date_to=today).count()
    return render(request, "home.html", {"queue": queue, "overdue": overdue, "today_count": today_count})
