"""Charge lines of a job (BILL-04, PART-02, CLS-03): priced from the price list, the parts used and
the accepted quotation, each with its coverage; discounts; coverage overrides.

Automatic lines (labour from the visits' and repair card's time, travel by zone, call-out per visit)
are recomputed by ``charges_price_job`` while the job is not invoiced, and at completion. Parts become
lines only when they are used (``work_order_use_part``): the accepted quotation fixes their price for the
quoted quantity, and ``reconcile_part_lines`` keeps the bill equal to what was used.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.billing.models import (
    CUSTOMER_PAYS,
    PAYABLE_NOW,
    ChargeLine,
    Coverage,
    Discount,
    JobType,
    LineKind,
    PriceList,
    QuotationLine,
    QuotationStatus,
)
from aftersales.billing.services.coverage import decide_coverage
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.money import line_amounts, money
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

    Kinds already priced by an accepted quotation are not priced again. Done by the supervisor's button
    and, without asking, when the work is finished (``price_finished_job``).
    """
    _require_pricer(actor, work_order)
    _require_open_for_charges(work_order)
    price_list = active_price_list()
    if price_list is None:
        raise DomainError(_("No price list is in force; an administrator publishes one first."), code="no_price_list")
    return _price_job(actor, work_order, price_list)


def _price_job(actor, work_order: WorkOrder, price_list: PriceList) -> list[ChargeLine]:
    with transaction.atomic():
        WorkOrder.objects.select_for_update().get(pk=work_order.pk)
        lines = _apply_auto_lines(work_order, auto_line_specs(work_order, price_list), actor)
        _refuse_below_paid(work_order)
    return lines


def auto_line_specs(work_order: WorkOrder, price_list: PriceList, *, extra_minutes: int = 0, extra_visit: bool = False) -> list[dict]:
    """The automatic lines the job earns now (``extra_minutes`` and ``extra_visit``: the visit being finished,
    for the preview the customer reads before signing)."""
    quoted = set(work_order.charges.filter(quotation_line__isnull=False).values_list("kind", flat=True))
    job_type = JobType.WORKSHOP if hasattr(work_order, "receipt") else JobType.ON_SITE
    visits = work_order.visits.count() + (1 if extra_visit else 0)
    wanted = []
    minutes = billable_minutes(job_minutes(work_order) + max(int(extra_minutes or 0), 0), price_list)
    rate = hourly_rate(price_list, work_order.technician.grade, job_type)
    if minutes and rate is not None and LineKind.LABOUR not in quoted:
        wanted.append(dict(kind=LineKind.LABOUR, description=_("Labour, %(type)s (%(m)s min)") % {"type": JobType(job_type).label, "m": minutes},
                           quantity=money(Decimal(minutes) / 60), unit=_("hour(s)"), unit_price=rate))
    fee = next((f.fee for f in price_list.travel_fees.all() if f.zone == work_order.request.zone), None)
    if visits and fee and LineKind.TRAVEL not in quoted:
        wanted.append(dict(kind=LineKind.TRAVEL, description=_("Travel (%(zone)s)") % {"zone": work_order.request.get_zone_display()},
                           quantity=Decimal(visits), unit=_("visit(s)"), unit_price=fee))
    if visits and price_list.call_out_fee and LineKind.CALL_OUT not in quoted:
        wanted.append(dict(kind=LineKind.CALL_OUT, description=_("Call-out fee"), quantity=Decimal(visits), unit=_("visit(s)"),
                           unit_price=price_list.call_out_fee))
    return wanted


def price_finished_job(*, actor, work_order: WorkOrder, **_kwargs) -> None:
    """When the work is finished (completed on site, or the workshop repair recorded) the bill is computed
    in the same transaction: labour from the time on the job, travel by zone, call-out. Warranty and
    contract jobs get the same lines at no charge to the customer, as company cost, so the reports show
    the value given under warranty. Nothing happens without a price list or once invoiced."""
    price_list = active_price_list()
    if price_list is None or work_order.invoices.filter(voided_at__isnull=True).exists():
        return
    _price_job(actor, work_order, price_list)


