"""Loss, responsibility, deductions and penalties (CMP-15..21), and the monthly statistics confirmations (CMP-13).

``allocate`` is the cap arithmetic: what a month may deduct (``PENALTY_CAP_PERCENT`` of the person's
efficiency bonus) is taken from his outstanding penalties oldest first; whatever is left waits for the
next month — nothing is lost, nothing is taken twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts import roles
from aftersales.accounts.models import Department, User
from aftersales.complaints.models import (
    CaseStatus,
    ComplaintCase,
    LossBasis,
    PartyKind,
    Penalty,
    PenaltyCause,
    PenaltyInstalment,
    PenaltyKind,
    Responsibility,
    StatisticsConfirmation,
)
from aftersales.complaints.services.common import locked_case, require_coordinator, save_case
from aftersales.core.errors import ConflictError, DomainError

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def complaint_set_loss(*, actor, case: ComplaintCase, basis: str, a_grade_price: Decimal | None = None, resale_price: Decimal | None = None,
                       quantity: Decimal | None = None, actual_loss: Decimal | None = None) -> ComplaintCase:
    """CMP-15: resold within a month → (A-grade price − resale price) × quantity; unsold → the actual loss."""
    require_coordinator(actor)
    errors: dict[str, list[str]] = {}
    if basis not in LossBasis.values:
        errors["basis"] = [_("Choose a valid value.")]
    elif basis == LossBasis.RESOLD:
        for field, value in (("a_grade_price", a_grade_price), ("resale_price", resale_price), ("quantity", quantity)):
            if value is None or value < 0:
                errors[field] = [_("Enter a number of 0 or more.")]
        if not errors and resale_price > a_grade_price:
            errors["resale_price"] = [_("The resale price is above the A-grade price: there is no loss to share.")]
    elif basis == LossBasis.UNSOLD and (actual_loss is None or actual_loss < 0):
        errors["actual_loss"] = [_("Enter a number of 0 or more.")]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        current = locked_case(case)
        if current.status == CaseStatus.CLOSED:
            raise ConflictError(_("Case %(no)s is already closed.") % {"no": current.number}, code="closed")
        current.loss_basis, current.a_grade_price, current.resale_price = basis, a_grade_price, resale_price
        current.loss_quantity, current.actual_loss = quantity, actual_loss
        save_case(current, actor)
    return current


@dataclass
class ShareInput:
    percent: Decimal
    cause: str
    person: User | None = None
    department: Department | None = None


def complaint_set_responsibility(*, actor, case: ComplaintCase, shares: list[ShareInput]) -> list[Responsibility]:
    """CMP-16/19: one person bears 100 %; several (of any department) share by degree. The shares must add up to 100 %."""
    require_coordinator(actor)
    errors: list[str] = []
    if not shares:
        errors.append(_("Name at least one responsible person or unit."))
    total = sum((s.percent for s in shares), Decimal("0"))
    if shares and total != HUNDRED:
        errors.append(_("The shares add up to %(t)s %%; they must add up to 100 %%.") % {"t": total})
    for share in shares:
        if (share.person is None) == (share.department is None):
            errors.append(_("Each share names either a person or a department."))
        if not Decimal("0") < share.percent <= HUNDRED:
            errors.append(_("Each share lies between 0 and 100 %."))
        if share.cause not in PenaltyCause.values:
            errors.append(_("Choose the cause of each share."))
    if errors:
        raise DomainError({"shares": sorted(set(errors))})
    with transaction.atomic():
        current = locked_case(case)
        if current.status == CaseStatus.CLOSED:
            raise ConflictError(_("Case %(no)s is already closed.") % {"no": current.number}, code="closed")
        current.responsibilities.all().delete()
        rows = [Responsibility.objects.create(case=current, party_kind=PartyKind.PERSON if s.person else PartyKind.DEPARTMENT, person=s.person,
                                              department=s.department, percent=s.percent, cause=s.cause) for s in shares]
        save_case(current, actor)
    return rows


@dataclass
class ProposedPenalty:
    person: User
    amount: Decimal
    kind: str
    cause: str


def _kind_for(amount: Decimal, base_points: Decimal) -> str:
    """CMP-18: a warning from 400, a minor demerit from 800 per base unit; less is a plain deduction."""
    per_base = amount / base_points if base_points > 0 else amount
    if per_base >= settings.PENALTY_MINOR_DEMERIT_AMOUNT:
        return PenaltyKind.MINOR_DEMERIT
    if amount >= settings.PENALTY_WARNING_AMOUNT:
        return PenaltyKind.WARNING
    return PenaltyKind.DEDUCTION


def proposed_penalties(case: ComplaintCase) -> list[ProposedPenalty]:
    """CMP-16/20: a person's share of the loss is his; a department's share is divided among its members by base points
    (loss ÷ the department's base points × the person's)."""
    loss = case.loss
    result: dict[int, ProposedPenalty] = {}
    for share in case.responsibilities.select_related("person", "department"):
        part = loss * share.percent / HUNDRED
        if share.person is not None:
            people = [(share.person, part)]
        else:
            members = list(User.objects.filter(is_active=True, department__in=[share.department, *share.department.groups.all()]))
            points = sum((m.base_points for m in members), Decimal("0"))
            people = [(m, part / points * m.base_points) for m in members] if points > 0 else []
        for person, amount in people:
            amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
            if person.pk in result:
                result[person.pk].amount += amount
            else:
                result[person.pk] = ProposedPenalty(person=person, amount=amount, kind="", cause=share.cause)
    for proposal in result.values():
        proposal.kind = _kind_for(proposal.amount, proposal.person.base_points)
    return sorted(result.values(), key=lambda p: (-p.amount, p.person.pk))


def penalties_approve(*, actor, case: ComplaintCase, major_demerit: list[User] = (), now: dt.datetime | None = None) -> list[Penalty]:
    """The GM approves the penalties of a closed case (CMP-14); a major demerit costs the whole month's efficiency bonus (CMP-18)."""
    if not actor.has_role(roles.GENERAL_MANAGER, roles.ADMINISTRATOR):
        raise PermissionDenied(_("Only the general manager approves penalties."))
    now = now or timezone.now()
    with transaction.atomic():
        current = locked_case(case)
        if current.status != CaseStatus.CLOSED:
            raise ConflictError(_("Close the case before deciding penalties."), code="not_closed")
        if current.penalties.exists():
            raise ConflictError(_("The penalties of case %(no)s were already approved.") % {"no": current.number}, code="already_approved")
        majors = {u.pk for u in major_demerit}
        penalties = []
        for p in proposed_penalties(current):
            kind, amount = (PenaltyKind.MAJOR_DEMERIT, max(p.amount, p.person.efficiency_bonus)) if p.person.pk in majors else (p.kind, p.amount)
            if amount <= 0:
                continue
            penalties.append(Penalty.objects.create(case=current, person=p.person, kind=kind, cause=p.cause, amount=amount, approved_by=actor,
                                                    approved_at=now))
    return penalties


