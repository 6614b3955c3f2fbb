"""Business-time arithmetic: the ``WorkCalendar``.

A calendar knows, for every date, whether it is a working day and which working intervals it
has (several per day, e.g. 08:30–12:00 and 13:30–17:30). The answer comes, in this order, from

1. an administrator's override for that date (per service centre first, then global);
2. the Chinese statutory calendar (``chinese-calendar``: holidays and 调休 make-up days);
3. for a year the library has no data for, Monday–Friday. Such an answer is *unconfirmed*,
   and every deadline computed across such a day carries ``confirmed=False`` so the user sees
   that it may move once the State Council publishes that year's holidays.

All arithmetic is done in the calendar's local time zone (Asia/Shanghai by default) and returns
aware datetimes; callers store them in UTC as usual.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import chinese_calendar

from aftersales.core.errors import DomainError

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


@dataclass
class WorkCalendar:
    """Working intervals per day with Chinese holidays, 调休 and overrides.

    ``intervals``: the normal working intervals of a working day (local time).
    ``overrides``: date → ``DayOverride``; these win over everything else.
    """

    intervals: list[Interval]
    overrides: Mapping[dt.date, DayOverride] = field(default_factory=dict)
    tz: dt.tzinfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))

    # -- single days -------------------------------------------------------------------------
    def day_status(self, day: dt.date) -> tuple[bool, bool]:
        """Return ``(is_working, confirmed)`` for ``day``."""
        override = self.overrides.get(day)
        if override is not None:
            return override.is_working, True
        try:
            return chinese_calendar.is_workday(day), True
        except NotImplementedError:
            return day.weekday() < 5, False

    def is_working_day(self, day: dt.date) -> bool:
        return self.day_status(day)[0]

    def is_known_year(self, year: int) -> bool:
        """Whether the statutory calendar has data for ``year`` (overrides aside)."""
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def working_intervals(self, day: dt.date) -> tuple[list[tuple[dt.datetime, dt.datetime]], bool]:
        """Aware working intervals of ``day`` (empty on a day off) and whether that is confirmed."""
        working, confirmed = self.day_status(day)
        if not working:
            return [], confirmed
        override = self.overrides.get(day)
        intervals = override.intervals if override is not None and override.intervals else self.intervals
        return [
            (dt.datetime.combine(day, s, tzinfo=self.tz), dt.datetime.combine(day, e, tzinfo=self.tz))
            for s, e in intervals
        ], confirmed

    def _days_from(self, start: dt.date) -> Iterator[dt.date]:
        for offset in range(MAX_SEARCH_DAYS):
            yield start + dt.timedelta(days=offset)
        from django.utils.translation import gettext as _

        raise DomainError(
            _("The working calendar has no working time in the next %(days)s days; check its overrides.")
            % {"days": MAX_SEARCH_DAYS},
            code="calendar_empty",
        )

    # -- arithmetic --------------------------------------------------------------------------
    def add_working_time(self, start: dt.datetime, amount: dt.timedelta) -> Deadline:
        """Return the moment when ``amount`` of working time has passed after ``start``.

        ``start`` must be aware. A zero amount at a moment outside working time returns the
        next start of work, not ``start``: a clock that has not started has not run.
        Raises ``DomainError`` if ``amount`` is negative.
        """
        if amount < dt.timedelta(0):
            raise DomainError("negative working time", code="negative")
        local = start.astimezone(self.tz)
        remaining = amount
        confirmed = True
        for day in self._days_from(local.date()):
            intervals, day_confirmed = self.working_intervals(day)
            # Every day the clock runs across (or skips) counts towards confirmation.
            confirmed = confirmed and day_confirmed
            for begin, end in intervals:
                if end <= local:
                    continue
                begin = max(begin, local)
                available = end - begin
                if remaining <= available:
                    return Deadline(at=begin + remaining, confirmed=confirmed)
                remaining -= available
        raise AssertionError("unreachable")  # _days_from raises first

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
        local = start.astimezone(self.tz)
        counted, confirmed = 0, True
        for day in self._days_from(local.date() + dt.timedelta(days=1)):
            intervals, day_confirmed = self.working_intervals(day)
            confirmed = confirmed and day_confirmed
            if intervals:
                counted += 1
                if counted == days:
                    return Deadline(at=intervals[-1][1], confirmed=confirmed)
        raise AssertionError("unreachable")  # _days_from raises first

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time in ``[start, end)``; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_time_between(end, start)
        local_start, local_end = start.astimezone(self.tz), end.astimezone(self.tz)
        total = dt.timedelta(0)
        day = local_start.date()
        while day <= local_end.date():
            intervals, _confirmed = self.working_intervals(day)
            for begin, finish in intervals:
                lo, hi = max(begin, local_start), min(finish, local_end)
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total

    def end_of_working_day(self, moment: dt.datetime) -> dt.datetime | None:
        """End of the last working interval on ``moment``'s local date, or None on a day off."""
        intervals, _ = self.working_intervals(moment.astimezone(self.tz).date())
        return intervals[-1][1] if intervals else None
