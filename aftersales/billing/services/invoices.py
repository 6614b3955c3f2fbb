"""Invoices, payments, cash hand-overs and parts-agreement settlements (BILL-01..03, BILL-06).

The system records the invoice the accountant issued; it does not talk to the tax authority.
A job is invoiced once (voiding frees it for a new invoice); a payment is never more than what
is still due; on-site cash is handed over to the accountant day by day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.billing.models import (
    PAYABLE_NOW,
    AgreementSettlement,
    CashHandover,
    ChargeLine,
    Coverage,
    Discount,
    Invoice,
    InvoiceKind,
    PartsAgreement,
    Payment,
    PaymentMethod,
)
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.models import document_number
from aftersales.core.money import ZERO, money
from aftersales.core.uploads import accept_image
from aftersales.workorders.models import Status as WorkOrderStatus
from aftersales.workorders.models import WorkOrder

DONE = (WorkOrderStatus.COMPLETED, WorkOrderStatus.RETURNED)
SETTLEMENT_PREFIX = "JS"


def totals(lines) -> tuple[Decimal, Decimal, Decimal]:
    """(net, tax, total) of lines: each the sum of the lines' own rounded amounts."""
    amounts = [line.amounts for line in lines]
    return sum((a.net for a in amounts), ZERO), sum((a.tax for a in amounts), ZERO), sum((a.total for a in amounts), ZERO)


def amount_due(work_order: WorkOrder) -> Decimal:
    """What the customer still owes on the job: its payable lines' total minus what was paid."""
    _net, _tax, total = totals(work_order.charges.filter(coverage__in=PAYABLE_NOW))
    paid = sum((p.amount for p in work_order.payments.all()), ZERO)
    return total - paid


def _check_invoice_fields(kind: str, number: str, issued_on: dt.date, title: str, tax_no: str) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in InvoiceKind.values:
        errors["kind"] = [_("Choose the invoice type.")]
    if not (number or "").strip():
        errors["number"] = [_("Enter the invoice number.")]
    if not (title or "").strip():
        errors["title"] = [_("Enter the invoice title (抬头).")]
    if kind == InvoiceKind.VAT_SPECIAL and not (tax_no or "").strip():
        errors["tax_no"] = [_("A VAT special invoice needs the buyer's tax number.")]
    if issued_on is None or issued_on > timezone.localdate():
        errors["issued_on"] = [_("The issue date cannot lie in the future.")]
    if errors:
        raise DomainError(errors)


def invoice_issue(*, actor, work_order: WorkOrder, kind: str, number: str, issued_on: dt.date, title: str, tax_no: str = "") -> Invoice:
    """Record the invoice for a finished paid job (same day on site, on the day of return for take-back; BILL-02/03).

    Refused: a job not finished, with nothing to pay, with a discount waiting for approval, or already invoiced.
    """
    if not actor.has_perm("billing.invoice", work_order):
        raise PermissionDenied(_("Only the accountant issues invoices."))
    _check_invoice_fields(kind, number, issued_on, title, tax_no)
    with transaction.atomic():
        current = WorkOrder.objects.select_for_update(of=("self",)).select_related("request__customer").get(pk=work_order.pk)
        if current.invoices.filter(voided_at__isnull=True).exists():
            raise ConflictError(_("Voucher %(no)s is already invoiced.") % {"no": current.number}, code="already_invoiced")
        if current.status not in DONE:
            raise ConflictError(_("Voucher %(no)s is not finished yet.") % {"no": current.number}, code="not_done")
        if Discount.objects.filter(line__work_order=current, status=Discount.Status.PENDING).exists():
            raise ConflictError(_("A discount on voucher %(no)s waits for approval.") % {"no": current.number}, code="discount_pending")
        lines = list(current.charges.filter(coverage__in=PAYABLE_NOW, invoice__isnull=True))
        net, tax, total = totals(lines)
        if total <= 0:
            raise DomainError(_("Nothing on voucher %(no)s is paid by the customer.") % {"no": current.number}, code="nothing_to_invoice")
        invoice = _create_invoice(actor, kind=kind, number=number, issued_on=issued_on, title=title, tax_no=tax_no, net=net, tax=tax, total=total,
                                  customer=current.request.customer, work_order=current)
        ChargeLine.objects.filter(pk__in=[line.pk for line in lines]).update(invoice=invoice)
    return invoice


