"""What a customer is entitled to today under 三包, and why (computed from the terms and the repair history).

``repair_history`` reads a machine's closed calls: each repair with its fault (the visit's fault cause,
else the repair card's, else the call's description), the main parts replaced, and its days in repair
(from taking the item in to handing it back, plus days the call waited for parts). ``entitlement``
applies the terms: return within ``return_days`` of sale for a performance fault, exchange within
``exchange_days`` (or km), exchange or return after ``failed_repairs`` repairs of one fault, a repair
longer than the limit (busy-season limit for farm machinery), too many days or repairs in total;
repair free of charge within the period, which the days in repair extend.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.sanbao.models import StatutoryTerms

RETURN, EXCHANGE, REPAIR, NONE = "return", "exchange", "repair", "none"
LEVEL_LABELS = {RETURN: "退货", EXCHANGE: "换货", REPAIR: "免费修理", NONE: "不在三包期内"}


@dataclass
class Repair:
    request_number: str
    date: dt.date
    fault: str
    main_parts: list[str]
    days_in_repair: int
    work_done: str = ""
    technician: str = ""


@dataclass
class Entitlement:
    level: str
    reasons: list[str]
    terms: StatutoryTerms | None
    sale_date: dt.date | None
    period_end: dt.date | None
    repairs: list[Repair] = field(default_factory=list)
    by_fault: dict[str, int] = field(default_factory=dict)
    by_main_part: dict[str, int] = field(default_factory=dict)
    days_in_repair: int = 0
    depreciation: Decimal | None = None

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]


def fault_key(text: str) -> str:
    """Repairs of "the same fault": the cause text without spaces and punctuation, first 20 characters."""
    return re.sub(r"[\s，。、,.;；:：!！?？()（）\-]+", "", text or "")[:20]


def _days(start: dt.datetime, end: dt.datetime | None, now: dt.datetime) -> int:
    return max(0, ((end or now) - start).days)


def repair_history(equipment, *, now: dt.datetime | None = None) -> list[Repair]:
    """Every closed call of ``equipment`` as a repair (oldest first)."""
    from aftersales.servicedesk.models import Status

    now = now or timezone.now()
    main_parts = [p for p in (equipment.product_model.main_parts or []) if p]
    repairs = []
    calls = (equipment.requests.filter(status=Status.CLOSED).prefetch_related(
        "work_orders__visits", "work_orders__parts_used__part", "work_orders__repair_card__parts", "work_orders__technician", "events")
        .order_by("received_at"))
    for sr in calls:
        vouchers = [wo for wo in sr.work_orders.all() if wo.status != "cancelled"]
        causes = [v.fault_cause for wo in vouchers for v in wo.visits.all() if v.fault_cause]
        card = next((getattr(wo, "repair_card", None) for wo in vouchers if hasattr(wo, "repair_card")), None)
        fault = causes[0] if causes else (card.fault if card else sr.fault_description)
        parts = {u.part.name for wo in vouchers for u in wo.parts_used.all() if u.part.is_main_part}
        if card is not None:
            parts |= {m for m in main_parts for p in card.parts.all() if m in p.description}
        days = 0
        for wo in vouchers:
            receipt = getattr(wo, "receipt", None)
            if receipt is not None:
                days += _days(receipt.issued_at, receipt.voided_at, now)
        days += _waiting_days(sr, now)
        work = "；".join(v.work_done for wo in vouchers for v in wo.visits.all() if v.work_done) or (card.work_done if card else "")
        repairs.append(Repair(request_number=sr.number, date=timezone.localdate(sr.closed_at or sr.received_at), fault=fault, main_parts=sorted(parts),
                              days_in_repair=days, work_done=work, technician=", ".join(str(wo.technician) for wo in vouchers)))
    return repairs


def _waiting_days(sr, now: dt.datetime) -> int:
    """Days the call waited for parts (from "waiting for parts" to the next step)."""
    days, started = 0, None
    for event in sorted(sr.events.all(), key=lambda e: (e.at, e.id)):
        if event.kind == "wait_for_parts":
            started = event.at
        elif started is not None:
            days += _days(started, event.at, now)
            started = None
    return days + (_days(started, None, now) if started else 0)


def terms_for(equipment) -> StatutoryTerms | None:
    return StatutoryTerms.objects.filter(category_code=equipment.product_model.category.code).first()


def entitlement(equipment, *, on: dt.date | None = None, now: dt.datetime | None = None, repairs: list[Repair] | None = None) -> Entitlement:
    """The best remedy under 三包 on ``on`` (a performance fault assumed, as when a call comes in), with every rule that grants it."""
    now = now or timezone.now()
    on = on or timezone.localdate(now)
    terms = terms_for(equipment)
    sale = equipment.invoice_date or equipment.delivery_date or equipment.install_date
    history = repairs if repairs is not None else repair_history(equipment, now=now)
    result = Entitlement(level=NONE, reasons=[], terms=terms, sale_date=sale, period_end=None, repairs=history)
    if terms is None or sale is None:
        result.reasons.append(_("No 三包 terms for this product category, or the sale date is unknown."))
        return result
    result.days_in_repair = sum(r.days_in_repair for r in history)
    result.period_end = sale + dt.timedelta(days=terms.period_days + result.days_in_repair)
    for r in history:
        result.by_fault[fault_key(r.fault)] = result.by_fault.get(fault_key(r.fault), 0) + 1
        for part in r.main_parts:
            result.by_main_part[part] = result.by_main_part.get(part, 0) + 1
    age = (on - sale).days
    km = equipment.odometer_km
    within_km = lambda limit: limit is None or km is None or km <= limit  # noqa: E731 (unknown km does not take a right away)
    if age <= terms.return_days:
        _grant(result, RETURN, _("Within %(n)s days of sale: return, exchange or repair, as the customer chooses.") % {"n": terms.return_days})
    if age <= terms.exchange_days and within_km(terms.exchange_km):
        _grant(result, EXCHANGE, _("Within %(n)s days of sale%(km)s: exchange or repair.") % {
            "n": terms.exchange_days, "km": _(" or %(km)s km") % {"km": terms.exchange_km} if terms.exchange_km else ""})
    if on <= result.period_end and within_km(terms.period_km):
        _period_rights(result, terms, history, on)
        _grant(result, REPAIR, _("Within the 三包 period until %(d)s (extended by %(n)s days in repair): free repair.") % {
            "d": f"{result.period_end:%Y-%m-%d}", "n": result.days_in_repair})
    if result.level == NONE:
        result.reasons.append(_("The 三包 period ended on %(d)s.") % {"d": f"{result.period_end:%Y-%m-%d}"})
    if result.level == RETURN and terms.depreciation_percent_per_month and equipment.purchase_price:
        months = Decimal(age) / Decimal("30")
        result.depreciation = (equipment.purchase_price * terms.depreciation_percent_per_month / 100 * months).quantize(Decimal("0.01"))
    return result


def _period_rights(result: Entitlement, terms: StatutoryTerms, history: list[Repair], on: dt.date) -> None:
    worst_fault = max(result.by_fault.items(), key=lambda kv: kv[1], default=("", 0))
    if terms.failed_repairs and worst_fault[1] >= terms.failed_repairs:
        _grant(result, RETURN, _("“%(f)s” was repaired %(n)s times and failed again: free exchange or return.") % {"f": worst_fault[0], "n": worst_fault[1]})
    busy = on.month in (terms.busy_season_months or [])
    limit = terms.busy_season_repair_days if busy and terms.busy_season_repair_days else terms.repair_days_limit
    longest = max((r.days_in_repair for r in history), default=0)
    if limit and longest > limit:
        _grant(result, EXCHANGE, _("A repair took %(n)s days, more than %(limit)s%(busy)s: exchange.") % {
            "n": longest, "limit": limit, "busy": _(" (busy season)") if busy and terms.busy_season_repair_days else ""})
    if terms.cumulative_repair_days and result.days_in_repair > terms.cumulative_repair_days:
        _grant(result, EXCHANGE, _("Repairs add up to %(n)s days, more than %(limit)s: exchange.") % {"n": result.days_in_repair,
                                                                                                    "limit": terms.cumulative_repair_days})
    if terms.same_problem_repairs and worst_fault[1] > terms.same_problem_repairs:
        _grant(result, EXCHANGE, _("“%(f)s” was repaired %(n)s times, more than %(limit)s: exchange.") % {"f": worst_fault[0], "n": worst_fault[1],
                                                                                                        "limit": terms.same_problem_repairs})
    worst_part = max(result.by_main_part.items(), key=lambda kv: kv[1], default=("", 0))
    if terms.serious_fault_repairs and worst_part[1] >= terms.serious_fault_repairs:
        _grant(result, RETURN, _("The main part “%(p)s” was repaired %(n)s times: exchange or return.") % {"p": worst_part[0], "n": worst_part[1]})


ORDER = {NONE: 0, REPAIR: 1, EXCHANGE: 2, RETURN: 3}


def _grant(result: Entitlement, level: str, reason: str) -> None:
    result.reasons.append(reason)
    if ORDER[level] > ORDER[result.level]:
        result.level = level
