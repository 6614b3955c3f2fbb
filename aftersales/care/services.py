"""Writes of return visits and reminders.

``visit_plan_sweep`` turns rules and events into the due list; ``return_visit_record`` records a
visit; ``reminder_sweep`` queues greetings and reminders. Both sweepers are idempotent (unique
rule + event, and message keys) and catch up ``CARE_CATCHUP_DAYS`` missed days.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.care.models import (
    Audience,
    Event,
    Holiday,
    Outcome,
    ReminderKind,
    ReminderRule,
    ReturnVisit,
    Satisfaction,
    VisitRule,
    VisitStatus,
)
from aftersales.contracts.models import PlannedVisit
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.holidays.changes import CalendarChange
from aftersales.core.holidays.festivals import SHORT_NAMES, Festival
from aftersales.core.holidays.statutory import LAST_PREDICTABLE_YEAR, lunar_date, lunar_new_year
from aftersales.customers.models import Customer
from aftersales.equipment.models import Equipment, add_months
from aftersales.feedback.models import TaskKind
from aftersales.feedback.services import followup_create
from aftersales.notifications.models import Message, Purpose
from aftersales.notifications.outbox import revise_waiting, send_to_customer
from aftersales.servicedesk.models import ServiceRequest, Status


@dataclass(frozen=True)
class Candidate:
    source_key: str
    customer: Customer
    event_date: dt.date
    equipment: Equipment | None = None
    request: ServiceRequest | None = None


def _day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (timezone.make_aware(dt.datetime.combine(first, dt.time.min)), timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min)))


def _sampled(rule: VisitRule, key: str) -> bool:
    """Deterministic sampling: the same rule and event are always in or always out (re-runs agree)."""
    if rule.sample_percent >= 100:
        return True
    return int(hashlib.sha256(f"{rule.pk}:{key}".encode()).hexdigest()[:8], 16) % 100 < rule.sample_percent


def _equipment_events(rule: VisitRule, first: dt.date, last: dt.date) -> Iterator[Candidate]:
    field = {Event.DELIVERY: "delivery_date", Event.SECONDARY_INVOICE: "invoice_date", Event.INSTALLATION: "install_date",
             Event.PURCHASE: "invoice_date"}[rule.event]
    units = Equipment.objects.filter(**{f"{field}__gte": first, f"{field}__lte": last}).select_related("customer", "product_model")
    if rule.event == Event.DELIVERY:
        units = units.filter(secondary_outlet=False)  # secondary outlets are called after their invoice instead (VIS-03)
    elif rule.event == Event.SECONDARY_INVOICE:
        units = units.filter(secondary_outlet=True)
    for unit in units:
        yield Candidate(source_key=f"eq:{unit.pk}", customer=unit.customer, event_date=getattr(unit, field), equipment=unit)


def _repair_events(first: dt.date, last: dt.date) -> Iterator[Candidate]:
    start, end = _day_bounds(first, last)
    calls = (ServiceRequest.objects.filter(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end, customer__isnull=False)
             .select_related("customer", "equipment__product_model"))
    for sr in calls:
        yield Candidate(source_key=f"sr:{sr.pk}", customer=sr.customer, event_date=timezone.localdate(sr.closed_at), equipment=sr.equipment, request=sr)


def _new_vip_events(first: dt.date, last: dt.date) -> Iterator[Candidate]:
    start, end = _day_bounds(first, last)
    for customer in Customer.objects.filter(created_at__gte=start, created_at__lt=end, vip_level__gte=1):
        yield Candidate(source_key=f"cust:{customer.pk}:vip", customer=customer, event_date=timezone.localdate(customer.created_at))


def _period_start(rule: VisitRule, today: dt.date) -> dt.date | None:
    """The first day of the current month (quarter) while it is within the catch-up days, else None."""
    start = today.replace(day=1)
    if rule.event == Event.QUARTERLY:
        start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
    return start if (today - start).days <= settings.CARE_CATCHUP_DAYS else None


def _periodic_events(rule: VisitRule, today: dt.date) -> Iterator[Candidate]:
    start = _period_start(rule, today)
    if start is None:
        return
    customers = Customer.objects.all()
    if rule.audience == Audience.SERVED_LAST_MONTH:
        previous = add_months(start, -1)
        begin, end = _day_bounds(previous, start - dt.timedelta(days=1))
        customers = customers.filter(requests__status=Status.CLOSED, requests__closed_at__gte=begin, requests__closed_at__lt=end).distinct()
    for customer in customers.order_by("id"):
        yield Candidate(source_key=f"cust:{customer.pk}:{start:%Y-%m}", customer=customer, event_date=start)


def _candidates(rule: VisitRule, today: dt.date) -> Iterator[Candidate]:
    if rule.event in (Event.MONTHLY, Event.QUARTERLY):
        found = _periodic_events(rule, today)
    else:
        last = today - dt.timedelta(days=rule.offset_days)
        first = last - dt.timedelta(days=settings.CARE_CATCHUP_DAYS)
        if rule.event == Event.REPAIR_HANDOVER:
            found = _repair_events(first, last)
        elif rule.event == Event.NEW_VIP:
            found = _new_vip_events(first, last)
        else:
            found = _equipment_events(rule, first, last)
    for cand in found:
        if _in_audience(rule, cand) and _sampled(rule, cand.source_key):
            yield cand


def _in_audience(rule: VisitRule, cand: Candidate) -> bool:
    if rule.audience == Audience.IN_WARRANTY:
        return cand.equipment is not None and cand.equipment.warranty_status(cand.event_date).any_active
    if rule.audience == Audience.VIP:
        return rule.vip_min <= cand.customer.vip_level <= rule.vip_max
    return True


def recent_contact(customer: Customer, *, around: dt.date, exclude_pk: int | None = None) -> ReturnVisit | None:
    """Another visit of ``customer`` done, or falling due, within ``VISIT_DEDUP_DAYS`` of ``around``."""
    window = dt.timedelta(days=settings.VISIT_DEDUP_DAYS)
    done_from, done_to = _day_bounds(around - window, around)
    qs = ReturnVisit.objects.filter(customer=customer).filter(
        Q(status=VisitStatus.DONE, done_at__gte=done_from, done_at__lt=done_to)
        | Q(status=VisitStatus.DUE, due_from__gte=around - window, due_from__lte=around + window))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("-done_at", "due_from").first()


def _create_visit(rule: VisitRule, cand: Candidate, today: dt.date) -> ReturnVisit | None:
    due_from = today if rule.event in (Event.MONTHLY, Event.QUARTERLY) else cand.event_date + dt.timedelta(days=rule.offset_days)
    duplicate = recent_contact(cand.customer, around=due_from)
    try:
        with transaction.atomic():
            return ReturnVisit.objects.create(
                rule=rule, visit_type=rule.visit_type, source_key=cand.source_key, customer=cand.customer,
                service_center_id=cand.customer.service_center_id, equipment=cand.equipment, request=cand.request, event_date=cand.event_date,
                due_from=due_from, due_until=due_from + dt.timedelta(days=rule.window_days - 1), plan_type=rule.plan_type,
                status=VisitStatus.BLOCKED if duplicate else VisitStatus.DUE, blocked_by=duplicate)
    except IntegrityError:  # planned by an earlier run
        return None


def visit_plan_sweep(today: dt.date | None = None) -> int:
    """VIS-01: put every visit the rules call for on the due list; returns how many were added (blocked duplicates included)."""
    today = today or timezone.localdate()
    made = 0
    for rule in VisitRule.objects.filter(active=True).select_related("visit_type").order_by("id"):
        planned = set(ReturnVisit.objects.filter(rule=rule).values_list("source_key", flat=True)) if rule.event in (
            Event.MONTHLY, Event.QUARTERLY) else None
        for cand in _candidates(rule, today):
            if planned is not None and cand.source_key in planned:
                continue
            made += _create_visit(rule, cand, today) is not None
    return made


def _require(actor, visit: ReturnVisit) -> None:
    if not actor.has_perm("care.visit", visit):
        raise PermissionDenied(_("You may not make return visits for this centre."))


def return_visit_take(*, actor, visit: ReturnVisit) -> ReturnVisit:
    """An agent takes a due visit (nobody else calls that customer meanwhile)."""
    _require(actor, visit)
    if not ReturnVisit.objects.filter(pk=visit.pk, status=VisitStatus.DUE).filter(Q(assigned_to__isnull=True) | Q(assigned_to=actor)).update(
            assigned_to=actor):
        raise ConflictError(_("Someone else took this visit, or it is no longer due."), code="taken")
    visit.refresh_from_db()
    return visit


@dataclass
class VisitRecord:
    outcome: str
    satisfaction: int | None = None
    scores: dict[str, int] | None = None
    content: str = ""
    reasons: str = ""
    actions: str = ""
    promised_by: dt.date | None = None
    complaint: bool = False


def _validate(visit: ReturnVisit, record: VisitRecord, today: dt.date) -> dict[str, int]:
    errors: dict[str, list[str]] = {}
    if record.outcome not in Outcome.values:
        errors["outcome"] = [_("Choose the outcome of the call.")]
    scores: dict[str, int] = {}
    if record.outcome == Outcome.REACHED:
        if record.satisfaction not in Satisfaction.values:
            errors["satisfaction"] = [_("Choose how satisfied the customer is overall.")]
        for item in visit.visit_type.items:
            value = (record.scores or {}).get(item)
            if value in (None, ""):
                continue  # an item the customer did not rate stays empty
            try:
                scores[item] = int(value)
            except (TypeError, ValueError):
                scores[item] = 0
            if scores[item] not in Satisfaction.values:
                errors.setdefault("scores", []).append(_("Score “%(item)s” from 1 to 4.") % {"item": item})
        if not record.content.strip():
            errors["content"] = [_("Write down what the customer said.")]
        if record.satisfaction is not None and record.satisfaction <= Satisfaction.FAIR and not record.reasons.strip():
            errors["reasons"] = [_("Give the reason the customer is not satisfied.")]
    if record.promised_by is not None and not today <= record.promised_by <= today + dt.timedelta(days=7):
        errors["promised_by"] = [_("Promise an answer within a week (VIS-10), not later and not in the past.")]
    if errors:
        raise DomainError(errors)
    return scores


def return_visit_record(*, actor, visit: ReturnVisit, record: VisitRecord, now: dt.datetime | None = None) -> ReturnVisit:
    """Record a visit call. No answer keeps it due (another try later); any other outcome closes it.

    Refused when the customer was already contacted within ``VISIT_DEDUP_DAYS`` (VIS-01). A dissatisfied
    customer gets a follow-up for the supervisor; one who complains, a supervisor visit (SURV-05).
    """
    _require(actor, visit)
    now = now or timezone.now()
    today = timezone.localdate(now)
    scores = _validate(visit, record, today)
    with transaction.atomic():
        current = ReturnVisit.objects.select_for_update(of=("self",)).select_related("customer", "visit_type").get(pk=visit.pk)
        if current.status != VisitStatus.DUE:
            raise ConflictError(_("This visit is “%(s)s”; it can no longer be recorded.") % {"s": current.get_status_display()}, code="not_due")
        if current.assigned_to_id not in (None, actor.pk):
            raise ConflictError(_("%(who)s has taken this visit.") % {"who": current.assigned_to}, code="taken")
        other = ReturnVisit.objects.filter(customer=current.customer, status=VisitStatus.DONE,
                                           done_at__gte=now - dt.timedelta(days=settings.VISIT_DEDUP_DAYS)).exclude(pk=current.pk).first()
        if other is not None and record.outcome != Outcome.NO_ANSWER:
            raise DomainError(_("%(customer)s was already contacted on %(when)s (%(type)s). Duplicate contacts within %(n)s days are blocked; skip this visit.")
                              % {"customer": current.customer, "when": f"{timezone.localtime(other.done_at):%Y-%m-%d}", "type": other.visit_type,
                                 "n": settings.VISIT_DEDUP_DAYS}, code="duplicate_contact")
        current.assigned_to = current.assigned_to or actor
        current.content = record.content.strip()
        current._history_user = actor
        if record.outcome == Outcome.NO_ANSWER:
            current.attempts += 1
            current.save()
            return current
        current.status, current.outcome, current.done_at, current.done_by = VisitStatus.DONE, record.outcome, now, actor
        current.satisfaction, current.scores = record.satisfaction, scores
        current.reasons, current.actions, current.promised_by = record.reasons.strip()[:200], record.actions.strip(), record.promised_by
        current.save()
        _follow_up(current, record, today)
    return current


def _follow_up(visit: ReturnVisit, record: VisitRecord, today: dt.date) -> None:
    summary = f"{visit.visit_type}: {visit.content}\n{visit.reasons}".strip()
    if record.complaint:
        followup_create(kind=TaskKind.SUPERVISOR_VISIT, customer=visit.customer, due=today + dt.timedelta(days=settings.SUPERVISOR_VISIT_DAYS),
                        note=summary)
    elif (visit.satisfaction or 4) <= Satisfaction.FAIR or any(v <= Satisfaction.DISSATISFIED for v in visit.scores.values()):
        followup_create(kind=TaskKind.VISIT_FOLLOW_UP, customer=visit.customer, due=record.promised_by or today + dt.timedelta(
            days=settings.FEEDBACK_REPLY_DAYS), note=summary)


def return_visit_skip(*, actor, visit: ReturnVisit, reason: str) -> ReturnVisit:
    _require(actor, visit)
    if not reason.strip():
        raise DomainError({"reason": [_("Give the reason for skipping.")]})
    with transaction.atomic():
        current = ReturnVisit.objects.select_for_update().get(pk=visit.pk)
        if current.status not in (VisitStatus.DUE, VisitStatus.BLOCKED):
            raise ConflictError(_("This visit is “%(s)s”; it can no longer be recorded.") % {"s": current.get_status_display()}, code="not_due")
        current.status, current.content, current.done_by = VisitStatus.SKIPPED, reason.strip(), actor
        current._history_user = actor
        current.save()
    return current


# --- Reminders ------------------------------------------------------------------------------------
def _targets(rule: ReminderRule, today: dt.date) -> list[dt.date]:
    """Event dates whose reminder falls due today, or fell due in the missed catch-up days but still lies ahead."""
    days = range(0, settings.CARE_CATCHUP_DAYS + 1)
    return [today + dt.timedelta(days=rule.days_before - back) for back in days if rule.days_before - back > 0 or back == 0]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(rule: ReminderRule, **values) -> str:
    """The rule's text with its placeholders filled; an unknown placeholder (saved before validation) becomes empty."""
    values.setdefault("company", settings.COMPANY_NAME)
    try:
        return rule.text.format_map(_Blank(values))
    except (IndexError, ValueError):  # unbalanced braces: send the plain text rather than nothing
        return rule.text.replace("{", "").replace("}", "")


