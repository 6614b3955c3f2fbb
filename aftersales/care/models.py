"""Return visits (回访) and care reminders (VIS-01..12).

``VisitRule`` rows turn events — a repair handed back, a delivery, an installation, a purchase, a
new VIP card, or simply a month or quarter passing — into ``ReturnVisit`` rows on the visit
agents' daily due list. Rules are data an administrator edits (the seeds' rules are the
defaults, see migration 0002). A visit records its outcome, item scores and actions, following
the visit type's script (话术). The same customer is not contacted twice within
``VISIT_DEDUP_DAYS``: a second visit falls due as "blocked (duplicate)".

``ReminderRule`` rows send greetings and reminders (birthday, holidays, maintenance, annual
inspection, insurance, warranty ending) through the outbox, which holds them in quiet hours and
drops them for customers who opted out.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.models import TimeStampedModel


class VisitType(models.Model):
    """A kind of return visit (3DC, 7DC, installation follow-up …) with its script and scored items."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)
    script = models.TextField(_("script (话术)"), blank=True, help_text=_("What the agent says, step by step."))
    items = models.JSONField(_("scored items"), default=list, blank=True, help_text=_("A list of item names, each scored 1–4 during the visit."))
    form_name = models.CharField(_("form"), max_length=60, blank=True, help_text=_("e.g. 3DC表, 7DC表, 定期回访记录表"))

    class Meta:
        verbose_name = _("visit type")
        verbose_name_plural = _("visit types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Event(models.TextChoices):
    REPAIR_HANDOVER = "repair_handover", _("Repair handed back (call closed)")
    DELIVERY = "delivery", _("Delivery")
    SECONDARY_INVOICE = "secondary_invoice", _("Sales invoice of a secondary outlet")
    INSTALLATION = "installation", _("Installation")
    PURCHASE = "purchase", _("Purchase (invoice)")
    NEW_VIP = "new_vip", _("New VIP card")
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")


class Audience(models.TextChoices):
    ALL = "all", _("Everyone")
    IN_WARRANTY = "in_warranty", _("In-warranty machines")
    VIP = "vip", _("VIP level in range")
    SERVED_LAST_MONTH = "served_last_month", _("Customers served last month")


class PlanType(models.TextChoices):
    """VIS-01 plan types."""

    ROUTINE = "routine", _("Routine")
    HOLIDAY = "holiday", _("Holiday")
    PROMOTION = "promotion", _("Promotion")
    KEY_ACCOUNT = "key_account", _("Key account")


class VisitRule(models.Model):
    name = models.CharField(_("name"), max_length=80)
    visit_type = models.ForeignKey(VisitType, verbose_name=_("visit type"), on_delete=models.PROTECT, related_name="rules")
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    offset_days = models.PositiveSmallIntegerField(_("days after the event"), default=0)
    window_days = models.PositiveSmallIntegerField(_("days allowed"), default=1, help_text=_("The visit is due from the offset day for this many days."))
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.ALL)
    vip_min = models.PositiveSmallIntegerField(_("VIP level from"), default=0)
    vip_max = models.PositiveSmallIntegerField(_("VIP level to"), default=9)
    sample_percent = models.PositiveSmallIntegerField(_("sample (%)"), default=100)
    plan_type = models.CharField(_("plan type"), max_length=12, choices=PlanType.choices, default=PlanType.ROUTINE)
    assigned_role = models.CharField(_("done by role"), max_length=30, blank=True, help_text=_("e.g. general_manager for the GM office's quarterly sampling"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit rule")
        verbose_name_plural = _("visit rules")
        ordering = ["event", "offset_days", "id"]
        constraints = [models.CheckConstraint(condition=Q(sample_percent__gte=1, sample_percent__lte=100), name="visit_rule_sample_1_100"),
                       models.CheckConstraint(condition=Q(window_days__gte=1), name="visit_rule_window_positive")]

    def __str__(self) -> str:
        return self.name


class VisitStatus(models.TextChoices):
    DUE = "due", _("Due")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked: contacted recently")
    SKIPPED = "skipped", _("Skipped")


class Outcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    REFUSED = "refused", _("Did not want to talk")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 4, _("Very satisfied")
    SATISFIED = 3, _("Satisfied")
    FAIR = 2, _("Fair")
    DISSATISFIED = 1, _("Dissatisfied")


class ReturnVisit(TimeStampedModel):
    rule = models.ForeignKey(VisitRule, verbose_name=_("rule"), null=True, blank=True, on_delete=models.PROTECT, related_name="visits")
    visit_type = models.ForeignKey(VisitType, verbose_name=_("visit type"), on_delete=models.PROTECT, related_name="visits")
    source_key = models.CharField(max_length=60, help_text="what made it due, e.g. sr:12, eq:7, cust:3:2026-11")
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="return_visits")
    service_center = models.ForeignKey("accounts.ServiceCenter", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+")
    equipment = models.ForeignKey("equipment.Equipment", verbose_name=_("equipment"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey("servicedesk.ServiceRequest", verbose_name=_("call"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    event_date = models.DateField(_("event date"))
    due_from = models.DateField(_("due from"), db_index=True)
    due_until = models.DateField(_("due until"))
    plan_type = models.CharField(_("plan type"), max_length=12, choices=PlanType.choices, default=PlanType.ROUTINE)
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.DUE)
    blocked_by = models.ForeignKey("self", verbose_name=_("duplicate of"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("agent"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="return_visits")
    attempts = models.PositiveSmallIntegerField(_("calls without answer"), default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, db_index=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("overall satisfaction"), choices=Satisfaction.choices, null=True, blank=True)
    scores = models.JSONField(_("item scores"), default=dict, blank=True)
    content = models.TextField(_("what was said"), blank=True)
    reasons = models.CharField(_("reason for dissatisfaction"), max_length=200, blank=True)
    actions = models.TextField(_("actions agreed"), blank=True)
    promised_by = models.DateField(_("answer promised by"), null=True, blank=True, help_text=_("VIS-10: give a clear time, no rash promises"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("return visit")
        verbose_name_plural = _("return visits")
        ordering = ["due_from", "id"]
        constraints = [models.UniqueConstraint(fields=["rule", "source_key"], condition=Q(rule__isnull=False), name="one_visit_per_rule_and_event")]
        indexes = [models.Index(fields=["customer", "done_at"], name="visit_customer_done"),
                   models.Index(fields=["service_center", "status", "due_from"], name="visit_center_due")]

    def __str__(self) -> str:
        return f"{self.visit_type} · {self.customer}"

    def is_overdue(self, today) -> bool:
        return self.status == VisitStatus.DUE and today > self.due_until


class ReminderKind(models.TextChoices):
    BIRTHDAY = "birthday", _("Birthday greeting")
    HOLIDAY = "holiday", _("Holiday greeting")
    MAINTENANCE = "maintenance", _("Maintenance due")
    INSPECTION = "inspection", _("Annual inspection due")
    INSURANCE = "insurance", _("Insurance renewal due")
    WARRANTY = "warranty", _("Warranty about to end")


PLACEHOLDERS = ("customer", "date", "model", "serial", "holiday", "company")


class ReminderRule(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices, unique=True)
    days_before = models.PositiveSmallIntegerField(_("days before"))
    text = models.TextField(_("text"), help_text=_("Placeholders: {customer} {date} {model} {serial} {holiday} {company}"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        """Only the known placeholders may appear in the text (an administrator's typo is refused on save)."""
        import string

        from django.core.exceptions import ValidationError

        try:
            names = {name for _text, name, _spec, _conv in string.Formatter().parse(self.text or "") if name is not None}
        except ValueError as exc:
            raise ValidationError({"text": _("Unbalanced braces in the text.")}) from exc
        unknown = sorted(names - set(PLACEHOLDERS))
        if unknown:
            raise ValidationError({"text": _("Unknown placeholders: %(names)s. Use: %(known)s") % {
                "names": ", ".join(f"{{{n}}}" for n in unknown), "known": " ".join(f"{{{n}}}" for n in PLACEHOLDERS)}})


class Holiday(models.Model):
    """A holiday customers are greeted for (VIS-06: New Year, Spring Festival, May Day, Mid-Autumn, National Day …)."""

    name = models.CharField(_("name"), max_length=40)
    date = models.DateField(_("date"), unique=True)

    class Meta:
        verbose_name = _("holiday greeting")
        verbose_name_plural = _("holiday greetings")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} {self.date}"
