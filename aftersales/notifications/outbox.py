"""The outbox: queue messages once, deliver them at least once and, with the providers' help, once only.

Enqueueing is idempotent by key. A message is held while the customer rests (night quiet hours and
his own rest hours, VIS-11; one-time codes excepted), suppressed when he opted out of care messages,
and its due time is persisted, so a restart or a lost queue task loses nothing: the sweeper
(``deliver_due``) delivers whatever is due.

Delivery claims a message with a conditional UPDATE that sets a lease, commits, sends, then records
the send. Two workers cannot claim the same message. A worker killed after sending but before
recording leaves the message "sending" with a lease that runs out; whoever claims it next first asks
the provider (``lookup``) whether the key was already accepted, and only sends when it was not. A
retry after a failure asks too, since a time-out does not say whether the provider accepted.
Failures are retried with exponential back-off and end as "dead" after ``MESSAGE_MAX_ATTEMPTS``,
visible to an administrator who may send again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.calendar import parse_intervals
from aftersales.notifications.channels import DeliveryError, channel_for
from aftersales.notifications.models import Channel, HeldReason, Message, MessageStatus, Purpose, WeChatAuthorization, mask_codes

logger = logging.getLogger(__name__)


def _windows(text: str) -> list[tuple[dt.time, dt.time]]:
    """``21:00-08:00,12:00-13:30`` → (start, end) pairs; an end before the start wraps past midnight."""
    windows = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        start_s, _sep, end_s = part.partition("-")
        windows.append((dt.time.fromisoformat(start_s.strip()), dt.time.fromisoformat(end_s.strip())))
    return windows


def _inside(t: dt.time, start: dt.time, end: dt.time) -> bool:
    return start <= t < end if start < end else (t >= start or t < end)


def quiet_release(at: dt.datetime, customer=None) -> dt.datetime | None:
    """The end of the quiet window ``at`` falls into (night or the customer's rest hours), or None."""
    windows = _windows(settings.QUIET_HOURS) + _windows(getattr(customer, "quiet_hours", "") or "")
    local = timezone.localtime(at)
    moved = False
    for _round in range(4):  # windows may touch one another
        hit = next(((s, e) for s, e in windows if _inside(local.time(), s, e)), None)
        if hit is None:
            break
        end_day = local.date() if local.time() < hit[1] else local.date() + dt.timedelta(days=1)
        local = timezone.make_aware(dt.datetime.combine(end_day, hit[1]))
        moved = True
    return local if moved else None


def validate_rest_hours(text: str) -> None:
    """Raise ``DomainError`` when ``text`` is not like ``12:00-14:00``."""
    if text.strip():
        parse_intervals(text)


def enqueue(
    *, key: str, channel: str, purpose: str, body: str, subject: str = "", url: str = "", to_user=None, to_customer=None, address: str = "",
    not_before: dt.datetime | None = None, fallback_of: Message | None = None,
) -> Message:
    """Queue a message once per ``key`` (a second call returns the first message unchanged)."""
    existing = Message.objects.filter(key=key).first()
    if existing is not None:
        return existing
    now = timezone.now()
    due, status, held = not_before or now, MessageStatus.PENDING, ""
    if to_customer is not None and purpose == Purpose.CARE and to_customer.opt_out_reminders:
        status, held = MessageStatus.SUPPRESSED, HeldReason.OPTED_OUT
    elif to_customer is not None and purpose != Purpose.CODE and channel in (Channel.SMS, Channel.WECHAT):
        release = quiet_release(due, to_customer)
        if release is not None:
            due, held = release, HeldReason.QUIET_HOURS
    try:
        with transaction.atomic():
            message = Message.objects.create(key=key[:160], channel=channel, purpose=purpose, body=body, subject=subject[:200], url=url,
                                             to_user=to_user, to_customer=to_customer, address=address, next_attempt_at=due, status=status,
                                             held_reason=held, fallback_of=fallback_of)
    except IntegrityError:  # the same key queued a moment ago by someone else
        return Message.objects.get(key=key[:160])
    if status == MessageStatus.PENDING and due <= now and not (purpose == Purpose.STAFF and channel == Channel.EMAIL):
        transaction.on_commit(lambda: _kick(message.pk))
    return message


def _kick(pk: int) -> None:
    """Ask the worker to deliver now (the sweeper would anyway, within a minute)."""
    from aftersales.notifications.tasks import deliver_message

    try:
        deliver_message(pk)
    except Exception:  # the queue being down must not fail the request; the sweeper delivers later
        logger.exception("could not queue delivery of message %s", pk)


def revise_waiting(key: str, body: str) -> str:
    """Give the message ``key`` a new text if it has not gone out yet. Returns ``"revised"``, ``"sent"`` (it went,
    or is going, out: tell the recipient separately), ``"suppressed"`` (the customer opted out) or ``"none"``."""
    message = Message.objects.filter(key=key).first()
    if message is None:
        return "none"
    if message.status == MessageStatus.SUPPRESSED:
        return "suppressed"
    if Message.objects.filter(pk=message.pk, status__in=[MessageStatus.PENDING, MessageStatus.RETRY]).update(body=body):
        return "revised"
    return "sent"


def send_to_customer(customer, *, key: str, purpose: str, body: str, subject: str = "", url: str = "", phone: str = "",
                     not_before: dt.datetime | None = None) -> Message:
    """A message to a customer on the channel he prefers: WeChat while he has an unused subscription
    authorization, e-mail when he chose it and has an address, otherwise SMS (to ``phone`` if given).
    ``not_before`` delays it (quiet hours still apply from then)."""
    preferred = customer.preferred_channel
    if purpose != Purpose.CODE and preferred == Channel.WECHAT:
        with transaction.atomic():
            grant = WeChatAuthorization.objects.select_for_update().filter(customer=customer, used_by__isnull=True).first()
            if grant is not None:
                message = enqueue(key=key, channel=Channel.WECHAT, purpose=purpose, body=body, subject=subject, url=url, to_customer=customer,
                                  address=grant.openid, not_before=not_before)
                if not hasattr(message, "authorization"):  # a repeated call returns the message that already used one
                    grant.used_by = message
                    grant.save(update_fields=["used_by"])
                return message
    if purpose != Purpose.CODE and preferred == Channel.EMAIL and customer.email:
        return enqueue(key=key, channel=Channel.EMAIL, purpose=purpose, body=body, subject=subject, url=url, to_customer=customer,
                       address=customer.email, not_before=not_before)
    number = phone or (customer.primary_phone.number if customer.primary_phone else "")
    return enqueue(key=key, channel=Channel.SMS, purpose=purpose, body=body, subject=subject, url=url, to_customer=customer, address=number,
                   not_before=not_before)


def _due(now: dt.datetime) -> Q:
    waiting = Q(status__in=[MessageStatus.PENDING, MessageStatus.RETRY], next_attempt_at__lte=now)
    abandoned = Q(status=MessageStatus.SENDING, lease_until__lt=now)
    for_digest = Q(purpose=Purpose.STAFF, channel=Channel.EMAIL)  # waits for ``digest_sweep``
    return (waiting | abandoned) & ~for_digest


def _claim(pk: int, now: dt.datetime) -> tuple[Message, bool] | None:
    """Take the message for sending; returns it and whether an earlier send may have happened."""
    with transaction.atomic():
        message = Message.objects.filter(pk=pk).filter(_due(now)).first()
        if message is None:
            return None
        # A worker that died mid-send, or a send that timed out, may have reached the provider.
        uncertain = message.status in (MessageStatus.SENDING, MessageStatus.RETRY)
        lease = now + dt.timedelta(seconds=settings.MESSAGE_LEASE_SECONDS)
        claimed = Message.objects.filter(pk=pk, status=message.status, lease_until=message.lease_until).update(
            status=MessageStatus.SENDING, lease_until=lease, attempts=message.attempts + 1)
        if not claimed:
            return None  # another worker got there first
        message.status, message.lease_until, message.attempts = MessageStatus.SENDING, lease, message.attempts + 1
        return message, uncertain


def _record(message: Message, **fields) -> None:
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING, lease_until=message.lease_until).update(**fields)