def _birthday_matches(day: dt.date) -> Q:
    q = Q(birthday__month=day.month, birthday__day=day.day)
    if day.month == 2 and day.day == 28 and not _is_leap(day.year):
        q |= Q(birthday__month=2, birthday__day=29)
    return q


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _reminders(rule: ReminderRule, target: dt.date) -> Iterator[tuple[Customer, str, str]]:
    """(customer, key, text) of each reminder for ``rule`` about ``target``."""
    kind = rule.kind
    if kind == ReminderKind.BIRTHDAY:
        for c in Customer.objects.filter(_birthday_matches(target)).prefetch_related("phones"):
            yield c, f"reminder:birthday:{c.pk}:{target}", _fill(rule, customer=c.contact_person or c.name, date=f"{target:%m-%d}")
    elif kind == ReminderKind.HOLIDAY:
        names = [h.name for h in Holiday.objects.filter(date=target)] or [name for day, name in greeted_festivals(target.year) if day == target]
        if names:
            for c in Customer.objects.prefetch_related("phones").order_by("id"):
                yield c, f"reminder:holiday:{c.pk}:{target}", _fill(rule, customer=c.contact_person or c.name, holiday=names[0], date=f"{target:%m-%d}")
    elif kind in (ReminderKind.INSPECTION, ReminderKind.INSURANCE):
        field = "inspection_due" if kind == ReminderKind.INSPECTION else "insurance_due"
        for unit in Equipment.objects.filter(**{field: target}).select_related("customer", "product_model").prefetch_related("customer__phones"):
            yield unit.customer, f"reminder:{kind}:{unit.pk}:{target}", _unit_text(rule, unit, target)
    elif kind == ReminderKind.WARRANTY:
        yield from _warranty_reminders(rule, target)
    elif kind == ReminderKind.MAINTENANCE:
        for visit in PlannedVisit.objects.filter(planned_on=target, cancelled=False).select_related("contract__customer", "equipment__product_model"):
            yield visit.contract.customer, f"reminder:maintenance:{visit.pk}", _maintenance_text(rule, visit, target)


