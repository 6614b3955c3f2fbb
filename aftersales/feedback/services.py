"""Writes of opinion cards and their follow-up (SURV-01..06).

``opinion_card_sweep`` makes the cards (idempotent: one per call). ``opinion_card_answer`` takes
the answer once, from the customer's link or from an agent on the phone, and routes what it says.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.accounts import roles
from aftersales.accounts.models import User
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.models import document_number
from aftersales.feedback.models import (
    CRITERIA,
    AnsweredVia,
    CommentKind,
    FeedbackItem,
    FollowUpTask,
    ItemKind,
    ItemStatus,
    Level,
    OpinionCard,
    ReplyVia,
    Severity,
    TaskKind,
)
from aftersales.notifications.models import Purpose
from aftersales.notifications.outbox import send_to_customer
from aftersales.notifications.services import notice_send
from aftersales.servicedesk.models import ServiceRequest, Status

CARD_PREFIX = "YJ"


def _send_time(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.fromisoformat(settings.OPINION_CARD_SEND_TIME)))


def _closed_calls_without_card(now: dt.datetime, lookback_days: int | None = None):
    """Calls closed before today (local) and within the look-back window that have no card yet (customers' calls only)."""
    today = timezone.localdate(now)
    days = settings.OPINION_CARD_LOOKBACK_DAYS if lookback_days is None else lookback_days
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return (ServiceRequest.objects.filter(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end, customer__isnull=False,
                                          opinion_card__isnull=True)
            .select_related("customer", "service_center").prefetch_related("work_orders", "customer__phones").order_by("closed_at", "id"))


def _card_text(card: OpinionCard) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Opinion card for request %(no)s") % {"no": card.request.number}
        body = _("Thank you for choosing our service. Please rate request %(no)s (attitude, skill, arrival time, follow-through) — it takes one minute:") % {
            "no": card.request.number}
    return subject, body


def opinion_card_create(*, request: ServiceRequest, now: dt.datetime) -> OpinionCard | None:
    """Make the card of one closed call and queue its message; None when it exists already."""
    voucher = next((wo for wo in sorted(request.work_orders.all(), key=lambda w: w.assigned_at, reverse=True) if wo.status != "cancelled"), None)
    try:
        with transaction.atomic():
            card = OpinionCard.objects.create(
                number=document_number(CARD_PREFIX, now), request=request, work_order=voucher, technician=voucher.technician if voucher else None,
                customer=request.customer, service_center=request.service_center, token=secrets.token_urlsafe(24),
                closed_on=timezone.localdate(request.closed_at))
            subject, body = _card_text(card)
            due = max(now, _send_time(card.closed_on + dt.timedelta(days=1)))
            card.message = _queue(card, subject, body, due)
            card.save(update_fields=["message"])
    except IntegrityError:  # another sweeper made it a moment ago
        return None
    return card


def _queue(card: OpinionCard, subject: str, body: str, due: dt.datetime):
    """The card's message, due the day after the close (never the minute the card is made at night)."""
    return send_to_customer(card.customer, key=f"card:{card.pk}", purpose=Purpose.SURVEY, subject=subject, body=body,
                            url=reverse("opinion_card", args=[card.token]), phone=card.request.contact_phone, not_before=due)


def opinion_card_sweep(now: dt.datetime | None = None, *, lookback_days: int | None = None) -> int:
    """SURV-02: a card for every call closed on an earlier day (no sampling). Safe to run any time, any number of times.
    ``lookback_days`` (default ``OPINION_CARD_LOOKBACK_DAYS``) bounds how far back a first run goes."""
    now = now or timezone.now()
    return sum(opinion_card_create(request=sr, now=now) is not None for sr in _closed_calls_without_card(now, lookback_days))


def _validate_answer(ratings: dict[str, int | None], comment_kind: str, comments: str) -> dict[str, int]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    for code, label in CRITERIA:
        value = ratings.get(code)
        try:
            level = int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            level = None
        if level not in Level.values:
            errors[code] = [_("Choose a level for “%(criterion)s”.") % {"criterion": label}]
        else:
            clean[code] = level
    if comment_kind not in CommentKind.values:
        errors["comment_kind"] = [_("Unknown kind of comment.")]
    elif comment_kind and not comments.strip():
        errors["comments"] = [_("Tell us what your suggestion or complaint is.")]
    if len(comments) > 2000:
        errors["comments"] = [_("Please keep it under %(n)s characters.") % {"n": 2000}]
    if errors:
        raise DomainError(errors)
    return clean


def opinion_card_answer(
    *, card: OpinionCard, ratings: dict[str, int | None], comment_kind: str = "", comments: str = "", via: str = AnsweredVia.LINK,
    actor=None, now: dt.datetime | None = None,
) -> OpinionCard:
    """Record the answer once and route it (SURV-04/05). A second answer is a conflict and changes nothing.

    From the link ``actor`` is None; an agent entering a phone or paper answer needs ``feedback.enter``.
    """
    if via != AnsweredVia.LINK and (actor is None or not actor.has_perm("feedback.enter", card)):
        raise PermissionDenied(_("You may not enter answers for this centre's cards."))
    if via not in AnsweredVia.values:
        raise DomainError({"via": [_("Unknown way of answering.")]})
    clean = _validate_answer(ratings, comment_kind, comments)
    now = now or timezone.now()
    with transaction.atomic():
        current = OpinionCard.objects.select_for_update(of=("self",)).select_related("customer", "service_center", "technician").get(pk=card.pk)
        if current.answered_at is not None:
            raise ConflictError(_("This card was already answered on %(when)s. Thank you!") % {
                "when": f"{timezone.localtime(current.answered_at):%Y-%m-%d %H:%M}"}, code="already_answered")
        for code, level in clean.items():
            setattr(current, code, level)
        current.comment_kind, current.comments = comment_kind, comments.strip()
        current.answered_at, current.answered_via = now, via
        current.entered_by = actor if via != AnsweredVia.LINK else None
        current._history_user = actor
        current.save()
        _route(current, now)
    return current


def _route(card: OpinionCard, now: dt.datetime) -> None:
    """SURV-04: serious → vice-GM queue, general → service department; SURV-05: a visit for every complaint; a low score → call back."""
    lowest = card.lowest()
    complaint = card.comment_kind == CommentKind.COMPLAINT
    if card.comment_kind:
        severity = Severity.SERIOUS if complaint and lowest is not None and lowest <= settings.OPINION_SERIOUS_LEVEL else Severity.GENERAL
        item = FeedbackItem.objects.create(card=card, service_center=card.service_center, kind=ItemKind(card.comment_kind), severity=severity,
                                           text=card.comments, reply_due_at=now + dt.timedelta(days=settings.FEEDBACK_REPLY_DAYS))
        _tell_handlers(item)
    supervisor = None  # the centre's supervisor (followup_create)
    today = timezone.localdate(now)
    if complaint:
        _task(card, TaskKind.SUPERVISOR_VISIT, supervisor, today + dt.timedelta(days=settings.SUPERVISOR_VISIT_DAYS))
    if lowest is not None and lowest <= settings.OPINION_LOW_SCORE_LEVEL:
        _task(card, TaskKind.LOW_SCORE_CALL, supervisor, today + dt.timedelta(days=settings.LOW_SCORE_CALL_DAYS))


def _task(card: OpinionCard, kind: str, assignee: User | None, due: dt.date) -> FollowUpTask:
    return followup_create(kind=kind, customer=card.customer, card=card, assignee=assignee, due=due, note=card.comments)


def followup_create(*, kind: str, customer, due: dt.date, card: OpinionCard | None = None, assignee: User | None = None,
                    note: str = "") -> FollowUpTask:
    """A visit or call-back for the customer's centre supervisor (or ``assignee``), who is told at once."""
    if assignee is None:
        assignee = User.objects.filter(is_active=True, service_center=customer.service_center, groups__name=roles.SUPERVISOR).order_by("id").first()
    task = FollowUpTask.objects.create(kind=kind, card=card, customer=customer, service_center=customer.service_center, assigned_to=assignee,
                                       due_on=due, note=note if card is None else "")
    if assignee is not None:
        notice_send(recipients=[assignee], kind="followup", title=f"{task.get_kind_display()}: {customer.name}",
                    body=note[:200], url=reverse("feedback:task", args=[task.pk]), dedupe_key=f"task:{task.pk}")
    return task


def _handlers(severity: str) -> list[User]:
    codes = roles.FEEDBACK_SERIOUS_ROLES if severity == Severity.SERIOUS else roles.FEEDBACK_GENERAL_ROLES
    preferred = [roles.VICE_GM] if severity == Severity.SERIOUS else [roles.SERVICE_MANAGER]
    users = list(User.objects.filter(is_active=True, groups__name__in=preferred).distinct())
    return users or list(User.objects.filter(is_active=True, groups__name__in=codes).distinct())


def _tell_handlers(item: FeedbackItem) -> None:
    notice_send(recipients=_handlers(item.severity), kind="feedback", title=f"{item.get_severity_display()}: {item.card.customer.name}",
                body=item.text[:200], url=reverse("feedback:item", args=[item.pk]), dedupe_key=f"feedback:{item.pk}")


def _locked_item(item: FeedbackItem, expected_version: int | None) -> FeedbackItem:
    current = FeedbackItem.objects.select_for_update(of=("self",)).select_related("card__customer").get(pk=item.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(_("Someone else changed this opinion meanwhile. Reload and try again."))
    if current.status == ItemStatus.REPLIED:
        raise ConflictError(_("This opinion was already answered."), code="already_replied")
    return current


def feedback_forward(*, actor, item: FeedbackItem, to: User, note: str = "", expected_version: int | None = None) -> FeedbackItem:
    """The vice-GM (or the service department) hands an opinion to someone who will answer it."""
    if not actor.has_perm("feedback.forward", item):
        raise PermissionDenied(_("You may not forward this opinion."))
    if not to.is_active:
        raise DomainError({"to": [_("Choose an active colleague.")]})
    with transaction.atomic():
        current = _locked_item(item, expected_version)
        current.status, current.forwarded_to, current.forward_note = ItemStatus.FORWARDED, to, note.strip()[:300]
        current.version += 1
        current._history_user = actor
        current.save()
        notice_send(recipients=[to], kind="feedback", title=_("Opinion forwarded to you: %(c)s") % {"c": current.card.customer.name},
                    body=note[:200], url=reverse("feedback:item", args=[current.pk]), dedupe_key=f"feedback:{current.pk}:fwd:{current.version}")
    return current


def feedback_reply(*, actor, item: FeedbackItem, text: str, via: str, expected_version: int | None = None,
                   now: dt.datetime | None = None) -> FeedbackItem:
    """Record the answer to the customer (SURV-04): serious opinions by letter; general ones by phone or in writing."""
    if not actor.has_perm("feedback.reply", item):
        raise PermissionDenied(_("You may not answer this opinion."))
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [_("Write the answer given to the customer.")]
    if via not in ReplyVia.values:
        errors["via"] = [_("Choose how the customer was answered.")]
    elif item.severity == Severity.SERIOUS and via != ReplyVia.LETTER:
        errors["via"] = [_("A serious opinion is answered by letter.")]
    elif item.severity == Severity.GENERAL and via == ReplyVia.LETTER:
        pass  # a letter is always acceptable
    if errors:
        raise DomainError(errors)
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked_item(item, expected_version)
        current.status, current.reply_text, current.reply_via = ItemStatus.REPLIED, text.strip(), via
        current.replied_by, current.replied_at = actor, now
        current.version += 1
        current._history_user = actor
        current.save()
    return current


def followup_complete(*, actor, task: FollowUpTask, outcome: str, now: dt.datetime | None = None) -> FollowUpTask:
    """The supervisor (or designee) visited or called the customer; the outcome is mandatory."""
    if not actor.has_perm("feedback.work_task", task):
        raise PermissionDenied(_("This task is not yours."))
    if not outcome.strip():
        raise DomainError({"outcome": [_("Write what came of the visit or call.")]})
    with transaction.atomic():
        current = FollowUpTask.objects.select_for_update().get(pk=task.pk)
        if current.done_at is not None:
            raise ConflictError(_("This task was already done."), code="already_done")
        current.done_at, current.done_by, current.outcome = now or timezone.now(), actor, outcome.strip()
        current._history_user = actor
        current.save()
    return current


def followup_assign(*, actor, task: FollowUpTask, to: User) -> FollowUpTask:
    """SURV-05 "the supervisor or a designee": hand the visit to a colleague of the same centre."""
    if not actor.has_perm("feedback.work_task", task):
        raise PermissionDenied(_("This task is not yours."))
    if not to.is_active or (to.service_center_id != task.service_center_id and not to.has_global_scope):
        raise DomainError({"to": [_("Choose an active colleague of the customer's centre.")]})
    with transaction.atomic():
        current = FollowUpTask.objects.select_for_update().get(pk=task.pk)
        if current.done_at is not None:
            raise ConflictError(_("This task was already done."), code="already_done")
        current.assigned_to = to
        current._history_user = actor
        current.save()
        notice_send(recipients=[to], kind="followup", title=f"{current.get_kind_display()}: {current.customer.name}",
                    url=reverse("feedback:task", args=[current.pk]), dedupe_key=f"task:{current.pk}:to:{to.pk}")
    return current


def feedback_chase(*, actor, item: FeedbackItem | None = None, task: FollowUpTask | None = None, now: dt.datetime | None = None) -> int:
    """SURV-06: the service department chases (催办) whoever holds an open opinion or task. Returns notices sent."""
    if not actor.has_perm("feedback.chase"):
        raise PermissionDenied(_("Only the service department chases."))
    now = now or timezone.now()
    target = item or task
    if target is None or (item is not None and item.status == ItemStatus.REPLIED) or (task is not None and task.done_at is not None):
        raise ConflictError(_("Nothing to chase: it is done."), code="done")
    holder = getattr(target, "forwarded_to", None) or getattr(target, "assigned_to", None)
    recipients = [holder] if holder else _handlers(getattr(target, "severity", Severity.GENERAL))
    url = reverse("feedback:item", args=[target.pk]) if item else reverse("feedback:task", args=[target.pk])
    sent = notice_send(recipients=recipients, kind="chase", title=_("Please act now (催办): %(what)s") % {"what": str(target)}, url=url,
                       dedupe_key=f"chase:{type(target).__name__}:{target.pk}:{now:%Y%m%d%H%M}")
    type(target).objects.filter(pk=target.pk).update(chased_at=now)
    return sent


def feedback_overdue_sweep(now: dt.datetime | None = None) -> int:
    """Flag opinions not answered in time and tasks past their day, once each, and tell the service department."""
    now = now or timezone.now()
    flagged = 0
    late_items = FeedbackItem.objects.filter(replied_at__isnull=True, overdue_flagged_at__isnull=True, reply_due_at__lte=now)
    late_tasks = FollowUpTask.objects.filter(done_at__isnull=True, overdue_flagged_at__isnull=True, due_on__lt=timezone.localdate(now))
    for qs, kind in ((late_items, "item"), (late_tasks, "task")):
        for obj in qs.select_related("customer" if kind == "task" else "card__customer"):
            if type(obj).objects.filter(pk=obj.pk, overdue_flagged_at__isnull=True).update(overdue_flagged_at=now):
                flagged += 1
                url = reverse("feedback:item" if kind == "item" else "feedback:task", args=[obj.pk])
                notice_send(recipients=_handlers(Severity.GENERAL), kind="feedback_overdue", title=_("Overdue: %(what)s") % {"what": str(obj)},
                            url=url, dedupe_key=f"overdue:{kind}:{obj.pk}")
    return flagged
