"""Complaint cases (客户抱怨处理表, CMP-01..26): numbered YYMM + serial, routed through departments step by
step to closure within 13 days (17 abroad), with responsibility, loss, deductions and penalties.

``RouteStep`` rows are the routing an administrator edits (the default follows CMP-05); each case copies
them into its own ``CaseStep`` rows with an owner and a due time. ``ApprovalLimit`` rows say which role
may approve a settlement up to which amount (CMP-10: nobody commits beyond his authority). Overdue steps
get a reminder (催办单) and, after closing, late steps an inquiry (洽办单) — both ``ChaseSlip`` rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.models import TimeStampedModel
from aftersales.core.timeline import TimelineEventBase

MONEY = {"max_digits": 12, "decimal_places": 2}


class Origin(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("In person")
    LETTER = "letter", _("Letter or e-mail")
    WEB = "web", _("Website / WeChat")
    OPINION_CARD = "opinion_card", _("Opinion card")
    RETURN_VISIT = "return_visit", _("Return visit")
    STAFF = "staff", _("Raised by staff")
    PUBLIC = "public", _("Consumer association / media")
    REJECTED_DECISION = "rejected", _("Customer rejected an earlier decision")


class ComplaintKind(models.TextChoices):
    """CLS-04."""

    QUALITY = "quality", _("Quality abnormality")
    NON_QUALITY = "non_quality", _("Non-quality (human cause)")


class Market(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic")
    FOREIGN = "foreign", _("Foreign")


class PenaltyCause(models.TextChoices):
    """CMP-17: the fifteen causes of the penalty rules."""

    WRONG_DOCUMENTS = "wrong_documents", _("Wrong documents or samples")
    FINANCIAL_ERROR = "financial_error", _("Financial error")
    MATERIALS_OFF_SPEC = "materials_off_spec", _("Materials off specification")
    REJECTS_MIXED = "rejects_mixed", _("Rejects mixed into stock")
    OVER_SHIPMENT = "over_shipment", _("Over-shipment")
    DATA_CUT = "data_cut", _("Unauthorised cut of production data")
    REQUIREMENT_NOT_PASSED = "requirement_not_passed", _("Special requirement not passed on")
    ORDER_ENTRY = "order_entry", _("Order-entry error")
    LATE_DELIVERY = "late_delivery", _("Late delivery")
    WRONG_SHIPMENT = "wrong_shipment", _("Wrong shipment")
    DELIVERY_NOTE = "delivery_note", _("Delivery-note error")
    STORAGE_DAMAGE = "storage_damage", _("Storage or transport damage")
    MARKING = "marking", _("Marking off specification")
    INSPECTION_DATA = "inspection_data", _("Inspection data mismatch")
    OTHER = "other", _("Other")


class Settlement(models.TextChoices):
    ALLOWANCE = "allowance", _("Allowance or compensation (销货折让)")
    RETURN = "return", _("Return or rework (成品退货)")
    REPAIR = "repair", _("Repair")
    REPLACEMENT = "replacement", _("Replacement")
    EXPLANATION = "explanation", _("Explanation only")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Being handled")
    CLOSED = "closed", _("Case closed")


class StepCode(models.TextChoices):
    REGISTER = "register", _("Registered and numbered")
    QUALITY = "quality", _("Quality: cause and responsible unit")
    PRODUCTION = "production", _("Producing unit: countermeasure")
    MANAGER = "manager", _("Manager's office")
    RND = "rnd", _("R&D")
    SALES_PROPOSAL = "sales_proposal", _("Sales: negotiation and proposal")
    CONSOLIDATE = "consolidate", _("Consolidated opinion")
    APPROVAL = "approval", _("Approval by authority")
    EXECUTE = "execute", _("Sales executes and records the customer's answer")


class RouteStep(models.Model):
    """One step of the default routing (data; CMP-05, CMP-11 per-step deadlines)."""

    position = models.PositiveSmallIntegerField(_("position"), unique=True)
    code = models.CharField(_("step"), max_length=20, choices=StepCode.choices, unique=True)
    department = models.CharField(_("department"), max_length=40)
    owner_role = models.CharField(_("owner role"), max_length=30)
    days = models.PositiveSmallIntegerField(_("days allowed"), default=1)
    optional = models.BooleanField(_("only when needed"), default=False)

    class Meta:
        verbose_name = _("routing step")
        verbose_name_plural = _("routing steps")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.get_code_display()


class ApprovalLimit(models.Model):
    """CMP-06/10: a role approves settlements up to ``max_amount`` (empty = unlimited); major cases need ``may_approve_major``."""

    role = models.CharField(_("role"), max_length=30, unique=True)
    max_amount = models.DecimalField(_("up to (yuan)"), null=True, blank=True, **MONEY)
    may_approve_major = models.BooleanField(_("may approve major complaints"), default=False)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0, help_text=_("lower ranks are asked first"))

    class Meta:
        verbose_name = _("approval limit")
        verbose_name_plural = _("approval limits")
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.role} ≤ {self.max_amount if self.max_amount is not None else '∞'}"

    def covers(self, amount: Decimal, major: bool) -> bool:
        return (self.max_amount is None or amount <= self.max_amount) and (self.may_approve_major or not major)


class LossBasis(models.TextChoices):
    """CMP-15: goods resold within a month carry the loss against the A-grade price; unsold goods the actual loss."""

    RESOLD = "resold", _("Resold within a month (against the A-grade price)")
    UNSOLD = "unsold", _("Not resold (actual loss)")
    NONE = "", _("No loss")


class ComplaintCase(TimeStampedModel):
    number = models.CharField(_("case no."), max_length=16, unique=True)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="complaints")
    service_center = models.ForeignKey("accounts.ServiceCenter", verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+")
    origin = models.CharField(_("came by"), max_length=15, choices=Origin.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=ComplaintKind.choices)
    market = models.CharField(_("market"), max_length=10, choices=Market.choices, default=Market.DOMESTIC)
    major = models.BooleanField(_("major complaint"), default=False)
    subject = models.CharField(_("subject"), max_length=120)
    description = models.TextField(_("what the customer says"))
    # CMP-03: quality complaints
    lot_no = models.CharField(_("lot no."), max_length=40, blank=True)
    part_no = models.CharField(_("part no. (料号)"), max_length=40, blank=True)
    ship_date = models.DateField(_("ship date"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity shipped"), max_digits=12, decimal_places=2, null=True, blank=True)
    defective_quantity = models.DecimalField(_("defective quantity"), max_digits=12, decimal_places=2, null=True, blank=True)
    quantity_undetermined = models.BooleanField(_("客户加工中未确定 (still processing)"), default=False)
    customer_demand = models.TextField(_("customer's demand"), blank=True)
    human_cause = models.CharField(_("cause"), max_length=25, choices=PenaltyCause.choices, blank=True)
    # links
    request = models.ForeignKey("servicedesk.ServiceRequest", verbose_name=_("call"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    equipment = models.ForeignKey("equipment.Equipment", verbose_name=_("equipment"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opinion_card = models.ForeignKey("feedback.OpinionCard", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints")
    return_visit = models.ForeignKey("care.ReturnVisit", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints")
    parent = models.ForeignKey("self", verbose_name=_("follows case"), null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups")
    # clock (CMP-11)
    accepted_at = models.DateTimeField(_("accepted at"))
    due_at = models.DateTimeField(_("to be closed by"))
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    # What the clock was set with at registration (13 or 17 days; the rule below as it then stood): the case keeps it,
    # and a change of the working calendar recomputes the deadlines from these (``services.recompute``).
    period_days = models.PositiveSmallIntegerField(_("days to close"), default=13)
    due_confirmed = models.BooleanField(_("deadline confirmed"), default=True)
    deadline_moves_to_working_day = models.BooleanField(_("deadline on a day off moves to the next working day"), default=True)
    # findings and decision (CMP-04, CMP-07)
    joint_survey = models.BooleanField(_("joint on-site survey needed"), default=False)
    joint_survey_due_at = models.DateTimeField(_("survey report due"), null=True, blank=True)
    joint_survey_report = models.TextField(_("survey report"), blank=True)
    needs_rnd = models.BooleanField(_("R&D needed"), default=False)
    cause_finding = models.TextField(_("cause"), blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=80, blank=True)
    countermeasure = models.TextField(_("countermeasure"), blank=True)
    track_improvement = models.BooleanField(_("improvement tracked"), default=True, help_text=_("human negligence is exempt (CMP-07)"))
    improvement_result = models.TextField(_("result of the countermeasure"), blank=True)
    settlement = models.CharField(_("settlement"), max_length=12, choices=Settlement.choices, blank=True)
    settlement_amount = models.DecimalField(_("settlement amount (yuan)"), default=Decimal("0.00"), **MONEY)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    customer_answer = models.TextField(_("answer to the customer"), blank=True)
    customer_accepted = models.BooleanField(_("customer accepted"), null=True, blank=True)
    handling_satisfaction = models.PositiveSmallIntegerField(_("satisfaction with the handling (1–4)"), null=True, blank=True)
    # loss (CMP-15)
    loss_basis = models.CharField(_("loss basis"), max_length=10, choices=LossBasis.choices, blank=True)
    a_grade_price = models.DecimalField(_("A-grade unit price"), null=True, blank=True, **MONEY)
    resale_price = models.DecimalField(_("resale unit price"), null=True, blank=True, **MONEY)
    loss_quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, null=True, blank=True)
    actual_loss = models.DecimalField(_("actual loss (yuan)"), null=True, blank=True, **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-accepted_at", "-id"]
        indexes = [models.Index(fields=["due_at"], name="complaint_open_due", condition=Q(status="open", overdue_flagged_at__isnull=True)),
                   models.Index(fields=["service_center", "status"], name="complaint_center_status")]
        constraints = [models.CheckConstraint(condition=Q(settlement_amount__gte=0), name="complaint_amount_not_negative")]

    def __str__(self) -> str:
        return self.number

    @property
    def loss(self) -> Decimal:
        """CMP-15: (A-grade price − resale price) × quantity when resold within a month; else the actual loss; 0 without a basis."""
        if self.loss_basis == LossBasis.RESOLD and None not in (self.a_grade_price, self.resale_price, self.loss_quantity):
            return max(Decimal("0.00"), ((self.a_grade_price - self.resale_price) * self.loss_quantity).quantize(Decimal("0.01")))
        if self.loss_basis == LossBasis.UNSOLD and self.actual_loss is not None:
            return self.actual_loss
        return Decimal("0.00")

    def is_overdue(self, now) -> bool:
        return self.status == CaseStatus.OPEN and now > self.due_at


class CaseStep(models.Model):
    case = models.ForeignKey(ComplaintCase, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(_("step"), max_length=20, choices=StepCode.choices)
    department = models.CharField(_("department"), max_length=40)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="complaint_steps")
    due_at = models.DateTimeField(_("due"))
    offset_days = models.PositiveSmallIntegerField(_("due after (days)"), default=0)
    due_confirmed = models.BooleanField(_("deadline confirmed"), default=True)
    opinion = models.TextField(_("opinion"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed by"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    skipped = models.BooleanField(_("not needed"), default=False)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint step")
        verbose_name_plural = _("complaint steps")
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="one_step_per_position")]
        indexes = [models.Index(fields=["due_at"], name="complaint_step_open", condition=Q(done_at__isnull=True, skipped=False, reminded_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_code_display()}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None and not self.skipped

    @property
    def was_late(self) -> bool:
        return self.done_at is not None and self.done_at > self.due_at



class CaseEvent(TimelineEventBase):
    """Timeline of a complaint case (deadline moves now; the steps' own record stays in ``CaseStep``)."""

    KIND_LABELS = {"deadline_moved": _("Deadline moved")}

    case = models.ForeignKey(ComplaintCase, on_delete=models.CASCADE, related_name="events")

    class Meta(TimelineEventBase.Meta):
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")

class ChaseSlip(models.Model):
    """催办单 (a reminder while a step is overdue) or 洽办单 (an inquiry after closing into why a step was late), CMP-12."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder (催办单)")
        INQUIRY = "inquiry", _("Inquiry (洽办单)")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    step = models.ForeignKey(CaseStep, on_delete=models.CASCADE, related_name="slips")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    copy_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("copy to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("issued at"))
    answer = models.TextField(_("reason given"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("chase slip")
        verbose_name_plural = _("chase slips")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["step", "kind"], name="one_slip_per_step_and_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.step}"


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    DEPARTMENT = "department", _("Department, section or group")


class Responsibility(models.Model):
    """CMP-16/19: who is responsible, and for what share; the shares of a case add up to 100 %."""

    case = models.ForeignKey(ComplaintCase, on_delete=models.CASCADE, related_name="responsibilities")
    party_kind = models.CharField(_("party"), max_length=12, choices=PartyKind.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("accounts.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    cause = models.CharField(_("cause"), max_length=25, choices=PenaltyCause.choices)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [models.CheckConstraint(condition=Q(percent__gt=0, percent__lte=100), name="responsibility_percent_0_100"),
                       models.CheckConstraint(condition=(Q(party_kind="person", person__isnull=False) | Q(party_kind="department", department__isnull=False)),
                                              name="responsibility_has_party")]

    def __str__(self) -> str:
        return f"{self.person or self.department} {self.percent}%"


class PenaltyKind(models.TextChoices):
    """CMP-18."""

    DEDUCTION = "deduction", _("Bonus deduction")
    WARNING = "warning", _("Warning (警告)")
    MINOR_DEMERIT = "minor_demerit", _("Minor demerit (小过)")
    MAJOR_DEMERIT = "major_demerit", _("Major demerit (大过)")


class Penalty(TimeStampedModel):
    """A person's penalty from a case: the deduction (CMP-20) and the administrative grade it reaches (CMP-18).

    The amount is taken from the monthly efficiency bonus by ``PenaltyInstalment`` rows, at most
    ``PENALTY_CAP_PERCENT`` of the month's bonus; the rest carries over to later months (CMP-21).
    """

    case = models.ForeignKey(ComplaintCase, on_delete=models.PROTECT, related_name="penalties")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="penalties")
    kind = models.CharField(_("penalty"), max_length=15, choices=PenaltyKind.choices)
    cause = models.CharField(_("cause"), max_length=25, choices=PenaltyCause.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="penalty_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.amount}"


class PenaltyInstalment(models.Model):
    """What one month's payroll deducts for one penalty (CMP-21)."""

    penalty = models.ForeignKey(Penalty, on_delete=models.PROTECT, related_name="instalments")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("deducted (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("penalty instalment")
        verbose_name_plural = _("penalty instalments")
        ordering = ["month", "id"]
        constraints = [models.UniqueConstraint(fields=["penalty", "month"], name="one_instalment_per_penalty_and_month"),
                       models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_positive")]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m} {self.amount}"


class StatisticsConfirmation(models.Model):
    """CMP-13: last month's statistics, responsibility and ratios confirmed by Manufacturing, QA and R&D."""

    month = models.DateField(_("month"))
    role = models.CharField(_("confirmed for"), max_length=30)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("statistics confirmation")
        verbose_name_plural = _("statistics confirmations")
        constraints = [models.UniqueConstraint(fields=["month", "role"], name="one_confirmation_per_month_and_role")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.role}"
