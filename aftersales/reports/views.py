"""Report pages: the live dashboard, the monthly after-sales summary, the quarterly summary, export jobs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from aftersales.reports.dashboard import dashboard as build_dashboard


@login_required
def dashboard(request):
    """RPT-01: what needs attention now; every number links to the filtered list behind it."""
    d = build_dashboard(user=request.user)
    load_chart = {"tooltip": {"trigger": "axis"}, "grid": {"left": 80, "right": 10, "top": 10, "bottom": 20},
                  "xAxis": {"type": "value"}, "yAxis": {"type": "category", "data": [name for name, _n in reversed(d.load)]},
                  "series": [{"type": "bar", "name": _("Open jobs"), "data": [n for _name, n in reversed(d.load)]}]}
    center_chart = {"tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 40, "right": 10, "top": 30, "bottom": 40},
                    "xAxis": {"type": "category", "data": [c for c, _n, _l in d.by_center]}, "yAxis": {"type": "value"},
                    "series": [{"type": "bar", "name": _("Open calls"), "data": [n for _c, n, _l in d.by_center]},
                               {"type": "bar", "name": _("Arrival breached"), "data": [late for _c, _n, late in d.by_center]}]}
    return render(request, "reports/dashboard.html", {"d": d, "load_chart": load_chart, "center_chart": center_chart})
