"""Returns of sold goods and parts, judged by written rules (退货管理制度, RET-01..18).

``Shipment`` rows are what was sold (by whom, when it left and arrived): returns are judged
against them and the return rate is computed on them. ``ReturnRule`` rows are the written policy as
data; the first active rule whose conditions hold decides, and the decision names it. A
``ReturnRequest`` then moves requested → approved → arrived → settled (or refused / cancelled), with
the 5-day settlement clock from arrival and the 30-day escalation persisted.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.files import UnguessableName, private_storage
from aftersales.core.models import TimeStampedModel

MONEY = {"max_digits": 12, "decimal_places": 2}
QTY = {"max_digits": 12, "decimal_places": 2}


class GoodsClass(models.TextChoices):
    REGULAR = "regular", _("Regular goods")
    HANDICRAFT = "handicraft", _("Handicraft order")
    PRACTICAL = "practical", _("Practical goods")
    SEASONAL = "seasonal", _("Seasonal")
    CUSTOM = "custom", _("Custom-made")
    SPECIAL_PRICE = "special_price", _("Special price")
    DISCONTINUED = "discontinued", _("Discontinued")
    LARGE = "large", _("Large item")
    FRAGILE = "fragile", _("Porcelain or pewter")
    ELECTRICAL = "electrical", _("Phone or electrical")
    SAMPLE = "sample", _("Factory-supported sample")
    PART = "part", _("Spare part")


class Shipment(TimeStampedModel):
    number = models.CharField(_("delivery no."), max_length=30, unique=True)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="shipments")
    salesperson = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("salesperson"), on_delete=models.PROTECT, related_name="shipments")
    shipped_on = models.DateField(_("shipped on"), db_index=True)
    received_on = models.DateField(_("received by the customer on"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-shipped_on", "-id"]

    def __str__(self) -> str:
        return self.number


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    item_code = models.CharField(_("item code"), max_length=40)
    description = models.CharField(_("description"), max_length=120)
    goods_class = models.CharField(_("goods class"), max_length=15, choices=GoodsClass.choices, default=GoodsClass.REGULAR)
    sold_by_us = models.BooleanField(_("sold by the company"), default=True)
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    unit_cost = models.DecimalField(_("unit cost"), default=Decimal("0.00"), **MONEY)

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="shipment_line_positive")]

    def __str__(self) -> str:
        return f"{self.shipment} · {self.description}"

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


class Reason(models.TextChoices):
    TRANSIT_DAMAGE = "transit_damage", _("Damaged in transit")
    QUALITY_DEFECT = "quality_defect", _("Quality defect")
    SHORTAGE = "shortage", _("Shortage")
    WRONG_ITEM = "wrong_item", _("Wrong item picked by the warehouse")
    ORDER_ERROR = "order_error", _("Sales order error")
    BATCH_DEFECT = "batch_defect", _("Factory batch defect")
    NOT_WANTED = "not_wanted", _("Customer no longer wants it")


class Outcome(models.TextChoices):
    REFUSE_AT_CARRIER = "refuse_at_carrier", _("Refuse it at the carrier: the goods go straight back")
    FREE_RETURN = "free_return", _("Free return")
    SALESPERSON_RESOLVES = "salesperson_resolves", _("The salesperson resolves it")
    EXCHANGE = "exchange", _("Exchange")
    EXCHANGE_OR_REPAIR = "exchange_or_repair", _("Exchange or repair")
    TAKE_BACK = "take_back", _("The company takes it back")
    PARTIAL_CREDIT = "partial_credit", _("Return for partial credit")
    APPROVAL_24H = "approval_24h", _("Photos first; after-sales decides within 24 h")
    PHOTO_REQUIRED = "photo_required", _("Send photos first")
    NOT_RETURNABLE = "not_returnable", _("Not returnable")
    NO_RETURN = "no_return", _("No return and no credit")


REFUSED = (Outcome.NOT_RETURNABLE, Outcome.NO_RETURN, Outcome.PHOTO_REQUIRED)


class FreightPayer(models.TextChoices):
    COMPANY = "company", _("The company")
    CUSTOMER = "customer", _("The customer")
    CARRIER = "carrier", _("The carrier")


class ReturnRule(models.Model):
    """One written rule (RET-02..09). Empty lists and bounds mean "any"; the first active matching rule decides."""

    position = models.PositiveSmallIntegerField(_("position"), unique=True)
    name = models.CharField(_("rule"), max_length=120)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    goods_classes = models.JSONField(_("goods classes"), default=list, blank=True)
    exclude_goods_classes = models.JSONField(_("except goods classes"), default=list, blank=True)
    sold_by_us = models.BooleanField(_("sold by the company"), null=True, blank=True)
    min_days_received = models.PositiveIntegerField(_("from day after receipt"), null=True, blank=True)
    max_days_received = models.PositiveIntegerField(_("to day after receipt"), null=True, blank=True)
    min_days_shipped = models.PositiveIntegerField(_("from day after shipment"), null=True, blank=True)
    max_days_shipped = models.PositiveIntegerField(_("to day after shipment"), null=True, blank=True)
    photo = models.BooleanField(_("photos given"), null=True, blank=True)
    film_removed = models.BooleanField(_("protective film removed"), null=True, blank=True)
    unless_purchasing_signed = models.BooleanField(_("not when the purchasing manager signed"), default=False)
    outcome = models.CharField(_("decision"), max_length=25, choices=Outcome.choices)
    credit_percent = models.PositiveSmallIntegerField(_("credit (%)"), default=100)
    freight = models.CharField(_("freight paid by"), max_length=10, choices=FreightPayer.choices, default=FreightPayer.COMPANY)
    fee = models.DecimalField(_("fee charged to the salesperson (yuan)"), default=Decimal("0.00"), **MONEY)
    note = models.CharField(_("explanation"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("return rule")
        verbose_name_plural = _("return rules")
        ordering = ["position"]
        constraints = [models.CheckConstraint(condition=Q(credit_percent__lte=100), name="return_rule_credit_max_100")]

    def __str__(self) -> str:
        return self.name


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    ARRIVED = "arrived", _("Arrived at the warehouse")
    SETTLED = "settled", _("Settled")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class ReturnRequest(TimeStampedModel):
    number = models.CharField(_("return no."), max_length=20, unique=True)
    line = models.ForeignKey(ShipmentLine, verbose_name=_("shipment line"), on_delete=models.PROTECT, related_name="returns")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="returns")
    service_center = models.ForeignKey("accounts.ServiceCenter", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+")
    salesperson = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("salesperson"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    description = models.TextField(_("what is wrong"), blank=True)
    quantity = models.DecimalField(_("quantity to return"), **QTY)
    reported_on = models.DateField(_("reported on"))
    photo = models.FileField(_("photo"), upload_to=UnguessableName("returns"), storage=private_storage, blank=True)
    film_removed = models.BooleanField(_("protective film removed"), default=False)
    missing_bags = models.PositiveIntegerField(_("handbags missing"), default=0)
    missing_boxes = models.PositiveIntegerField(_("boxes missing"), default=0)
    purchasing_signed = models.BooleanField(_("purchasing manager signed (RET-07)"), default=False)
    complaint = models.ForeignKey("complaints.ComplaintCase", verbose_name=_("complaint"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="returns")
    # decision (RET-03..10)
    rule = models.ForeignKey(ReturnRule, verbose_name=_("rule applied"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("decision"), max_length=25, choices=Outcome.choices)
    credit_percent = models.PositiveSmallIntegerField(_("credit (%)"), default=100)
    freight = models.CharField(_("freight paid by"), max_length=10, choices=FreightPayer.choices)
    explanation = models.TextField(_("why"))
    packaging_deduction = models.DecimalField(_("packaging deduction (yuan)"), default=Decimal("0.00"), **MONEY)
    salesperson_fee = models.DecimalField(_("fee charged to the salesperson (yuan)"), default=Decimal("0.00"), **MONEY)
    company_fault = models.BooleanField(_("company's shipping error or factory batch defect"), default=False)
    overdraft = models.BooleanField(_("overdraft selling (over a tenth of the batch returned)"), default=False)
    # flow
    status = models.CharField(_("status"), max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED, db_index=True)
    quantity_approved = models.DecimalField(_("quantity approved"), null=True, blank=True, **QTY)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    quantity_received = models.DecimalField(_("quantity received"), null=True, blank=True, **QTY)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("received by"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    inspection = models.TextField(_("inspection on receipt"), blank=True)
    settle_due_on = models.DateField(_("settle by"), null=True, blank=True)
    escalate_on = models.DateField(_("escalate on"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    delay_party = models.CharField(_("delayed by"), max_length=80, blank=True)
    delay_fee = models.DecimalField(_("delay fee (yuan)"), default=Decimal("0.00"), **MONEY)
    credit_amount = models.DecimalField(_("credit (yuan)"), null=True, blank=True, **MONEY)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    refuse_reason = models.CharField(_("refused because"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["escalate_on"], name="return_escalate_open", condition=Q(status="arrived", escalated_at__isnull=True))]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="return_quantity_positive")]

    def __str__(self) -> str:
        return self.number

    @property
    def posted_quantity(self) -> Decimal | None:
        """RET-16: what Accounting posts — the quantity actually received (checked against the approval on arrival)."""
        return self.quantity_received
