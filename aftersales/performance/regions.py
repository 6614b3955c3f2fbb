"""KPI-11: regional points and ranking — each closed call earns its job type's points for its centre's region."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from aftersales.accounts.scoping import scope_by_center
from aftersales.performance.models import JobTypePoints


@dataclass
class RegionRow:
    region: str
    by_type: dict[str, int] = field(default_factory=dict)
    total: int = 0
    year_to_date: int = 0
    rank: int = 0


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (timezone.make_aware(dt.datetime.combine(first, dt.time.min)), timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min)))


def _points(user, first: dt.date, last: dt.date, weights: dict[str, int]) -> dict[str, dict[str, int]]:
    from aftersales.servicedesk.models import ServiceRequest, Status

    start, end = _bounds(first, last)
    rows = (scope_by_center(ServiceRequest.objects.filter(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end), user)
            .values("service_center__region", "job_type").annotate(n=Count("id")).order_by())
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        result[row["service_center__region"]][row["job_type"]] = row["n"] * weights.get(row["job_type"], 0)
    return result


def regional_ranking(*, user, month: dt.date) -> list[RegionRow]:
    """Points by region and job type for ``month``, the year to date, and the month's rank (two grouped queries)."""
    weights = dict(JobTypePoints.objects.values_list("job_type", "points"))
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    month_points = _points(user, first, last, weights)
    ytd = _points(user, first.replace(month=1), last, weights)
    rows = [RegionRow(region=region, by_type=month_points.get(region, {}), total=sum(month_points.get(region, {}).values()),
                      year_to_date=sum(ytd[region].values())) for region in set(month_points) | set(ytd)]
    rows.sort(key=lambda r: (-r.total, -r.year_to_date, r.region))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return rows
