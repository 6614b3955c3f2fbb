"""Quotations (PART-03, INTK-09): quote from a family's menu, send, accept (signature or note), turn into charges."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from aftersales.billing.models import LineKind, Quotation, QuotationLine, QuoteFamily
from aftersales.billing.services.charges import _new_line, reconcile_part_lines, tax_rate
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.models import document_number
from aftersales.core.money import money
from aftersales.customers.models import Customer
from aftersales.parts.models import Part
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services import work_order_record_paid_acceptance
from aftersales.workorders.services.signatures import decode_signature

PREFIX = "BJ"


@dataclass
class QuoteItem:
    """One line to quote: a catalogue part (priced from the catalogue unless a price is given) or a service."""

    quantity: Decimal
    part: Part | None = None
    kind: str = LineKind.PART
    description: str = ""
    unit_price: Decimal | None = None


def _check_items(items: list[QuoteItem]) -> None:
    if not items:
        raise DomainError({"lines": [_("Quote at least one item.")]})
    for item in items:
        if Decimal(item.quantity) <= 0:
            raise DomainError({"lines": [_("Quantities must be more than 0.")]})
        if item.unit_price is not None and Decimal(item.unit_price) < 0:
            raise DomainError({"lines": [_("A price cannot be negative.")]})
        if item.part is None and not (item.description or "").strip():
            raise DomainError({"lines": [_("Describe each service you quote.")]})
        if item.kind not in LineKind.values:
            raise DomainError({"lines": [_("Unknown kind of line.")]})


def quotation_create(*, actor, customer: Customer, items: list[QuoteItem], work_order: WorkOrder | None = None,
                     family: QuoteFamily | None = None, note: str = "", valid_days: int | None = None) -> Quotation:
    """Quote ``items`` to ``customer`` (for a job when given). Any clerk may quote from a family's menu."""
    if not actor.has_perm("billing.quote", work_order or customer):
        raise PermissionDenied(_("You may not quote for this customer."))
    if work_order is not None and work_order.request.customer_id != customer.pk:
        raise DomainError({"work_order": [_("This job belongs to another customer.")]})
    _check_items(items)
    now = timezone.now()
    with transaction.atomic():
        quotation = Quotation.objects.create(
            number=document_number(PREFIX, now), customer=customer, work_order=work_order, family=family, note=(note or "").strip(),
            valid_until=timezone.localdate() + dt.timedelta(days=valid_days or settings.QUOTATION_VALID_DAYS), created_by=actor,
        )
        QuotationLine.objects.bulk_create([
            QuotationLine(quotation=quotation, kind=LineKind.PART if item.part else item.kind, part=item.part,
                          description=(item.description or str(item.part or "")).strip()[:200], quantity=money(item.quantity),
                          unit_price=money(item.unit_price if item.unit_price is not None else item.part.sale_price), tax_rate=tax_rate())
            for item in items
        ])
    return quotation


def _locked(quotation: Quotation, expected_version: int | None) -> Quotation:
    current = Quotation.objects.select_for_update(of=("self",)).select_related("work_order", "customer").get(pk=quotation.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(_("Someone else changed quotation %(no)s meanwhile. Reload and try again.") % {"no": current.number})
    return current


def _advance(current: Quotation, transition: str, actor) -> None:
    if not can_proceed(getattr(current, transition)):
        raise ConflictError(_("Quotation %(no)s is “%(state)s”; this step is not possible now.")
                            % {"no": current.number, "state": current.get_status_display()}, code="illegal_transition")
    getattr(current, transition)()
    current.version += 1
    current._history_user = actor
    current.save()


def quotation_send(*, actor, quotation: Quotation) -> Quotation:
    """Mark the quotation as given to the customer (printed, or sent by message)."""
    with transaction.atomic():
        current = _locked(quotation, None)
        current.sent_at = timezone.now()
        _advance(current, "send", actor)
    return current


def quotation_accept(*, actor, quotation: Quotation, signature: str = "", signer_name: str = "", note: str = "",
                     expected_version: int | None = None) -> Quotation:
    """The customer accepts: by signing on the technician's screen, or by phone as the clerk notes.

    An expired quotation is refused. The lines become the job's charges (coverage decided per line)
    and a paid job may start (INTK-09).
    """
    if not actor.has_perm("billing.quote", quotation.work_order or quotation.customer):
        raise PermissionDenied(_("You may not record this customer's answer."))
    png = decode_signature(signature) if (signature or "").strip() else None
    if png is not None and not (signer_name or "").strip():
        raise DomainError({"signer_name": [_("Enter the name of the person who signed.")]})
    if png is None and len((note or "").strip()) < 2:
        raise DomainError({"note": [_("Have the customer sign, or note how the acceptance was given (who, when, by phone …).")]})
    with transaction.atomic():
        current = _locked(quotation, expected_version)
        if current.valid_until < timezone.localdate():
            raise ConflictError(_("Quotation %(no)s expired on %(d)s; quote again.") % {"no": current.number, "d": current.valid_until},
                                code="expired")
        current.decided_at, current.recorded_by = timezone.now(), actor
        current.acceptance_signature, current.acceptance_signer, current.acceptance_note = png, (signer_name or "").strip()[:60], (note or "").strip()[:300]
        _advance(current, "accept", actor)
        if current.work_order is not None:
            for line in current.lines.select_related("part").filter(part__isnull=True):  # parts are billed when used, at this price
                _new_line(current.work_order, kind=line.kind, description=line.description, quantity=line.quantity, unit_price=line.unit_price,
                          part=line.part, cost=(line.quantity * line.part.cost) if line.part else None, actor=actor, quotation_line=line,
                          unit=line.part.unit if line.part else "")
            for part in {line.part for line in current.lines.select_related("part") if line.part is not None}:
                reconcile_part_lines(actor=actor, work_order=current.work_order, part=part)  # parts used before the acceptance
            how = _("Quotation %(no)s signed by %(name)s") % {"no": current.number, "name": current.acceptance_signer} if png else \
                _("Quotation %(no)s accepted: %(note)s") % {"no": current.number, "note": current.acceptance_note}
            work_order_record_paid_acceptance(actor=actor, work_order=current.work_order, how=how)
    return current


def quotation_decline(*, actor, quotation: Quotation, note: str = "") -> Quotation:
    with transaction.atomic():
        current = _locked(quotation, None)
        current.decided_at, current.acceptance_note, current.recorded_by = timezone.now(), (note or "").strip()[:300], actor
        _advance(current, "decline", actor)
    return current
