"""Charge lines of a job (BILL-04, PART-02, CLS-03): priced from the price list, the parts used and
the accepted quotation, each with its coverage; discounts; coverage overrides.

Automatic lines (labour from the visits' and repair card's time, travel by zone, call-out per visit)
are recomputed by ``charges_price_job`` while the job is not invoiced. Parts become lines when
they are used (``work_order_use_part``); a part already priced on the accepted quotation takes that
line instead of making a second one.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.billing.models import (
    CUSTOMER_PAYS,
    ChargeLine,
    Coverage,
    Discount,
    JobType,
    LineKind,
    PriceList,
)
from aftersales.billing.services.coverage import decide_coverage
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.money import money
from aftersales.parts.models import Part, Warehouse, WorkOrderPart
from aftersales.parts.services import old_part_tag, part_issue_to_work_order, part_return_from_work_order
from aftersales.workorders.models import Status as WorkOrderStatus
from aftersales.workorders.models import WorkOrder, WorkOrderEvent

DONE = (WorkOrderStatus.COMPLETED, WorkOrderStatus.RETURNED)


def tax_rate() -> Decimal:
    return Decimal(settings.DEFAULT_TAX_RATE)


def active_price_list(on=None) -> PriceList | None:
    on = on or timezone.localdate()
    return PriceList.objects.filter(effective_from__lte=on).prefetch_related("labour_rates", "travel_fees").order_by("-effective_from").first()


def billable_minutes(minutes: int, price_list: PriceList) -> int:
    """At least the minimum, then rounded up to the increment (60 minimum, 30-minute steps by default)."""
    if minutes <= 0:
        return 0
    stepped = math.ceil(minutes / price_list.increment_minutes) * price_list.increment_minutes
    return max(price_list.minimum_minutes, stepped)


def hourly_rate(price_list: PriceList, grade: int | None, job_type: str) -> Decimal | None:
    """The rate for the grade and job type; the any-grade rate when the grade has none."""
    rates = {(r.grade, r.job_type): r.hourly_rate for r in price_list.labour_rates.all()}
    return rates.get((grade, job_type), rates.get((None, job_type)))


def _require_pricer(actor, work_order: WorkOrder) -> None:
    if not (actor.has_perm("billing.price", work_order) or actor.has_perm("workorders.work", work_order)):
        raise PermissionDenied(_("You may not change the charges of this job."))


def _require_open_for_charges(work_order: WorkOrder) -> None:
    if work_order.invoices.filter(voided_at__isnull=True).exists():
        raise ConflictError(_("Voucher %(no)s is invoiced; its charges can no longer change.") % {"no": work_order.number}, code="invoiced")
    if work_order.status == WorkOrderStatus.CANCELLED:
        raise ConflictError(_("Voucher %(no)s is cancelled.") % {"no": work_order.number}, code="closed")


def _new_line(work_order: WorkOrder, *, kind: str, description: str, quantity: Decimal, unit_price: Decimal, actor, part: Part | None = None,
              cost: Decimal | None = None, unit: str = "", auto: bool = False, **links) -> ChargeLine:
    decision = decide_coverage(work_order=work_order, kind=kind, part=part, on=timezone.localdate())
    unit_price = Decimal(unit_price) * decision.price_factor
    line = ChargeLine(work_order=work_order, kind=kind, description=description[:200], quantity=quantity, unit=unit, unit_price=money(unit_price),
                      tax_rate=tax_rate(), coverage=decision.coverage, coverage_reason=decision.reason[:300], auto=auto,
                      cost=money(cost if cost is not None else quantity * unit_price), created_by=actor if getattr(actor, "pk", None) else None,
                      **links)
    line._history_user = line.created_by
    line.save()
    return line


def job_minutes(work_order: WorkOrder) -> int:
    """Labour recorded on the job: the visits' labour minutes and the repair card's actual time."""
    minutes = sum(v.labour_minutes or 0 for v in work_order.visits.all())
    card = getattr(work_order, "repair_card", None)
    return minutes + ((card.repair_minutes or 0) if card else 0)


def charges_price_job(*, actor, work_order: WorkOrder) -> list[ChargeLine]:
    """(Re)compute the automatic lines: labour, travel by zone, call-out per visit, from the price list in force.

    Kinds already priced by an accepted quotation are not priced again.
    """
    _require_pricer(actor, work_order)
    _require_open_for_charges(work_order)
    price_list = active_price_list()
    if price_list is None:
        raise DomainError(_("No price list is in force; an administrator publishes one first."), code="no_price_list")
    with transaction.atomic():
        WorkOrder.objects.select_for_update().get(pk=work_order.pk)
        work_order.charges.filter(auto=True, invoice__isnull=True, settlement__isnull=True).delete()
        quoted = set(work_order.charges.filter(quotation_line__isnull=False).values_list("kind", flat=True))
        job_type = JobType.WORKSHOP if hasattr(work_order, "receipt") else JobType.ON_SITE
        visits = work_order.visits.count()
        lines = []
        minutes = billable_minutes(job_minutes(work_order), price_list)
        rate = hourly_rate(price_list, work_order.technician.grade, job_type)
        if minutes and rate is not None and LineKind.LABOUR not in quoted:
            lines.append(_new_line(work_order, kind=LineKind.LABOUR, description=_("Labour, %(type)s (%(m)s min)")
                                   % {"type": JobType(job_type).label, "m": minutes}, quantity=Decimal(minutes) / 60, unit=_("hour"),
                                   unit_price=rate, actor=actor, auto=True))
        fee = next((f.fee for f in price_list.travel_fees.all() if f.zone == work_order.request.zone), None)
        if visits and fee and LineKind.TRAVEL not in quoted:
            lines.append(_new_line(work_order, kind=LineKind.TRAVEL, description=_("Travel (%(zone)s)") % {"zone": work_order.request.get_zone_display()},
                                   quantity=Decimal(visits), unit=_("visit"), unit_price=fee, actor=actor, auto=True))
        if visits and price_list.call_out_fee and LineKind.CALL_OUT not in quoted:
            lines.append(_new_line(work_order, kind=LineKind.CALL_OUT, description=_("Call-out fee"), quantity=Decimal(visits), unit=_("visit"),
                                   unit_price=price_list.call_out_fee, actor=actor, auto=True))
    return lines


def charge_add(*, actor, work_order: WorkOrder, description: str, quantity, unit_price, kind: str = LineKind.OTHER) -> ChargeLine:
    """A manual line (material, rental, …). Negative quantities or prices are refused."""
    _require_pricer(actor, work_order)
    _require_open_for_charges(work_order)
    errors: dict[str, list[str]] = {}
    try:
        qty, price = Decimal(str(quantity)), Decimal(str(unit_price))
    except ArithmeticError as exc:
        raise DomainError({"quantity": [_("Enter numbers.")]}) from exc
    if not (description or "").strip():
        errors["description"] = [_("Describe the charge.")]
    if qty <= 0:
        errors["quantity"] = [_("The quantity must be more than 0.")]
    if price < 0:
        errors["unit_price"] = [_("A price cannot be negative.")]
    if kind not in LineKind.values or kind == LineKind.PART:
        errors["kind"] = [_("Parts are charged by using them from stock.")]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        return _new_line(work_order, kind=kind, description=description.strip(), quantity=qty, unit_price=price, actor=actor)


def work_order_use_part(*, actor, work_order: WorkOrder, part: Part, quantity, warehouse: Warehouse | None = None,
                        override_reason: str = "") -> ChargeLine:
    """Use a part on the job: stock is issued (PART-02), the charge line is made with its coverage,
    and a part replaced under warranty is tagged to go back to the factory (旧件返厂)."""
    _require_open_for_charges(work_order)
    with transaction.atomic():
        usage = part_issue_to_work_order(actor=actor, work_order=work_order, part=part, quantity=quantity, warehouse=warehouse,
                                         override_reason=override_reason)
        quoted = work_order.charges.filter(kind=LineKind.PART, quotation_line__part=part, part_usage__isnull=True, invoice__isnull=True).first()
        if quoted is not None and quoted.quantity == usage.quantity:
            quoted.part_usage, quoted.cost = usage, money(usage.quantity * usage.unit_cost)
            quoted._history_user = actor
            quoted.save()
            line = quoted
        else:
            line = _new_line(work_order, kind=LineKind.PART, description=str(part), quantity=usage.quantity, unit=part.unit, part=part,
                             unit_price=part.sale_price, cost=usage.quantity * usage.unit_cost, actor=actor, part_usage=usage)
        if line.coverage in (Coverage.WARRANTY, Coverage.MAIN_PART):
            old_part_tag(actor=actor, usage=usage)
    return line


def work_order_return_part(*, actor, usage: WorkOrderPart, quantity) -> WorkOrderPart:
    """An unused part goes back to stock and its charge line shrinks (or goes) with it."""
    _require_open_for_charges(usage.work_order)
    with transaction.atomic():
        usage = part_return_from_work_order(actor=actor, usage=usage, quantity=quantity)
        line = getattr(usage, "charge", None)
        if line is not None:
            if usage.net_quantity == 0:
                usage.old_parts.filter(claim__isnull=True, status="tagged").delete()
                line.delete()
            else:
                line.quantity, line.cost, line._history_user = usage.net_quantity, money(usage.net_quantity * usage.unit_cost), actor
                line.save()
    return usage


def charge_override_coverage(*, actor, line: ChargeLine, coverage: str, reason: str) -> ChargeLine:
    """A supervisor decides who pays for one line, with a reason; the change is audited and logged on the voucher."""
    if not actor.has_perm("workorders.dispatch", line.work_order):
        raise PermissionDenied(_("Only the supervisor may change who pays."))
    if coverage not in Coverage.values:
        raise DomainError({"coverage": [_("Unknown coverage.")]})
    if len((reason or "").strip()) < 2:
        raise DomainError({"reason": [_("Give the reason for the change.")]})
    if line.is_locked:
        raise ConflictError(_("This line is invoiced and can no longer change."), code="invoiced")
    with transaction.atomic():
        before = line.get_coverage_display()
        line.coverage, line.coverage_reason, line.coverage_overridden_by = coverage, reason.strip()[:300], actor
        line._history_user = actor
        line.save()
        WorkOrderEvent.objects.create(work_order=line.work_order, actor=actor, kind="coverage_overridden",
                                      note=f"{line.description}: {before} → {line.get_coverage_display()} ({reason.strip()})")
    return line


def discount_request(*, actor, line: ChargeLine, amount, reason: str) -> Discount:
    """Ask a discount on a paid line. Up to ``DISCOUNT_APPROVAL_PERCENT`` of the line it applies at once;
    above, it waits for a supervisor (and the job cannot be invoiced meanwhile)."""
    _require_pricer(actor, line.work_order)
    amount = money(amount)
    list_amount = line.amounts.list_amount
    errors: dict[str, list[str]] = {}
    if line.coverage not in CUSTOMER_PAYS:
        errors["amount"] = [_("Only a line the customer pays can be discounted.")]
    elif amount <= 0 or amount + line.discount > list_amount:
        errors["amount"] = [_("The discount must be more than 0 and at most the line's amount.")]
    if len((reason or "").strip()) < 2:
        errors["reason"] = [_("Give the reason for the discount.")]
    if errors:
        raise DomainError(errors)
    if line.is_locked:
        raise ConflictError(_("This line is invoiced and can no longer change."), code="invoiced")
    within = (line.discount + amount) * 100 <= list_amount * settings.DISCOUNT_APPROVAL_PERCENT
    with transaction.atomic():
        discount = Discount.objects.create(line=line, amount=amount, reason=reason.strip()[:200], requested_by=actor,
                                           status=Discount.Status.APPROVED if within else Discount.Status.PENDING,
                                           decided_at=timezone.now() if within else None)
        if within:
            _apply(line, amount, actor)
    return discount


def _apply(line: ChargeLine, amount: Decimal, actor) -> None:
    current = ChargeLine.objects.select_for_update().get(pk=line.pk)
    current.discount, current._history_user = current.discount + amount, actor
    current.save()


def discount_decide(*, actor, discount: Discount, approve: bool) -> Discount:
    """The supervisor (or the service department) approves or refuses a discount above the limit."""
    if not actor.has_perm("workorders.dispatch", discount.line.work_order):
        raise PermissionDenied(_("Only the supervisor approves discounts above the limit."))
    with transaction.atomic():
        current = Discount.objects.select_for_update(of=("self",)).select_related("line").get(pk=discount.pk)
        if current.status != Discount.Status.PENDING:
            raise ConflictError(_("This discount has already been decided."), code="decided")
        if approve and current.line.is_locked:
            raise ConflictError(_("This line is invoiced and can no longer change."), code="invoiced")
        current.status = Discount.Status.APPROVED if approve else Discount.Status.REJECTED
        current.decided_by, current.decided_at, current._history_user = actor, timezone.now(), actor
        current.save()
        if approve:
            _apply(current.line, current.amount, actor)
    return current
