"""Attendance (KPI-03): absent days per person and month, entered or imported from xlsx (no clock-in hardware assumed).

A changed month re-scores the person's open assessment. A month HR has closed is not changed here (a correction is
an audited entry on the score sheet instead).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts import roles
from aftersales.core.errors import DomainError
from aftersales.core.tabular import ImportResult, Row, RowResult, run_import
from aftersales.performance.models import Assessment, AssessmentStatus, Attendance, MonthClose

ATTENDANCE_ROLES = (roles.ADMINISTRATOR, roles.GENERAL_MANAGER, roles.SERVICE_MANAGER, roles.SUPERVISOR, roles.BRANCH_MANAGER)
COLUMNS = {"username": ("工号", "username", "employee"), "name": ("姓名", "name"), "month": ("月份", "month"),
           "absent_days": ("缺勤天数", "absent days", "absent_days"), "note": ("备注", "note")}
REQUIRED = ("username", "month", "absent_days")
HALF = Decimal("0.5")


def may_enter(actor, person) -> bool:
    if actor.has_role(roles.ADMINISTRATOR, roles.GENERAL_MANAGER, roles.SERVICE_MANAGER):
        return True
    return actor.has_role(roles.SUPERVISOR, roles.BRANCH_MANAGER) and actor.service_center_id == person.service_center_id and actor.pk != person.pk


def parse_month(value) -> dt.date:
    """``2026-11``, ``2026/11``, ``2026年11月`` or a date → the first of the month; anything else is refused."""
    if isinstance(value, dt.datetime):
        return value.date().replace(day=1)  # naive: a spreadsheet cell
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value or "").strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*月)?(?:[-/.](\d{1,2}))?(?:\s*日)?", text)
    try:
        if not match:
            raise ValueError(text)
        day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
    except ValueError as exc:
        raise DomainError(_("“%(v)s” is not a month (use 2026-11).") % {"v": text}) from exc
    return day.replace(day=1)


def clean(month: dt.date, absent_days: Decimal | None) -> list[str]:
    errors = []
    today = timezone.localdate()
    if month > today.replace(day=1):
        errors.append(_("%(m)s has not begun.") % {"m": f"{month:%Y-%m}"})
    length = calendar.monthrange(month.year, month.month)[1]
    if absent_days is None or absent_days < 0 or absent_days > length:
        errors.append(_("Absent days lie between 0 and %(n)s (the days of %(m)s).") % {"n": length, "m": f"{month:%Y-%m}"})
    elif absent_days % HALF:
        errors.append(_("Absent days are counted in half days (e.g. 1.5)."))
    if MonthClose.objects.filter(month=month).exists():
        errors.append(_("HR has closed %(m)s; enter a correction instead.") % {"m": f"{month:%Y-%m}"})
    return errors


def attendance_set(*, actor, person, month: dt.date, absent_days: Decimal, note: str = "") -> Attendance:
    """Record a person's absent days for a month; the open assessment is scored again."""
    if not may_enter(actor, person):
        raise PermissionDenied(_("You may not enter attendance for %(p)s.") % {"p": person})
    month = month.replace(day=1)
    errors = clean(month, absent_days)
    if errors:
        raise DomainError({"absent_days": errors})
    with transaction.atomic():
        row, _created = Attendance.objects.update_or_create(person=person, month=month, defaults={"absent_days": absent_days, "note": note.strip()[:200]})
        assessment = Assessment.objects.filter(person=person, month=month, status__in=(AssessmentStatus.OPEN, AssessmentStatus.SELF_REPORTED)).first()
        if assessment is not None:
            from aftersales.performance.services import assessment_measure

            assessment_measure(assessment)
    return row


def _import_row(row: Row, outcome: RowResult, totals: ImportResult, *, actor) -> None:
    from aftersales.accounts.models import User

    username = row.text("username")
    outcome.label = f"{username} {row.text('name')}".strip()
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise DomainError(_("Unknown employee “%(u)s”.") % {"u": username})
    name = row.text("name")
    if name and name not in (person.full_name, person.username):
        raise DomainError(_("Employee %(u)s is %(n)s, not “%(x)s”.") % {"u": username, "n": person.full_name or person.username, "x": name})
    month = parse_month(row.get("month"))
    existed = Attendance.objects.filter(person=person, month=month).exists()
    attendance_set(actor=actor, person=person, month=month, absent_days=row.decimal("absent_days"), note=row.text("note"))
    totals.count("updated" if existed else "created")
    outcome.action = _("updated") if existed else _("new")


def import_attendance(*, actor, file_name: str, content: bytes, dry_run: bool = True, skip_bad_rows: bool = False,
                      progress: Callable[[int], None] | None = None) -> ImportResult:
    """Attendance from xlsx/CSV: 工号, 月份, 缺勤天数 (姓名 and 备注 optional). Unknown people or impossible months are refused."""
    if not actor.has_role(*ATTENDANCE_ROLES):
        raise PermissionDenied(_("You may not enter attendance."))
    return run_import(file_name=file_name, content=content, columns=COLUMNS, required=REQUIRED, dry_run=dry_run, skip_bad_rows=skip_bad_rows,
                      progress=progress, import_row=lambda row, outcome, totals: _import_row(row, outcome, totals, actor=actor))
