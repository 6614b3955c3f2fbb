"""Writes to maintenance contracts (CON-01..03): register, plan visits, renew, terminate; the two sweepers.

``contract_notice_sweep`` sends the expiry notice and makes the renewal task at T-30 (persisted
``renewal_notice_on``; once per contract). ``contract_visit_sweep`` turns planned visits due within
``CONTRACT_VISIT_LEAD_DAYS`` into calls (once per planned visit).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.accounts import roles
from aftersales.accounts.models import User
from aftersales.contracts.models import ContractStatus, MaintenanceContract, PlannedVisit, RenewalTask, SlaLevel
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.models import next_number
from aftersales.customers.models import Customer
from aftersales.equipment.models import Equipment

MAX_TERM_DAYS = 366 * 10


def _validate(*, actor, customer: Customer, equipment: list[Equipment], start_date: dt.date | None, end_date: dt.date | None, fee: Decimal,
              visits_per_year: int) -> None:
    errors: dict[str, list[str]] = {}
    if start_date is None:
        errors["start_date"] = [_("Enter the start date.")]
    if end_date is None:
        errors["end_date"] = [_("Enter the end date.")]
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = [_("The contract must end after it starts.")]
    elif start_date and end_date and (end_date - start_date).days > MAX_TERM_DAYS:
        errors["end_date"] = [_("A contract runs ten years at most; check the dates.")]
    if fee is None or fee < 0:
        errors["fee"] = [_("The fee cannot be negative.")]
    if not 0 <= visits_per_year <= 52:
        errors["visits_per_year"] = [_("Plan between 0 and 52 visits a year.")]
    if not equipment:
        errors["equipment"] = [_("Choose the equipment the contract covers.")]
    if any(e.customer_id != customer.pk for e in equipment):
        errors["equipment"] = [_("Every covered machine must belong to the contract's customer.")]
    if actor is not None and not actor.has_perm("contracts.manage", customer):
        raise PermissionDenied(_("You may not manage contracts of this customer."))
    if errors:
        raise DomainError(errors)


def plan_dates(*, start: dt.date, end: dt.date, visits_per_year: int, calendar) -> list[dt.date]:
    """Evenly spread preventive visits over the term, each on a working day of ``calendar`` (holidays avoided:
    moved to the next working day, or the one before when the next lies past the end)."""
    days = (end - start).days + 1
    count = round(visits_per_year * days / 365) if visits_per_year else 0
    if visits_per_year and count == 0:
        count = 1
    return [working_day_within(start + dt.timedelta(days=int(days * (i + 0.5) / count)), start=start, end=end, calendar=calendar)
            for i in range(count)]


def working_day_within(day: dt.date, *, start: dt.date, end: dt.date, calendar) -> dt.date:
    """``day`` if it is a working day; else the next working day up to ``end``; else the one before, down to
    ``start``; else ``day`` itself (a term with no working day at all — a one-day contract on a holiday)."""
    moved = day
    while not calendar.is_working_day(moved) and moved < end:
        moved += dt.timedelta(days=1)
    if calendar.is_working_day(moved):
        return moved
    moved = day
    while not calendar.is_working_day(moved) and moved > start:
        moved -= dt.timedelta(days=1)
    return moved if calendar.is_working_day(moved) else day


def _plan(contract: MaintenanceContract, units: list[Equipment]) -> None:
    calendar = contract.customer.service_center.calendar
    for day in plan_dates(start=contract.start_date, end=contract.end_date, visits_per_year=contract.visits_per_year, calendar=calendar):
        PlannedVisit.objects.bulk_create([PlannedVisit(contract=contract, equipment=unit, planned_on=day) for unit in units])


def contract_create(
    *, actor, customer: Customer, equipment: list[Equipment], start_date: dt.date, end_date: dt.date,
    fee: Decimal = Decimal("0.00"), covers_labour: bool = True, covers_parts: bool = False, covers_travel: bool = True,
    visits_per_year: int = 2, status: str = ContractStatus.ACTIVE, number: str = "", coverage_notes: str = "",
    sla_level: SlaLevel | None = None, salesperson: User | None = None, previous: MaintenanceContract | None = None,
) -> MaintenanceContract:
    """Register a contract covering ``equipment`` (all the customer's), plan its visits and its expiry notice (CON-01)."""
    _validate(actor=actor, customer=customer, equipment=equipment, start_date=start_date, end_date=end_date, fee=fee, visits_per_year=visits_per_year)
    with transaction.atomic():
        contract = MaintenanceContract(
            number=number or f"HT-{start_date:%Y}-{next_number(f'contract-{start_date:%Y}'):03d}", customer=customer,
            start_date=start_date, end_date=end_date, fee=fee, covers_labour=covers_labour, covers_parts=covers_parts,
            covers_travel=covers_travel, visits_per_year=visits_per_year, status=status, coverage_notes=coverage_notes.strip(),
            sla_level=sla_level, salesperson=salesperson, previous=previous,
            renewal_notice_on=end_date - dt.timedelta(days=settings.CONTRACT_NOTICE_DAYS),
        )
        contract._history_user = actor
        contract.save()
        contract.equipment.set(equipment)
        if status == ContractStatus.ACTIVE:
            _plan(contract, equipment)
    return contract


def contract_renew(*, actor, contract: MaintenanceContract, start_date: dt.date | None = None, end_date: dt.date | None = None,
                   fee: Decimal | None = None, visits_per_year: int | None = None) -> MaintenanceContract:
    """CON-02: the next contract, linked to this one, by default for the same length and terms right after it."""
    if contract.status == ContractStatus.TERMINATED:
        raise ConflictError(_("A terminated contract cannot be renewed."), code="terminated")
    if MaintenanceContract.objects.filter(previous=contract).exists():
        raise ConflictError(_("Contract %(no)s was already renewed.") % {"no": contract.number}, code="already_renewed")
    start = start_date or contract.end_date + dt.timedelta(days=1)
    end = end_date or start + (contract.end_date - contract.start_date)
    if start <= contract.start_date:
        raise DomainError({"start_date": [_("The renewal must start after the contract it renews.")]})
    with transaction.atomic():
        renewed = contract_create(
            actor=actor, customer=contract.customer, equipment=list(contract.equipment.all()), start_date=start, end_date=end,
            fee=contract.fee if fee is None else fee, covers_labour=contract.covers_labour, covers_parts=contract.covers_parts,
            covers_travel=contract.covers_travel, visits_per_year=contract.visits_per_year if visits_per_year is None else visits_per_year,
            coverage_notes=contract.coverage_notes, sla_level=contract.sla_level, salesperson=contract.salesperson, previous=contract)
        RenewalTask.objects.filter(contract=contract, done_at__isnull=True).update(done_at=timezone.now(), result=RenewalTask.Result.RENEWED,
                                                                                    note=renewed.number)
    return renewed


def renewal_declined(*, actor, task: RenewalTask, note: str) -> RenewalTask:
    if not actor.has_perm("contracts.manage", task.contract.customer):
        raise PermissionDenied(_("You may not manage contracts of this customer."))
    if not note.strip():
        raise DomainError({"note": [_("Write why the customer does not renew.")]})
    with transaction.atomic():
        current = RenewalTask.objects.select_for_update().get(pk=task.pk)
        if current.done_at is not None:
            raise ConflictError(_("This renewal task is already closed."), code="done")
        current.done_at, current.result, current.note = timezone.now(), RenewalTask.Result.DECLINED, note.strip()
        current._history_user = actor
        current.save()
    return current


def contract_terminate(*, actor, contract: MaintenanceContract, reason: str) -> MaintenanceContract:
    if not actor.has_perm("contracts.manage", contract.customer):
        raise PermissionDenied(_("You may not manage contracts of this customer."))
    if not reason.strip():
        raise DomainError({"reason": [_("Give the reason.")]})
    with transaction.atomic():
        current = MaintenanceContract.objects.select_for_update().get(pk=contract.pk)
        if current.status == ContractStatus.TERMINATED:
            raise ConflictError(_("The contract is already terminated."), code="terminated")
        current.status = ContractStatus.TERMINATED
        current.coverage_notes = (current.coverage_notes + "\n" + _("Terminated: %(r)s") % {"r": reason.strip()}).strip()
        current._history_user = actor
        current.save()
        PlannedVisit.objects.filter(contract=current, request__isnull=True, planned_on__gt=timezone.localdate()).update(cancelled=True)
    return current


def _salesperson_for(contract: MaintenanceContract) -> User | None:
    if contract.salesperson_id and contract.salesperson.is_active:
        return contract.salesperson
    return User.objects.filter(is_active=True, groups__name=roles.SALES, service_center=contract.customer.service_center_id).order_by("id").first() or \
        User.objects.filter(is_active=True, groups__name=roles.SALES).order_by("id").first()


def contract_notice_sweep(today: dt.date | None = None) -> int:
    """CON-02 at T-30: the expiry notice (printable, and a message to the customer) and a renewal task for a salesperson."""
    from aftersales.notifications.models import Purpose
    from aftersales.notifications.outbox import send_to_customer
    from aftersales.notifications.services import notice_send

    today = today or timezone.localdate()
    sent = 0
    due = MaintenanceContract.objects.filter(status=ContractStatus.ACTIVE, renewal_notice_sent_at__isnull=True, renewal_notice_on__lte=today,
                                             end_date__gte=today).select_related("customer", "salesperson")
    for contract in due:
        with transaction.atomic():
            if not MaintenanceContract.objects.filter(pk=contract.pk, renewal_notice_sent_at__isnull=True).update(renewal_notice_sent_at=timezone.now()):
                continue  # another sweeper did it
            if MaintenanceContract.objects.filter(previous=contract).exists():
                continue  # renewed early: nothing to chase
            with translation.override(settings.LANGUAGE_CODE):
                body = _("Your maintenance contract %(no)s ends on %(end)s. Our salesperson will contact you about renewing it.") % {
                    "no": contract.number, "end": f"{contract.end_date:%Y-%m-%d}"}
                subject = _("Maintenance expiry notice (保养到期通知书)")
            send_to_customer(contract.customer, key=f"contract-notice:{contract.pk}", purpose=Purpose.SERVICE, body=body, subject=subject)
            seller = _salesperson_for(contract)
            task = RenewalTask.objects.create(contract=contract, assigned_to=seller, due_on=contract.end_date)
            if seller is not None:
                notice_send(recipients=[seller], kind="renewal", title=_("Seek the renewal of contract %(no)s (%(c)s)") % {
                    "no": contract.number, "c": contract.customer.name}, url=reverse("contracts:detail", args=[contract.pk]),
                    dedupe_key=f"renewal:{task.pk}")
            sent += 1
    return sent


def contract_visit_sweep(today: dt.date | None = None) -> int:
    """Planned preventive visits due within the lead days become calls (category B by the contract), once each."""
    from aftersales.servicedesk.models import Channel, JobType
    from aftersales.servicedesk.services import RequestInput, service_request_register

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.CONTRACT_VISIT_LEAD_DAYS)
    made = 0
    plans = (PlannedVisit.objects.filter(request__isnull=True, cancelled=False, planned_on__lte=horizon, planned_on__gte=today - dt.timedelta(days=30),
                                         contract__status=ContractStatus.ACTIVE)
             .select_related("contract__customer", "equipment").order_by("planned_on", "id"))
    now = timezone.now()
    for plan in plans:
        with transaction.atomic():
            locked = PlannedVisit.objects.select_for_update().get(pk=plan.pk)
            if locked.request_id is not None:
                continue
            customer = plan.contract.customer
            when = timezone.make_aware(dt.datetime.combine(plan.planned_on, dt.time.fromisoformat(settings.CONTRACT_VISIT_TIME)))
            with translation.override(settings.LANGUAGE_CODE):
                text = _("Preventive maintenance under contract %(no)s") % {"no": plan.contract.number}
            phone = customer.primary_phone.number if customer.primary_phone else ""
            request = service_request_register(actor=None, data=RequestInput(
                customer=customer, equipment=plan.equipment, contact_phone=phone, fault_description=text,
                requested_time=when if when > now else None, channel=Channel.CONTRACT, job_type=JobType.MAINTENANCE))
            locked.request = request
            locked.save(update_fields=["request"])
            made += 1
    return made