def deliver_one(pk: int, now: dt.datetime | None = None) -> bool:
    """Deliver message ``pk`` if it is due; True when it was sent now."""
    now = now or timezone.now()
    claimed = _claim(pk, now)
    if claimed is None:
        return False
    message, uncertain = claimed
    channel = channel_for(message.channel)
    try:
        reference = channel.lookup(message) if uncertain else None
        if reference is None:
            reference = channel.send(message)
    except DeliveryError as exc:
        _failed(message, exc, now)
        return False
    done = {"body": mask_codes(message.body)} if message.purpose == Purpose.CODE else {}  # the code has gone out: keep no copy
    _record(message, status=MessageStatus.SENT, sent_at=timezone.now(), provider_ref=reference[:120], lease_until=None, last_error="", **done)
    return True


def _failed(message: Message, exc: DeliveryError, now: dt.datetime) -> None:
    logger.warning("message %s failed (attempt %s): %s", message.pk, message.attempts, exc)
    if exc.fallback and message.channel == Channel.WECHAT and message.to_customer is not None:
        _record(message, status=MessageStatus.DEAD, last_error=str(exc)[:300], lease_until=None)
        customer = message.to_customer
        enqueue(key=f"{message.key}:sms", channel=Channel.SMS, purpose=message.purpose, body=message.body, subject=message.subject,
                url=message.url, to_customer=customer, address=customer.primary_phone.number if customer.primary_phone else "",
                fallback_of=message)
        return
    if not exc.transient or message.attempts >= settings.MESSAGE_MAX_ATTEMPTS:
        _record(message, status=MessageStatus.DEAD, last_error=str(exc)[:300], lease_until=None)
        return
    delay = dt.timedelta(seconds=settings.MESSAGE_RETRY_BASE_SECONDS * 2 ** (message.attempts - 1))
    _record(message, status=MessageStatus.RETRY, next_attempt_at=now + delay, last_error=str(exc)[:300], lease_until=None)


