"""Reads of opinion cards, opinions, follow-up tasks and technicians' ratings, scoped to the reader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.accounts import roles
from aftersales.accounts.scoping import scope_by_center, scope_jobs
from aftersales.feedback.models import CRITERIA, FeedbackItem, FollowUpTask, ItemStatus, OpinionCard, Severity


def card_list(*, user, answered: bool | None = None, q: str = "") -> QuerySet[OpinionCard]:
    """Cards of the reader's centre (all centres for head office); a technician sees only his own."""
    qs = scope_jobs(OpinionCard.objects.all(), user, technician_field="technician")
    if answered is not None:
        qs = qs.filter(answered_at__isnull=not answered)
    if q.strip():
        qs = qs.filter(Q(number__icontains=q.strip()) | Q(request__number__icontains=q.strip()) | Q(customer__name__icontains=q.strip()))
    return qs.select_related("customer", "technician", "request", "message").order_by("-closed_on", "-id")


def get_card_for_user(user, pk: int) -> OpinionCard:
    try:
        return card_list(user=user).get(pk=pk)
    except (OpinionCard.DoesNotExist, ValueError) as exc:
        raise Http404("card") from exc


def card_by_token(token: str) -> OpinionCard:
    try:
        return OpinionCard.objects.select_related("request__equipment__product_model", "technician", "customer").get(token=token)
    except OpinionCard.DoesNotExist as exc:
        raise Http404("card") from exc


def item_list(*, user, severity: str = "", open_only: bool = True) -> QuerySet[FeedbackItem]:
    """Opinions: the vice-GM's queue (serious), the service department's (general), those forwarded to the reader,
    and, read-only, his centre's."""
    if not getattr(user, "is_authenticated", False):
        return FeedbackItem.objects.none()
    qs = FeedbackItem.objects.filter(Q(pk__in=scope_by_center(FeedbackItem.objects.all(), user).values("pk")) | Q(forwarded_to=user))
    if severity:
        qs = qs.filter(severity=severity)
    if open_only:
        qs = qs.exclude(status=ItemStatus.REPLIED)
    return qs.select_related("card__customer", "card__technician", "card__request", "forwarded_to", "replied_by")


def get_item_for_user(user, pk: int) -> FeedbackItem:
    try:
        return item_list(user=user, open_only=False).get(pk=pk)
    except (FeedbackItem.DoesNotExist, ValueError) as exc:
        raise Http404("opinion") from exc


def task_list(*, user, open_only: bool = True, mine_only: bool = False) -> QuerySet[FollowUpTask]:
    """Follow-up tasks: the reader's own, and for supervisors and head office those of their centre(s)."""
    if not getattr(user, "is_authenticated", False):
        return FollowUpTask.objects.none()
    own = Q(assigned_to=user)
    if mine_only or not user.has_role(roles.SUPERVISOR, roles.SERVICE_MANAGER, roles.ADMINISTRATOR, roles.VICE_GM, roles.GENERAL_MANAGER):
        qs = FollowUpTask.objects.filter(own)
    else:
        qs = FollowUpTask.objects.filter(own | Q(pk__in=scope_by_center(FollowUpTask.objects.all(), user).values("pk")))
    if open_only:
        qs = qs.filter(done_at__isnull=True)
    return qs.select_related("customer", "card__request", "assigned_to", "done_by")


def get_task_for_user(user, pk: int) -> FollowUpTask:
    try:
        return task_list(user=user, open_only=False).get(pk=pk)
    except (FollowUpTask.DoesNotExist, ValueError) as exc:
        raise Http404("task") from exc


@dataclass
class RatingRow:
    technician_id: int
    name: str
    cards: int
    averages: dict[str, Decimal | None]
    overall: Decimal | None
    dissatisfied: int


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return (timezone.make_aware(dt.datetime.combine(start, dt.time.min)), timezone.make_aware(dt.datetime.combine(end, dt.time.min)))


def technician_ratings(*, user, month: dt.date) -> list[RatingRow]:
    """SURV-01: each technician's ratings from the cards answered in ``month`` (for the monthly appraisal), best first."""
    start, end = _month_bounds(month)
    qs = card_list(user=user).filter(answered_at__gte=start, answered_at__lt=end, technician__isnull=False)
    low = Q(attitude=1) | Q(skill=1) | Q(arrival=1) | Q(follow_through=1)
    rows = (qs.values("technician_id", "technician__full_name", "technician__username")
            .annotate(cards=Count("id"), dissatisfied=Count("id", filter=low), **{f"avg_{c}": Avg(c) for c, _label in CRITERIA})
            .order_by("technician__username"))
    result = []
    for row in rows:
        averages = {c: _two(row[f"avg_{c}"]) for c, _label in CRITERIA}
        values = [v for v in averages.values() if v is not None]
        overall = _two(sum(values) / len(values)) if values else None
        result.append(RatingRow(technician_id=row["technician_id"], name=row["technician__full_name"] or row["technician__username"],
                                cards=row["cards"], averages=averages, overall=overall, dissatisfied=row["dissatisfied"]))
    return sorted(result, key=lambda r: (-(r.overall or 0), r.name))


def _two(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def card_counts(*, user, day_from: dt.date, day_to: dt.date) -> dict[str, int]:
    """Cards made, answered and the share answered, for calls closed in [day_from, day_to]."""
    qs = card_list(user=user).filter(closed_on__gte=day_from, closed_on__lte=day_to)
    made = qs.count()
    answered = qs.filter(answered_at__isnull=False).count()
    return {"made": made, "answered": answered, "percent": round(100 * answered / made) if made else 0}


SEVERITY_ORDER = [Severity.SERIOUS, Severity.GENERAL]