def _create_invoice(actor, **fields) -> Invoice:
    issued_on = fields["issued_on"]
    try:
        with transaction.atomic():
            invoice = Invoice(due_on=issued_on + dt.timedelta(days=settings.INVOICE_PAYMENT_DAYS), issued_by=actor,
                              **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()})
            invoice._history_user = actor
            invoice.save()
    except IntegrityError as exc:
        raise DomainError({"number": [_("Invoice number %(no)s is already recorded.") % {"no": fields["number"]}]}, code="duplicate_number") from exc
    return invoice


def invoice_void(*, actor, invoice: Invoice, reason: str) -> Invoice:
    """Void an invoice (red-letter reversal done in the tax system); its lines can be invoiced again."""
    if not actor.has_perm("billing.invoice", invoice.work_order or invoice.customer):
        raise PermissionDenied(_("Only the accountant voids invoices."))
    if len((reason or "").strip()) < 2:
        raise DomainError({"reason": [_("Give the reason for voiding.")]})
    with transaction.atomic():
        current = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if current.voided_at is not None:
            raise ConflictError(_("Invoice %(no)s is already void.") % {"no": current.number}, code="void")
        current.voided_at, current.void_reason, current._history_user = timezone.now(), reason.strip()[:200], actor
        current.save()
        current.lines.update(invoice=None)
    return current


def payment_record(
    *, actor, work_order: WorkOrder, amount, method: str, collected_by=None, on_site: bool = False, reference: str = "",
    receipt_photo=None, collected_at: dt.datetime | None = None,
) -> Payment:
    """Money received for a job. Never more than is still due; a technician records only on-site money for his own job."""
    collector = collected_by or actor
    if not actor.has_perm("billing.collect", work_order):
        raise PermissionDenied(_("You may not record payments for this job."))
    if not actor.has_perm("billing.invoice", work_order):
        on_site, collector = True, actor  # a technician records only what he took himself, on site
    errors: dict[str, list[str]] = {}
    try:
        value = money(amount)
    except ArithmeticError:
        value = ZERO
    if value <= 0:
        errors["amount"] = [_("The amount must be more than 0.")]
    if method not in PaymentMethod.values:
        errors["method"] = [_("Choose how the customer paid.")]
    if method in (PaymentMethod.WECHAT, PaymentMethod.ALIPAY, PaymentMethod.BANK) and not (reference or "").strip() and receipt_photo is None:
        errors["reference"] = [_("Enter the transaction number or attach a photo of the receipt.")]
    if errors:
        raise DomainError(errors)
    # The photo is checked (and cleaned) before anything is written: a bad file stores nothing.
    photo = accept_image(receipt_photo, field="receipt_photo") if receipt_photo is not None else None
    with transaction.atomic():
        current = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
        due = amount_due(current)
        if value > due:
            raise DomainError({"amount": [_("Only %(due)s yuan is due on voucher %(no)s.") % {"due": due, "no": current.number}]}, code="overpayment")
        payment = Payment(work_order=current, amount=value, method=method, collected_by=collector, on_site=on_site, reference=(reference or "").strip()[:60],
                          collected_at=collected_at or timezone.now(), recorded_by=actor)
        if receipt_photo is not None:
            payment.receipt_photo = photo
        payment._history_user = actor
        payment.save()
    return payment


