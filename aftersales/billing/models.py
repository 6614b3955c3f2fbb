"""Price lists, quotations, charge lines with per-line coverage, discounts, invoices, payments,
cash hand-overs and out-of-warranty parts agreements (BILL-01..06, INTK-09, CLS-03, PART-03)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from aftersales.accounts.models import Zone
from aftersales.core.files import UnguessableName, private_storage
from aftersales.core.models import TimeStampedModel
from aftersales.core.money import line_amounts
from aftersales.customers.models import Customer
from aftersales.equipment.models import ProductModel
from aftersales.parts.models import Part, WorkOrderPart
from aftersales.workorders.models import WorkOrder

MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0"))]


class JobType(models.TextChoices):
    ON_SITE = "on_site", _("On-site service")
    WORKSHOP = "workshop", _("Workshop repair")


class PriceList(TimeStampedModel):
    """The published service price list (BILL-04); the one in force on a date is the latest that has started."""

    name = models.CharField(_("name"), max_length=80)
    effective_from = models.DateField(_("in force from"), unique=True)
    minimum_minutes = models.PositiveIntegerField(_("minimum billable time (minutes)"), default=60)
    increment_minutes = models.PositiveIntegerField(_("billed in steps of (minutes)"), default=30, validators=[MinValueValidator(1)])
    call_out_fee = models.DecimalField(_("call-out fee per visit"), default=Decimal("0"), validators=POSITIVE, **MONEY)
    travel_per_km = models.DecimalField(_("travel per km (remote zones)"), default=Decimal("0"), validators=POSITIVE, **MONEY)
    notes = models.TextField(_("notes printed on the list"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from})"


class LabourRate(models.Model):
    """Hourly labour rate by technician grade (empty = any grade) and job type."""

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="labour_rates")
    grade = models.PositiveSmallIntegerField(_("technician grade"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    job_type = models.CharField(_("job type"), max_length=10, choices=JobType.choices)
    hourly_rate = models.DecimalField(_("rate per hour"), validators=POSITIVE, **MONEY)

    class Meta:
        ordering = ["job_type", "grade"]
        constraints = [models.UniqueConstraint(fields=["price_list", "grade", "job_type"], name="uniq_labour_rate")]

    def __str__(self) -> str:
        return f"{self.get_job_type_display()} {self.grade or '*'}: {self.hourly_rate}"


class ZoneTravelFee(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="travel_fees")
    zone = models.CharField(_("zone"), max_length=10, choices=Zone.choices)
    fee = models.DecimalField(_("travel fee per visit"), validators=POSITIVE, **MONEY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["price_list", "zone"], name="uniq_zone_fee")]

    def __str__(self) -> str:
        return f"{self.get_zone_display()}: {self.fee}"


class QuoteFamily(models.Model):
    """A machine family's quoting menu (点餐 quoting, PART-03): its models and the parts and
    accessories any clerk may quote for it at once."""

    name = models.CharField(_("family"), max_length=60, unique=True)
    product_models = models.ManyToManyField(ProductModel, verbose_name=_("product models"), blank=True, related_name="quote_families")
    parts = models.ManyToManyField(Part, verbose_name=_("parts and accessories"), blank=True, related_name="quote_families")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("quotation family")
        verbose_name_plural = _("quotation families")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class LineKind(models.TextChoices):
    LABOUR = "labour", _("Labour")
    TRAVEL = "travel", _("Travel")
    CALL_OUT = "call_out", _("Call-out fee")
    PART = "part", _("Part")
    OTHER = "other", _("Other")


class QuotationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent to the customer")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Declined")


class Quotation(ConcurrentTransitionMixin, TimeStampedModel):
    """报价单: parts and work priced for a customer before paid work starts (INTK-09)."""

    number = models.CharField(_("quotation no."), max_length=20, unique=True, editable=False)
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="quotations")
    work_order = models.ForeignKey(WorkOrder, verbose_name=_("for job"), null=True, blank=True, on_delete=models.PROTECT, related_name="quotations")
    family = models.ForeignKey(QuoteFamily, verbose_name=_("family"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = FSMField(_("status"), default=QuotationStatus.DRAFT, choices=QuotationStatus.choices, protected=True)
    valid_until = models.DateField(_("valid until"))
    note = models.TextField(_("note to the customer"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("accepted / declined at"), null=True, blank=True)
    acceptance_signature = models.BinaryField(_("customer's signature"), null=True, blank=True)
    acceptance_signer = models.CharField(_("accepted by (customer)"), max_length=60, blank=True)
    acceptance_note = models.CharField(_("clerk's note of the acceptance"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("quoted by"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at", "acceptance_signature"])

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @transition(field=status, source=QuotationStatus.DRAFT, target=QuotationStatus.SENT)
    def send(self) -> None:
        pass

    @transition(field=status, source=[QuotationStatus.DRAFT, QuotationStatus.SENT], target=QuotationStatus.ACCEPTED)
    def accept(self) -> None:
        pass

    @transition(field=status, source=[QuotationStatus.DRAFT, QuotationStatus.SENT], target=QuotationStatus.REJECTED)
    def decline(self) -> None:
        pass


class QuotationLine(models.Model):
    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=10, choices=LineKind.choices)
    part = models.ForeignKey(Part, verbose_name=_("part"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), validators=POSITIVE, **MONEY)
    unit_price = models.DecimalField(_("unit price"), validators=POSITIVE, **MONEY)
    tax_rate = models.DecimalField(_("tax rate"), max_digits=5, decimal_places=4)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.description} × {self.quantity}"

    @property
    def amounts(self):
        return line_amounts(quantity=self.quantity, unit_price=self.unit_price, tax_rate=self.tax_rate)


class Coverage(models.TextChoices):
    PAID = "paid", _("Paid by the customer")
    WARRANTY = "warranty", _("Whole-unit warranty")
    MAIN_PART = "main_part", _("Main-part warranty")
    CONTRACT = "contract", _("Maintenance contract")
    AGREEMENT = "agreement", _("Parts agreement (settled half-yearly)")
    GOODWILL = "goodwill", _("Free by decision")
    INTERNAL = "internal", _("Internal work")


# What the customer pays on the job's own invoice; agreement lines are invoiced at settlement.
PAYABLE_NOW = (Coverage.PAID,)
CUSTOMER_PAYS = (Coverage.PAID, Coverage.AGREEMENT)
# What the company bears (CLS-03: parts cost in and out of warranty).
COMPANY_BEARS = (Coverage.WARRANTY, Coverage.MAIN_PART, Coverage.CONTRACT, Coverage.GOODWILL, Coverage.INTERNAL)


class ChargeLine(TimeStampedModel):
    """One line of what a job costs: coverage is decided when the line is created and stored with
    its reason; ``cost`` is what it costs the company, shown even when the customer pays nothing."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="charges")
    kind = models.CharField(_("kind"), max_length=10, choices=LineKind.choices)
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), validators=POSITIVE, **MONEY)
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    unit_price = models.DecimalField(_("unit price"), validators=POSITIVE, **MONEY)
    tax_rate = models.DecimalField(_("tax rate"), max_digits=5, decimal_places=4)
    discount = models.DecimalField(_("approved discount"), default=Decimal("0"), validators=POSITIVE, **MONEY)
    coverage = models.CharField(_("coverage"), max_length=10, choices=Coverage.choices)
    coverage_reason = models.CharField(_("coverage reason"), max_length=300)
    coverage_overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cost = models.DecimalField(_("cost to the company"), default=Decimal("0"), **MONEY)
    part_usage = models.OneToOneField(WorkOrderPart, null=True, blank=True, on_delete=models.PROTECT, related_name="charge")
    quotation_line = models.OneToOneField(QuotationLine, null=True, blank=True, on_delete=models.PROTECT, related_name="charge")
    auto = models.BooleanField(_("priced automatically"), default=False)
    adjusted_reason = models.CharField(_("why the supervisor adjusted it"), max_length=200, blank=True)  # an adjusted line is not recomputed
    invoice = models.ForeignKey("billing.Invoice", null=True, blank=True, on_delete=models.SET_NULL, related_name="lines")
    settlement = models.ForeignKey("billing.AgreementSettlement", null=True, blank=True, on_delete=models.SET_NULL, related_name="lines")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("charge line")
        verbose_name_plural = _("charge lines")
        ordering = ["id"]
        indexes = [models.Index(fields=["work_order", "coverage"], name="charge_wo_coverage"),
                   models.Index(fields=["created_at"], name="charge_created")]  # the reports' money of a period

    def __str__(self) -> str:
        return f"{self.description} × {self.quantity}"

    @property
    def amounts(self):
        return line_amounts(quantity=self.quantity, unit_price=self.unit_price, tax_rate=self.tax_rate, discount=self.discount,
                            payable=self.coverage in CUSTOMER_PAYS)

    @property
    def is_locked(self) -> bool:
        """Invoiced or settled lines no longer change."""
        return self.invoice_id is not None or self.settlement_id is not None


