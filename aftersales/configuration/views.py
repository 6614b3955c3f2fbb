"""The settings pages: the working calendar (a year, the State Council notice, day edits) and the rules.

Everyone on the staff may look at the calendar; the service department and administrators change it and the rules.
Every change goes through a service; a refused one re-renders the page with what the user typed and the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.configuration import selectors
from aftersales.configuration.forms import ConfirmForm, DayForm, NoticeForm, ReopenForm, RuleForm
from aftersales.configuration.registry import spec
from aftersales.configuration.services import rule_set
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.holidays import services as calendar_services
from aftersales.core.holidays.festivals import DayBasis, Festival
from aftersales.core.holidays.services import FIRST_YEAR, LAST_YEAR
from aftersales.core.models import HolidayYearChange
from aftersales.core.web import apply_domain_errors


def _require(request, perm: str, year: int | None = None) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("year")


def _year(text: str | None) -> tuple[int, str]:
    """The year asked for, or this year and a message when the parameter is not a year the calendar covers."""
    this = timezone.localdate().year
    if not text:
        return this, ""
    try:
        year = int(text)
    except ValueError:
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return this, _("“%(value)s” is not a year between %(a)s and %(b)s; showing %(this)s.") % {
            "value": text[:20], "a": FIRST_YEAR, "b": LAST_YEAR, "this": this}
    return year, ""


def _calendar_page(request, year: int, *, status: int = 200, error: str = "", **forms):
    view = selectors.calendar_year(year)
    version = view.record.version if view.record else 0
    change = None
    if request.GET.get("change", "").isdigit():
        change = HolidayYearChange.objects.filter(pk=int(request.GET["change"]), holiday_year__year=year).first()
    context = {
        "view": view, "years": selectors.years_around(year), "manage": request.user.has_perm("core.manage_calendar"), "error": error,
        "change": change, "festivals": Festival.choices, "bases": DayBasis.choices,
        # One letter per weekday, Monday first (the grid is narrow on a phone).
        "weekdays": _("M T W T F S S").split(),
        "confirm_form": forms.get("confirm_form") or ConfirmForm(initial={"version": version}),
        "reopen_form": forms.get("reopen_form") or ReopenForm(initial={"version": version}),
        "day_form": forms.get("day_form") or DayForm(initial={"version": version, "date": dt.date(year, 1, 1)}),
    }
    return render(request, "configuration/calendar.html", context, status=status)


@login_required
def calendar_page(request):
    _require(request, "core.view_calendar")
    year, error = _year(request.GET.get("year"))
    return _calendar_page(request, year, status=400 if error else 200, error=error)


@login_required
def calendar_notice(request):
    """Paste the State Council notice, see what it says against the calendar, confirm it (GET form, POST preview/confirm)."""
    _require(request, "core.manage_calendar")
    form = NoticeForm(request.POST or None, initial={"year": request.GET.get("year", "")})
    context: dict = {"form": form}
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "configuration/notice.html", context, status=400)
        text, year, version = form.cleaned_data["text"], form.cleaned_data["year"], form.cleaned_data["version"]
        context["preview"] = preview = calendar_services.holiday_notice_preview(text=text, year=year)
        context["fingerprint"] = fingerprint = _fingerprint(text, year)
        if request.POST.get("action") == "confirm" and request.POST.get("previewed") != fingerprint:
            # What is confirmed must be what was previewed: the text was edited after the preview.
            context["refused"] = [_("The text changed after the preview. Check the days below, then confirm again.")]
        elif request.POST.get("action") == "confirm":
            try:
                record, change = calendar_services.holiday_notice_confirm(actor=request.user, text=text, year=year, expected_version=version)
            except (DomainError, ConflictError) as exc:
                context["refused"] = exc.messages if isinstance(exc, DomainError) else [exc.message]
                status = 409 if isinstance(exc, ConflictError) else 400
            else:
                log = record.changes.order_by("-id").first()
                messages.success(request, _("%(year)s confirmed: %(n)s records moved.") % {"year": record.year, "n": len(change.moved)})
                return redirect(f"{reverse('configuration:calendar')}?year={record.year}&change={log.pk}")
        elif not preview.parsed.ok:
            status = 400
    return render(request, "configuration/notice.html", context, status=status)


@login_required
@require_POST
def calendar_confirm(request, year: int):
    _require(request, "core.manage_calendar", year)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            record, _change = calendar_services.holiday_year_confirm(actor=request.user, year=year, source=form.cleaned_data["source"],
                                                                     expected_version=form.cleaned_data["version"])
        except (DomainError, ConflictError) as exc:
            _refused(form, exc)
        else:
            log = record.changes.order_by("-id").first()
            messages.success(request, _("%(year)s confirmed.") % {"year": year})
            return redirect(f"{reverse('configuration:calendar')}?year={year}&change={log.pk}")
    return _calendar_page(request, year, status=400, confirm_form=form)


@login_required
@require_POST
def calendar_reopen(request, year: int):
    _require(request, "core.manage_calendar", year)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            calendar_services.holiday_year_reopen(actor=request.user, year=year, reason=form.cleaned_data["reason"],
                                                  expected_version=form.cleaned_data["version"])
        except (DomainError, ConflictError) as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("%(year)s is open for correction; its confirmed days stay in force until you confirm again.") % {"year": year})
            return redirect(f"{reverse('configuration:calendar')}?year={year}")
    return _calendar_page(request, year, status=400, reopen_form=form)


@login_required
@require_POST
def calendar_day(request, year: int):
    """Set one day (a day off, a make-up working day, or an ordinary day again) in a year that is not confirmed."""
    _require(request, "core.manage_calendar", year)
    form = DayForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if d["date"].year != year:
            form.add_error("date", _("Choose a date in %(year)s.") % {"year": year})
        else:
            try:
                if d["kind"] == "ordinary":
                    change = calendar_services.holiday_day_remove(actor=request.user, day=d["date"], expected_version=d["version"])
                else:
                    _row, change = calendar_services.holiday_day_set(actor=request.user, day=d["date"], kind=d["kind"], festival=d["festival"],
                                                                     note=d["note"], expected_version=d["version"])
            except (DomainError, ConflictError) as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("Saved: %(n)s records moved.") % {"n": len(change.moved)})
                return redirect(f"{reverse('configuration:calendar')}?year={year}")
    return _calendar_page(request, year, status=400, day_form=form)


def _fingerprint(text: str, year: int | None) -> str:
    return hashlib.sha256(f"{year or ''}|{text.strip()}".encode()).hexdigest()[:32]


def _refused(form, exc) -> None:
    if isinstance(exc, DomainError):
        apply_domain_errors(form, exc)
    else:
        form.add_error(None, exc.message)


@login_required
def rules_page(request):
    """规则设置: every rule by area with its default, its value and its last change; POST changes one (reason required)."""
    _require(request, "configuration.view_rules")
    form, status, editing = None, 200, ""
    if request.method == "POST":
        _require(request, "configuration.change_rules")
        form = RuleForm(request.POST)
        editing = request.POST.get("key", "")
        if form.is_valid():
            d = form.cleaned_data
            try:
                rule_set(actor=request.user, key=d["key"], value=d["value"], reason=d["reason"], expected_version=d["version"])
            except (DomainError, ConflictError) as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("“%(rule)s” changed.") % {"rule": spec(d["key"]).label})
                return redirect(f"{reverse('configuration:rules')}#rule-{d['key']}")
        status = 400
    q = request.GET.get("q", "")[:100]
    return render(request, "configuration/rules.html", {
        "areas": selectors.rules_by_area(q=q), "q": q, "form": form, "editing": editing,
        "change": request.user.has_perm("configuration.change_rules")}, status=status)


@login_required
def rule_history(request, key: str):
    _require(request, "configuration.view_rules")
    try:
        declared = spec(key)
    except LookupError:
        return render(request, "configuration/rules.html", {"areas": [], "q": "", "error": _("There is no rule “%(key)s”.") % {"key": key[:80]}},
                      status=404)
    return render(request, "configuration/rule_history.html", {"spec": declared, "history": selectors.rule_history(key)})
