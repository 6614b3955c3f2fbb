"""Register a complaint (numbered YYMM + serial, CMP-02), route it (CMP-05), reassign a step, close it (CMP-09/12)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.complaints.deadlines import period_end, step_days
from aftersales.complaints.models import (
    CaseStatus,
    CaseStep,
    ChaseSlip,
    ComplaintCase,
    ComplaintKind,
    Market,
    Origin,
    PenaltyCause,
    RouteStep,
    StepCode,
)
from aftersales.complaints.policies import DEADLINE_MOVES
from aftersales.complaints.services.common import locked_case, manager_of, owner_for, require_coordinator, save_case
from aftersales.configuration.values import rule
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.models import next_number
from aftersales.notifications.services import notice_send


def complaint_number(when: dt.datetime) -> str:
    """CMP-02: YYMM + a serial restarting each month (width ``COMPLAINT_SERIAL_WIDTH``); gap-free inside the caller's transaction."""
    yymm = f"{timezone.localtime(when):%y%m}"
    return f"{yymm}{next_number(f'complaint-{yymm}'):0{settings.COMPLAINT_SERIAL_WIDTH}d}"


@dataclass
class ComplaintInput:
    customer: object
    subject: str
    description: str
    kind: str = ComplaintKind.NON_QUALITY
    origin: str = Origin.PHONE
    market: str = Market.DOMESTIC
    major: bool = False
    lot_no: str = ""
    part_no: str = ""
    ship_date: dt.date | None = None
    quantity: Decimal | None = None
    defective_quantity: Decimal | None = None
    quantity_undetermined: bool = False
    customer_demand: str = ""
    human_cause: str = ""
    request: object = None
    equipment: object = None
    opinion_card: object = None
    return_visit: object = None
    parent: object = None


