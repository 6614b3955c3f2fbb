"""Service centres, their zone rules and calendars, and the people who work in them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.calendar import DayOverride, WorkCalendar, parse_intervals
from aftersales.core.models import ProductCategory


class Zone(models.TextChoices):
    URBAN = "urban", _("Urban (市区)")
    SUBURBAN = "suburban", _("Suburban (郊区)")
    REMOTE = "remote", _("Remote (边远)")


class ServiceCenter(models.Model):
    """A service centre or branch service group (服务中心/分公司服务组).

    SLA hour fields left empty fall back to the settings defaults (6 urban / 7 suburban, DISP-02).
    ``is_branch``: a branch's supervisor reports are signed by its manager before they go to the
    service department (DRPT-03).
    """

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=80)
    region = models.CharField(_("region"), max_length=80, help_text=_("Province / city served, e.g. 上海市"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("service phone"), max_length=30, blank=True)
    working_hours = models.CharField(
        _("working hours"), max_length=120, blank=True, help_text=_("e.g. 08:30-12:00,13:30-17:30; empty = system default")
    )
    is_branch = models.BooleanField(_("branch service group (分公司服务组)"), default=False)
    default_zone = models.CharField(_("default zone"), max_length=10, choices=Zone.choices, default=Zone.SUBURBAN)
    arrival_hours_urban = models.PositiveSmallIntegerField(_("arrival hours, urban"), null=True, blank=True)
    arrival_hours_suburban = models.PositiveSmallIntegerField(_("arrival hours, suburban"), null=True, blank=True)
    arrival_hours_remote = models.PositiveSmallIntegerField(_("arrival hours, remote"), null=True, blank=True)
    contact_hours = models.PositiveSmallIntegerField(_("contact within hours"), null=True, blank=True)
    return_working_days = models.PositiveSmallIntegerField(
        _("take-back return within working days"), null=True, blank=True, help_text=_("empty = system default (3, DISP-06)")
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.working_hours:
            parse_intervals(self.working_hours)

    def arrival_hours(self, zone: str) -> int:
        """Working hours allowed from call to arrival for ``zone`` (DISP-02)."""
        own = {
            Zone.URBAN: self.arrival_hours_urban,
            Zone.SUBURBAN: self.arrival_hours_suburban,
            Zone.REMOTE: self.arrival_hours_remote,
        }.get(zone)
        if own is not None:
            return own
        return {
            Zone.URBAN: settings.SLA_ARRIVAL_HOURS_URBAN,
            Zone.SUBURBAN: settings.SLA_ARRIVAL_HOURS_SUBURBAN,
        }.get(zone, settings.SLA_ARRIVAL_HOURS_REMOTE)

    def contact_hours_allowed(self) -> int:
        return self.contact_hours if self.contact_hours is not None else settings.SLA_CONTACT_HOURS

    def return_days_allowed(self) -> int:
        """Working days within which a taken-back item is returned (DISP-06)."""
        return self.return_working_days or settings.TAKEBACK_RETURN_WORKING_DAYS

    def zone_for_address(self, address: str) -> str:
        """The zone of ``address`` by this centre's rules (highest priority first), else the default."""
        for rule in self.zone_rules.all():
            if rule.pattern and rule.pattern in address:
                return rule.zone
        return self.default_zone

    @cached_property
    def calendar(self) -> WorkCalendar:
        """This centre's working calendar: its hours, global overrides, then its own overrides."""
        return calendars_for([self])[self.pk]