def bill_preview(work_order: WorkOrder, *, labour_minutes: int = 0) -> list[dict]:
    """What the bill will be if the visit now on site ends with ``labour_minutes``: the lines already made
    (parts used, quoted work) and the automatic lines recomputed; nothing is written. Coverage is decided
    per line as it will be, so a warranty line shows 0 to the customer."""
    on = timezone.localdate()
    rows = [{"description": ln.description, "quantity": ln.quantity, "unit": ln.unit, "unit_price": ln.unit_price, "coverage": ln.coverage,
             "amounts": ln.amounts} for ln in work_order.charges.filter(auto=False).prefetch_related("discounts")]
    price_list = active_price_list()
    if price_list is not None:
        for spec in auto_line_specs(work_order, price_list, extra_minutes=labour_minutes, extra_visit=False):
            decision = decide_coverage(work_order=work_order, kind=spec["kind"], part=None, on=on)
            price = money(Decimal(spec["unit_price"]) * decision.price_factor)
            rows.append({"description": spec["description"], "quantity": money(spec["quantity"]), "unit": spec["unit"], "unit_price": price,
                         "coverage": decision.coverage, "amounts": line_amounts(quantity=money(spec["quantity"]), unit_price=price,
                                                                                tax_rate=tax_rate(), payable=decision.coverage in PAYABLE_NOW)})
    return rows


def _apply_auto_lines(work_order: WorkOrder, wanted: list[dict], actor) -> list[ChargeLine]:
    """Bring the automatic lines to ``wanted``, one per kind, keeping each line (its coverage, a supervisor's
    override, its discounts) when only its quantity or price changes. A discounted line is never dropped
    or taken below its discount: the supervisor refuses or reduces the discount first."""
    existing = {ln.kind: ln for ln in work_order.charges.filter(auto=True, invoice__isnull=True, settlement__isnull=True).select_for_update()}
    adjusted = {kind for kind, ln in existing.items() if ln.adjusted_reason}  # the supervisor's figure stands
    lines = [existing.pop(kind) for kind in adjusted]
    for spec in wanted:
        if spec["kind"] in adjusted:
            continue
        line = existing.pop(spec["kind"], None)
        if line is None:
            lines.append(_new_line(work_order, actor=actor, auto=True, **spec))
            continue
        price = money(Decimal(spec["unit_price"]) * decide_coverage(work_order=work_order, kind=spec["kind"], part=None,
                                                                    on=timezone.localdate()).price_factor)
        if (line.description, line.quantity, line.unit_price) != (spec["description"][:200], money(spec["quantity"]), price):
            line.description, line.quantity, line.unit_price, line.unit = spec["description"][:200], money(spec["quantity"]), price, spec["unit"]
            line.cost, line._history_user = money(line.quantity * price), actor
            if line.discount > line.amounts.list_amount:
                raise ConflictError(_("%(line)s carries a discount of %(d)s yuan, more than the line would be; reduce the discount first.")
                                    % {"line": line.description, "d": line.discount}, code="discounted")
            line.save()
        lines.append(line)
    for line in existing.values():
        if line.discounts.exists():
            raise ConflictError(_("%(line)s carries a discount; refuse or reduce it before taking it off the bill.")
                                % {"line": line.description}, code="discounted")
        line.delete()
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
    """Use a part on the job: stock is issued (PART-02), the part's charge lines are reconciled with the
    accepted quotation (see ``reconcile_part_lines``), and a part replaced under warranty is tagged to go
    back to the factory (旧件返厂). Returns the line that bills this use (the quoted line when the use is
    within the quoted quantity)."""
    _require_open_for_charges(work_order)
    with transaction.atomic():
        usage = part_issue_to_work_order(actor=actor, work_order=work_order, part=part, quantity=quantity, warehouse=warehouse,
                                         override_reason=override_reason)
        lines = reconcile_part_lines(actor=actor, work_order=work_order, part=part)
        line = next((ln for ln in lines if ln.part_usage_id == usage.pk), None) or next(ln for ln in reversed(lines) if ln.quotation_line_id)
        if any(ln.coverage in (Coverage.WARRANTY, Coverage.MAIN_PART) for ln in lines):
            old_part_tag(actor=actor, usage=usage)
    return line


