"""Writes of in-app notices."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from aftersales.notifications.models import Notice


def notice_send(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "", dedupe_key: str = "") -> int:
    """Give each active recipient a notice; return how many were created.

    With ``dedupe_key`` a recipient who already has a notice with that key gets no second one,
    so a sweeper that runs again (or twice at once) does not repeat itself.
    """
    created = 0
    with transaction.atomic():
        for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
            if dedupe_key:
                notice, was_created = Notice.objects.get_or_create(
                    recipient=user, dedupe_key=dedupe_key, defaults={"kind": kind, "title": title[:200], "body": body, "url": url}
                )
            else:
                notice, was_created = Notice.objects.create(recipient=user, kind=kind, title=title[:200], body=body, url=url), True
            if was_created:
                created += 1
                _email_copy(notice)
    return created


def _email_copy(notice: Notice) -> None:
    """Staff with an e-mail address get the notice by mail too, folded into a digest (``digest_sweep``)."""
    from django.conf import settings

    from aftersales.notifications.models import Channel, Purpose
    from aftersales.notifications.outbox import enqueue

    if settings.STAFF_EMAIL_NOTICES and notice.recipient.email:
        enqueue(key=f"notice:{notice.pk}", channel=Channel.EMAIL, purpose=Purpose.STAFF, subject=notice.title, body=notice.body or notice.title,
                url=notice.url, to_user=notice.recipient, address=notice.recipient.email)


def notice_mark_read(*, user, notice_ids: list[int] | None = None) -> int:
    """Mark the user's notices read (all unread ones when ``notice_ids`` is None)."""
    qs = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=notice_ids)
    return qs.update(read_at=timezone.now())
