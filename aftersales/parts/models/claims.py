"""Old parts returned to the factory (旧件返厂), warranty claims (索赔单) and back-orders (PART-01, PART-04)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from aftersales.core.files import UnguessableName, private_storage
from aftersales.core.models import TimeStampedModel
from aftersales.parts.models.catalogue import Part, Supplier
from aftersales.parts.models.stock import QTY

MONEY = {"max_digits": 12, "decimal_places": 2}


class OldPartStatus(models.TextChoices):
    TAGGED = "tagged", _("Tagged, with the technician")
    RECEIVED = "received", _("Received at the centre")
    SHIPPED = "shipped", _("Returned to the factory")
    SCRAPPED = "scrapped", _("Scrapped on the factory's instruction")


class OldPart(TimeStampedModel):
    """A defective part taken out in a warranty repair, tagged for return to the manufacturer."""

    tag = models.CharField(_("tag no."), max_length=20, unique=True, editable=False)
    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), **QTY)
    work_order = models.ForeignKey("workorders.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT, related_name="old_parts")
    usage = models.ForeignKey("parts.WorkOrderPart", verbose_name=_("replacement"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="old_parts")
    status = models.CharField(_("status"), max_length=10, choices=OldPartStatus.choices, default=OldPartStatus.TAGGED)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("returned to factory at"), null=True, blank=True)
    shipment_ref = models.CharField(_("shipment / waybill no."), max_length=60, blank=True)
    claim = models.ForeignKey("parts.WarrantyClaim", verbose_name=_("warranty claim"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="old_parts")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("old part")
        verbose_name_plural = _("old parts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.tag} {self.part}"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the manufacturer")
    APPROVED = "approved", _("Approved")
    PARTLY_APPROVED = "partly_approved", _("Partly approved")
    REJECTED = "rejected", _("Rejected")


DECIDED = (ClaimStatus.APPROVED, ClaimStatus.PARTLY_APPROVED, ClaimStatus.REJECTED)


class WarrantyClaim(ConcurrentTransitionMixin, TimeStampedModel):
    """索赔单: what the manufacturer owes for a warranty repair — parts, labour and the evidence."""

    number = models.CharField(_("claim no."), max_length=20, unique=True, editable=False)
    work_order = models.ForeignKey("workorders.WorkOrder", verbose_name=_("work order"), on_delete=models.PROTECT, related_name="claims")
    manufacturer = models.ForeignKey(Supplier, verbose_name=_("manufacturer"), on_delete=models.PROTECT, related_name="claims")
    status = FSMField(_("status"), default=ClaimStatus.DRAFT, choices=ClaimStatus.choices, protected=True)
    parts_amount = models.DecimalField(_("parts claimed (yuan)"), default=Decimal("0"), **MONEY)
    labour_minutes = models.PositiveIntegerField(_("labour claimed (minutes)"), default=0)
    labour_amount = models.DecimalField(_("labour claimed (yuan)"), default=Decimal("0"), **MONEY)
    description = models.TextField(_("fault and repair"), blank=True)
    approved_amount = models.DecimalField(_("approved (yuan)"), null=True, blank=True, **MONEY)
    decision_note = models.CharField(_("manufacturer's answer"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("warranty claim")
        verbose_name_plural = _("warranty claims")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def claimed_amount(self) -> Decimal:
        return self.parts_amount + self.labour_amount

    @transition(field=status, source=ClaimStatus.DRAFT, target=ClaimStatus.SUBMITTED)
    def submit(self) -> None:
        pass

    @transition(field=status, source=ClaimStatus.SUBMITTED, target=ClaimStatus.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=status, source=ClaimStatus.SUBMITTED, target=ClaimStatus.PARTLY_APPROVED)
    def approve_partly(self) -> None:
        pass

    @transition(field=status, source=ClaimStatus.SUBMITTED, target=ClaimStatus.REJECTED)
    def reject(self) -> None:
        pass


class ClaimAttachment(models.Model):
    """Evidence for a claim: photos of the defect, the old part's tag, test reports."""

    claim = models.ForeignKey(WarrantyClaim, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=UnguessableName("claims"), storage=private_storage)
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class BackOrderStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    ARRIVED = "arrived", _("Arrived")
    CANCELLED = "cancelled", _("Cancelled")


class BackOrder(TimeStampedModel):
    """A part ordered for a customer's job, tracked until it arrives (PART-04).

    ``warranty_ends`` is the covering warranty's last day when the order was placed or re-dated;
    when the part is expected after it, the order carries a warning (the customer may have to pay).
    """

    number = models.CharField(_("back-order no."), max_length=20, unique=True, editable=False)
    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), **QTY)
    work_order = models.ForeignKey("workorders.WorkOrder", verbose_name=_("for job"), on_delete=models.PROTECT, related_name="back_orders")
    supplier = models.ForeignKey(Supplier, verbose_name=_("supplier"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expected_on = models.DateField(_("expected on"))
    status = models.CharField(_("status"), max_length=10, choices=BackOrderStatus.choices, default=BackOrderStatus.ORDERED, db_index=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    delay_count = models.PositiveSmallIntegerField(_("times delayed"), default=0)
    last_delay_reason = models.CharField(_("last delay reason"), max_length=200, blank=True)
    customer_told_at = models.DateTimeField(_("customer last told at"), null=True, blank=True)
    customer_told_via = models.CharField(_("customer told via"), max_length=20, blank=True)
    warranty_ends = models.DateField(_("warranty ends"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("back-order")
        verbose_name_plural = _("back-orders")
        ordering = ["expected_on", "id"]

    def __str__(self) -> str:
        return self.number

    @property
    def warranty_expires_first(self) -> bool:
        """The equipment's warranty ends before the part is expected (PART-04 alert)."""
        return self.status == BackOrderStatus.ORDERED and self.warranty_ends is not None and self.warranty_ends < self.expected_on
