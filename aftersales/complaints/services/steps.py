"""Complete the current step of a case, as its owner, with the step's findings (CMP-04..07, CMP-10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.complaints.deadlines import survey_due
from aftersales.complaints.models import ApprovalLimit, CaseStep, ComplaintCase, ComplaintKind, PenaltyCause, Settlement, StepCode
from aftersales.complaints.services.common import locked_case, owner_for, save_case
from aftersales.core.errors import ConflictError, DomainError
from aftersales.notifications.services import notice_send


@dataclass
class StepInput:
    opinion: str
    # quality
    kind: str = ""
    cause_finding: str = ""
    responsible_unit: str = ""
    human_cause: str = ""
    needs_rnd: bool = False
    joint_survey: bool = False
    major: bool | None = None
    # production
    countermeasure: str = ""
    human_negligence: bool = False
    # sales proposal
    settlement: str = ""
    amount: Decimal | None = None
    # execute
    customer_answer: str = ""
    customer_accepted: bool | None = None
    handling_satisfaction: int | None = None


def approver_limit(user, amount: Decimal, major: bool) -> ApprovalLimit | None:
    """The best authority ``user`` holds for this amount, or None when none of his roles covers it."""
    limits = [lim for lim in ApprovalLimit.objects.filter(role__in=list(user.role_codes)).order_by("rank") if lim.covers(amount, major)]
    if limits:
        return limits[0]
    return ApprovalLimit.objects.filter(max_amount__isnull=True).first() if user.is_superuser else None


def _authority_for(amount: Decimal, major: bool) -> ApprovalLimit | None:
    return next((lim for lim in ApprovalLimit.objects.order_by("rank") if lim.covers(amount, major)), None)


def _quality(case: ComplaintCase, data: StepInput, now: dt.datetime, errors: dict) -> None:
    if not data.cause_finding.strip():
        errors["cause_finding"] = [_("State the cause.")]
    if not data.responsible_unit.strip():
        errors["responsible_unit"] = [_("Name the responsible unit.")]
    kind = data.kind or case.kind
    human_cause = data.human_cause or case.human_cause  # what intake recorded stands unless QA says otherwise
    if kind not in ComplaintKind.values:
        errors["kind"] = [_("Choose a valid value.")]
    if kind == ComplaintKind.NON_QUALITY and human_cause not in PenaltyCause.values:
        errors["human_cause"] = [_("A non-quality complaint needs its human cause (CLS-04).")]
    if errors:
        return
    case.kind, case.cause_finding, case.responsible_unit, case.human_cause = kind, data.cause_finding.strip(), data.responsible_unit.strip(), human_cause
    case.needs_rnd, case.joint_survey = data.needs_rnd, data.joint_survey
    if data.major is not None:
        case.major = data.major
    if data.joint_survey and case.joint_survey_due_at is None:
        case.joint_survey_due_at = survey_due(case, now).at
    if not data.needs_rnd:
        case.steps.filter(code=StepCode.RND, done_at__isnull=True).update(skipped=True)


def _production(case: ComplaintCase, data: StepInput, errors: dict) -> None:
    if not data.countermeasure.strip() and not data.human_negligence:
        errors["countermeasure"] = [_("Give the countermeasure (human negligence needs none, CMP-07).")]
        return
    case.countermeasure = data.countermeasure.strip()
    case.track_improvement = not data.human_negligence


def _proposal(case: ComplaintCase, data: StepInput, errors: dict) -> None:
    if data.settlement not in Settlement.values:
        errors["settlement"] = [_("Choose how the complaint is settled.")]
    if data.amount is None or data.amount < 0:
        errors["amount"] = [_("Enter the amount (0 when nothing is paid).")]
    if not errors:
        case.settlement, case.settlement_amount = data.settlement, Decimal(str(data.amount)).quantize(Decimal("0.01"))


def _consolidate(case: ComplaintCase, step: CaseStep, errors: dict) -> None:
    """CMP-06: route the approval to the authority the amount and the severity call for."""
    authority = _authority_for(case.settlement_amount, case.major)
    approver = owner_for(authority.role, case.service_center_id) if authority else None
    if approver is None:
        errors["opinion"] = [_("Nobody holds the authority to approve %(amount)s yuan; set up the approval limits.") % {"amount": case.settlement_amount}]
        return
    case.steps.filter(code=StepCode.APPROVAL, done_at__isnull=True).update(owner=approver)


def _approval(case: ComplaintCase, actor, errors: dict) -> None:
    """CMP-10: nobody commits beyond his authority."""
    if approver_limit(actor, case.settlement_amount, case.major) is None:
        errors["opinion"] = [_("%(amount)s yuan%(major)s is above your authority; it needs %(who)s.") % {
            "amount": case.settlement_amount, "major": _(" on a major complaint") if case.major else "",
            "who": getattr(_authority_for(case.settlement_amount, case.major), "role", "?")}]
        return
    case.approved_by = actor


def _execute(case: ComplaintCase, data: StepInput, errors: dict) -> None:
    if not data.customer_answer.strip():
        errors["customer_answer"] = [_("Record what the customer was told (by letter or phone — never a copy of this form).")]
    if data.customer_accepted is None:
        errors["customer_accepted"] = [_("Record whether the customer accepted the decision.")]
    if data.amount is not None and data.amount > case.settlement_amount:
        errors["amount"] = [_("You may not agree to more than the approved %(amount)s yuan.") % {"amount": case.settlement_amount}]
    if data.handling_satisfaction is not None and data.handling_satisfaction not in (1, 2, 3, 4):
        errors["handling_satisfaction"] = [_("Choose a level from 1 to 4.")]
    if not errors:
        case.customer_answer, case.customer_accepted = data.customer_answer.strip(), data.customer_accepted
        case.handling_satisfaction = data.handling_satisfaction
        if data.amount is not None:
            case.settlement_amount = data.amount


def complaint_step_complete(*, actor, step: CaseStep, data: StepInput, now: dt.datetime | None = None,
                            expected_version: int | None = None) -> CaseStep:
    """The owner of the current step records his opinion and findings; the next step's owner is told.

    Refused: someone who is not the owner, a step that is not the current one, missing findings, a
    settlement above the approver's authority (CMP-10). Nothing changes then.
    """
    now = now or timezone.now()
    with transaction.atomic():
        case = locked_case(step.case, expected_version)
        current = CaseStep.objects.select_for_update().get(pk=step.pk)
        if current.owner_id != actor.pk:
            raise PermissionDenied(_("Only %(owner)s, the owner of this step, may sign it.") % {"owner": current.owner or _("its owner")})
        first_open = next((s for s in case.steps.order_by("position") if s.is_open), None)
        if first_open is None or first_open.pk != current.pk:
            raise ConflictError(_("This is not the current step of case %(no)s.") % {"no": case.number}, code="not_current")
        errors: dict[str, list[str]] = {}
        if not data.opinion.strip():
            errors["opinion"] = [_("Write your opinion.")]
        handlers = {StepCode.QUALITY: lambda: _quality(case, data, now, errors), StepCode.PRODUCTION: lambda: _production(case, data, errors),
                    StepCode.SALES_PROPOSAL: lambda: _proposal(case, data, errors), StepCode.CONSOLIDATE: lambda: _consolidate(case, current, errors),
                    StepCode.APPROVAL: lambda: _approval(case, actor, errors), StepCode.EXECUTE: lambda: _execute(case, data, errors)}
        if not errors and current.code in handlers:
            handlers[current.code]()
        if errors:
            raise DomainError(errors)
        current.opinion, current.done_at, current.done_by = data.opinion.strip(), now, actor
        current.save(update_fields=["opinion", "done_at", "done_by"])
        save_case(case, actor)
        following = next((s for s in case.steps.order_by("position") if s.is_open), None)
        if following is not None and following.owner is not None:
            notice_send(recipients=[following.owner], kind="complaint", title=_("Complaint %(no)s: your step “%(step)s”") % {
                "no": case.number, "step": following.get_code_display()}, url=reverse("complaints:detail", args=[case.pk]),
                dedupe_key=f"complaint-step:{following.pk}")
    return current
