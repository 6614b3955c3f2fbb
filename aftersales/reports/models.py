"""Report targets (RPT-04/05, configurable), the quarterly summary's editable text (seed 000), and export jobs that run
in the worker with their progress."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.files import UnguessableName, private_storage
from aftersales.core.models import TimeStampedModel


class Direction(models.TextChoices):
    AT_LEAST = "min", _("at least")
    AT_MOST = "max", _("at most")


class ReportTarget(models.Model):
    """One figure of the monthly summary held against a target: green when met, amber within ``amber_band``, red beyond."""

    key = models.SlugField(_("figure"), max_length=30, unique=True)
    target = models.DecimalField(_("target (%)"), max_digits=7, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    amber_band = models.DecimalField(_("amber band (points)"), max_digits=6, decimal_places=2, default=Decimal("2"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report target")
        verbose_name_plural = _("report targets")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} {self.get_direction_display()} {self.target}"

    def light(self, actual: Decimal | None) -> str:
        """``green``, ``amber``, ``red``, or ``""`` when nothing was measured."""
        if actual is None:
            return ""
        gap = (self.target - actual) if self.direction == Direction.AT_LEAST else (actual - self.target)
        if gap <= 0:
            return "green"
        return "amber" if gap <= self.amber_band else "red"


class QuarterlySummary(TimeStampedModel):
    """The text of a quarter's summary (seed 000's template): last quarter's tasks and progress, problems and their solutions,
    next quarter's tasks. The figures are computed; only the text is kept. One per quarter and centre (blank centre: the company)."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    service_center = models.ForeignKey("accounts.ServiceCenter", verbose_name=_("service centre"), null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    tasks_and_progress = models.TextField(_("last quarter's tasks and progress"), blank=True)
    problems_and_solutions = models.TextField(_("problems and their solutions"), blank=True)
    next_tasks = models.TextField(_("next quarter's tasks"), blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("quarterly summary")
        verbose_name_plural = _("quarterly summaries")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter", "service_center"], name="one_summary_per_quarter_and_centre"),
            models.UniqueConstraint(fields=["year", "quarter"], condition=models.Q(service_center__isnull=True), name="one_company_summary_per_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(TimeStampedModel):
    """A large export the worker builds; the requester watches its progress and downloads the file when it is ready."""

    kind = models.CharField(_("export"), max_length=30)
    params = models.JSONField(default=dict)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=UnguessableName("exports"), storage=private_storage, blank=True)
    file_name = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0
