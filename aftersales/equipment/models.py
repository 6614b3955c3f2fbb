"""Product models with warranty terms, and the installed base (CUST-03)."""

from __future__ import annotations

import calendar
import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.accounts.models import Zone
from aftersales.core.files import UnguessableName, private_storage
from aftersales.core.models import ProductCategory, TimeStampedModel
from aftersales.customers.models import Customer


class WarrantyBasis(models.TextChoices):
    INVOICE = "invoice", _("Invoice date")
    DELIVERY = "delivery", _("Delivery date")
    INSTALL = "install", _("Installation date")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day (Jan 31 + 1 → Feb 28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def warranty_end(start: dt.date, months: int) -> dt.date:
    """The last day of a warranty of ``months`` months that starts on ``start`` (the start day counts).

    The convention (README, "Date boundaries"): the period ends the day before the same date ``months`` months
    later — 2025-03-15 + 12 months ends 2026-03-14 — and where that date does not exist (the 29th–31st in a shorter
    month) on that month's last day: 2024-02-29 + 12 months ends 2025-02-28, 2025-01-31 + 1 month ends 2025-02-28,
    2025-03-31 + 1 month ends 2025-04-30. A longer period never ends before a shorter one.
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return dt.date(year, month, last)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


class ProductModel(TimeStampedModel):
    """A sold model (商品型号) with its warranty terms and main-part list."""

    brand = models.CharField(_("brand"), max_length=60)
    category = models.ForeignKey(ProductCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="models")
    model_code = models.CharField(_("model code"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    warranty_months = models.PositiveSmallIntegerField(_("whole-unit warranty (months)"), default=12)
    main_part_warranty_months = models.PositiveSmallIntegerField(_("main-part warranty (months)"), default=0)
    warranty_basis = models.CharField(
        _("warranty starts from"), max_length=10, choices=WarrantyBasis.choices, default=WarrantyBasis.INVOICE
    )
    main_parts = models.JSONField(_("main parts"), default=list, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("product model")
        verbose_name_plural = _("product models")
        ordering = ["brand", "model_code"]
        constraints = [models.UniqueConstraint(fields=["brand", "model_code"], name="uniq_brand_model_code")]

    def __str__(self) -> str:
        return f"{self.brand} {self.model_code}"


@dataclass(frozen=True)
class WarrantyStatus:
    """Warranty of one equipment on one date. ``start`` is None when the basis date is unknown."""

    on: dt.date
    start: dt.date | None
    unit_until: dt.date | None
    main_parts_until: dt.date | None

    @property
    def unit_active(self) -> bool:
        return self.start is not None and self.unit_until is not None and self.start <= self.on <= self.unit_until

    @property
    def main_parts_active(self) -> bool:
        return (
            self.start is not None and self.main_parts_until is not None and self.start <= self.on <= self.main_parts_until
        )

    @property
    def any_active(self) -> bool:
        return self.unit_active or self.main_parts_active


class Equipment(TimeStampedModel):
    """One machine, vehicle or appliance in the field. Serial is unique per product model."""

    product_model = models.ForeignKey(ProductModel, verbose_name=_("product model"), on_delete=models.PROTECT, related_name="units")
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="equipment")
    serial_no = models.CharField(_("serial / VIN / IMEI"), max_length=60, db_index=True)
    plate_no = models.CharField(_("plate or asset no."), max_length=40, blank=True, db_index=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    install_date = models.DateField(_("installation date"), null=True, blank=True)
    site_address = models.CharField(_("site address"), max_length=200, blank=True)
    # Where the machine stands (WGS-84, as phones report), learned from a precise check-in; check-ins are measured against it.
    site_latitude = models.DecimalField(_("site latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    site_longitude = models.DecimalField(_("site longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    site_position_at = models.DateTimeField(_("site position recorded at"), null=True, blank=True)
    # The purchase invoice the warranty is judged from, photographed when the machine is registered with a call.
    invoice_photo = models.FileField(_("photo of the purchase invoice"), upload_to=UnguessableName("invoices"), storage=private_storage,
                                     blank=True)
    zone = models.CharField(_("zone"), max_length=10, choices=Zone.choices, blank=True)
    qr_token = models.CharField(_("QR token"), max_length=32, unique=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    purchase_price = models.DecimalField(_("purchase price (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
                                         help_text=_("for the depreciation charged on a 三包 return"))
    odometer_km = models.PositiveIntegerField(_("odometer (km)"), null=True, blank=True, help_text=_("vehicles: the 三包 km limits"))
    # VIS-03: sold through a secondary outlet (二级网点): the 7DC call is on day 10 after the sales invoice.
    secondary_outlet = models.BooleanField(_("sold through a secondary outlet"), default=False)
    # Vehicles: dates the customer is reminded of a week ahead (VIS-07).
    inspection_due = models.DateField(_("annual inspection due"), null=True, blank=True)
    insurance_due = models.DateField(_("insurance renewal due"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["product_model", "serial_no"], name="uniq_serial_per_model")]

    def __str__(self) -> str:
        return f"{self.product_model} #{self.serial_no}"

    def save(self, *args, **kwargs) -> None:
        if not self.qr_token:
            # Opaque and unguessable: the public QR URL must reveal nothing about other records.
            self.qr_token = secrets.token_urlsafe(18)[:24]
        super().save(*args, **kwargs)

    def warranty_start(self) -> dt.date | None:
        """The date the warranty runs from, by the model's basis.

        When the basis date is missing the next best known date is used, in the order
        install → delivery → invoice, because an installed machine was certainly delivered and
        invoiced no later than it ran; None when no date is known (the warranty is then unknown
        and the request is classified as paid until a clerk records the date).
        """
        basis = self.product_model.warranty_basis
        by_basis = {
            WarrantyBasis.INVOICE: self.invoice_date,
            WarrantyBasis.DELIVERY: self.delivery_date,
            WarrantyBasis.INSTALL: self.install_date,
        }
        return by_basis.get(basis) or self.install_date or self.delivery_date or self.invoice_date

    def warranty_status(self, on: dt.date) -> WarrantyStatus:
        """Warranty for the whole unit and the main parts on date ``on``; computed, never cached."""
        start = self.warranty_start()
        pm = self.product_model
        unit_until = main_until = None
        if start is not None:
            if pm.warranty_months:
                unit_until = warranty_end(start, pm.warranty_months)
            if pm.main_part_warranty_months:
                main_until = warranty_end(start, pm.main_part_warranty_months)
        return WarrantyStatus(on=on, start=start, unit_until=unit_until, main_parts_until=main_until)


class RetiredQrToken(models.Model):
    """A QR label that was replaced (lost, damaged, or copied to where it should not be).

    Scanning it tells the customer the label is no longer valid, without saying which machine it was.
    """

    token = models.CharField(max_length=32, unique=True)
    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="retired_tokens")
    retired_at = models.DateTimeField(auto_now_add=True)
    retired_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("retired QR label")
        verbose_name_plural = _("retired QR labels")

    def __str__(self) -> str:
        return self.token
