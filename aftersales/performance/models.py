"""Monthly performance evaluation (KPI-01..12), regional points (KPI-11) and service cost budgets (COST-01..03).

A ``KpiScheme`` per role is data: ``KpiItem`` rows with weights adding up to 100, each scored from a
data source (SLA, first-time fix, rework, opinion cards, complaints, daily reports, claims, visits,
attendance …) or by hand by a named assessing group, with deductions per occurrence and a cap. Each
person's month is an ``Assessment`` that goes self-report → review → submitted to HR → closed; once HR
closed the month a score changes only by an audited ``ScoreCorrection``. ``GradeBand`` rows hold the
grades and their bonus effects.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.models import TimeStampedModel

MONEY = {"max_digits": 12, "decimal_places": 2}
POINTS = {"max_digits": 6, "decimal_places": 2}


class Source(models.TextChoices):
    MANUAL = "manual", _("Scored by hand by the assessing group")
    DAILY_WORK = "daily_work", _("Daily work (arrival on time, opinion cards, daily reports)")
    ATTENDANCE = "attendance", _("Attendance (100 − 4 per absent day, a half day counts as a full one)")
    SLA = "sla", _("Arrival on time")
    FIRST_TIME_FIX = "first_time_fix", _("Fixed on the first visit")
    REWORK = "rework", _("No rework (the same machine back within 30 days)")
    CARD_RATING = "card_rating", _("Opinion-card ratings")
    COMPLAINTS = "complaints", _("Complaints attributed (deduction each)")
    DAILY_REPORTS = "daily_reports", _("Daily reports on time")
    CLAIMS = "claims", _("Warranty claims approved")
    VISITS = "visits", _("Return visits done")
    OCCURRENCES = "occurrences", _("Deductions entered by the assessing group (training absences, late plans …)")


class PayRule(models.TextChoices):
    COMPOSITION = "composition", _("Base 50 % + plan 35 % × completion + daily work 15 % × score + over-plan bonus (KPI-05)")
    PERFORMANCE = "performance", _("Performance pay = bonus base × score / 100; below 60 the bonus loses 30 % (KPI-08)")


class KpiScheme(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)
    role = models.CharField(_("for role"), max_length=30)
    pay_rule = models.CharField(_("pay"), max_length=12, choices=PayRule.choices, default=PayRule.PERFORMANCE)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("people evaluated by this scheme"), blank=True,
                                     related_name="kpi_schemes", help_text=_("besides everyone holding the role"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class KpiItem(models.Model):
    scheme = models.ForeignKey(KpiScheme, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("item"), max_length=80)
    weight = models.DecimalField(_("points"), **POINTS)
    source = models.CharField(_("scored from"), max_length=15, choices=Source.choices)
    deduction = models.DecimalField(_("deduction per occurrence"), default=Decimal("0"), **POINTS)
    deduction_cap = models.DecimalField(_("deductions at most"), null=True, blank=True, **POINTS)
    deduction_steps = models.JSONField(_("deduction by number of occurrences"), default=list, blank=True,
                                       help_text=_("e.g. [10, 30]: once −10, twice −30 (more: the last)"))
    assessor = models.CharField(_("assessing group"), max_length=60, blank=True)
    assessor_role = models.CharField(_("assessor role"), max_length=30, blank=True)
    comment_required = models.BooleanField(_("a comment is required"), default=False)

    class Meta:
        verbose_name = _("evaluation item")
        verbose_name_plural = _("evaluation items")
        ordering = ["scheme", "position"]
        constraints = [models.UniqueConstraint(fields=["scheme", "position"], name="one_item_per_position"),
                       models.CheckConstraint(condition=Q(weight__gte=0, weight__lte=100), name="item_weight_0_100")]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class GradeBand(models.Model):
    """KPI-09: A 95–100 +5 %, B 85–94 +2 %, C 75–84 full, D 60–74 −50 % and probation, E below 60 bonus forfeited."""

    code = models.CharField(_("grade"), max_length=2, unique=True)
    min_score = models.DecimalField(_("from score"), **POINTS)
    bonus_percent = models.DecimalField(_("bonus effect (%)"), max_digits=6, decimal_places=2)
    probation = models.BooleanField(_("probation"), default=False)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["-min_score"]

    def __str__(self) -> str:
        return self.code


class Attendance(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance")
    month = models.DateField(_("month"))
    absent_days = models.DecimalField(_("absent days"), max_digits=4, decimal_places=1, default=Decimal("0"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["person", "month"], name="one_attendance_per_month"),
                       models.CheckConstraint(condition=Q(absent_days__gte=0, absent_days__lte=31), name="absent_days_0_31")]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m}"


class AssessmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SELF_REPORTED = "self_reported", _("Self-reported")
    REVIEWED = "reviewed", _("Reviewed by the superior")
    SUBMITTED = "submitted", _("Sent to HR")
    CLOSED = "closed", _("Closed by HR")


class Assessment(TimeStampedModel):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="assessments")
    scheme = models.ForeignKey(KpiScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="assessments")
    month = models.DateField(_("month"), db_index=True)
    status = models.CharField(_("status"), max_length=15, choices=AssessmentStatus.choices, default=AssessmentStatus.OPEN)
    self_report = models.TextField(_("self-report"), blank=True)
    self_reported_at = models.DateTimeField(_("self-reported at"), null=True, blank=True)
    late_self_report = models.BooleanField(_("self-report late"), default=False)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("superior's comment"), blank=True)
    submitted_at = models.DateTimeField(_("sent to HR at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    plan_completion = models.DecimalField(_("plan completion (%)"), default=Decimal("100"), **POINTS)
    over_plan_bonus = models.DecimalField(_("over-plan bonus (yuan)"), default=Decimal("0"), **MONEY)
    total = models.DecimalField(_("score"), default=Decimal("0"), **POINTS)
    grade = models.CharField(_("grade"), max_length=2, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("monthly assessment")
        verbose_name_plural = _("monthly assessments")
        ordering = ["-month", "person__username"]
        constraints = [models.UniqueConstraint(fields=["person", "month"], name="one_assessment_per_person_and_month")]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m}"


class ItemScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(KpiItem, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("measured (%)"), null=True, blank=True, **POINTS)
    occurrences = models.PositiveSmallIntegerField(_("occurrences"), default=0)
    points = models.DecimalField(_("points"), default=Decimal("0"), **POINTS)
    comment = models.TextField(_("comment"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        ordering = ["item__position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="one_score_per_item")]

    def __str__(self) -> str:
        return f"{self.item.name}: {self.points}"


class ScoreCorrection(models.Model):
    """A change after HR closed the month: a new audited entry, never an edit."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="corrections")
    item = models.ForeignKey(KpiItem, on_delete=models.PROTECT, related_name="+")
    old_points = models.DecimalField(_("was"), **POINTS)
    new_points = models.DecimalField(_("now"), **POINTS)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("score correction")
        verbose_name_plural = _("score corrections")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment} {self.item.name}: {self.old_points} → {self.new_points}"


