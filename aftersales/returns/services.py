"""Judge, request, approve, receive and settle returns (RET-02..16); the escalation sweeper (RET-13).

``judge`` is the policy engine: it walks the active rules in order and returns the first that
matches, with the rule's name as the explanation — the same inputs always give the same decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.models import document_number
from aftersales.core.uploads import accept_image
from aftersales.notifications.services import notice_send
from aftersales.returns.models import (
    REFUSED,
    FreightPayer,
    Outcome,
    Reason,
    ReturnRequest,
    ReturnRule,
    ReturnStatus,
    ShipmentLine,
)

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
RETURN_PREFIX = "TH"


@dataclass(frozen=True)
class Facts:
    reason: str
    goods_class: str
    sold_by_us: bool
    days_shipped: int
    days_received: int
    photo: bool
    film_removed: bool
    purchasing_signed: bool


@dataclass(frozen=True)
class Decision:
    rule: ReturnRule | None
    outcome: str
    credit_percent: int
    freight: str
    fee: Decimal
    explanation: str

    @property
    def refused(self) -> bool:
        return self.outcome in REFUSED


def _within(value: int, low: int | None, high: int | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _matches(rule: ReturnRule, f: Facts) -> bool:
    return (
        (not rule.reasons or f.reason in rule.reasons)
        and (not rule.goods_classes or f.goods_class in rule.goods_classes)
        and f.goods_class not in (rule.exclude_goods_classes or [])
        and (rule.sold_by_us is None or rule.sold_by_us == f.sold_by_us)
        and _within(f.days_received, rule.min_days_received, rule.max_days_received)
        and _within(f.days_shipped, rule.min_days_shipped, rule.max_days_shipped)
        and (rule.photo is None or rule.photo == f.photo)
        and (rule.film_removed is None or rule.film_removed == f.film_removed)
        and not (rule.unless_purchasing_signed and f.purchasing_signed)
    )


def facts_for(line: ShipmentLine, *, reason: str, reported_on: dt.date, photo: bool, film_removed: bool = False, purchasing_signed: bool = False) -> Facts:
    shipment = line.shipment
    return Facts(reason=reason, goods_class=line.goods_class, sold_by_us=line.sold_by_us, days_shipped=(reported_on - shipment.shipped_on).days,
                 days_received=(reported_on - (shipment.received_on or shipment.shipped_on)).days, photo=photo, film_removed=film_removed,
                 purchasing_signed=purchasing_signed)


def judge(facts: Facts) -> Decision:
    """The first active rule that matches decides; without one the return is refused and says so."""
    for rule in ReturnRule.objects.filter(active=True).order_by("position"):
        if _matches(rule, facts):
            return Decision(rule=rule, outcome=rule.outcome, credit_percent=rule.credit_percent, freight=rule.freight, fee=rule.fee,
                            explanation=rule.name + (f" — {rule.note}" if rule.note else ""))
    return Decision(rule=None, outcome=Outcome.NOT_RETURNABLE, credit_percent=0, freight=FreightPayer.CUSTOMER, fee=Decimal("0.00"),
                    explanation=_("No written rule allows this return."))


def packaging_deduction(line: ShipmentLine, *, bags: int, boxes: int) -> Decimal:
    """RET-07: 5 yuan per missing handbag, 20 % of the cost per missing box."""
    per_box = line.unit_cost * settings.RETURN_BOX_DEDUCTION_PERCENT / HUNDRED
    return (Decimal(settings.RETURN_BAG_DEDUCTION) * bags + per_box * boxes).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class ReturnInput:
    line: ShipmentLine
    reason: str
    quantity: Decimal
    reported_on: dt.date
    description: str = ""
    photo: object = None
    film_removed: bool = False
    missing_bags: int = 0
    missing_boxes: int = 0
    purchasing_signed: bool = False
    complaint: object = None


def _validate(data: ReturnInput, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if data.reason not in Reason.values:
        errors["reason"] = [_("Choose the reason.")]
    if data.quantity is None or data.quantity <= 0:
        errors["quantity"] = [_("The quantity must be positive.")]
    else:
        already = sum((r.quantity for r in data.line.returns.exclude(status__in=[ReturnStatus.REFUSED, ReturnStatus.CANCELLED])), Decimal("0"))
        if data.quantity + already > data.line.quantity:
            errors["quantity"] = [_("Only %(n)s of this line can still be returned.") % {"n": data.line.quantity - already}]
    if data.reported_on > today:
        errors["reported_on"] = [_("The report date cannot lie in the future.")]
    elif data.reported_on < data.line.shipment.shipped_on:
        errors["reported_on"] = [_("The report date lies before the shipment.")]
    if errors:
        raise DomainError(errors)


def return_request_create(*, actor, data: ReturnInput) -> ReturnRequest:
    """Record a return request judged by the rules. A decision that refuses the return (outside every window,
    non-returnable goods, photos missing) is explained and nothing is recorded."""
    customer = data.line.shipment.customer
    if not actor.has_perm("returns.request", customer):
        raise PermissionDenied(_("You may not request returns for this customer."))
    _validate(data, timezone.localdate())
    decision = judge(facts_for(data.line, reason=data.reason, reported_on=data.reported_on, photo=bool(data.photo), film_removed=data.film_removed,
                               purchasing_signed=data.purchasing_signed))
    if decision.refused:
        raise DomainError(_("%(outcome)s: %(why)s") % {"outcome": Outcome(decision.outcome).label, "why": decision.explanation}, code=decision.outcome)
    company_fault = data.reason in (Reason.WRONG_ITEM, Reason.BATCH_DEFECT)
    # RET-14: more than a tenth of the batch coming back, not by the company's fault, is overdraft selling.
    overdraft = data.quantity * HUNDRED > data.line.quantity * settings.RETURN_OVERDRAFT_PERCENT and not company_fault \
        and data.reason != Reason.TRANSIT_DAMAGE
    photo = accept_image(data.photo, field="photo") if data.photo else None  # checked before anything is written
    with transaction.atomic():
        request = ReturnRequest(
            number=document_number(RETURN_PREFIX, timezone.now()), line=data.line, customer=customer, service_center=customer.service_center,
            salesperson=data.line.shipment.salesperson, reason=data.reason, description=data.description.strip(), quantity=data.quantity,
            reported_on=data.reported_on, film_removed=data.film_removed, missing_bags=data.missing_bags, missing_boxes=data.missing_boxes,
            purchasing_signed=data.purchasing_signed, complaint=data.complaint, rule=decision.rule, outcome=decision.outcome,
            credit_percent=decision.credit_percent, freight=decision.freight, explanation=decision.explanation,
            packaging_deduction=packaging_deduction(data.line, bags=data.missing_bags, boxes=data.missing_boxes), salesperson_fee=decision.fee,
            company_fault=company_fault,
            overdraft=overdraft,
        )
        if photo is not None:
            request.photo = photo
        request._history_user = actor
        request.save()
    return request


def _locked(request: ReturnRequest, *expected: str) -> ReturnRequest:
    current = ReturnRequest.objects.select_for_update(of=("self",)).select_related("line__shipment").get(pk=request.pk)
    if current.status not in expected:
        raise ConflictError(_("Return %(no)s is “%(s)s”; this step is not possible now.") % {"no": current.number, "s": current.get_status_display()},
                            code="illegal_transition")
    return current


def return_approve(*, actor, request: ReturnRequest, quantity: Decimal | None = None) -> ReturnRequest:
    """After-sales approves the quantity that may come back (at most the requested one)."""
    if not actor.has_perm("returns.approve", request):
        raise PermissionDenied(_("Only after-sales approves returns."))
    with transaction.atomic():
        current = _locked(request, ReturnStatus.REQUESTED)
        quantity = current.quantity if quantity is None else quantity
        if not Decimal("0") < quantity <= current.quantity:
            raise DomainError({"quantity": [_("Approve between 0 and the %(n)s requested.") % {"n": current.quantity}]})
        current.status, current.quantity_approved, current.approved_by = ReturnStatus.APPROVED, quantity, actor
        current._history_user = actor
        current.save()
    return current


def tolerated(approved: Decimal) -> Decimal:
    """RET-16: the most that may be posted for an approval (over-quantity acceptance ratio)."""
    return (approved * (HUNDRED + settings.RETURN_OVER_QUANTITY_PERCENT) / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def return_receive(*, actor, request: ReturnRequest, quantity: Decimal, arrived_on: dt.date, inspection: str) -> ReturnRequest:
    """The warehouse signs for what arrived and inspects it (RET-01). Less than approved, or more within the
    acceptance ratio, posts the actual quantity; more beyond it is refused (RET-16). The 5- and 30-day clocks start."""
    if not actor.has_perm("returns.receive", request):
        raise PermissionDenied(_("Only the warehouse or after-sales receives returns."))
    errors: dict[str, list[str]] = {}
    if quantity is None or quantity <= 0:
        errors["quantity"] = [_("The quantity must be positive.")]
    if arrived_on > timezone.localdate():
        errors["arrived_on"] = [_("The arrival date cannot lie in the future.")]
    if not inspection.strip():
        errors["inspection"] = [_("Record the inspection on receipt.")]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        current = _locked(request, ReturnStatus.APPROVED)
        if quantity > tolerated(current.quantity_approved):
            raise DomainError({"quantity": [_("%(got)s arrived but %(ok)s were approved (at most %(max)s with the %(p)s %% acceptance ratio). "
                                              "Send the excess back or ask for a new approval.") % {
                "got": quantity, "ok": current.quantity_approved, "max": tolerated(current.quantity_approved), "p": settings.RETURN_OVER_QUANTITY_PERCENT}]},
                code="over_quantity")
        current.status, current.quantity_received, current.arrived_on, current.received_by = ReturnStatus.ARRIVED, quantity, arrived_on, actor
        current.inspection = inspection.strip()
        current.settle_due_on = arrived_on + dt.timedelta(days=settings.RETURN_SETTLE_DAYS)
        current.escalate_on = arrived_on + dt.timedelta(days=settings.RETURN_ESCALATE_DAYS)
        current._history_user = actor
        current.save()
    return current


def credit_for(request: ReturnRequest) -> Decimal:
    """Credit for the posted quantity at the decided share, less the packaging deduction (never below 0)."""
    gross = request.quantity_received * request.line.unit_price * request.credit_percent / HUNDRED
    return max(Decimal("0.00"), (gross - request.packaging_deduction).quantize(CENT, rounding=ROUND_HALF_UP))


def return_settle(*, actor, request: ReturnRequest, now: dt.datetime | None = None) -> ReturnRequest:
    if not actor.has_perm("returns.settle", request):
        raise PermissionDenied(_("Only accounting or after-sales settles returns."))
    with transaction.atomic():
        current = _locked(request, ReturnStatus.ARRIVED)
        current.status, current.credit_amount, current.settled_at = ReturnStatus.SETTLED, credit_for(current), now or timezone.now()
        current._history_user = actor
        current.save()
    return current


def return_cancel(*, actor, request: ReturnRequest, reason: str) -> ReturnRequest:
    if not (actor.has_perm("returns.approve", request) or actor.has_perm("returns.request", request.customer)):
        raise PermissionDenied(_("You may not cancel this return."))
    if not reason.strip():
        raise DomainError({"reason": [_("Give the reason.")]})
    with transaction.atomic():
        current = _locked(request, ReturnStatus.REQUESTED, ReturnStatus.APPROVED)
        current.status, current.refuse_reason = ReturnStatus.CANCELLED, reason.strip()[:300]
        current._history_user = actor
        current.save()
    return current


def return_escalation_sweep(today: dt.date | None = None) -> int:
    """RET-13: returns still unsettled 30 days after arrival are escalated once; the party causing the delay
    (the approver, else the receiving warehouse) is charged the delay fee and after-sales is told."""
    from aftersales.accounts import roles
    from aftersales.accounts.models import User

    today = today or timezone.localdate()
    made = 0
    managers = list(User.objects.filter(is_active=True, groups__name=roles.SERVICE_MANAGER))
    for request in ReturnRequest.objects.filter(status=ReturnStatus.ARRIVED, escalated_at__isnull=True, escalate_on__lte=today):
        party = str(request.received_by or request.approved_by or request.salesperson)
        if ReturnRequest.objects.filter(pk=request.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now(), delay_party=party[:80], delay_fee=Decimal(settings.RETURN_DELAY_FEE)):
            notice_send(recipients=managers, kind="return_overdue", title=_("Return %(no)s unsettled 30 days after arrival") % {"no": request.number},
                        url=reverse("returns:detail", args=[request.pk]), dedupe_key=f"return-escalated:{request.pk}")
            made += 1
    return made
