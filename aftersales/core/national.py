"""The national working calendar as every process reads it: ``national_calendar()``.

Built once per process from the ``HolidayYear``/``HolidayDay`` rows (a handful of queries, a few hundred rows)
and kept until an administrator changes them (``core.snapshot``). Years with no row are predicted from the statute
(``core.holidays.statutory``) on first use. Answering "is this day a working day, and is that official?" is then a
dictionary lookup — the holiday package, which validated its whole table on every call, is no longer consulted at
run time (it seeds the years it knows, by migration 0003).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from aftersales.core.holidays.festivals import DayKind
from aftersales.core.holidays.statutory import predicted_days
from aftersales.core.models import HolidayDay, HolidayYear
from aftersales.core.snapshot import ProcessSnapshot

SNAPSHOT_NAME = "national-calendar"


@dataclass(frozen=True)
class YearInfo:
    year: int
    status: str  # HolidayYear.Status
    source_kind: str
    source: str
    stored: bool  # False: predicted on the fly, nobody has touched the year

    @property
    def confirmed(self) -> bool:
        return self.status in (HolidayYear.Status.CONFIRMED, HolidayYear.Status.REOPENED)


@dataclass
class NationalCalendar:
    """Explicit days of stored years, the status of each stored year, and predictions made as years are asked for."""

    days: dict[dt.date, bool]  # date → is a working day, for days the calendar says something about
    years: dict[int, YearInfo]
    _predicted: dict[int, frozenset[dt.date]] = field(default_factory=dict)

    def day_status(self, day: dt.date) -> tuple[bool, bool]:
        """``(is_working, confirmed)``: a stored row wins; otherwise Monday–Friday, minus the predicted days off of a
        year nobody has stored. ``confirmed`` is whether the day's year has official data."""
        info = self.years.get(day.year)
        explicit = self.days.get(day)
        if explicit is not None:
            return explicit, info is not None and info.confirmed
        if info is None and day in self._predicted_for(day.year):
            return False, False
        return day.weekday() < 5, info is not None and info.confirmed

    def is_confirmed_year(self, year: int) -> bool:
        info = self.years.get(year)
        return info is not None and info.confirmed

    def year_info(self, year: int) -> YearInfo:
        return self.years.get(year) or YearInfo(year, HolidayYear.Status.PREDICTED, HolidayYear.SourceKind.PREDICTION, "", stored=False)

    def _predicted_for(self, year: int) -> frozenset[dt.date]:
        found = self._predicted.get(year)
        if found is None:
            found = self._predicted[year] = frozenset(d.date for d in predicted_days(year))
        return found


def _load() -> NationalCalendar:
    years = {
        row["year"]: YearInfo(row["year"], row["status"], row["source_kind"], row["source"], stored=True)
        for row in HolidayYear.objects.values("year", "status", "source_kind", "source")
    }
    days = {date: kind == DayKind.WORKDAY for date, kind in HolidayDay.objects.values_list("date", "kind")}
    return NationalCalendar(days=days, years=years)


_snapshot: ProcessSnapshot[NationalCalendar] = ProcessSnapshot(SNAPSHOT_NAME, _load)


def national_calendar() -> NationalCalendar:
    """This process's current national calendar (see the module docstring for how it stays current)."""
    return _snapshot.get()