def calendars_for(centers: list[ServiceCenter]) -> dict[int, WorkCalendar]:
    """Working calendars of ``centers`` built from one query of overrides (no N+1 in lists)."""
    ids = {c.pk for c in centers}
    rows = list(CalendarOverride.objects.filter(models.Q(service_center__isnull=True) | models.Q(service_center_id__in=ids)))
    result: dict[int, WorkCalendar] = {}
    for center in centers:
        overrides: dict[dt.date, DayOverride] = {}
        # Global rows first so that the centre's own row for the same date wins.
        for row in sorted(rows, key=lambda r: r.service_center_id is not None):
            if row.service_center_id in (None, center.pk):
                overrides[row.date] = DayOverride(row.is_working, parse_intervals(row.hours) if row.hours else None)
        intervals = parse_intervals(center.working_hours or settings.DEFAULT_WORKING_HOURS)
        result[center.pk] = WorkCalendar(intervals=intervals, overrides=overrides)
        center.__dict__["calendar"] = result[center.pk]
    return result


class ZoneRule(models.Model):
    """Addresses containing ``pattern`` (a district, town or road name) belong to ``zone``."""

    service_center = models.ForeignKey(ServiceCenter, on_delete=models.CASCADE, related_name="zone_rules")
    pattern = models.CharField(_("address contains"), max_length=60)
    zone = models.CharField(_("zone"), max_length=10, choices=Zone.choices)
    priority = models.PositiveSmallIntegerField(_("priority"), default=100, help_text=_("lower numbers are tried first"))

    class Meta:
        verbose_name = _("zone rule")
        verbose_name_plural = _("zone rules")
        ordering = ["priority", "id"]
        constraints = [models.UniqueConstraint(fields=["service_center", "pattern"], name="uniq_zone_rule_pattern")]

    def __str__(self) -> str:
        return f"{self.pattern} → {self.get_zone_display()}"


class CalendarOverride(models.Model):
    """An administrator's decision for one date, for one centre or (no centre) for all."""

    date = models.DateField(_("date"))
    service_center = models.ForeignKey(
        ServiceCenter, verbose_name=_("service centre"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="calendar_overrides",
    )
    is_working = models.BooleanField(_("working day"))
    hours = models.CharField(_("working hours"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["date", "service_center"], name="uniq_calendar_override")]

    def __str__(self) -> str:
        return f"{self.date} {'+' if self.is_working else '-'}"

    def clean(self) -> None:
        if self.hours:
            parse_intervals(self.hours)


class Department(models.Model):
    """A unit responsibility for a complaint can be attributed to (CMP-19): a manufacturing section or
    group, the sales or service department … ``parent`` makes a group part of its section."""

    class Kind(models.TextChoices):
        MANUFACTURING = "manufacturing", _("Manufacturing")
        QUALITY = "quality", _("Quality assurance")
        SALES = "sales", _("Sales")
        SERVICE = "service", _("Service")
        WAREHOUSE = "warehouse", _("Warehouse")
        RND = "rnd", _("R&D")
        OFFICE = "office", _("Office")

    name = models.CharField(_("name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    parent = models.ForeignKey("self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="groups")

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Staff member. ``service_center`` is empty for head-office staff.

    ``base_points`` (基点数) and ``efficiency_bonus`` (the month's 效率奖金) drive complaint deductions
    (CMP-20: loss ÷ the department's base points × the person's) and their monthly cap (CMP-21).
    """

    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    service_center = models.ForeignKey(
        ServiceCenter, verbose_name=_("service centre"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    grade = models.PositiveSmallIntegerField(
        _("technician grade"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    skills = models.ManyToManyField(ProductCategory, verbose_name=_("skills"), blank=True, related_name="technicians")
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    base_points = models.DecimalField(_("base points (基点数)"), max_digits=6, decimal_places=2, default=Decimal("1.00"),
                                      validators=[MinValueValidator(Decimal("0"))])
    efficiency_bonus = models.DecimalField(_("monthly efficiency bonus (yuan)"), max_digits=10, decimal_places=2, default=Decimal("0.00"),
                                           validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *codes: str) -> bool:
        return self.is_superuser or bool(self.role_codes.intersection(codes))

    @property
    def has_global_scope(self) -> bool:
        """Service department, managers, quality and administrators see every centre."""
        from aftersales.accounts.roles import GLOBAL_ROLES

        return self.is_superuser or bool(self.role_codes & GLOBAL_ROLES)
