"""Reads of notices: a user sees only his own."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from aftersales.notifications.models import Message, Notice


def notice_list(*, user, unread_only: bool = False) -> QuerySet[Notice]:
    qs = Notice.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def outbox_list(*, user, status: str = "", channel: str = "", query: str = "") -> QuerySet[Message]:
    """Messages for the outbox page (administrators and service managers only; empty otherwise).

    Filter by status and channel; ``query`` matches the address or the idempotency key."""
    if not user.has_perm("notifications.manage_outbox"):
        return Message.objects.none()
    qs = Message.objects.select_related("to_user", "to_customer")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if query:
        qs = qs.filter(Q(address__icontains=query) | Q(key__icontains=query))
    return qs


def outbox_counts(*, user) -> dict[str, int]:
    """Number of messages per status (for the tabs of the outbox page)."""
    if not user.has_perm("notifications.manage_outbox"):
        return {}
    return dict(Message.objects.values_list("status").annotate(n=Count("id")).order_by())
