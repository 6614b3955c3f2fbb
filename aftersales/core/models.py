"""Ground-floor models shared by every domain app."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.holidays.festivals import DayBasis, DayKind, Festival


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ProductCategory(models.Model):
    """A product family (机床 / 农机 / 家电 / 车辆 …). Technicians' skills refer to it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class FaultCode(models.Model):
    """A fault of a product family (or of every family when ``category`` is empty), picked by the technician and the
    desk so that faults can be counted; free text still says what exactly happened. Kept by an administrator."""

    category = models.ForeignKey(ProductCategory, verbose_name=_("product category"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="fault_codes")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=80)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fault code")
        verbose_name_plural = _("fault codes")
        ordering = ["category__code", "code"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="uniq_fault_code_per_category")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @classmethod
    def for_category(cls, category_id: int | None):
        """The codes a machine of ``category_id`` may have: its family's and the general ones."""
        return cls.objects.filter(is_active=True).filter(models.Q(category_id=category_id) | models.Q(category__isnull=True))


class Sequence(models.Model):
    """A named counter for human-readable document numbers (叫修单号, 客户编号 …)."""

    key = models.CharField(max_length=60, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


def next_number(key: str) -> int:
    """Return the next value of sequence ``key``; gap-free within a committed transaction.

    Must run inside the caller's transaction so a rolled-back document does not burn a number.
    The row lock (PostgreSQL) / IMMEDIATE write lock (SQLite) serialises concurrent callers.
    """
    with transaction.atomic():
        seq, _created = Sequence.objects.select_for_update().get_or_create(key=key)
        seq.value += 1
        seq.save(update_fields=["value"])
        return seq.value


def document_number(prefix: str, when) -> str:
    """``PG2611260001``: prefix, local date of ``when``, a four-digit serial restarting each day.

    Gap-free per day within committed transactions (see ``next_number``).
    """
    day = timezone.localtime(when).date()
    return f"{prefix}{day:%y%m%d}{next_number(f'{prefix}-{day:%Y%m%d}'):04d}"


class CacheRevision(models.Model):
    """A counter per process-cached data set (the national calendar, the rules): bumped in the transaction that
    changes the data, compared by every process before it trusts its copy (see ``core.snapshot``)."""

    name = models.CharField(max_length=60, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("cache revision")
        verbose_name_plural = _("cache revisions")

    def __str__(self) -> str:
        return f"{self.name}@{self.value}"


class HolidayYear(models.Model):
    """One year of the national working calendar, owned by an administrator.

    ``status``: *predicted* years have the statutory days off (``core.holidays.statutory``) but no make-up working
    days, so every deadline crossing them is unconfirmed; a *confirmed* year has its official days (from the State
    Council notice or the holiday package) and who confirmed them; a *reopened* year keeps its confirmed days in
    force while an administrator prepares a correction (reopening needs a reason). A year with no row at all is
    predicted on the fly. The days are ``HolidayDay`` rows; they change only through ``core.services.holidays``.
    """

    class Status(models.TextChoices):
        PREDICTED = "predicted", _("Predicted, not confirmed")
        CONFIRMED = "confirmed", _("Confirmed")
        REOPENED = "reopened", _("Reopened for correction")

    class SourceKind(models.TextChoices):
        NOTICE = "notice", _("State Council notice")
        PACKAGE = "package", _("Imported from the holiday package")
        PREDICTION = "prediction", _("Predicted from the statutory rules")
        MANUAL = "manual", _("Entered by an administrator")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREDICTED)
    source_kind = models.CharField(_("source"), max_length=10, choices=SourceKind.choices, default=SourceKind.PREDICTION)
    source = models.CharField(_("source reference"), max_length=200, blank=True)
    notice_text = models.TextField(_("notice text"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reopen_reason = models.CharField(_("reason for reopening"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def counts_as_confirmed(self) -> bool:
        """Official days are in force (a reopened year keeps them until the correction is confirmed)."""
        return self.status in (self.Status.CONFIRMED, self.Status.REOPENED)


class HolidayDay(models.Model):
    """A day the national calendar says something about: a day off, or a weekend day worked instead (调休上班).

    Every other day is a working day from Monday to Friday and a day off on Saturday and Sunday.
    """

    holiday_year = models.ForeignKey(HolidayYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    festival = models.CharField(_("holiday"), max_length=20, choices=Festival.choices)
    basis = models.CharField(_("basis"), max_length=15, choices=DayBasis.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

    @property
    def is_working(self) -> bool:
        return self.kind == DayKind.WORKDAY


class HolidayYearChange(models.Model):
    """The calendar's own log: every import, confirmation, reopening and day edit, with who, why and its effect."""

    class Action(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        CONFIRMED = "confirmed", _("Confirmed")
        REOPENED = "reopened", _("Reopened")
        DAY_SET = "day_set", _("Day set")
        DAY_REMOVED = "day_removed", _("Day removed")

    holiday_year = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=15, choices=Action.choices)
    note = models.TextField(_("note"), blank=True)
    added = models.JSONField(_("days added"), default=list, blank=True)
    removed = models.JSONField(_("days removed"), default=list, blank=True)
    moved = models.JSONField(_("records moved"), default=dict, blank=True)

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.holiday_year} {self.action}"