def _maintenance_text(rule: ReminderRule, visit: PlannedVisit, day: dt.date) -> str:
    unit = visit.equipment
    return _fill(rule, customer=visit.contract.customer.name, date=f"{day:%Y-%m-%d}", model=str(unit.product_model) if unit else "",
                 serial=unit.serial_no if unit else visit.contract.number)


def greeted_festivals(year: int) -> list[tuple[dt.date, str]]:
    """VIS-06: the festivals customers are greeted for, on their own day each year — New Year's Day, the Spring
    Festival (lunar New Year's Day), Labour Day, the Mid-Autumn Festival (lunar 8/15) and National Day — computed, so
    greetings go out every year without anyone typing dates in. Extra greetings are ``Holiday`` rows."""
    found = [(dt.date(year, 1, 1), SHORT_NAMES[Festival.NEW_YEAR]), (dt.date(year, 5, 1), SHORT_NAMES[Festival.LABOUR_DAY]),
             (dt.date(year, 10, 1), SHORT_NAMES[Festival.NATIONAL_DAY])]
    if year <= LAST_PREDICTABLE_YEAR:
        found += [(lunar_new_year(year), SHORT_NAMES[Festival.SPRING_FESTIVAL]), (lunar_date(year, 8, 15), SHORT_NAMES[Festival.MID_AUTUMN])]
    return sorted(found)


