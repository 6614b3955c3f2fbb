"""Opinion cards (客户意见调查卡) for every closed call, and what follows from them (SURV-01..06).

A card is made for **every** closed call the day after (no sampling). Its four criteria are rated
on four levels. What the customer writes becomes a ``FeedbackItem``: serious ones go to the
vice-GM's queue and are answered by letter, general ones to the service department and are
answered by phone or in writing. Every complaining customer gets a supervisor visit and every low
score a call back (``FollowUpTask``). Ratings stay on the card with the technician, for the
monthly appraisal. Deadlines (reply, visit, call back) are persisted and swept.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.models import TimeStampedModel


class Level(models.IntegerChoices):
    """SURV-03: four satisfaction levels."""

    VERY_SATISFIED = 4, _("Very satisfied")
    SATISFIED = 3, _("Satisfied")
    FAIR = 2, _("Fair")
    DISSATISFIED = 1, _("Dissatisfied")


# SURV-03: the four criteria, in the order of the paper card.
CRITERIA = (
    ("attitude", _("Attitude (态度)")),
    ("skill", _("Skill (技术)")),
    ("arrival", _("Arrival time (到达时间)")),
    ("follow_through", _("Follow-through on promises (答应事情的办理)")),
)


class AnsweredVia(models.TextChoices):
    LINK = "link", _("By the link")
    PHONE = "phone", _("On the phone with an agent")
    PAPER = "paper", _("Paper card")


class CommentKind(models.TextChoices):
    NONE = "", _("No comment")
    SUGGESTION = "suggestion", _("Suggestion")
    COMPLAINT = "complaint", _("Complaint")


class OpinionCard(TimeStampedModel):
    number = models.CharField(_("card no."), max_length=20, unique=True)
    request = models.OneToOneField("servicedesk.ServiceRequest", verbose_name=_("call"), on_delete=models.PROTECT, related_name="opinion_card")
    work_order = models.ForeignKey("workorders.WorkOrder", verbose_name=_("voucher"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="opinion_cards")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="opinion_cards")
    service_center = models.ForeignKey("accounts.ServiceCenter", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=40, unique=True, editable=False)
    closed_on = models.DateField(_("call closed on"), db_index=True)
    message = models.ForeignKey("notifications.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, db_index=True)
    answered_via = models.CharField(_("answered"), max_length=10, choices=AnsweredVia.choices, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    attitude = models.PositiveSmallIntegerField(_("Attitude (态度)"), choices=Level.choices, null=True, blank=True)
    skill = models.PositiveSmallIntegerField(_("Skill (技术)"), choices=Level.choices, null=True, blank=True)
    arrival = models.PositiveSmallIntegerField(_("Arrival time (到达时间)"), choices=Level.choices, null=True, blank=True)
    follow_through = models.PositiveSmallIntegerField(_("Follow-through on promises (答应事情的办理)"), choices=Level.choices, null=True, blank=True)
    comment_kind = models.CharField(_("comment"), max_length=12, choices=CommentKind.choices, blank=True)
    comments = models.TextField(_("suggestions or complaints"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("opinion card")
        verbose_name_plural = _("opinion cards")
        ordering = ["-closed_on", "-id"]
        indexes = [models.Index(fields=["technician", "answered_at"], name="card_tech_answered")]
        constraints = [
            models.CheckConstraint(name="card_levels_1_to_4", condition=(
                Q(attitude__isnull=True) | Q(attitude__gte=1, attitude__lte=4)) & (Q(skill__isnull=True) | Q(skill__gte=1, skill__lte=4))
                & (Q(arrival__isnull=True) | Q(arrival__gte=1, arrival__lte=4))
                & (Q(follow_through__isnull=True) | Q(follow_through__gte=1, follow_through__lte=4))),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def ratings(self) -> dict[str, int | None]:
        return {code: getattr(self, code) for code, _label in CRITERIA}

    def average(self) -> Decimal | None:
        """Mean of the four ratings (1–4, two places); None before the card is answered."""
        values = [v for v in self.ratings().values() if v is not None]
        return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01")) if values else None

    def lowest(self) -> int | None:
        values = [v for v in self.ratings().values() if v is not None]
        return min(values) if values else None


class Severity(models.TextChoices):
    SERIOUS = "serious", _("Serious — vice-GM, reply by letter")
    GENERAL = "general", _("General — service department, reply by phone or in writing")


class ItemKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FORWARDED = "forwarded", _("Forwarded")
    REPLIED = "replied", _("Replied")


class ReplyVia(models.TextChoices):
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    WRITTEN = "written", _("In writing (e-mail, SMS, WeChat)")


class FeedbackItem(TimeStampedModel):
    card = models.ForeignKey(OpinionCard, verbose_name=_("opinion card"), on_delete=models.PROTECT, related_name="items")
    service_center = models.ForeignKey("accounts.ServiceCenter", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=ItemKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    forwarded_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("forwarded to"), null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    forward_note = models.CharField(_("forwarding note"), max_length=300, blank=True)
    reply_due_at = models.DateTimeField(_("reply due"))
    reply_text = models.TextField(_("reply"), blank=True)
    reply_via = models.CharField(_("replied by"), max_length=10, choices=ReplyVia.choices, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("replied by"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    chased_at = models.DateTimeField(_("last chased at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["reply_due_at", "id"]
        indexes = [models.Index(fields=["reply_due_at"], name="feedback_reply_open", condition=Q(replied_at__isnull=True, overdue_flagged_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.card.number} {self.get_kind_display()}"


class TaskKind(models.TextChoices):
    SUPERVISOR_VISIT = "supervisor_visit", _("Supervisor visit to a complaining customer")
    LOW_SCORE_CALL = "low_score_call", _("Call back after a low score")
    VISIT_FOLLOW_UP = "visit_follow_up", _("Follow-up of a dissatisfied return visit")


class FollowUpTask(TimeStampedModel):
    """SURV-05: the supervisor (or his designee) visits every complaining customer; a low score gets a call back.

    Made from an opinion card (``card``) or from a return visit that found the customer dissatisfied
    (``card`` empty, ``note`` says what the visit found)."""

    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    card = models.ForeignKey(OpinionCard, verbose_name=_("opinion card"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    note = models.TextField(_("what was found"), blank=True)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+")
    service_center = models.ForeignKey("accounts.ServiceCenter", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="followup_tasks")
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.TextField(_("outcome"), blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    chased_at = models.DateTimeField(_("last chased at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["card", "kind"], condition=Q(card__isnull=False), name="one_task_per_card_and_kind")]
        indexes = [models.Index(fields=["due_on"], name="followup_open", condition=Q(done_at__isnull=True, overdue_flagged_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.customer}"
