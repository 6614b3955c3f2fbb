"""The hook through which a change of the working calendar reaches every record planned on it.

``core`` is the ground floor and knows nothing of calls, repairs or contracts. Each app that stores a deadline or
a planned date computed on the working calendar subscribes here (in its ``AppConfig.ready``) with a function that
recomputes its open records across ``change.start … change.end`` — from the inputs it stored, idempotently, writing
only what moved, with a timeline entry on each record that moved. ``calendar_changed`` calls them in ``order``
(contracts move their visits before care re-dates the reminders about them) inside the transaction that changed
the calendar, so the calendar and the records it governs change together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Moved:
    """One record whose deadline or planned date moved (shown to the administrator after the change)."""

    kind: str  # translated label of what moved ("Arrival deadline", "Planned maintenance visit" …)
    record: str  # its number or name
    url: str
    before: str
    after: str


@dataclass
class CalendarChange:
    """What changed (the days ``start``..``end`` of the national calendar, or one centre's), why, and by whom."""

    start: dt.date
    end: dt.date
    reason: str  # for the timelines: "2027 年节假日安排已确认（国办发明电〔2026〕N号）"
    actor: Any = None
    now: dt.datetime | None = None
    service_center_id: int | None = None  # a centre's own override; None: the national calendar
    moved: list[Moved] = field(default_factory=list)
    # Facts one subscriber leaves for a later one (e.g. the maintenance visits contracts moved, for care's reminders).
    shared: dict[str, Any] = field(default_factory=dict)
    _calendars: dict[int, Any] = field(default_factory=dict, repr=False)

    def calendar_of(self, center) -> Any:
        """``center``'s working calendar, built once for the whole change however many of its records move
        (a centre's calendar costs a query of its overrides)."""
        found = self._calendars.get(center.pk)
        if found is None:
            found = self._calendars[center.pk] = center.calendar
        return found

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The changed days as aware moments: the start of ``start`` and the start of the day after ``end``."""
        from django.utils import timezone

        return (timezone.make_aware(dt.datetime.combine(self.start, dt.time.min)),
                timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)))

    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for item in self.moved:
            result[item.kind] = result.get(item.kind, 0) + 1
        return result


def local_minute(moment: dt.datetime | None) -> str:
    """``2027-02-15 14:30`` in local time: how the timelines and the change log write a moved deadline."""
    from django.utils import timezone

    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "-"


Subscriber = Callable[[CalendarChange], None]
_subscribers: list[tuple[int, str, Subscriber]] = []


def subscribe(order: int, name: str, function: Subscriber) -> None:
    """Register ``function`` to run on every calendar change, in ascending ``order`` (idempotent by ``name``)."""
    _subscribers[:] = [s for s in _subscribers if s[1] != name]
    _subscribers.append((order, name, function))
    _subscribers.sort(key=lambda s: (s[0], s[1]))


def calendar_changed(change: CalendarChange) -> CalendarChange:
    """Let every subscriber recompute its records for ``change``; call inside the changing transaction."""
    for _order, _name, function in list(_subscribers):
        function(change)
    return change


def subscriber_names() -> list[str]:
    return [name for _order, name, _function in _subscribers]