def allocate(outstanding: list[Decimal], capacity: Decimal) -> list[Decimal]:
    """Take at most ``capacity`` from the ``outstanding`` amounts, oldest first; returns what each gives this month."""
    taken = []
    left = max(capacity, Decimal("0"))
    for amount in outstanding:
        part = min(amount, left)
        taken.append(part)
        left -= part
    return taken


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def penalty_instalments_run(*, month: dt.date) -> int:
    """CMP-21: this month's deductions for everyone with outstanding penalties, capped; idempotent per month."""
    month = _month_start(month)
    made = 0
    people = User.objects.filter(penalties__isnull=False).distinct()
    for person in people:
        with transaction.atomic():
            penalties = list(Penalty.objects.select_for_update().filter(person=person, approved_at__date__lt=month + dt.timedelta(days=32))
                             .order_by("approved_at", "id"))
            already = PenaltyInstalment.objects.filter(person=person, month=month).aggregate(s=Sum("amount"))["s"] or Decimal("0")
            cap = (person.efficiency_bonus * settings.PENALTY_CAP_PERCENT / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
            outstanding = [p.amount - (p.instalments.aggregate(s=Sum("amount"))["s"] or Decimal("0")) for p in penalties]
            done_this_month = {i.penalty_id for i in PenaltyInstalment.objects.filter(person=person, month=month)}
            candidates = [(p, o) for p, o in zip(penalties, outstanding, strict=True) if o > 0 and p.pk not in done_this_month]
            for (penalty, _o), part in zip(candidates, allocate([o for _p, o in candidates], cap - already), strict=True):
                if part > 0:
                    PenaltyInstalment.objects.create(penalty=penalty, person=person, month=month, amount=part)
                    made += 1
    return made


def outstanding_for(person: User) -> Decimal:
    total = Penalty.objects.filter(person=person).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    paid = PenaltyInstalment.objects.filter(person=person).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return total - paid


CONFIRMING_ROLES = (roles.PRODUCTION, roles.QUALITY, roles.RND)


def statistics_confirm(*, actor, month: dt.date, note: str = "") -> StatisticsConfirmation:
    """CMP-13: Manufacturing, QA and R&D each confirm last month's responsibility and ratios."""
    role = next((r for r in CONFIRMING_ROLES if r in actor.role_codes), None)
    if role is None:
        raise PermissionDenied(_("Manufacturing, QA and R&D confirm the statistics."))
    month = _month_start(month)
    with transaction.atomic():
        row, created = StatisticsConfirmation.objects.get_or_create(month=month, role=role, defaults={
            "confirmed_by": actor, "confirmed_at": timezone.now(), "note": note.strip()[:300]})
        if not created:
            raise ConflictError(_("The statistics of %(m)s are already confirmed for %(r)s.") % {"m": f"{month:%Y-%m}", "r": role}, code="confirmed")
    return row
