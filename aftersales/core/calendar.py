"""Business-time arithmetic: the ``WorkCalendar``.

A calendar knows, for every date, whether it is a working day and which working intervals it
has (several per day, e.g. 08:30–12:00 and 13:30–17:30). The answer comes, in this order, from

1. an administrator's override for that date (per service centre first, then global);
2. the national calendar (``core.national``): the days off and make-up working days (调休) of each year, as
   confirmed by an administrator from the State Council notice (or imported from the holiday package for the
   years it knows), or predicted from the statute for a year nobody has confirmed yet;
3. Monday to Friday.

A day of a year that is not confirmed is *unconfirmed*, and every deadline computed across such a day carries
``confirmed=False`` so the user sees that it may move once that year's notice is confirmed (confirming it
recomputes them: ``core.services.holidays``).

Each calendar keeps the aware working intervals of every day it has been asked about, so adding working time
is a few dictionary lookups and comparisons per day crossed (``bash scripts/bench calendar`` measures it).
All arithmetic is done in the calendar's local time zone (Asia/Shanghai by default) and returns
aware datetimes; callers store them in UTC as usual.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from aftersales.core.errors import DomainError
from aftersales.core.national import NationalCalendar, national_calendar

Interval = tuple[dt.time, dt.time]
# A calendar that has no working day in this many days is misconfigured, not slow.
MAX_SEARCH_DAYS = 400


def parse_intervals(text: str) -> list[Interval]:
    """Parse ``"08:30-12:00,13:30-17:30"`` into sorted, non-overlapping intervals.

    Raises ``DomainError`` with a translated message on malformed or overlapping input.
    """
    from django.utils.translation import gettext as _

    intervals: list[Interval] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            start_s, end_s = part.split("-")
            start = dt.time.fromisoformat(start_s.strip())
            end = dt.time.fromisoformat(end_s.strip())
        except ValueError as exc:
            raise DomainError(
                _("Working hours must look like 08:30-12:00,13:30-17:30; got “%(part)s”.") % {"part": part},
                code="bad_hours",
            ) from exc
        if end <= start:
            raise DomainError(_("A working interval must end after it starts: “%(part)s”.") % {"part": part}, code="bad_hours")
        intervals.append((start, end))
    intervals.sort()
    for (_s1, e1), (s2, _e2) in itertools.pairwise(intervals):
        if s2 < e1:
            raise DomainError(_("Working intervals overlap."), code="bad_hours")
    return intervals


def format_intervals(intervals: list[Interval]) -> str:
    return ",".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in intervals)


@dataclass(frozen=True)
class DayOverride:
    """An administrator's decision for one date: working or not, optionally with its own hours."""

    is_working: bool
    intervals: list[Interval] | None = None


@dataclass(frozen=True)
class Deadline:
    """A computed due time. ``confirmed`` is False when a day in the span had no official data."""

    at: dt.datetime
    confirmed: bool = True


ZERO = dt.timedelta(0)
ONE_DAY = dt.timedelta(days=1)
DayIntervals = tuple[tuple[tuple[dt.datetime, dt.datetime], ...], bool]


