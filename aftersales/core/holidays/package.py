"""The holiday package (chinesecalendar): the official days of the years it knows, in our shape.

Used once to seed those years as confirmed calendar years (migration ``core/0003``, and browser tests whose
flushed database lost them) and by the tests as the oracle of the notice parser. The running calendar never asks
the package (``core.national``).
"""

from __future__ import annotations

import datetime as dt
from importlib.metadata import version

from chinese_calendar import constants

from aftersales.core.holidays.festivals import PACKAGE_NAMES, DayBasis, DayKind, Festival
from aftersales.core.holidays.notice import NoticeDay
from aftersales.core.holidays.statutory import basis_of


def package_days(year: int) -> list[NoticeDay]:
    """The holiday package's data for ``year`` in the same shape (the migration's import and the tests' oracle)."""
    def holiday_basis(day: dt.date) -> str:
        # The package flags the weekdays swapped against make-up days (调休) itself; the rest follows the statute.
        return DayBasis.IN_LIEU if day in constants.in_lieu_days else basis_of(day, DayKind.HOLIDAY, year)

    days = [NoticeDay(d, DayKind.HOLIDAY, PACKAGE_NAMES.get(name, Festival.OTHER), holiday_basis(d), 0)
            for d, name in constants.holidays.items() if d.year == year]
    days += [NoticeDay(d, DayKind.WORKDAY, PACKAGE_NAMES.get(name, Festival.OTHER), basis_of(d, DayKind.WORKDAY, year), 0)
             for d, name in constants.workdays.items() if d.year == year]
    return sorted(days, key=lambda d: d.date)


def package_years() -> range:
    """The years the holiday package has data for."""
    return range(min(constants.holidays).year, max(constants.holidays).year + 1)


def import_package_years(year_model, day_model) -> int:
    """Store every year the package knows that has no row yet, as confirmed with the package as its source.
    ``year_model``/``day_model``: ``HolidayYear``/``HolidayDay`` (or their historical versions in a migration)."""
    source, stored = f"chinesecalendar {version('chinesecalendar')}", 0
    for year in package_years():
        if year_model.objects.filter(year=year).exists():
            continue
        record = year_model.objects.create(year=year, status="confirmed", source_kind="package", source=source)
        day_model.objects.bulk_create([day_model(holiday_year=record, date=d.date, kind=d.kind, festival=d.festival, basis=d.basis)
                                       for d in package_days(year)])
        stored += 1
    return stored