class Discount(TimeStampedModel):
    """A discount asked on one paid line; above ``DISCOUNT_APPROVAL_PERCENT`` of the line it waits
    for a supervisor's approval. Approved discounts appear on the monthly 售后折价单 (BILL-05)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Refused")

    line = models.ForeignKey(ChargeLine, on_delete=models.PROTECT, related_name="discounts")
    amount = models.DecimalField(_("discount (yuan)"), validators=POSITIVE, **MONEY)
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("discount")
        verbose_name_plural = _("discounts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.line} −{self.amount}"


class InvoiceKind(models.TextChoices):
    VAT_SPECIAL = "vat_special", _("VAT special invoice (增值税专用发票)")
    VAT_NORMAL = "vat_normal", _("VAT normal invoice (增值税普通发票)")
    RECEIPT = "receipt", _("Receipt (收据)")


class Invoice(TimeStampedModel):
    """What the accountant issued (the system records it; it does not talk to the tax authority).

    Exactly one of ``work_order`` (a job) or ``settlement`` (a parts agreement's period) is set;
    a job or settlement has at most one invoice in force.
    """

    kind = models.CharField(_("invoice type"), max_length=12, choices=InvoiceKind.choices)
    number = models.CharField(_("invoice no."), max_length=40)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("payment due"))
    title = models.CharField(_("title (抬头)"), max_length=120)
    tax_no = models.CharField(_("tax number"), max_length=30, blank=True)
    work_order = models.ForeignKey(WorkOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    settlement = models.ForeignKey("billing.AgreementSettlement", null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="invoices")
    net = models.DecimalField(_("net"), **MONEY)
    tax = models.DecimalField(_("tax"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("void reason"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(work_order__isnull=False) ^ Q(settlement__isnull=False), name="invoice_for_job_xor_settlement"),
            models.UniqueConstraint(fields=["work_order"], condition=Q(voided_at__isnull=True, work_order__isnull=False), name="one_invoice_per_job"),
            models.UniqueConstraint(fields=["settlement"], condition=Q(voided_at__isnull=True, settlement__isnull=False),
                                    name="one_invoice_per_settlement"),
            models.UniqueConstraint(fields=["kind", "number"], name="uniq_invoice_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    BANK = "bank", _("Bank transfer")


class Payment(TimeStampedModel):
    """Money received for a job (or a settlement): on site by the technician, or later by the accountant."""

    work_order = models.ForeignKey(WorkOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    settlement = models.ForeignKey("billing.AgreementSettlement", null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), **MONEY)
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("collected by"), on_delete=models.PROTECT, related_name="+")
    collected_at = models.DateTimeField(_("collected at"))
    on_site = models.BooleanField(_("collected on site"), default=False)
    reference = models.CharField(_("transaction / receipt no."), max_length=60, blank=True)
    receipt_photo = models.FileField(_("photo of the receipt"), upload_to=UnguessableName("payments"), storage=private_storage, blank=True)
    handover = models.ForeignKey("billing.CashHandover", null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-collected_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
            models.CheckConstraint(condition=Q(work_order__isnull=False) ^ Q(settlement__isnull=False), name="payment_for_job_xor_settlement"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.get_method_display()}"


class CashHandover(TimeStampedModel):
    """现金交接: what a technician collected on site on one day, counted and received by the accountant."""

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.PROTECT, related_name="handovers")
    day = models.DateField(_("day collected"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"))
    total = models.DecimalField(_("total"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cash hand-over")
        verbose_name_plural = _("cash hand-overs")
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"{self.technician} {self.day} {self.total}"


class PartsAgreement(TimeStampedModel):
    """保期外配件更换协议 (BILL-06): out-of-warranty parts for this customer are charged to the
    agreement and settled every ``settlement_months`` (default six) rather than job by job."""

    number = models.CharField(_("agreement no."), max_length=30, unique=True)
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="parts_agreements")
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    settlement_months = models.PositiveSmallIntegerField(_("settled every (months)"), default=6, validators=[MinValueValidator(1)])
    price_factor = models.DecimalField(_("price factor on the list price"), max_digits=4, decimal_places=2, default=Decimal("1.00"),
                                       validators=[MinValueValidator(Decimal("0.01"))])
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("parts agreement")
        verbose_name_plural = _("parts agreements")
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return self.number

    def is_active_on(self, day) -> bool:
        return self.is_active and self.start_date <= day <= self.end_date


class AgreementSettlement(TimeStampedModel):
    """One settlement period of a parts agreement: its lines are invoiced together."""

    number = models.CharField(_("settlement no."), max_length=20, unique=True, editable=False)
    agreement = models.ForeignKey(PartsAgreement, on_delete=models.PROTECT, related_name="settlements")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("agreement settlement")
        verbose_name_plural = _("agreement settlements")
        ordering = ["-period_end"]

    def __str__(self) -> str:
        return self.number
