"""What the API keeps for itself: the answers to writes sent with an ``Idempotency-Key``."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """One write a client sent with an ``Idempotency-Key``: the request's fingerprint and, once it succeeded, the answer.

    ``status`` is empty while the first request is still running (a concurrent retry gets a 409 meanwhile). Records
    live ``API_IDEMPOTENCY_HOURS`` (24 h); only successful answers are kept, so a refused request may be corrected
    and sent again under the same key.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key} {self.status}"