def work_order_return_part(*, actor, usage: WorkOrderPart, quantity) -> WorkOrderPart:
    """An unused part goes back to stock and the part's lines shrink (or go) with it. Returning a whole
    use voids it: the bill is as it was before the use. Refused when the bill would fall below what the
    customer has already paid, or below a discount already granted on the line."""
    _require_open_for_charges(usage.work_order)
    with transaction.atomic():
        usage = part_return_from_work_order(actor=actor, usage=usage, quantity=quantity)
        if usage.net_quantity == 0:
            usage.old_parts.filter(claim__isnull=True, status="tagged").delete()
        reconcile_part_lines(actor=actor, work_order=usage.work_order, part=usage.part)
        _refuse_below_paid(usage.work_order)
    return usage


def _refuse_below_paid(work_order: WorkOrder) -> None:
    """The bill never falls below what the customer has already paid (a refund is a separate, deliberate act)."""
    paid = sum((p.amount for p in work_order.payments.all()), Decimal("0"))
    if not paid:
        return
    payable = [ln.amounts.total for ln in work_order.charges.filter(coverage__in=PAYABLE_NOW)]
    if sum(payable, Decimal("0")) < paid:
        raise ConflictError(_("The customer has already paid %(paid)s yuan on voucher %(no)s; the bill cannot fall below it. "
                              "Refund first.") % {"paid": paid, "no": work_order.number}, code="below_paid")


def _quoted_lines(work_order: WorkOrder, part: Part) -> list[QuotationLine]:
    return list(QuotationLine.objects.filter(quotation__work_order=work_order, quotation__status=QuotationStatus.ACCEPTED, part=part)
                .order_by("quotation__decided_at", "id"))


def reconcile_part_lines(*, actor, work_order: WorkOrder, part: Part) -> list[ChargeLine]:
    """Make the part's charge lines match what was used, whatever the order of uses and returns.

    The accepted quotation is a price agreement: the first ``Q`` used (``Q`` the quoted quantity) are billed
    on the quoted line at the quoted price; what is used beyond it is billed at the catalogue price on the
    line of the use that went beyond; a part quoted and not used is not billed. So using less than quoted
    bills less, using more adds only the difference, uses from several stores and returns add up, and a
    voided use restores the bill as it was. Lines keep their identity (coverage decided on creation, a
    supervisor's override and discounts stay); a line brought to nothing is removed.
    """
    usages = list(WorkOrderPart.objects.select_for_update().filter(work_order=work_order, part=part).order_by("issued_at", "id"))
    quoted = _quoted_lines(work_order, part)
    existing = {}
    for ln in work_order.charges.filter(kind=LineKind.PART).filter(Q(quotation_line__in=quoted) | Q(part_usage__in=usages)).select_for_update():
        if ln.quotation_line_id and ln.part_usage_id:  # made before quoted lines and uses were kept apart
            ln.part_usage = None
        existing[(ln.quotation_line_id, ln.part_usage_id)] = ln
    # Walk the uses in order; the quoted lines take the first units, the rest stay with their use.
    segments = [[u, u.net_quantity] for u in usages if u.net_quantity > 0]
    wanted: list[tuple[dict, Decimal, Decimal, QuotationLine | None, WorkOrderPart | None]] = []
    for ql in quoted:
        need, qty, cost = ql.quantity, Decimal("0"), Decimal("0")
        for seg in segments:
            take = min(need - qty, seg[1])
            if take > 0:
                qty, cost, seg[1] = qty + take, cost + take * seg[0].unit_cost, seg[1] - take
        wanted.append(({"quotation_line_id": ql.pk, "part_usage_id": None}, qty, cost, ql, None))
    for usage, rest in segments:
        wanted.append(({"quotation_line_id": None, "part_usage_id": usage.pk}, rest, rest * usage.unit_cost, None, usage))
    for usage in usages:
        if not any(w[4] is usage for w in wanted):
            wanted.append(({"quotation_line_id": None, "part_usage_id": usage.pk}, Decimal("0"), Decimal("0"), None, usage))
    result = []
    for key, qty, cost, ql, usage in wanted:
        line = existing.get((key["quotation_line_id"], key["part_usage_id"]))
        if qty <= 0:
            if line is not None:
                if line.discounts.exists():
                    raise ConflictError(_("%(line)s carries a discount; refuse or reduce it before taking the part off the bill.")
                                        % {"line": line.description}, code="discounted")
                line.delete()
            continue
        if line is None:
            price = ql.unit_price if ql is not None else part.sale_price
            line = _new_line(work_order, kind=LineKind.PART, description=ql.description if ql is not None else str(part), quantity=qty,
                             unit=part.unit, part=part, unit_price=price, cost=cost, actor=actor, quotation_line=ql, part_usage=usage)
        elif line.quantity == qty and line.cost == money(cost):
            result.append(line)
            continue
        line.quantity, line.cost, line._history_user = qty, money(cost), actor
        if line.discount > line.amounts.list_amount:
            raise ConflictError(_("%(line)s carries a discount of %(d)s yuan, more than the line would be; reduce the discount first.")
                                % {"line": line.description, "d": line.discount}, code="discounted")
        line.save()
        result.append(line)
    return result


