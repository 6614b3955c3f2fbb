"""Writes to the national working calendar: import and confirm the State Council notice, confirm or reopen a year,
set or remove one day. Every write is permission-checked, refuses bad input without changing anything, is logged
in ``HolidayYearChange`` (who, when, why, which days, which records moved) and — because a different calendar
means different deadlines — lets every app recompute the open records it planned on the changed days
(``changes.calendar_changed``) in the same transaction.

The permission ``core.manage_calendar`` is granted to roles in ``accounts.rules`` (administrator, service department).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.holidays.changes import CalendarChange, calendar_changed
from aftersales.core.holidays.festivals import DayKind, Festival
from aftersales.core.holidays.notice import NoticeDay, ParsedNotice, parse_notice
from aftersales.core.holidays.statutory import basis_of, predicted_days
from aftersales.core.models import HolidayDay, HolidayYear, HolidayYearChange
from aftersales.core.national import SNAPSHOT_NAME
from aftersales.core.snapshot import bump

# The calendar is planned this far ahead and no further back than the first year of official data.
FIRST_YEAR, LAST_YEAR = 2004, 2099
MOVED_KEPT = 500  # moved records listed in the change log (the counts are always complete)


def _require(actor) -> None:
    if actor is None or not actor.has_perm("core.manage_calendar"):
        raise PermissionDenied(_("Only an administrator or the service department may change the working calendar."))


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError({"year": [_("Choose a year between %(a)s and %(b)s.") % {"a": FIRST_YEAR, "b": LAST_YEAR}]}, code="bad_year")


def current_days(year: int) -> list[NoticeDay]:
    """The days the calendar has for ``year`` now: its stored rows, or the statutory prediction when it has none."""
    record = HolidayYear.objects.filter(year=year).first()
    if record is None or (record.status == HolidayYear.Status.PREDICTED and not record.days.exists()):
        return [NoticeDay(d.date, d.kind, d.festival, d.basis, 0) for d in predicted_days(year)]
    return [NoticeDay(d.date, d.kind, d.festival, d.basis, 0) for d in record.days.all()]


def _key(day: NoticeDay) -> tuple:
    return day.date.isoformat(), day.kind, day.festival


def _describe(day: NoticeDay) -> dict:
    return {"date": day.date.isoformat(), "kind": day.kind, "festival": day.festival, "basis": day.basis}


@dataclass
class NoticePreview:
    """What confirming a pasted notice would do: its days, the differences from what the calendar has now, the
    lines left out, and whether it may be confirmed (``blocked`` says why not)."""

    parsed: ParsedNotice
    added: list[NoticeDay] = field(default_factory=list)
    removed: list[NoticeDay] = field(default_factory=list)
    status: str = HolidayYear.Status.PREDICTED
    version: int = 0
    blocked: str = ""

    @property
    def can_confirm(self) -> bool:
        return self.parsed.ok and not self.blocked


def holiday_notice_preview(*, text: str, year: int | None = None) -> NoticePreview:
    """Read ``text`` without saving anything. Never raises for a bad notice: its errors are in ``parsed.errors``."""
    parsed = parse_notice(text or "", year=year)
    preview = NoticePreview(parsed=parsed)
    if parsed.year is None:
        return preview
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        preview.blocked = _("Choose a year between %(a)s and %(b)s.") % {"a": FIRST_YEAR, "b": LAST_YEAR}
        return preview
    record = HolidayYear.objects.filter(year=parsed.year).first()
    if record is not None:
        preview.status, preview.version = record.status, record.version
        if record.status == HolidayYear.Status.CONFIRMED:
            preview.blocked = _("%(year)s is already confirmed (%(source)s). Reopen it with a reason to correct it.") % {
                "year": parsed.year, "source": record.source or record.get_source_kind_display()}
    now = {_key(d): d for d in current_days(parsed.year)}
    new = {_key(d): d for d in parsed.days}
    preview.added = [new[k] for k in sorted(new.keys() - now.keys())]
    preview.removed = [now[k] for k in sorted(now.keys() - new.keys())]
    return preview


def _lock_year(year: int) -> HolidayYear:
    record, created = HolidayYear.objects.select_for_update().get_or_create(year=year)
    record._was_absent = created  # a page that saw no row for the year saw version 0
    return record


def _check_version(record: HolidayYear, expected_version: int | None) -> None:
    seen = 0 if getattr(record, "_was_absent", False) else record.version
    if expected_version is not None and seen != expected_version:
        raise ConflictError(_("Someone changed the %(year)s calendar meanwhile; reload the page and check again.") % {"year": record.year},
                            code="stale")


def _replace_days(record: HolidayYear, days: list[NoticeDay]) -> tuple[list[dict], list[dict]]:
    before = {_key(d): d for d in current_days(record.year)} if record.pk else {}
    HolidayDay.objects.filter(holiday_year=record).delete()
    # A notice may name days of the year before (元旦 starting on 30 December): they now belong to this year's data.
    HolidayDay.objects.filter(date__in=[d.date for d in days]).delete()
    HolidayDay.objects.bulk_create([HolidayDay(holiday_year=record, date=d.date, kind=d.kind, festival=d.festival, basis=d.basis) for d in days])
    after = {_key(d): d for d in days}
    return [_describe(after[k]) for k in sorted(after.keys() - before.keys())], [_describe(before[k]) for k in sorted(before.keys() - after.keys())]


def _recompute(record: HolidayYear, days: list[NoticeDay], *, actor, reason: str, now: dt.datetime) -> CalendarChange:
    bump(SNAPSHOT_NAME)
    dates = [d.date for d in days]
    start = min([dt.date(record.year, 1, 1), *dates])
    end = max([dt.date(record.year, 12, 31), *dates])
    return calendar_changed(CalendarChange(start=start, end=end, reason=reason, actor=actor, now=now))


def _log(record: HolidayYear, *, actor, action: str, note: str, added=(), removed=(), change: CalendarChange | None = None, now) -> HolidayYearChange:
    moved = {}
    if change is not None:
        moved = {"counts": change.counts(), "items": [
            {"kind": m.kind, "record": m.record, "url": m.url, "before": m.before, "after": m.after} for m in change.moved[:MOVED_KEPT]]}
    return HolidayYearChange.objects.create(holiday_year=record, at=now, actor=actor, action=action, note=note, added=list(added),
                                            removed=list(removed), moved=moved)


def holiday_notice_confirm(*, actor, text: str, year: int | None = None, expected_version: int | None = None,
                           now: dt.datetime | None = None) -> tuple[HolidayYear, CalendarChange]:
    """Confirm the days of a pasted State Council notice for its year, replacing what the calendar had.

    Refused (nothing saved): without the permission; a notice with errors (each message names its line); a year
    already confirmed (reopen it first, with a reason); a stale page (``expected_version``). On success every open
    deadline and planned date of the year is recomputed and the year is confirmed by ``actor``.
    """
    _require(actor)
    parsed = parse_notice(text or "", year=year)
    if parsed.errors or not parsed.days:
        raise DomainError({"text": [_problem(p.line, p.message) for p in parsed.errors]}, code="bad_notice")
    _check_year(parsed.year)
    now = now or timezone.now()
    with transaction.atomic():
        record = _lock_year(parsed.year)
        _check_version(record, expected_version)
        if record.status == HolidayYear.Status.CONFIRMED:
            raise ConflictError(_("%(year)s is already confirmed. Reopen it with a reason to correct it.") % {"year": parsed.year}, code="confirmed")
        added, removed = _replace_days(record, parsed.days)
        record.status, record.source_kind, record.source = HolidayYear.Status.CONFIRMED, HolidayYear.SourceKind.NOTICE, parsed.source
        record.notice_text, record.confirmed_by, record.confirmed_at, record.reopen_reason = text.strip(), actor, now, ""
        _save(record, actor)
        reason = _("The %(year)s holidays were confirmed (%(source)s).") % {"year": parsed.year, "source": parsed.source}
        change = _recompute(record, parsed.days, actor=actor, reason=reason, now=now)
        _log(record, actor=actor, action=HolidayYearChange.Action.CONFIRMED, note=parsed.source, added=added, removed=removed, change=change, now=now)
    return record, change


def holiday_year_confirm(*, actor, year: int, source: str, expected_version: int | None = None,
                         now: dt.datetime | None = None) -> tuple[HolidayYear, CalendarChange]:
    """Confirm ``year`` with the days it has now (its prediction, or the days an administrator set), naming the
    source of that knowledge (required). Refused like ``holiday_notice_confirm``."""
    _require(actor)
    _check_year(year)
    source = (source or "").strip()
    if not source:
        raise DomainError({"source": [_("Say where the days come from (the notice number, or who decided).")]}, code="no_source")
    now = now or timezone.now()
    with transaction.atomic():
        record = _lock_year(year)
        _check_version(record, expected_version)
        if record.status == HolidayYear.Status.CONFIRMED:
            raise ConflictError(_("%(year)s is already confirmed. Reopen it with a reason to correct it.") % {"year": year}, code="confirmed")
        days = current_days(year) if record.days.exists() or record.status != HolidayYear.Status.PREDICTED else _materialise(record)
        record.status, record.source_kind, record.source = HolidayYear.Status.CONFIRMED, HolidayYear.SourceKind.MANUAL, source[:200]
        record.confirmed_by, record.confirmed_at, record.reopen_reason = actor, now, ""
        _save(record, actor)
        reason = _("The %(year)s holidays were confirmed (%(source)s).") % {"year": year, "source": source[:200]}
        change = _recompute(record, days, actor=actor, reason=reason, now=now)
        _log(record, actor=actor, action=HolidayYearChange.Action.CONFIRMED, note=source[:200], change=change, now=now)
    return record, change


def holiday_year_reopen(*, actor, year: int, reason: str, expected_version: int | None = None, now: dt.datetime | None = None) -> HolidayYear:
    """Reopen a confirmed year for a correction (a reason is required). Its days stay in force, and deadlines across
    it stay confirmed, until the correction is confirmed."""
    _require(actor)
    why = (reason or "").strip()
    if not why:
        raise DomainError({"reason": [_("Give the reason for reopening a confirmed year.")]}, code="no_reason")
    now = now or timezone.now()
    with transaction.atomic():
        record = _lock_year(year)
        _check_version(record, expected_version)
        if record.status != HolidayYear.Status.CONFIRMED:
            raise ConflictError(_("%(year)s is not confirmed; it can be changed as it is.") % {"year": year}, code="not_confirmed")
        record.status, record.reopen_reason = HolidayYear.Status.REOPENED, why[:300]
        _save(record, actor)
        _log(record, actor=actor, action=HolidayYearChange.Action.REOPENED, note=why[:300], now=now)
    return record


def holiday_day_set(*, actor, day: dt.date, kind: str, festival: str = Festival.OTHER, note: str = "",
                    expected_version: int | None = None, now: dt.datetime | None = None) -> tuple[HolidayDay, CalendarChange]:
    """Make ``day`` a day off or a make-up working day in a year that is not confirmed (predicted or reopened).

    Refused: a confirmed year (reopen first); a make-up working day on a weekday (it is one already); an unknown
    kind or holiday name; a stale page. The year's other days stay as they are; open records are recomputed.
    """
    _require(actor)
    errors: dict[str, list[str]] = {}
    if kind not in DayKind.values:
        errors["kind"] = [_("Choose a day off or a make-up working day.")]
    if festival not in Festival.values:
        errors["festival"] = [_("Choose the holiday.")]
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        errors["date"] = [_("%(date)s is a weekday, already a working day: a make-up working day falls on a weekend.") % {"date": day.isoformat()}]
    if errors:
        raise DomainError(errors)
    _check_year(day.year)
    now = now or timezone.now()
    with transaction.atomic():
        record = _editable(day.year, expected_version)
        row, _created = HolidayDay.objects.update_or_create(date=day, defaults={
            "holiday_year": record, "kind": kind, "festival": festival, "basis": basis_of(day, kind, day.year), "note": (note or "").strip()[:200]})
        _save(record, actor)
        reason = _("The working calendar was changed: %(date)s is now %(what)s.") % {"date": day.isoformat(), "what": row.get_kind_display()}
        change = _recompute(record, [], actor=actor, reason=reason, now=now)
        _log(record, actor=actor, action=HolidayYearChange.Action.DAY_SET, note=note, added=[_describe(NoticeDay(day, kind, festival, row.basis, 0))],
             change=change, now=now)
    return row, change


def holiday_day_remove(*, actor, day: dt.date, expected_version: int | None = None, now: dt.datetime | None = None) -> CalendarChange:
    """Make ``day`` an ordinary day again (Monday–Friday working, weekend off) in a year that is not confirmed."""
    _require(actor)
    _check_year(day.year)
    now = now or timezone.now()
    with transaction.atomic():
        record = _editable(day.year, expected_version)
        row = HolidayDay.objects.filter(holiday_year=record, date=day).first()
        if row is None:
            raise DomainError({"date": [_("%(date)s has no entry to remove.") % {"date": day.isoformat()}]}, code="no_entry")
        gone = _describe(NoticeDay(row.date, row.kind, row.festival, row.basis, 0))
        row.delete()
        _save(record, actor)
        reason = _("The working calendar was changed: %(date)s is an ordinary day again.") % {"date": day.isoformat()}
        change = _recompute(record, [], actor=actor, reason=reason, now=now)
        _log(record, actor=actor, action=HolidayYearChange.Action.DAY_REMOVED, note="", removed=[gone], change=change, now=now)
    return change


def _editable(year: int, expected_version: int | None) -> HolidayYear:
    """The year's row, locked, with its predicted days stored if it had none; refused when confirmed."""
    record = _lock_year(year)
    _check_version(record, expected_version)
    if record.status == HolidayYear.Status.CONFIRMED:
        raise ConflictError(_("%(year)s is confirmed. Reopen it with a reason to change a day.") % {"year": year}, code="confirmed")
    if record.status == HolidayYear.Status.PREDICTED and not record.days.exists():
        _materialise(record)
    return record