def _validate(data: ComplaintInput, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if not data.subject.strip():
        errors["subject"] = [_("Give the complaint a short subject.")]
    if not data.description.strip():
        errors["description"] = [_("Write down what the customer says.")]
    for field, value, choices in (("kind", data.kind, ComplaintKind.values), ("origin", data.origin, Origin.values), ("market", data.market, Market.values)):
        if value not in choices:
            errors[field] = [_("Choose a valid value.")]
    if data.human_cause and data.human_cause not in PenaltyCause.values:
        errors["human_cause"] = [_("Choose a valid value.")]
    if data.kind == ComplaintKind.QUALITY:
        if not (data.lot_no.strip() or data.part_no.strip()):
            errors["part_no"] = [_("A quality complaint needs the lot no. or the part no. (CMP-03).")]
        if data.quantity is not None and data.quantity <= 0:
            errors["quantity"] = [_("The quantity must be positive.")]
        if data.defective_quantity is None and not data.quantity_undetermined:
            errors["defective_quantity"] = [_("Enter the defective quantity, or tick 客户加工中未确定 while the customer is still processing.")]
        elif data.defective_quantity is not None and (data.defective_quantity < 0 or (data.quantity is not None and data.defective_quantity > data.quantity)):
            errors["defective_quantity"] = [_("The defective quantity lies between 0 and the quantity shipped.")]
        if data.ship_date and data.ship_date > today:
            errors["ship_date"] = [_("The ship date cannot lie in the future.")]
    if errors:
        raise DomainError(errors)


def _route(case: ComplaintCase, actor, now: dt.datetime) -> None:
    """Copy the routing into the case: each step owned by a holder of its role, due after its share of the case's
    13 (or 17) days — the days of the steps before it, scaled to the case's period (CMP-11, ``deadlines``)."""
    templates = list(RouteStep.objects.order_by("position"))
    offsets = step_days([t.days for t in templates], case.period_days)
    calendar = case.service_center.calendar
    for template, offset in zip(templates, offsets, strict=True):
        owner = actor if template.code == StepCode.REGISTER else owner_for(template.owner_role, case.service_center_id)
        due = period_end(start=now, days=offset, calendar=calendar, move_to_working_day=case.deadline_moves_to_working_day)
        step = CaseStep.objects.create(case=case, position=template.position, code=template.code, department=template.department, owner=owner,
                                       due_at=due.at, due_confirmed=due.confirmed, offset_days=offset)
        if template.code == StepCode.REGISTER:
            step.done_at, step.done_by, step.opinion = now, actor, _("Numbered and logged in the register.")
            step.save(update_fields=["done_at", "done_by", "opinion"])


def complaint_register(*, actor, data: ComplaintInput, now: dt.datetime | None = None) -> ComplaintCase:
    """Accept a complaint (any channel, an opinion card, a return visit, or staff): number it, start its 13/17-day
    clock and route it. Refused for a customer of another centre; bad input changes nothing."""
    if not actor.has_perm("complaints.register", data.customer):
        raise PermissionDenied(_("You may only register complaints of your own centre's customers."))
    now = now or timezone.now()
    _validate(data, timezone.localdate(now))
    days = settings.COMPLAINT_DAYS_FOREIGN if data.market == Market.FOREIGN else settings.COMPLAINT_DAYS_DOMESTIC
    moves = bool(rule(DEADLINE_MOVES))
    calendar = data.customer.service_center.calendar
    due = period_end(start=now, days=days, calendar=calendar, move_to_working_day=moves)
    with transaction.atomic():
        case = ComplaintCase(
            number=complaint_number(now), customer=data.customer, service_center=data.customer.service_center, origin=data.origin, kind=data.kind,
            market=data.market, major=data.major, subject=data.subject.strip()[:120], description=data.description.strip(), lot_no=data.lot_no.strip(),
            part_no=data.part_no.strip(), ship_date=data.ship_date, quantity=data.quantity, defective_quantity=data.defective_quantity,
            quantity_undetermined=data.quantity_undetermined, customer_demand=data.customer_demand.strip(), human_cause=data.human_cause,
            request=data.request, equipment=data.equipment, opinion_card=data.opinion_card, return_visit=data.return_visit, parent=data.parent,
            accepted_at=now, period_days=days, deadline_moves_to_working_day=moves, registered_by=actor,
            due_at=due.at, due_confirmed=due.confirmed,
        )
        case._history_user = actor
        case.save()
        _route(case, actor, now)
        current = case.steps.filter(done_at__isnull=True).order_by("position").first()
        if current and current.owner:
            notice_send(recipients=[current.owner], kind="complaint", title=_("Complaint %(no)s: %(s)s") % {"no": case.number, "s": case.subject},
                        url=reverse("complaints:detail", args=[case.pk]), dedupe_key=f"complaint-step:{current.pk}")
    return case


def complaint_step_assign(*, actor, step: CaseStep, to) -> CaseStep:
    """The coordinator gives an open step to someone else (absence, another department's person)."""
    require_coordinator(actor)
    if not to.is_active:
        raise DomainError({"to": [_("Choose an active colleague.")]})
    with transaction.atomic():
        current = CaseStep.objects.select_for_update().get(pk=step.pk)
        if not current.is_open:
            raise ConflictError(_("This step is already done."), code="step_done")
        current.owner = to
        current.save(update_fields=["owner"])
        title = _("Complaint %(no)s: your step “%(step)s”") % {"no": current.case.number, "step": current.get_code_display()}
        notice_send(recipients=[to], kind="complaint", title=title, url=reverse("complaints:detail", args=[current.case_id]),
                    dedupe_key=f"complaint-step:{current.pk}:{to.pk}")
    return current


def complaint_close(*, actor, case: ComplaintCase, now: dt.datetime | None = None, expected_version: int | None = None) -> ComplaintCase:
    """Close a case whose every step is done (CMP-08). A loss needs responsibility adding up to 100 %.

    The customer rejected the decision (CMP-09) → a new case linked to this one is opened. Steps done
    late get an inquiry (洽办单) asking their owner why (CMP-12).
    """
    require_coordinator(actor)
    now = now or timezone.now()
    with transaction.atomic():
        current = locked_case(case, expected_version)
        if current.status == CaseStatus.CLOSED:
            raise ConflictError(_("Case %(no)s is already closed.") % {"no": current.number}, code="closed")
        open_steps = [s for s in current.steps.order_by("position") if s.is_open]
        if open_steps:
            raise DomainError(_("Case %(no)s still has an open step: %(step)s.") % {"no": current.number, "step": open_steps[0].get_code_display()},
                              code="open_step")
        if current.loss > 0:
            total = sum((r.percent for r in current.responsibilities.all()), Decimal("0"))
            if total != Decimal("100"):
                raise DomainError(_("Attribute the loss first: the responsibility shares add up to %(t)s %%, not 100 %%.") % {"t": total},
                                  code="responsibility_incomplete")
        current.status, current.closed_at, current.closed_by = CaseStatus.CLOSED, now, actor
        save_case(current, actor)
        for step in current.steps.filter(done_at__gt=F("due_at")):
            ChaseSlip.objects.get_or_create(step=step, kind=ChaseSlip.Kind.INQUIRY, defaults={
                "to_user": step.done_by or step.owner, "copy_to": manager_of(step.done_by or step.owner), "created_at": now})
            notice_send(recipients=[step.done_by or step.owner], kind="complaint_inquiry",
                        title=_("Inquiry (洽办单): why was “%(step)s” of case %(no)s late?") % {"step": step.get_code_display(), "no": current.number},
                        url=reverse("complaints:detail", args=[current.pk]), dedupe_key=f"inquiry:{step.pk}")
        if current.customer_accepted is False:
            _follow_up_case(current, actor, now)
    return current


def _follow_up_case(case: ComplaintCase, actor, now: dt.datetime) -> ComplaintCase:
    """CMP-09: the customer rejected the decision — a new case, linked to the original, starts its own clock."""
    return complaint_register(actor=actor, now=now, data=ComplaintInput(
        customer=case.customer, subject=case.subject, description=_("The customer rejected the decision of case %(no)s: %(answer)s") % {
            "no": case.number, "answer": case.customer_answer}, kind=case.kind, origin=Origin.REJECTED_DECISION, market=case.market, major=case.major,
        lot_no=case.lot_no, part_no=case.part_no, ship_date=case.ship_date, quantity=case.quantity, defective_quantity=case.defective_quantity,
        quantity_undetermined=case.quantity_undetermined, customer_demand=case.customer_demand, human_cause=case.human_cause, request=case.request,
        equipment=case.equipment, parent=case))


def complaint_survey_report(*, actor, case: ComplaintCase, report: str, now: dt.datetime | None = None) -> ComplaintCase:
    """CMP-04: QA (or whoever the coordinator appointed to the quality step) files the joint survey's report."""
    quality = case.steps.filter(code=StepCode.QUALITY).first()
    if not (actor.has_perm("complaints.coordinate") or (quality is not None and quality.owner_id == actor.pk)):
        raise PermissionDenied(_("Only QA or the coordinator files the survey report."))
    if not report.strip():
        raise DomainError({"report": [_("Write the survey report.")]})
    with transaction.atomic():
        current = locked_case(case)
        if not current.joint_survey:
            raise ConflictError(_("No joint survey was ordered for case %(no)s.") % {"no": current.number}, code="no_survey")
        current.joint_survey_report = report.strip()
        save_case(current, actor)
    return current


def complaint_record_improvement(*, actor, case: ComplaintCase, result: str) -> ComplaintCase:
    """CMP-13: the result of the countermeasure, reviewed in the monthly statistics (also after closing)."""
    require_coordinator(actor)
    if not result.strip():
        raise DomainError({"result": [_("Write the result of the countermeasure.")]})
    with transaction.atomic():
        current = locked_case(case)
        if not current.track_improvement:
            raise ConflictError(_("Case %(no)s was human negligence: no improvement is tracked.") % {"no": current.number}, code="not_tracked")
        current.improvement_result = result.strip()
        save_case(current, actor)
    return current