def charge_adjust(*, actor, line: ChargeLine, quantity, unit_price, reason: str, expected_version: int | None = None) -> ChargeLine:
    """The supervisor corrects a computed line (labour, travel, call-out) after the fact, with a reason: the line keeps
    his figures from then on (recomputing leaves it alone), the change is in the line's history and on the voucher's
    timeline. Refused on an invoiced line, and when the bill would fall below what the customer has paid."""
    if not actor.has_perm("workorders.dispatch", line.work_order):
        raise PermissionDenied(_("Only the supervisor adjusts a computed charge."))
    errors: dict[str, list[str]] = {}
    try:
        qty, price = money(quantity), money(unit_price)
    except (ArithmeticError, TypeError, ValueError):
        raise DomainError({"quantity": [_("Enter numbers.")]}) from None
    if qty <= 0:
        errors["quantity"] = [_("The quantity must be more than 0.")]
    if price < 0:
        errors["unit_price"] = [_("A price cannot be negative.")]
    if len((reason or "").strip()) < 2:
        errors["reason"] = [_("Give the reason for the change.")]
    if not line.auto:
        errors["line"] = [_("Only computed lines (labour, travel, call-out) are adjusted here; parts follow what was used.")]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        current = ChargeLine.objects.select_for_update().get(pk=line.pk)
        if current.is_locked:
            raise ConflictError(_("This line is invoiced and can no longer change."), code="invoiced")
        before = f"{current.quantity} × {current.unit_price}"
        current.quantity, current.unit_price, current.adjusted_reason = qty, price, reason.strip()[:200]
        current.cost, current._history_user = money(qty * price), actor
        if current.discount > current.amounts.list_amount:
            raise ConflictError(_("%(line)s carries a discount of %(d)s yuan, more than the line would be; reduce the discount first.")
                                % {"line": current.description, "d": current.discount}, code="discounted")
        current.save()
        _refuse_below_paid(current.work_order)
        WorkOrderEvent.objects.create(work_order=current.work_order, actor=actor, kind="charge_adjusted",
                                      note=f"{current.description}: {before} → {qty} × {price} ({reason.strip()})")
    return current


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
        _refuse_below_paid(line.work_order)
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
            _refuse_below_paid(line.work_order)
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
            _refuse_below_paid(current.line.work_order)
    return current
