"""One-time SMS codes and the abuse log of the public portal.

``OneTimeCode`` is one confirmation: a fault report from a QR label (the report waits in
``payload`` until the caller types the code) or a phone login. Only a salted hash of the code is
stored. The random ``ticket`` names the confirmation in the URL; it is used once, expires, and
allows a bounded number of wrong codes. ``PortalMiss`` records scans of unknown labels per
address, so that guessing tokens is stopped.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodePurpose(models.TextChoices):
    REPORT = "report", _("Fault report")
    LOGIN = "login", _("Portal login")


class OneTimeCode(models.Model):
    ticket = models.CharField(max_length=40, unique=True)
    purpose = models.CharField(_("purpose"), max_length=10, choices=CodePurpose.choices)
    phone = models.CharField(_("phone"), max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    equipment = models.ForeignKey("equipment.Equipment", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    request = models.ForeignKey("servicedesk.ServiceRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["ip", "created_at"], name="otc_ip_created")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.phone}"


class PortalMiss(models.Model):
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip", "at"], name="portalmiss_ip_at")]

    def __str__(self) -> str:
        return f"{self.ip} {self.at:%Y-%m-%d %H:%M}"
