"""The values an administrator gave the declared rules (``registry``); a rule with no row has its default."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.accounts.models import ServiceCenter


class RuleValue(models.Model):
    """A rule's value for the whole company (no centre) or for one centre; every change keeps who, when and why."""

    key = models.CharField(_("rule"), max_length=80)
    service_center = models.ForeignKey(
        ServiceCenter, verbose_name=_("service centre"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    value = models.JSONField(_("value"))
    reason = models.CharField(_("reason for the change"), max_length=300)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule value")
        verbose_name_plural = _("rule values")
        ordering = ["key", "service_center_id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "service_center"], name="uniq_rule_value_centre"),
            models.UniqueConstraint(fields=["key"], condition=models.Q(service_center__isnull=True), name="uniq_rule_value_company"),
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