def redate_maintenance_reminders(change: CalendarChange) -> None:
    """Planned visits a calendar change moved (``contracts.recompute``): a reminder still waiting in the outbox gets
    the new date; one already sent is followed by a short note of the new date, once per move."""
    rule = ReminderRule.objects.filter(kind=ReminderKind.MAINTENANCE).first()
    if rule is None:
        return
    for visit, before, after in change.shared.get("moved_visits", []):
        key = f"reminder:maintenance:{visit.pk}"
        if revise_waiting(key, _maintenance_text(rule, visit, after)) != "sent":
            continue  # not told yet (the sweeper will use the new date), told with the new date now, or opted out
        with translation.override(settings.LANGUAGE_CODE):
            body = _("Your maintenance visit planned for %(before)s is moved to %(after)s because of the holiday arrangements. "
                     "We will confirm the time with you beforehand. — %(company)s") % {
                "before": f"{before:%Y-%m-%d}", "after": f"{after:%Y-%m-%d}", "company": settings.COMPANY_NAME}
            subject = str(ReminderKind.MAINTENANCE.label)
        send_to_customer(visit.contract.customer, key=f"{key}:moved:{after:%Y%m%d}", purpose=Purpose.CARE, body=body, subject=subject)


def _unit_text(rule: ReminderRule, unit: Equipment, target: dt.date) -> str:
    return _fill(rule, customer=unit.customer.contact_person or unit.customer.name, date=f"{target:%Y-%m-%d}", model=str(unit.product_model),
                 serial=unit.plate_no or unit.serial_no)


