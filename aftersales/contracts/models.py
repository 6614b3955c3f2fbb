"""Maintenance contracts (商品保养合同书), minimal: enough to classify a request as B."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.models import TimeStampedModel
from aftersales.customers.models import Customer
from aftersales.equipment.models import Equipment


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class MaintenanceContract(TimeStampedModel):
    number = models.CharField(_("contract no."), max_length=30, unique=True)
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="contracts")
    equipment = models.ManyToManyField(Equipment, verbose_name=_("equipment covered"), related_name="contracts")
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    fee = models.DecimalField(_("fee (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    covers_labour = models.BooleanField(_("covers labour"), default=True)
    covers_parts = models.BooleanField(_("covers parts"), default=False)
    covers_travel = models.BooleanField(_("covers travel"), default=True)
    visits_per_year = models.PositiveSmallIntegerField(_("planned visits per year"), default=2)
    status = models.CharField(_("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.ACTIVE)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("maintenance contract")
        verbose_name_plural = _("maintenance contracts")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="contract_end_after_start")
        ]

    def __str__(self) -> str:
        return self.number

    def is_active_on(self, day: dt.date) -> bool:
        """Active status and ``day`` within [start, end] inclusive."""
        return self.status == ContractStatus.ACTIVE and self.start_date <= day <= self.end_date
