"""Base for timeline rows: who changed what, when, from which state to which, and why."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimelineEventBase(models.Model):
    """One row of an object's timeline.

    ``kind`` is a stable code (the transition or event name) and the states are stored as codes,
    so the timeline renders in the reader's language: concrete classes map codes to labels in
    ``KIND_LABELS`` and ``STATE_LABELS``; an unmapped code is shown as it is.
    """

    KIND_LABELS: ClassVar[dict[str, str]] = {}
    STATE_LABELS: ClassVar[dict[str, str]] = {}

    # When it happened: now, unless a service records a step with its own time (entered afterwards).
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("event"), max_length=40)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def get_kind_display(self) -> str:
        return str(self.KIND_LABELS.get(self.kind, self.kind))

    def get_from_state_display(self) -> str:
        return str(self.STATE_LABELS.get(self.from_state, self.from_state))

    def get_to_state_display(self) -> str:
        return str(self.STATE_LABELS.get(self.to_state, self.to_state))