class MonthClose(models.Model):
    month = models.DateField(_("month"), unique=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"))

    class Meta:
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class JobTypePoints(models.Model):
    """KPI-11: points a region earns for each job of a type (the seed gives no weights: an administrator sets them)."""

    job_type = models.CharField(_("job type"), max_length=20, unique=True)
    points = models.PositiveIntegerField(_("points"))

    class Meta:
        verbose_name = _("points per job type")
        verbose_name_plural = _("points per job type")
        ordering = ["job_type"]

    def __str__(self) -> str:
        return f"{self.job_type}: {self.points}"


class CostCategory(models.TextChoices):
    """COST-01."""

    MATERIALS = "materials", _("Materials and installation")
    VEHICLES = "vehicles", _("Vehicles")
    TRAVEL = "travel", _("Travel")
    COMMUNICATIONS = "communications", _("Communications")
    BUSINESS = "business", _("Business entertainment")
    OFFICE = "office", _("Office")
    OTHER = "other", _("Other")


DEFAULT_QUOTA = {"materials": 40000, "vehicles": 24000, "travel": 13000, "communications": 6000, "business": 5000, "office": 2000, "other": 10000}


class CostBudget(models.Model):
    service_center = models.ForeignKey("accounts.ServiceCenter", verbose_name=_("service centre"), on_delete=models.CASCADE, related_name="budgets")
    month = models.DateField(_("month"))
    category = models.CharField(_("category"), max_length=15, choices=CostCategory.choices)
    amount = models.DecimalField(_("quota (yuan)"), **MONEY)
    warned_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cost budget")
        verbose_name_plural = _("cost budgets")
        constraints = [models.UniqueConstraint(fields=["service_center", "month", "category"], name="one_budget_per_category"),
                       models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative")]

    def __str__(self) -> str:
        return f"{self.service_center} {self.month:%Y-%m} {self.category}"


class CostEntry(models.Model):
    service_center = models.ForeignKey("accounts.ServiceCenter", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="costs")
    day = models.DateField(_("date"), db_index=True)
    category = models.CharField(_("category"), max_length=15, choices=CostCategory.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    source_key = models.CharField(max_length=60, blank=True, help_text="parts:<usage id> or travel:<charge id> for costs taken from jobs")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["source_key"], condition=~Q(source_key=""), name="one_cost_per_source"),
                       models.CheckConstraint(condition=Q(amount__gte=0), name="cost_not_negative")]

    def __str__(self) -> str:
        return f"{self.service_center} {self.day} {self.category} {self.amount}"


class PayTerms(models.Model):
    """What a person's pay is computed from: the monthly pay split 50/35/15 (KPI-05) or the bonus base (KPI-08)."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pay_terms")
    monthly_pay = models.DecimalField(_("monthly pay (yuan)"), default=Decimal("0"), **MONEY)
    bonus_base = models.DecimalField(_("performance bonus base (yuan)"), default=Decimal("0"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pay terms")
        verbose_name_plural = _("pay terms")
        constraints = [models.CheckConstraint(condition=Q(monthly_pay__gte=0, bonus_base__gte=0), name="pay_terms_not_negative")]

    def __str__(self) -> str:
        return f"{self.person}"