def _warranty_reminders(rule: ReminderRule, target: dt.date) -> Iterator[tuple[Customer, str, str]]:
    """Units whose whole-unit warranty ends on ``target`` (computed per model: the start date differs by basis)."""
    earliest = add_months(target, -120)
    units = (Equipment.objects.filter(Q(invoice_date__gte=earliest) | Q(delivery_date__gte=earliest) | Q(install_date__gte=earliest))
             .filter(product_model__warranty_months__gt=0).select_related("customer", "product_model").prefetch_related("customer__phones"))
    for unit in units.iterator(chunk_size=500):
        if unit.warranty_status(target).unit_until == target:
            yield unit.customer, f"reminder:warranty:{unit.pk}:{target}", _unit_text(rule, unit, target)


def reminder_sweep(today: dt.date | None = None) -> int:
    """VIS-06/07: queue today's greetings and reminders (opted-out customers' are kept as suppressed; quiet hours hold them)."""
    today = today or timezone.localdate()
    queued = 0
    for rule in ReminderRule.objects.filter(active=True):
        for target in _targets(rule, today):
            for customer, key, text in _reminders(rule, target):
                if Message.objects.filter(key=key).exists():
                    continue  # queued by an earlier run
                send_to_customer(customer, key=key, purpose=Purpose.CARE, body=text, subject=rule.get_kind_display())
                queued += 1
    return queued
