"""Reads for the settings pages: one year of the working calendar, and the rules by area."""

from __future__ import annotations

import calendar as monthly
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from aftersales.accounts.models import CalendarOverride
from aftersales.configuration.models import RuleValue
from aftersales.configuration.registry import RuleSpec, all_specs
from aftersales.core.holidays.festivals import SHORT_NAMES, DayKind
from aftersales.core.holidays.services import current_days
from aftersales.core.models import HolidayYear, HolidayYearChange
from aftersales.core.national import YearInfo, national_calendar


@dataclass(frozen=True)
class Cell:
    day: dt.date | None
    kind: str = ""  # "off" (weekend or holiday), "holiday", "makeup", "" (an ordinary working day)
    label: str = ""  # the festival's short name on its days
    today: bool = False


@dataclass
class YearView:
    year: int
    info: YearInfo
    record: HolidayYear | None
    days: list  # NoticeDay rows, in date order
    months: list[tuple[int, list[list[Cell]]]]
    changes: list[HolidayYearChange]
    overrides: list[CalendarOverride]
    holidays_count: int = 0
    workdays_count: int = 0
    weekdays_off: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def calendar_year(year: int) -> YearView:
    """Everything the calendar page shows for ``year``: its status and source, every day off and make-up working day
    in a month grid, its change log, and the centres' own overrides of its dates. A fixed handful of queries."""
    days = current_days(year)
    by_date = {d.date: d for d in days}
    today = timezone.localdate()
    months = []
    for month in range(1, 13):
        weeks = []
        for week in monthly.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row = []
            for day in week:
                if day.month != month:
                    row.append(Cell(None))
                    continue
                entry = by_date.get(day)
                if entry is not None and entry.kind == DayKind.HOLIDAY:
                    row.append(Cell(day, "holiday", SHORT_NAMES.get(entry.festival, ""), day == today))
                elif entry is not None:
                    row.append(Cell(day, "makeup", SHORT_NAMES.get(entry.festival, ""), day == today))
                else:
                    row.append(Cell(day, "off" if day.weekday() >= 5 else "", "", day == today))
            weeks.append(row)
        months.append((month, weeks))
    record = HolidayYear.objects.filter(year=year).select_related("confirmed_by").first()
    changes = list(HolidayYearChange.objects.filter(holiday_year__year=year).select_related("actor")[:50])
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    overrides = list(CalendarOverride.objects.filter(date__gte=start, date__lte=end).select_related("service_center").order_by("date", "service_center_id"))
    holidays = [d for d in days if d.kind == DayKind.HOLIDAY]
    return YearView(
        year=year, info=national_calendar().year_info(year), record=record, days=days, months=months, changes=changes, overrides=overrides,
        holidays_count=len(holidays), workdays_count=len(days) - len(holidays), weekdays_off=sum(1 for d in holidays if d.date.weekday() < 5),
    )


def years_around(year: int) -> list[tuple[int, YearInfo]]:
    """The years the page offers as tabs: from last year to two years ahead of ``year``'s neighbourhood."""
    calendar = national_calendar()
    this = timezone.localdate().year
    years = sorted({this - 1, this, this + 1, this + 2, year})
    return [(y, calendar.year_info(y)) for y in years]


@dataclass
class RuleRow:
    spec: RuleSpec
    value: Any
    stored: RuleValue | None
    centre_values: list[RuleValue]

    @property
    def is_default(self) -> bool:
        return self.stored is None


def rules_by_area(*, q: str = "") -> list[tuple[str, list[RuleRow]]]:
    """Every declared rule with its value in force, its default and its last change, grouped by area; ``q`` filters
    by key, name, description or catalogue ID (case-insensitive). Two queries."""
    rows = list(RuleValue.objects.select_related("changed_by", "service_center"))
    company = {r.key: r for r in rows if r.service_center_id is None}
    centres: dict[str, list[RuleValue]] = {}
    for r in rows:
        if r.service_center_id is not None:
            centres.setdefault(r.key, []).append(r)
    needle = (q or "").strip().lower()
    grouped: dict[str, list[RuleRow]] = {}
    for spec in all_specs():
        text = " ".join(str(x) for x in (spec.key, spec.label, spec.description, spec.catalogue)).lower()
        if needle and needle not in text:
            continue
        stored = company.get(spec.key)
        value = spec.clean(stored.value) if stored is not None else spec.default
        grouped.setdefault(str(spec.area), []).append(RuleRow(spec, value, stored, centres.get(spec.key, [])))
    return sorted(grouped.items())


def rule_history(key: str) -> list:
    """Every change of rule ``key`` (company and centres), newest first, with who, when, the value and the reason."""
    return list(RuleValue.history.filter(Q(key=key)).select_related("history_user").order_by("-history_date", "-history_id")[:100])
