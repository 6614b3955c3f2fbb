"""Read the annual notice 《国务院办公厅关于20XX年部分节假日安排的通知》 into days off and make-up working days.

Each numbered line of the notice names one or more holidays and says, in its first sentence, which days are off
("二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。"), and in a later sentence which
weekend days are worked instead ("2月14日（周六）、2月28日（周六）上班。"). The parser is strict where a mistake would
move deadlines: a date that does not exist, a weekday or lunar date in brackets that does not match the date, a
"共N天" that does not match the range, a day named twice, a make-up day that is already a working day — each is an
error naming its line, and nothing is saved while there is one. Lines it cannot read at all are listed, so the
administrator sees what was left out. Everything else in the text (title, addressees, closing) is ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from aftersales.core.holidays.festivals import NOTICE_NAMES, DayKind
from aftersales.core.holidays.statutory import STATUTE_FROM_YEAR, basis_of, festival_on, lunar_label, normalise_lunar

WEEKDAYS = "一二三四五六日"
NUMERALS = "一二三四五六七八九十"
_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日"
_NOTE = r"(?:[（(](?P<{p}note>[^）)]*)[）)])?"
RANGE = re.compile(_DATE.format(p="a") + _NOTE.format(p="a") + r"(?:\s*(?:至|—|－|-|~)\s*" + _DATE.format(p="b") + _NOTE.format(p="b") + r")?")
ONE_DATE = re.compile(_DATE.format(p="a") + _NOTE.format(p="a"))
ITEM = re.compile(rf"^\s*[{NUMERALS}]+\s*[、.．]\s*(?P<names>[^：:]{{1,20}})[：:]\s*(?P<body>.+)$")
TITLE_YEAR = re.compile(r"关于\s*(\d{4})\s*年.{0,6}节假日安排")
DOCUMENT_NO = re.compile(r"国办发明电\s*[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")
COUNT = re.compile(r"共\s*(\d+)\s*天")
SINGLE = re.compile(r"放假\s*(\d+)\s*天")
# Sentences that carry no dates of their own: nothing to read, nothing to report.
KNOWN_REMARKS = ("不调休", "与周末连休", "不上班")


@dataclass(frozen=True)
class NoticeDay:
    date: dt.date
    kind: str  # DayKind
    festival: str  # Festival
    basis: str  # DayBasis
    line: int


@dataclass(frozen=True)
class NoticeProblem:
    line: int  # 1-based line of the pasted text; 0 for the text as a whole
    text: str  # the line as pasted
    message: str


@dataclass
class ParsedNotice:
    """What a notice says. ``errors`` block saving; ``unread`` are lines shown to the administrator as left out."""

    year: int | None = None
    document_no: str = ""
    days: list[NoticeDay] = field(default_factory=list)
    errors: list[NoticeProblem] = field(default_factory=list)
    unread: list[NoticeProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.days)

    @property
    def holidays(self) -> list[NoticeDay]:
        return [d for d in self.days if d.kind == DayKind.HOLIDAY]

    @property
    def workdays(self) -> list[NoticeDay]:
        return [d for d in self.days if d.kind == DayKind.WORKDAY]

    @property
    def source(self) -> str:
        return _("State Council notice %(no)s") % {"no": self.document_no} if self.document_no else _("State Council notice (number not given)")


class _LineError(Exception):
    pass


def parse_notice(text: str, *, year: int | None = None) -> ParsedNotice:
    """Parse the pasted notice. ``year`` is used when the title is missing; a title naming another year is an error."""
    result = ParsedNotice()
    lines = text.splitlines()
    title_year = next((int(m.group(1)) for line in lines if (m := TITLE_YEAR.search(line))), None)
    if title_year and year and title_year != year:
        result.errors.append(NoticeProblem(0, "", _("The notice is for %(title)s, not for %(year)s.") % {"title": title_year, "year": year}))
        return result
    result.year = title_year or year
    result.document_no = next((re.sub(r"\s+", "", m.group(0)) for line in lines if (m := DOCUMENT_NO.search(line))), "")
    if result.year is None:
        result.errors.append(NoticeProblem(0, "", _("Say which year the notice is for: paste its title (关于20XX年部分节假日安排的通知) or choose the year.")))
        return result
    seen: dict[dt.date, NoticeDay] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip().replace(" ", "").replace("\u3000", "")
        match = ITEM.match(line)
        if not match:
            if ("放假" in line or "上班" in line) and re.search(r"\d+月\d+日", line):
                result.unread.append(NoticeProblem(number, raw.strip(), _("Not a numbered holiday line; left out.")))
            continue
        try:
            for day in _read_item(match, result.year, number, raw.strip(), result):
                other = seen.get(day.date)
                if other is not None:
                    raise _LineError(_("%(date)s is already given on line %(line)s.") % {"date": _cn(day.date), "line": other.line})
                seen[day.date] = day
        except _LineError as exc:
            result.errors.append(NoticeProblem(number, raw.strip(), str(exc)))
    result.days = sorted(seen.values(), key=lambda d: d.date)
    if not result.days and not result.errors:
        result.errors.append(NoticeProblem(0, "", _(
            "No holiday line was recognised. Paste the notice's numbered lines, e.g. 二、春节：2月15日（周日）至23日（周一）放假调休，共9天。")))
    return result


def _read_item(match: re.Match, year: int, number: int, raw: str, result: ParsedNotice) -> list[NoticeDay]:
    names = [n for n in re.split(r"[、,，和及]", match.group("names")) if n]
    festivals = []
    for name in names:
        if name not in NOTICE_NAMES:
            raise _LineError(_("“%(name)s” is not a public holiday this notice can set (元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节).") % {"name": name})
        festivals.append(NOTICE_NAMES[name])
    days: list[NoticeDay] = []
    off_found = False
    for sentence in (s for s in re.split(r"[。；;]", match.group("body")) if s):
        left_out = []
        for clause in (c for c in re.split(r"[，,]", sentence) if c):
            if "放假" in clause and not off_found:
                days += _days_off(clause, sentence, year, festivals, number)
                off_found = True
            elif "补休" in clause or "补假" in clause:
                # "4月5日放假，4月6日（星期一）补休": a weekday off in exchange for a holiday on a weekend.
                days += _listed_days(clause, year, festivals[-1], number, DayKind.HOLIDAY)
            elif "上班" in clause:
                days += _listed_days(clause, year, festivals[0], number, DayKind.WORKDAY)
            elif not (any(remark in clause for remark in KNOWN_REMARKS) or COUNT.fullmatch(clause)):
                left_out.append(clause)
        if left_out:
            result.unread.append(NoticeProblem(number, raw, _("Left out: “%(text)s”.") % {"text": "，".join(left_out)}))
    if not off_found:
        raise _LineError(_("No days off found (the line should say which days are 放假)."))
    return days


def _days_off(clause: str, sentence: str, year: int, festivals: list[str], number: int) -> list[NoticeDay]:
    """The range before 放假 in ``clause``; its "共N天" may stand later in the ``sentence``."""
    match = RANGE.search(clause)
    if match is None or match.start() > clause.find("放假"):
        raise _LineError(_("No date found before 放假."))
    first = _date(match, "a", year, None)
    last = _date(match, "b", year, first) if match.group("bd") else first
    if last < first:
        raise _LineError(_("The holiday ends (%(end)s) before it starts (%(start)s).") % {"end": _cn(last), "start": _cn(first)})
    if (last - first).days > 30:
        raise _LineError(_("A holiday of more than 30 days is not plausible; check the dates."))
    _check_note(match.group("anote"), first)
    if match.group("bd"):
        _check_note(match.group("bnote"), last)
    length = (last - first).days + 1
    stated = COUNT.search(sentence) or SINGLE.search(clause)
    if stated and int(stated.group(1)) != length:
        raise _LineError(_("It says %(stated)s days, but %(start)s to %(end)s are %(n)s days.") % {
            "stated": stated.group(1), "start": _cn(first), "end": _cn(last), "n": length})
    days = []
    for offset in range(length):
        day = first + dt.timedelta(days=offset)
        festival = _festival_for(day, festivals)
        days.append(NoticeDay(day, DayKind.HOLIDAY, festival, basis_of(day, DayKind.HOLIDAY, year), number))
    return days


def _festival_for(day: dt.date, festivals: list[str]) -> str:
    """Name a day of a combined line (国庆节、中秋节) after the festival whose statutory day it is, else the first."""
    if len(festivals) > 1 and day.year >= STATUTE_FROM_YEAR:
        own = festival_on(day)
        if own in festivals:
            return own
    return festivals[0]


def _listed_days(clause: str, year: int, festival: str, number: int, kind: str) -> list[NoticeDay]:
    """The dates listed in a clause that says 上班 (make-up working days, on a weekend) or 补休 (days off)."""
    days, previous = [], None
    for match in ONE_DATE.finditer(clause):
        day = _date(match, "a", year, previous)
        _check_note(match.group("anote"), day)
        if kind == DayKind.WORKDAY and day.weekday() < 5:
            raise _LineError(_("%(date)s is a %(weekday)s, already a working day: a make-up working day falls on a weekend.") % {
                "date": _cn(day), "weekday": "周" + WEEKDAYS[day.weekday()]})
        days.append(NoticeDay(day, kind, festival, basis_of(day, kind, year), number))
        previous = day
    if not days:
        raise _LineError(_("The line says 上班 but names no date.") if kind == DayKind.WORKDAY else _("The line says 补休 but names no date."))
    return days


def _date(match: re.Match, prefix: str, year: int, previous: dt.date | None) -> dt.date:
    """The date of a match group; a missing month (至6日) or year (2月4日) comes from the date before it."""
    y = int(match.group(f"{prefix}y")) if match.group(f"{prefix}y") else (previous.year if previous else year)
    if match.group(f"{prefix}m"):
        m = int(match.group(f"{prefix}m"))
    elif previous is not None:
        m = previous.month
    else:
        raise _LineError(_("A date needs its month: “%(text)s”.") % {"text": match.group(0)})
    d = int(match.group(f"{prefix}d"))
    try:
        day = dt.date(y, m, d)
    except ValueError:
        raise _LineError(_("%(m)s月%(d)s日 does not exist in %(y)s.") % {"m": m, "d": d, "y": y}) from None
    if previous is not None and day < previous and not match.group(f"{prefix}y") and match.group(f"{prefix}m"):
        # "12月31日至1月2日": a range over New Year runs into the next year.
        try:
            day = day.replace(year=day.year + 1)
        except ValueError:
            raise _LineError(_("%(m)s月%(d)s日 does not exist in %(y)s.") % {"m": m, "d": d, "y": y + 1}) from None
    # A notice sets its own year; at most a New Year holiday reaches back into December or on into January.
    if not dt.date(year - 1, 12, 1) <= day <= dt.date(year + 1, 1, 31):
        raise _LineError(_("%(date)s is not in %(year)s: a notice for %(year)s sets the days of %(year)s.") % {"date": _cn(day), "year": year})
    return day


def _check_note(note: str | None, day: dt.date) -> None:
    """The bracket after a date repeats its weekday (周三 / 星期三) and maybe its lunar date: they must agree."""
    if not note:
        return
    for part in (p.strip() for p in re.split(r"[、,，]", note) if p.strip()):
        weekday = re.fullmatch(r"(?:周|星期|礼拜)([一二三四五六日天])", part)
        if weekday:
            given = "日" if weekday.group(1) == "天" else weekday.group(1)
            if WEEKDAYS.index(given) != day.weekday():
                raise _LineError(_("%(date)s is a 周%(actual)s, not a %(given)s.") % {"date": _cn(day), "actual": WEEKDAYS[day.weekday()], "given": part})
        elif part.startswith("农历") and normalise_lunar(part) != lunar_label(day):
            raise _LineError(_("%(date)s is 农历%(actual)s, not %(given)s.") % {"date": _cn(day), "actual": lunar_label(day), "given": part})


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
