"""Reads of notices: a user sees only his own."""

from __future__ import annotations

from django.db.models import QuerySet

from aftersales.notifications.models import Notice


def notice_list(*, user, unread_only: bool = False) -> QuerySet[Notice]:
    qs = Notice.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()