def unhanded_cash(technician, day: dt.date):
    """On-site payments a technician collected on ``day`` that the accountant has not yet received."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return Payment.objects.filter(collected_by=technician, on_site=True, handover__isnull=True,
                                  collected_at__gte=start, collected_at__lt=start + dt.timedelta(days=1)).order_by("collected_at")


def cash_handover_receive(*, actor, technician, day: dt.date, counted_total, note: str = "") -> CashHandover:
    """The accountant receives a technician's on-site takings of a day; the counted sum must match the records."""
    if not actor.has_perm("billing.invoice", technician.service_center) and not actor.has_global_scope:
        raise PermissionDenied(_("Only the accountant receives cash hand-overs."))
    with transaction.atomic():
        payments = list(unhanded_cash(technician, day).select_for_update())
        if not payments:
            raise DomainError(_("%(tech)s has nothing to hand over for %(day)s.") % {"tech": technician, "day": day}, code="nothing_to_hand_over")
        expected = sum((p.amount for p in payments), ZERO)
        if money(counted_total) != expected:
            raise DomainError({"counted_total": [_("The records say %(expected)s yuan; %(counted)s was counted. Check before receiving.")
                                                 % {"expected": expected, "counted": money(counted_total)}]}, code="count_mismatch")
        handover = CashHandover.objects.create(technician=technician, day=day, received_by=actor, received_at=timezone.now(), total=expected,
                                               note=(note or "").strip()[:200])
        Payment.objects.filter(pk__in=[p.pk for p in payments]).update(handover=handover)
    return handover


def agreement_create(*, actor, customer, start_date: dt.date, end_date: dt.date, settlement_months: int = 6,
                     price_factor: Decimal = Decimal("1.00"), number: str = "") -> PartsAgreement:
    """An out-of-warranty parts agreement (BILL-06): parts for this customer are settled every N months."""
    if not actor.has_perm("billing.price", customer):
        raise PermissionDenied(_("You may not make agreements for this customer."))
    if end_date < start_date or settlement_months < 1 or price_factor <= 0:
        raise DomainError({"end_date": [_("Check the dates, the settlement period and the price factor.")]})
    with transaction.atomic():
        agreement = PartsAgreement(number=number or document_number("XY", timezone.now()), customer=customer, start_date=start_date,
                                   end_date=end_date, settlement_months=settlement_months, price_factor=price_factor)
        agreement._history_user = actor
        agreement.save()
    return agreement


def settlement_create(*, actor, agreement: PartsAgreement, period_end: dt.date) -> AgreementSettlement:
    """Gather the agreement's unsettled lines of finished jobs up to ``period_end`` into one settlement to invoice."""
    if not actor.has_perm("billing.invoice", agreement.customer):
        raise PermissionDenied(_("Only the accountant settles agreements."))
    with transaction.atomic():
        last = agreement.settlements.order_by("-period_end").first()
        period_start = (last.period_end + dt.timedelta(days=1)) if last else agreement.start_date
        if period_end < period_start:
            raise DomainError({"period_end": [_("The period must end after %(d)s.") % {"d": period_start}]})
        end = timezone.make_aware(dt.datetime.combine(period_end + dt.timedelta(days=1), dt.time.min))
        lines = ChargeLine.objects.select_for_update().filter(
            coverage=Coverage.AGREEMENT, settlement__isnull=True, work_order__request__customer=agreement.customer,
            work_order__status__in=DONE, work_order__completed_at__lt=end,
        )
        if not lines.exists():
            raise DomainError(_("No agreement parts to settle up to %(d)s.") % {"d": period_end}, code="nothing_to_settle")
        settlement = AgreementSettlement.objects.create(number=document_number(SETTLEMENT_PREFIX, timezone.now()), agreement=agreement,
                                                        period_start=period_start, period_end=period_end, created_by=actor)
        lines.update(settlement=settlement)
    return settlement


def settlement_invoice(*, actor, settlement: AgreementSettlement, kind: str, number: str, issued_on: dt.date, title: str, tax_no: str = "") -> Invoice:
    if not actor.has_perm("billing.invoice", settlement.agreement.customer):
        raise PermissionDenied(_("Only the accountant issues invoices."))
    _check_invoice_fields(kind, number, issued_on, title, tax_no)
    with transaction.atomic():
        if settlement.invoices.filter(voided_at__isnull=True).exists():
            raise ConflictError(_("Settlement %(no)s is already invoiced.") % {"no": settlement.number}, code="already_invoiced")
        net, tax, total = totals(settlement.lines.all())
        return _create_invoice(actor, kind=kind, number=number, issued_on=issued_on, title=title, tax_no=tax_no, net=net, tax=tax, total=total,
                               customer=settlement.agreement.customer, settlement=settlement)
