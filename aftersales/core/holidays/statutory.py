"""What the national regulation fixes for any year, and the prediction of years without a notice.

全国年节及纪念日放假办法 as revised by the State Council in November 2024 (in force from 2025), article 2:
New Year's Day 1 day (1 January); Spring Festival 4 days (lunar New Year's Eve and the 1st to 3rd of the first
lunar month); Qingming 1 day (the day of the Qingming solar term); Labour Day 2 days (1–2 May); Dragon Boat
Festival 1 day (5th of the 5th lunar month); Mid-Autumn Festival 1 day (15th of the 8th lunar month); National
Day 3 days (1–3 October). Article 3: a statutory day that falls on a Saturday or Sunday is made up on a working
day (补假) — we take the first weekday after the festival's run of days off, as every notice since 2008 has.

Lunar dates and the solar term come from ``lunar_python`` (6tail's lunar library: pure Python, maintained,
astronomical solar terms valid far beyond any planning horizon; see the README for why it was chosen).

The annual notice then bridges weekends and swaps weekdays against make-up working Saturdays or Sundays
(调休). Those cannot be predicted, so a predicted year is always *unconfirmed*.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from lunar_python import Lunar

from aftersales.core.holidays.festivals import DayBasis, DayKind, Festival

# The 2024 revision applies from 2025; earlier years have their official data (the package import).
STATUTE_FROM_YEAR = 2025
# lunar_python's tables end in 2100; nobody plans service visits that far.
LAST_PREDICTABLE_YEAR = 2099


@dataclass(frozen=True)
class CalendarDay:
    """One day the national calendar says something about: a day off, or a make-up working day."""

    date: dt.date
    kind: str  # DayKind
    festival: str  # Festival
    basis: str  # DayBasis

    @property
    def is_working(self) -> bool:
        return self.kind == DayKind.WORKDAY


def _lunar_to_solar(year: int, month: int, day: int) -> dt.date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def lunar_new_year(year: int) -> dt.date:
    """The first day of the first lunar month that falls in Gregorian ``year``."""
    return _lunar_to_solar(year, 1, 1)


def lunar_date(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of lunar ``month``/``day`` of the lunar year that starts in Gregorian ``year``."""
    return _lunar_to_solar(year, month, day)


def qingming(year: int) -> dt.date:
    """The day of the Qingming solar term (清明) in ``year``, Beijing time."""
    solar = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    day = dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
    if day.year != year:  # the table spans a lunar year; take the term of this Gregorian year
        solar = Lunar.fromYmd(year + (1 if day.year < year else -1), 3, 1).getJieQiTable()["清明"]
        day = dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
    return day


def _festival_dates(year: int) -> list[tuple[dt.date, str]]:
    """Every statutory day of ``year`` festival by festival (a date shared by two festivals appears twice)."""
    new_year = lunar_new_year(year)
    days = [(new_year + dt.timedelta(days=offset), Festival.SPRING_FESTIVAL) for offset in (-1, 0, 1, 2)]
    days += [(qingming(year), Festival.QINGMING), (_lunar_to_solar(year, 5, 5), Festival.DRAGON_BOAT),
             (_lunar_to_solar(year, 8, 15), Festival.MID_AUTUMN), (dt.date(year, 1, 1), Festival.NEW_YEAR)]
    days += [(dt.date(year, 5, 1), Festival.LABOUR_DAY), (dt.date(year, 5, 2), Festival.LABOUR_DAY)]
    days += [(dt.date(year, 10, day), Festival.NATIONAL_DAY) for day in (1, 2, 3)]
    return days


@lru_cache(maxsize=256)
def statutory_days(year: int) -> tuple[tuple[dt.date, str], ...]:
    """The statutory days off of ``year`` under the 2024 regulation, as (date, festival), in date order.

    When a lunar festival falls on a fixed one (Mid-Autumn on 1–3 October, as in 2028) the date is listed once, under
    the fixed festival's name (the notices and the package then speak of National Day); the day it loses is owed
    back like a statutory day on a weekend (``compensatory_days``), as the 2020 notice did.
    """
    days: dict[dt.date, str] = {}
    for day, festival in _festival_dates(year):  # the fixed festivals come last and keep the shared date
        days[day] = festival
    return tuple(sorted(days.items()))


