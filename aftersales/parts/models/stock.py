"""Warehouses at three levels and the stock ledger.

Stock is an append-only ledger of movements; a movement, once posted, is never changed or deleted
(a mistake is corrected by a new movement). ``StockBalance`` is the ledger's sum per part and
warehouse, kept in the same transaction as each movement under a row lock so that it can serve as
the guard against negative stock; a database constraint refuses a negative balance as a last line.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from aftersales.accounts.models import ServiceCenter
from aftersales.core.models import TimeStampedModel
from aftersales.parts.models.catalogue import Part

QTY = {"max_digits": 12, "decimal_places": 2}


class WarehouseLevel(models.TextChoices):
    CENTRAL = "central", _("Central warehouse")
    CENTER = "center", _("Service-centre warehouse")
    VAN = "van", _("Technician's van stock")
    OLD = "old", _("Old parts (旧件库)")


class Warehouse(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)
    level = models.CharField(_("level"), max_length=10, choices=WarehouseLevel.choices)
    service_center = models.ForeignKey(ServiceCenter, verbose_name=_("service centre"), null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="warehouses")
    technician = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("technician"), null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="van")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["level", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(level="central") | Q(service_center__isnull=False), name="warehouse_center_unless_central"),
            models.CheckConstraint(condition=~Q(level="van") | Q(technician__isnull=False), name="van_has_technician"),
        ]

    def __str__(self) -> str:
        return self.name


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt from supplier")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    ISSUE = "issue", _("Issued to a work order")
    RETURN = "return", _("Returned from a work order")
    OLD_PART_RETURN = "old_part_return", _("Old part returned")
    ADJUSTMENT = "adjustment", _("Adjustment after count")
    SCRAP = "scrap", _("Scrapped")


class PostedMovementError(Exception):
    """A posted ledger movement was about to be changed or deleted."""


class StockMovement(models.Model):
    """One posted line of the stock ledger: + into the warehouse, − out of it."""

    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="movements")
    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=2)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+")
    work_order = models.ForeignKey("workorders.WorkOrder", verbose_name=_("work order"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="stock_movements")
    reference = models.CharField(_("reference"), max_length=60, blank=True, help_text=_("delivery note, requisition, count …"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    corrects = models.ForeignKey("self", verbose_name=_("corrects"), null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["part", "warehouse", "at"], name="movement_part_wh_at")]
        constraints = [models.CheckConstraint(condition=~Q(quantity=0), name="movement_not_zero")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.part.code} {self.quantity:+}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PostedMovementError("a posted stock movement cannot be changed; post a correcting movement")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PostedMovementError("a posted stock movement cannot be deleted; post a correcting movement")

    @property
    def value(self) -> Decimal:
        return (self.quantity * self.unit_cost).quantize(Decimal("0.01"))


class StockBalance(models.Model):
    """The ledger's sum for one part in one warehouse (derived; see the module docstring)."""

    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="balances")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="balances")
    quantity = models.DecimalField(_("on hand"), default=Decimal("0"), **QTY)

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.UniqueConstraint(fields=["part", "warehouse"], name="uniq_balance"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="balance_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.part.code}@{self.warehouse.code}={self.quantity}"


class WorkOrderPart(models.Model):
    """A part used on a job (PART-02): issued from a warehouse, listed on the voucher and repair card."""

    work_order = models.ForeignKey("workorders.WorkOrder", on_delete=models.PROTECT, related_name="parts_used")
    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, verbose_name=_("issued from"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), **QTY)
    returned_quantity = models.DecimalField(_("returned"), default=Decimal("0"), **QTY)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=2)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    compatibility_override = models.CharField(_("why an unlisted part fits"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("part used")
        verbose_name_plural = _("parts used")
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return f"{self.part} × {self.net_quantity}"

    @property
    def net_quantity(self) -> Decimal:
        return self.quantity - self.returned_quantity


class RequisitionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    PARTLY_APPROVED = "partly_approved", _("Partly approved")
    TRANSFERRED = "transferred", _("Transferred")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class Requisition(ConcurrentTransitionMixin, TimeStampedModel):
    """配件申请单: a technician or centre asks for parts; the warehouse approves (partly) and transfers."""

    number = models.CharField(_("requisition no."), max_length=20, unique=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    service_center = models.ForeignKey(ServiceCenter, verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+")
    to_warehouse = models.ForeignKey(Warehouse, verbose_name=_("deliver to"), on_delete=models.PROTECT, related_name="+")
    from_warehouse = models.ForeignKey(Warehouse, verbose_name=_("take from"), on_delete=models.PROTECT, related_name="+")
    work_order = models.ForeignKey("workorders.WorkOrder", verbose_name=_("for job"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="requisitions")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = FSMField(_("status"), default=RequisitionStatus.SUBMITTED, choices=RequisitionStatus.choices, protected=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("parts requisition")
        verbose_name_plural = _("parts requisitions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @transition(field=status, source=RequisitionStatus.SUBMITTED, target=RequisitionStatus.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=status, source=RequisitionStatus.SUBMITTED, target=RequisitionStatus.PARTLY_APPROVED)
    def approve_partly(self) -> None:
        pass

    @transition(field=status, source=RequisitionStatus.SUBMITTED, target=RequisitionStatus.REJECTED)
    def reject(self) -> None:
        pass

    @transition(field=status, source=[RequisitionStatus.APPROVED, RequisitionStatus.PARTLY_APPROVED], target=RequisitionStatus.TRANSFERRED)
    def transfer(self) -> None:
        pass

    @transition(field=status, source=RequisitionStatus.SUBMITTED, target=RequisitionStatus.CANCELLED)
    def cancel(self) -> None:
        pass


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="lines")
    part = models.ForeignKey(Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("requested"), **QTY)
    approved_quantity = models.DecimalField(_("approved"), null=True, blank=True, **QTY)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["requisition", "part"], name="uniq_requisition_part")]

    def __str__(self) -> str:
        return f"{self.part} × {self.quantity}"


class StockCount(TimeStampedModel):
    """A stock count of one warehouse: expected quantities are frozen when counting starts;
    posting writes one adjustment movement per difference (PART-06 periodic reconciliation)."""

    class Status(models.TextChoices):
        COUNTING = "counting", _("Counting")
        POSTED = "posted", _("Posted")

    warehouse = models.ForeignKey(Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="counts")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.COUNTING)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["warehouse"], condition=Q(status="counting"), name="one_open_count_per_warehouse")]

    def __str__(self) -> str:
        return f"{self.warehouse} {timezone.localdate(self.created_at):%Y-%m-%d}"


class StockCountLine(models.Model):
    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="+")
    expected = models.DecimalField(_("expected"), **QTY)
    counted = models.DecimalField(_("counted"), null=True, blank=True, **QTY)

    class Meta:
        ordering = ["part__code"]
        constraints = [models.UniqueConstraint(fields=["count", "part"], name="uniq_count_part")]

    def __str__(self) -> str:
        return f"{self.part.code} {self.expected}/{self.counted}"

    @property
    def difference(self) -> Decimal | None:
        return None if self.counted is None else self.counted - self.expected
