"""Benchmark: deadline computations per second on the working calendar, next to two baselines.

- ``WorkCalendar.add_working_hours(start, 6)`` — the arrival deadline of every call — on a centre's calendar
  built the way the product builds it (national calendar + the centre's overrides), from random moments over
  2025–2028 (confirmed and predicted years);
- baseline 1, the floor: ``start + timedelta(hours=6)`` (wall-clock arithmetic, no calendar at all);
- baseline 2, what the product did before the calendar became data: the same walk asking the holiday package
  (``chinese_calendar.is_workday``) about every day it crosses, Monday–Friday for years it does not know.

Also: building a centre's calendar (one query of overrides, the national calendar already loaded), and loading
the national calendar into a process. Figures, not assertions: the machine is shared; the ratios are what to read.
Target: at least 100,000 "add 6 working hours" per second in one process.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

import chinese_calendar
from django.core.management.base import BaseCommand
from django.db import transaction

from aftersales.accounts.models import ServiceCenter, calendars_for
from aftersales.core.calendar import WorkCalendar, parse_intervals
from aftersales.core.national import national_calendar
from aftersales.core.snapshot import forget_all

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOURS = parse_intervals("08:30-12:00,13:30-17:30")


def _moments(count: int) -> list[dt.datetime]:
    rng = random.Random(20261202)  # noqa: S311  (benchmark moments, not secrets)
    base = dt.datetime(2025, 1, 1, tzinfo=SHANGHAI)
    return [base + dt.timedelta(minutes=rng.randrange(0, 4 * 365 * 24 * 60)) for _ in range(count)]


def _package_add(start: dt.datetime, hours: float) -> dt.datetime:
    """The former implementation's walk: the package asked per day crossed, Monday–Friday where it has no data."""
    local, remaining = start.astimezone(SHANGHAI), dt.timedelta(hours=hours)
    day = local.date()
    while True:
        try:
            working = chinese_calendar.is_workday(day)
        except NotImplementedError:
            working = day.weekday() < 5
        if working:
            for s, e in HOURS:
                begin, end = dt.datetime.combine(day, s, tzinfo=SHANGHAI), dt.datetime.combine(day, e, tzinfo=SHANGHAI)
                if end <= local:
                    continue
                begin = max(begin, local)
                if remaining <= end - begin:
                    return begin + remaining
                remaining -= end - begin
        day += dt.timedelta(days=1)


def _rate(function, moments: list[dt.datetime]) -> float:
    started = time.perf_counter()
    for moment in moments:
        function(moment)
    return len(moments) / (time.perf_counter() - started)


class Command(BaseCommand):
    help = "Deadline computations per second on the working calendar, next to wall-clock arithmetic and the holiday package."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=200_000, help="deadlines computed per measurement (default 200,000)")

    def handle(self, *args, count: int, **options) -> None:
        forget_all()
        started = time.perf_counter()
        national_calendar()
        load_ms = (time.perf_counter() - started) * 1000
        with transaction.atomic():  # a centre of its own, rolled back: the benchmark writes nothing
            center = ServiceCenter.objects.create(code="bench-calendar", name="bench", region="bench", working_hours="08:30-12:00,13:30-17:30")
            started = time.perf_counter()
            for _ in range(200):
                calendars_for([center])
            build_ms = (time.perf_counter() - started) * 1000 / 200
            calendar = calendars_for([center])[center.pk]
            transaction.set_rollback(True)
        moments = _moments(count)
        six = dt.timedelta(hours=6)
        ours = _rate(lambda m: calendar.add_working_time(m, six), moments)
        fresh = _rate(lambda m: WorkCalendar(intervals=HOURS, national=calendar.national).add_working_time(m, six), moments[: count // 10])
        wall = _rate(lambda m: m + six, moments)
        package = _rate(lambda m: _package_add(m, 6), moments[: count // 10])
        rows = [
            ("WorkCalendar.add_working_hours(·, 6), a centre's calendar", ours, "product"),
            ("the same on a new WorkCalendar each time (no per-day cache)", fresh, "product"),
            ("baseline: wall clock start + 6 h", wall, "baseline"),
            ("baseline: the holiday package asked per day (before)", package, "baseline"),
        ]
        self.stdout.write(f"deadlines computed: {count:,} random moments 2025–2028 (confirmed and predicted years)")
        self.stdout.write(f"{'computation':<62}{'per second':>14}{'× wall clock':>14}{'× package':>12}")
        for label, rate, _kind in rows:
            self.stdout.write(f"{label:<62}{rate:>14,.0f}{rate / wall:>14.3f}{rate / package:>12.1f}")
        self.stdout.write(f"national calendar loaded into a process: {load_ms:.1f} ms; a centre's calendar built: {build_ms:.2f} ms")
        verdict = "meets" if ours >= 100_000 else "misses"
        self.stdout.write(f"target ≥ 100,000 per second: {verdict} ({ours:,.0f})")