def _materialise(record: HolidayYear) -> list[NoticeDay]:
    days = [NoticeDay(d.date, d.kind, d.festival, d.basis, 0) for d in predicted_days(record.year)]
    HolidayDay.objects.filter(date__in=[d.date for d in days]).exclude(holiday_year=record).delete()
    HolidayDay.objects.bulk_create([HolidayDay(holiday_year=record, date=d.date, kind=d.kind, festival=d.festival, basis=d.basis) for d in days])
    if not record.source:
        record.source_kind = HolidayYear.SourceKind.PREDICTION
    return days


def _save(record: HolidayYear, actor) -> None:
    record.version += 1
    record._history_user = actor
    record.save()


def _problem(line: int, message: str) -> str:
    return _("Line %(line)s: %(message)s") % {"line": line, "message": message} if line else message


# How long after a change of the calendar the sweeper keeps re-checking what was planned on it: records made in
# another process that still held the previous calendar (for up to SNAPSHOT_CHECK_SECONDS) are caught up by then.
RECONCILE_WINDOW = dt.timedelta(hours=1)


def holiday_reconcile_sweep(now: dt.datetime | None = None) -> int:
    """Recompute what was planned on each year changed within ``RECONCILE_WINDOW``, once more: a call registered
    by a process whose copy of the calendar was a moment old when the year was confirmed gets its deadline (and its
    "confirmed" flag) all the same. Idempotent — only what differs is written; returns the records moved."""
    now = now or timezone.now()
    moved = 0
    recent = (HolidayYearChange.objects.filter(at__gte=now - RECONCILE_WINDOW).values_list("holiday_year__year", flat=True).distinct())
    for year in sorted(set(recent)):
        days = current_days(year)
        dates = [d.date for d in days]
        start, end = min([dt.date(year, 1, 1), *dates]), max([dt.date(year, 12, 31), *dates])
        with transaction.atomic():
            change = calendar_changed(CalendarChange(start=start, end=end, now=now, reason=_(
                "The %(year)s working calendar was changed; checked again.") % {"year": year}))
        moved += len(change.moved)
    return moved
