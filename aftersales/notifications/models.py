"""Notices for staff and the outbox of every message to staff and customers.

``Notice`` is the in-app channel (the bell). ``Message`` is one message on one channel — e-mail,
SMS, WeChat or in-app — kept until it is sent: it carries an idempotency key (the same event never
makes two messages), its next due time (quiet hours and retry back-off move it), a lease while a
worker sends it, and ends as sent, suppressed (opted out), digested (folded into a staff digest) or
dead (gave up after the configured attempts; an administrator can send it again).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Idempotency: the same event never notifies the same person twice (sweepers may re-run).
    dedupe_key = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~models.Q(dedupe_key=""), name="uniq_notice_dedupe"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    IN_APP = "in_app", _("In-app")


class Purpose(models.TextChoices):
    """Why a message is sent; decides quiet hours, opt-out and digests."""

    CODE = "code", _("One-time code")  # asked for by the customer this minute: never held back
    SERVICE = "service", _("Service progress")
    SURVEY = "survey", _("Opinion card")
    CARE = "care", _("Greeting or reminder")  # the customer may opt out
    STAFF = "staff", _("Staff notice")  # e-mail copies are folded into digests
    DIGEST = "digest", _("Staff digest")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    RETRY = "retry", _("Failed, will retry")
    SENT = "sent", _("Sent")
    SUPPRESSED = "suppressed", _("Not sent: the customer opted out")
    DIGESTED = "digested", _("Sent in a digest")
    DEAD = "dead", _("Gave up")


class HeldReason(models.TextChoices):
    QUIET_HOURS = "quiet_hours", _("quiet hours")
    OPTED_OUT = "opted_out", _("the customer opted out of greetings and reminders")


OPEN_STATUSES = (MessageStatus.PENDING, MessageStatus.RETRY, MessageStatus.SENDING)
CODE_DIGITS = re.compile(r"\d{4,8}")


def mask_codes(text: str) -> str:
    return CODE_DIGITS.sub(lambda m: "•" * len(m.group(0)), text)


class Message(models.Model):
    key = models.CharField(_("idempotency key"), max_length=160, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff recipient"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="messages")
    to_customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="messages")
    address = models.CharField(_("address"), max_length=200, blank=True, help_text=_("e-mail, phone (E.164) or WeChat openid"))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("due"), default=timezone.now)
    lease_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    held_reason = models.CharField(_("held because"), max_length=20, blank=True, choices=HeldReason.choices)
    provider_ref = models.CharField(_("provider reference"), max_length=120, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    fallback_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="fallbacks")
    digest = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="digested")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="message_due", condition=Q(status__in=["pending", "retry", "sending"])),
            models.Index(fields=["to_customer", "created_at"], name="message_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address or self.to_user}: {self.subject or self.shown_body[:30]}"

    @property
    def shown_body(self) -> str:
        """The text as staff may read it: a one-time code is never shown (whoever reads it could log in as the
        customer); its digits are masked here, and wiped from the stored text once it is sent."""
        return mask_codes(self.body) if self.purpose == Purpose.CODE else self.body


class WeChatAuthorization(models.Model):
    """A customer allowed one subscription message of a template (WeChat's one-time subscription):
    each authorization carries one message; without an unused one, the message goes by SMS."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="wechat_authorizations")
    openid = models.CharField(max_length=64)
    template_id = models.CharField(max_length=64, blank=True)
    granted_at = models.DateTimeField(default=timezone.now)
    used_by = models.OneToOneField(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="authorization")

    class Meta:
        ordering = ["granted_at", "id"]

    def __str__(self) -> str:
        return f"{self.customer} {self.openid}"