@dataclass
class WorkCalendar:
    """Working intervals per day with the national calendar (holidays, 调休) and overrides.

    ``intervals``: the normal working intervals of a working day (local time).
    ``overrides``: date → ``DayOverride``; these win over everything else.
    ``national``: the national calendar; this process's current one when not given.
    """

    intervals: list[Interval]
    overrides: Mapping[dt.date, DayOverride] = field(default_factory=dict)
    tz: dt.tzinfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    national: NationalCalendar | None = None
    _days: dict[dt.date, DayIntervals] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.national is None:
            self.national = national_calendar()

    # -- single days -------------------------------------------------------------------------
    def day_status(self, day: dt.date) -> tuple[bool, bool]:
        """Return ``(is_working, confirmed)`` for ``day``."""
        override = self.overrides.get(day)
        if override is not None:
            return override.is_working, True
        return self.national.day_status(day)

    def is_working_day(self, day: dt.date) -> bool:
        return self.day_status(day)[0]

    def is_known_year(self, year: int) -> bool:
        """Whether ``year`` has official (confirmed) national data, overrides aside."""
        return self.national.is_confirmed_year(year)

    def _day(self, day: dt.date) -> DayIntervals:
        found = self._days.get(day)
        if found is None:
            working, confirmed = self.day_status(day)
            if working:
                override = self.overrides.get(day)
                hours = override.intervals if override is not None and override.intervals else self.intervals
                spans = tuple((dt.datetime.combine(day, s, tzinfo=self.tz), dt.datetime.combine(day, e, tzinfo=self.tz)) for s, e in hours)
            else:
                spans = ()
            found = self._days[day] = (spans, confirmed)
        return found

    def working_intervals(self, day: dt.date) -> tuple[list[tuple[dt.datetime, dt.datetime]], bool]:
        """Aware working intervals of ``day`` (empty on a day off) and whether that is confirmed."""
        spans, confirmed = self._day(day)
        return list(spans), confirmed

    def _no_working_time(self) -> DomainError:
        from django.utils.translation import gettext as _

        return DomainError(
            _("The working calendar has no working time in the next %(days)s days; check its overrides.") % {"days": MAX_SEARCH_DAYS},
            code="calendar_empty",
        )

    # -- arithmetic --------------------------------------------------------------------------
    def add_working_time(self, start: dt.datetime, amount: dt.timedelta) -> Deadline:
        """Return the moment when ``amount`` of working time has passed after ``start``.

        ``start`` must be aware. A zero amount at a moment outside working time returns the
        next start of work, not ``start``: a clock that has not started has not run.
        Raises ``DomainError`` if ``amount`` is negative.
        """
        if amount < ZERO:
            raise DomainError("negative working time", code="negative")
        local = start.astimezone(self.tz)
        day = local.date()
        remaining, confirmed = amount, True
        days = self._days
        for _step in range(MAX_SEARCH_DAYS):
            spans, day_confirmed = days.get(day) or self._day(day)
            # Every day the clock runs across (or skips) counts towards confirmation.
            if not day_confirmed:
                confirmed = False
            for begin, end in spans:
                if end <= local:
                    continue
                if begin < local:
                    begin = local
                available = end - begin
                if remaining <= available:
                    return Deadline(at=begin + remaining, confirmed=confirmed)
                remaining -= available
            day += ONE_DAY
        raise self._no_working_time()

    def add_working_hours(self, start: dt.datetime, hours: float | int) -> Deadline:
        return self.add_working_time(start, dt.timedelta(hours=hours))

    def add_working_days(self, start: dt.datetime, days: int) -> Deadline:
        """The close of business of the ``days``-th working day after ``start``'s local date.

        "Returned within 3 working days" (DISP-06): an item taken in on Monday (any hour) is due
        at the close of Thursday; the day of intake itself does not count, because an item
        brought in at 17:00 has had no working time that day. ``days`` must be at least 1.
        """
        if days < 1:
            raise DomainError("working days must be at least 1", code="negative")
        day = start.astimezone(self.tz).date()
        counted, confirmed = 0, True
        for _step in range(MAX_SEARCH_DAYS):
            day += ONE_DAY
            spans, day_confirmed = self._day(day)
            confirmed = confirmed and day_confirmed
            if spans:
                counted += 1
                if counted == days:
                    return Deadline(at=spans[-1][1], confirmed=confirmed)
        raise self._no_working_time()

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        for _step in range(MAX_SEARCH_DAYS):
            if self._day(day)[0]:
                return day
            day += ONE_DAY
        raise self._no_working_time()

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time in ``[start, end)``; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_time_between(end, start)
        local_start, local_end = start.astimezone(self.tz), end.astimezone(self.tz)
        total = ZERO
        day, last = local_start.date(), local_end.date()
        while day <= last:
            for begin, finish in self._day(day)[0]:
                lo = begin if begin > local_start else local_start
                hi = finish if finish < local_end else local_end
                if hi > lo:
                    total += hi - lo
            day += ONE_DAY
        return total

    def close_of_business(self, day: dt.date) -> dt.datetime | None:
        """End of the last working interval of ``day``, or None on a day off."""
        spans = self._day(day)[0]
        return spans[-1][1] if spans else None

    def end_of_working_day(self, moment: dt.datetime) -> dt.datetime | None:
        """End of the last working interval on ``moment``'s local date, or None on a day off."""
        spans = self._day(moment.astimezone(self.tz).date())[0]
        return spans[-1][1] if spans else None
