"""Ground-floor models shared by every domain app."""

from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


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
    from django.utils import timezone

    day = timezone.localtime(when).date()
    return f"{prefix}{day:%y%m%d}{next_number(f'{prefix}-{day:%Y%m%d}'):04d}"