def deliver_due(now: dt.datetime | None = None, limit: int = 200) -> int:
    """The sweeper: deliver every due message (oldest first); returns how many were sent."""
    now = now or timezone.now()
    pks = list(Message.objects.filter(_due(now)).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    return sum(deliver_one(pk, now) for pk in pks)


def message_retry(*, actor, message: Message) -> Message:
    """An administrator sends a dead message again."""
    from django.core.exceptions import PermissionDenied

    from aftersales.core.errors import ConflictError

    if not actor.has_perm("notifications.manage_outbox"):
        raise PermissionDenied(_("Only an administrator manages the outbox."))
    if not Message.objects.filter(pk=message.pk, status=MessageStatus.DEAD).update(
            status=MessageStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""):
        raise ConflictError(_("Only a message that gave up can be sent again."), code="not_dead")
    transaction.on_commit(lambda: _kick(message.pk))
    message.refresh_from_db()
    return message


def digest_sweep(now: dt.datetime | None = None) -> int:
    """Fold each staff member's waiting e-mail notices into one digest once the oldest has waited
    ``STAFF_DIGEST_MINUTES``; returns the number of digests made."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.STAFF_DIGEST_MINUTES)
    made = 0
    waiting = Message.objects.filter(purpose=Purpose.STAFF, channel=Channel.EMAIL, status=MessageStatus.PENDING, digest__isnull=True)
    for user_id in waiting.filter(created_at__lte=cutoff).values_list("to_user_id", flat=True).distinct():
        with transaction.atomic():
            items = list(waiting.select_for_update().filter(to_user_id=user_id).order_by("id"))
            if not items:
                continue
            body = "\n".join(f"· {m.subject or m.body}" + (f"\n  {m.url}" if m.url else "") for m in items)
            digest = enqueue(key=f"digest:{user_id}:{items[0].pk}-{items[-1].pk}", channel=Channel.EMAIL, purpose=Purpose.DIGEST,
                             subject=_("%(n)s new notices") % {"n": len(items)}, body=body, to_user=items[0].to_user, address=items[0].address)
            Message.objects.filter(pk__in=[m.pk for m in items]).update(status=MessageStatus.DIGESTED, digest=digest)
            made += 1
    return made
