"""Daily reports (DRPT-01..03): the technician's 工作日报表 and the supervisor's 服务主任日报表.

A technician's report lists, for one day, each job's category (A/B/C/D, CLS-02) and time, taken
from that day's visits and repair cards, plus category D administrative time he enters himself.
Lines are a snapshot: once submitted the report no longer changes when work orders do.
The supervisor's report sums the centre's technician reports by person and category; a branch's
report is signed by the branch manager before the service department receives it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from aftersales.accounts.models import ServiceCenter
from aftersales.core.models import TimeStampedModel
from aftersales.core.timeline import TimelineEventBase
from aftersales.servicedesk.models import Category


class TechStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")


class SupervisorStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SIGNED = "signed", _("Signed by the branch manager")
    RECEIVED = "received", _("Received by the service department")


class TechnicianDailyReport(ConcurrentTransitionMixin, TimeStampedModel):
    """技术员工作日报表 for one technician and one day."""

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.PROTECT, related_name="daily_reports")
    service_center = models.ForeignKey(ServiceCenter, verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    status = FSMField(_("status"), default=TechStatus.DRAFT, choices=TechStatus.choices, protected=True)
    due_at = models.DateTimeField(_("due"))
    due_confirmed = models.BooleanField(_("due time confirmed"), default=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("technician daily report")
        verbose_name_plural = _("technician daily reports")
        ordering = ["-day", "technician_id"]
        constraints = [models.UniqueConstraint(fields=["technician", "day"], name="uniq_tech_report_day")]
        indexes = [models.Index(fields=["service_center", "day"], name="techreport_center_day")]

    def __str__(self) -> str:
        return f"{self.technician} {self.day}"

    @property
    def is_late(self) -> bool:
        """Submitted after its due time (a report not yet submitted is judged by the selector)."""
        return self.submitted_at is not None and self.submitted_at > self.due_at

    @transition(field=status, source=TechStatus.DRAFT, target=TechStatus.SUBMITTED)
    def submit(self) -> None:
        pass

    @transition(field=status, source=TechStatus.SUBMITTED, target=TechStatus.REVIEWED)
    def review(self) -> None:
        pass

    @transition(field=status, source=TechStatus.SUBMITTED, target=TechStatus.DRAFT)
    def send_back(self) -> None:
        """The supervisor returns the report for correction."""


class LineSource(models.TextChoices):
    JOB = "job", _("Job")
    ADMIN = "admin", _("Administrative work")


class ReportLine(models.Model):
    """One job or one block of administrative time on a technician's report."""

    report = models.ForeignKey(TechnicianDailyReport, on_delete=models.CASCADE, related_name="lines")
    source = models.CharField(_("source"), max_length=10, choices=LineSource.choices)
    work_order = models.ForeignKey(
        "workorders.WorkOrder", verbose_name=_("work order"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    minutes = models.PositiveIntegerField(_("minutes"))
    description = models.CharField(_("description"), max_length=200)

    class Meta:
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        ordering = ["source", "id"]

    def __str__(self) -> str:
        return f"{self.category} {self.minutes}′ {self.description}"


class SupervisorDailyReport(ConcurrentTransitionMixin, TimeStampedModel):
    """服务主任日报表 for one centre and one day; totals are a snapshot taken at submission."""

    service_center = models.ForeignKey(ServiceCenter, verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("supervisor"), on_delete=models.PROTECT, related_name="+")
    status = FSMField(_("status"), default=SupervisorStatus.DRAFT, choices=SupervisorStatus.choices, protected=True)
    due_at = models.DateTimeField(_("due"))
    due_confirmed = models.BooleanField(_("due time confirmed"), default=True)
    note = models.TextField(_("remarks"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("received by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("supervisor daily report")
        verbose_name_plural = _("supervisor daily reports")
        ordering = ["-day", "service_center_id"]
        constraints = [models.UniqueConstraint(fields=["service_center", "day"], name="uniq_supervisor_report_day")]

    def __str__(self) -> str:
        return f"{self.service_center} {self.day}"

    @property
    def is_late(self) -> bool:
        return self.submitted_at is not None and self.submitted_at > self.due_at

    @transition(field=status, source=SupervisorStatus.DRAFT, target=SupervisorStatus.SUBMITTED)
    def submit(self) -> None:
        pass

    @transition(field=status, source=SupervisorStatus.SUBMITTED, target=SupervisorStatus.SIGNED)
    def sign(self) -> None:
        pass

    @transition(field=status, source=[SupervisorStatus.SUBMITTED, SupervisorStatus.SIGNED], target=SupervisorStatus.RECEIVED)
    def receive(self) -> None:
        """A branch's report must be signed first; the service checks ``is_branch``."""


class SupervisorReportRow(models.Model):
    """One technician's minutes and jobs per category on the supervisor's report."""

    report = models.ForeignKey(SupervisorDailyReport, on_delete=models.CASCADE, related_name="rows")
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.PROTECT, related_name="+")
    technician_report = models.ForeignKey(TechnicianDailyReport, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    minutes_a = models.PositiveIntegerField(default=0)
    minutes_b = models.PositiveIntegerField(default=0)
    minutes_c = models.PositiveIntegerField(default=0)
    minutes_d = models.PositiveIntegerField(default=0)
    jobs = models.PositiveIntegerField(_("jobs"), default=0)

    class Meta:
        ordering = ["technician_id"]
        constraints = [models.UniqueConstraint(fields=["report", "technician"], name="uniq_supervisor_row")]

    def __str__(self) -> str:
        return f"{self.report} {self.technician}"

    @property
    def total_minutes(self) -> int:
        return self.minutes_a + self.minutes_b + self.minutes_c + self.minutes_d


class ReportEvent(TimelineEventBase):
    """Timeline of either kind of daily report (one of the two foreign keys is set)."""

    KIND_LABELS = {
        "submit": _("Submitted"), "review": _("Reviewed"), "send_back": _("Sent back for correction"),
        "sign": _("Signed by the branch manager"), "receive": _("Received by the service department"),
        "deadline_moved": _("Deadline moved"),
    }
    STATE_LABELS = {**dict(TechStatus.choices), **dict(SupervisorStatus.choices)}

    technician_report = models.ForeignKey(TechnicianDailyReport, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    supervisor_report = models.ForeignKey(SupervisorDailyReport, null=True, blank=True, on_delete=models.CASCADE, related_name="events")

    class Meta(TimelineEventBase.Meta):
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