def shared_days(year: int) -> list[tuple[dt.date, str]]:
    """Dates on which two festivals fall together, with the festival whose day is lost (the lunar one)."""
    seen: dict[dt.date, str] = {}
    shared = []
    for day, festival in _festival_dates(year):
        if day in seen:
            shared.append((day, seen[day]))
        seen[day] = festival
    return shared


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def compensatory_days(year: int) -> dict[dt.date, str]:
    """The weekdays owed (补假): one for each statutory day on a weekend and one for each day two festivals share —
    the first weekdays after the festival's run of days off (statutory days and weekends) that are not themselves
    statutory. Every year thus has exactly as many weekdays off as the statute has days (13)."""
    statutory = dict(statutory_days(year))
    reasons = [(day, festival) for day, festival in statutory.items() if _is_weekend(day)] + shared_days(year)
    owed: dict[dt.date, str] = {}
    for day, festival in sorted(reasons):
        candidate = day + dt.timedelta(days=1)
        while _is_weekend(candidate) or candidate in statutory or candidate in owed:
            candidate += dt.timedelta(days=1)
        owed[candidate] = festival
    return owed


@lru_cache(maxsize=256)
def predicted_days(year: int) -> tuple[CalendarDay, ...]:
    """The days off a year without a notice will at least have: statutory days and compensatory weekdays.

    Weekends inside a festival are not listed (they are days off anyway); make-up working days are unknown.
    Before 2025 (another regulation) and after ``LAST_PREDICTABLE_YEAR`` nothing is predicted.
    """
    if year < STATUTE_FROM_YEAR or year > LAST_PREDICTABLE_YEAR:
        return ()
    days = [CalendarDay(day, DayKind.HOLIDAY, festival, DayBasis.STATUTORY) for day, festival in statutory_days(year)]
    days += [CalendarDay(day, DayKind.HOLIDAY, festival, DayBasis.COMPENSATORY) for day, festival in compensatory_days(year).items()]
    return tuple(sorted(days, key=lambda d: d.date))


def basis_of(day: dt.date, kind: str, year: int) -> str:
    """Why ``day`` (a day off or make-up day of ``year``'s notice) is what it is, for display and for the package's
    调休 flag: the statute's day, the 补假 owed, a weekend, or a weekday swapped (调休)."""
    if kind == DayKind.WORKDAY:
        return DayBasis.MAKE_UP
    if year < STATUTE_FROM_YEAR or year > LAST_PREDICTABLE_YEAR:
        # Another regulation (or none we model): a weekday off counts as the statute's unless marked 调休 by the caller.
        return DayBasis.WEEKEND if _is_weekend(day) else DayBasis.STATUTORY
    if day in dict(statutory_days(year)):
        return DayBasis.STATUTORY
    if _is_weekend(day):
        return DayBasis.WEEKEND
    if day in compensatory_days(year):
        return DayBasis.COMPENSATORY
    return DayBasis.IN_LIEU


def festival_on(day: dt.date) -> str | None:
    """The festival whose statutory day ``day`` is, if any (used to name the days of a combined notice line)."""
    return dict(statutory_days(day.year)).get(day) if STATUTE_FROM_YEAR <= day.year <= LAST_PREDICTABLE_YEAR else None


def lunar_label(day: dt.date) -> str:
    """The lunar date as the notices write it: 除夕, 腊月二十八, 正月初七, 八月十五 (廿/卅 spelled out)."""
    from lunar_python import Solar

    following = day + dt.timedelta(days=1)
    after = Solar.fromYmd(following.year, following.month, following.day).getLunar()
    if after.getMonth() == 1 and after.getDay() == 1:
        return "除夕"
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    return normalise_lunar(f"{lunar.getMonthInChinese()}月{lunar.getDayInChinese()}")


def normalise_lunar(text: str) -> str:
    """廿八 → 二十八, 卅 → 三十, without 农历: the notices and the library spell the same dates differently."""
    text = text.removeprefix("农历").replace("廿", "二十").replace("卅", "三十")
    for plain, named in (("十二月", "腊月"), ("十一月", "冬月"), ("一月", "正月")):
        if text.startswith(plain):
            return named + text[len(plain):]
    return text
