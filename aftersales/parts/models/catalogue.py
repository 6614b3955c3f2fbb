"""The part catalogue and its suppliers."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.files import UnguessableName, private_storage
from aftersales.core.models import TimeStampedModel
from aftersales.equipment.models import ProductModel

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Supplier(TimeStampedModel):
    """A supplier or manufacturer (warranty claims go to the manufacturer)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    contact = models.CharField(_("contact person"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_manufacturer = models.BooleanField(_("manufacturer (accepts warranty claims)"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Part(TimeStampedModel):
    """A catalogue part. ``compatible_models`` empty means it fits any model (consumables)."""

    code = models.CharField(_("part code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=10, default="个")
    compatible_models = models.ManyToManyField(ProductModel, verbose_name=_("compatible models"), blank=True, related_name="parts")
    is_main_part = models.BooleanField(_("main part (longer warranty)"), default=False)
    sale_price = models.DecimalField(_("sale price (yuan)"), **MONEY)
    cost = models.DecimalField(_("cost (yuan)"), **MONEY)
    supplier = models.ForeignKey(Supplier, verbose_name=_("supplier"), null=True, blank=True, on_delete=models.PROTECT, related_name="parts")
    reorder_point = models.PositiveIntegerField(_("reorder point"), default=0)
    photo = models.FileField(_("photo"), upload_to=UnguessableName("parts"), storage=private_storage, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def fits(self, product_model_id: int | None) -> bool:
        """Whether the part fits a product model (needs ``compatible_models`` prefetched for lists)."""
        models_ = list(self.compatible_models.all())
        return not models_ or product_model_id is None or any(m.pk == product_model_id for m in models_)
