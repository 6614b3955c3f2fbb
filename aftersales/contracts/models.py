"""Maintenance contracts (商品保养合同书), their planned preventive visits, renewal and SLA levels (CON-01..03, DISP-10).

A contract covers equipment of one customer for a term and a fee, with what it covers and how
many preventive visits a year; its planned visits are dated on working days and become calls
ahead of time. One month before the end (``renewal_notice_on``, persisted) the expiry notice
(保养到期通知书) goes out and a salesperson gets a renewal task; renewing makes the next
contract, linked to this one. An SLA level (premium contracts, key customers) shortens the
arrival time of the customer's calls.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.models import TimeStampedModel
from aftersales.core.timeline import TimelineEventBase
from aftersales.customers.models import Customer
from aftersales.equipment.models import Equipment


class SlaLevel(models.Model):
    """DISP-10: an arrival promise better than the centre's default (e.g. premium contract: 4 h urban, 5 h suburban)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    arrival_hours_urban = models.PositiveSmallIntegerField(_("arrival hours (urban)"))
    arrival_hours_suburban = models.PositiveSmallIntegerField(_("arrival hours (suburban)"))
    arrival_hours_remote = models.PositiveSmallIntegerField(_("arrival hours (remote)"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA level")
        verbose_name_plural = _("SLA levels")
        ordering = ["arrival_hours_urban", "code"]

    def __str__(self) -> str:
        return self.name

    def hours_for(self, zone: str) -> int | None:
        return {"urban": self.arrival_hours_urban, "suburban": self.arrival_hours_suburban, "remote": self.arrival_hours_remote}.get(zone)


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
    end_date = models.DateField(_("end"), db_index=True)
    fee = models.DecimalField(_("fee (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    covers_labour = models.BooleanField(_("covers labour"), default=True)
    covers_parts = models.BooleanField(_("covers parts"), default=False)
    covers_travel = models.BooleanField(_("covers travel"), default=True)
    coverage_notes = models.TextField(_("coverage details"), blank=True)
    visits_per_year = models.PositiveSmallIntegerField(_("planned visits per year"), default=2)
    sla_level = models.ForeignKey(SlaLevel, verbose_name=_("SLA level"), null=True, blank=True, on_delete=models.PROTECT, related_name="contracts")
    salesperson = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("salesperson"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="contracts")
    previous = models.OneToOneField("self", verbose_name=_("renews"), null=True, blank=True, on_delete=models.PROTECT, related_name="renewal")
    renewal_notice_on = models.DateField(_("expiry notice due"), null=True, blank=True)
    renewal_notice_sent_at = models.DateTimeField(_("expiry notice sent at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.ACTIVE)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("maintenance contract")
        verbose_name_plural = _("maintenance contracts")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="contract_end_after_start")
        ]
        indexes = [models.Index(fields=["renewal_notice_on"], name="contract_notice_open", condition=Q(renewal_notice_sent_at__isnull=True))]

    def __str__(self) -> str:
        return self.number

    def is_active_on(self, day: dt.date) -> bool:
        """Active status and ``day`` within [start, end] inclusive."""
        return self.status == ContractStatus.ACTIVE and self.start_date <= day <= self.end_date


class PlannedVisit(models.Model):
    """A preventive maintenance visit the contract promises, on a working day; becomes a call ahead of time."""

    contract = models.ForeignKey(MaintenanceContract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="planned_visits")
    equipment = models.ForeignKey(Equipment, verbose_name=_("equipment"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField(_("planned on"), db_index=True)
    request = models.OneToOneField("servicedesk.ServiceRequest", verbose_name=_("call"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="planned_visit")
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("planned maintenance visit")
        verbose_name_plural = _("planned maintenance visits")
        ordering = ["planned_on", "id"]
        indexes = [models.Index(fields=["planned_on"], name="planned_visit_open", condition=Q(request__isnull=True, cancelled=False))]

    def __str__(self) -> str:
        return f"{self.contract} {self.planned_on}"


class RenewalTask(TimeStampedModel):
    """CON-02: a salesperson seeks the renewal of a contract ending within a month."""

    class Result(models.TextChoices):
        RENEWED = "renewed", _("Renewed")
        DECLINED = "declined", _("Customer declined")

    contract = models.OneToOneField(MaintenanceContract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="renewal_task")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("salesperson"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="renewal_tasks")
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("renewal task")
        verbose_name_plural = _("renewal tasks")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.contract} → {self.assigned_to or '-'}"


class ContractEvent(TimelineEventBase):
    """Timeline of a contract: planned visits moved by a calendar change (more events follow as the contract gains
    declared transitions)."""

    KIND_LABELS = {"visit_moved": _("Planned visit moved")}

    contract = models.ForeignKey(MaintenanceContract, on_delete=models.CASCADE, related_name="events")
    planned_visit = models.ForeignKey(PlannedVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")

    class Meta(TimelineEventBase.Meta):
        verbose_name = _("contract event")
        verbose_name_plural = _("contract events")
