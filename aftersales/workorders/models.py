"""Service vouchers (服务凭证/派工单), visits, signatures, take-back receipts and repair cards.

The chain of seed 001 (八)–(十四): the supervisor dispatches a call against its voucher; the
technician visits and either finishes on site (customer signs the voucher, the register entry is
closed) or takes the item back (goods receipt to the customer, goods in/out register, a repair
card hung on the item), the supervisor inspects, and the item goes back against the receipt,
which is then voided.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from aftersales.accounts.models import ServiceCenter
from aftersales.core.files import UnguessableName, private_storage
from aftersales.core.models import TimeStampedModel
from aftersales.core.timeline import TimelineEventBase
from aftersales.servicedesk.models import Category, ServiceRequest


class Status(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    ON_SITE = "on_site", _("On site")
    COMPLETED = "completed", _("Completed on site")
    TAKEN_BACK = "taken_back", _("Taken back")
    IN_REPAIR = "in_repair", _("In repair")
    REPAIRED = "repaired", _("Repaired, awaiting inspection")
    INSPECTED = "inspected", _("Inspected (验讫)")
    RETURNED = "returned", _("Returned to customer")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (Status.ASSIGNED, Status.ON_SITE, Status.TAKEN_BACK, Status.IN_REPAIR, Status.REPAIRED, Status.INSPECTED)
# The customer's item is in our custody: a goods receipt is out and not yet voided.
IN_CUSTODY = (Status.TAKEN_BACK, Status.IN_REPAIR, Status.REPAIRED, Status.INSPECTED)
# A work order may go to another technician only before the visit or while the item is in the workshop.
REASSIGNABLE = (Status.ASSIGNED, Status.TAKEN_BACK, Status.IN_REPAIR)


class ToldVia(models.TextChoices):
    """How the customer was told of a delay (DISP-07)."""

    PHONE = "phone", _("Phone call")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    IN_PERSON = "in_person", _("In person")


class WorkOrder(ConcurrentTransitionMixin, TimeStampedModel):
    """The service voucher of one call: who goes, what was done, who signed.

    ``service_center`` is the request's, kept here so that boards and scoping need no join.
    ``category`` is decided again when the voucher is made (CLS-01: the warranty may have ended
    since the call). ``version`` increases on every write so that stale edits are refused.
    """

    number = models.CharField(_("voucher no."), max_length=20, unique=True, editable=False)
    request = models.ForeignKey(ServiceRequest, verbose_name=_("call"), on_delete=models.PROTECT, related_name="work_orders")
    service_center = models.ForeignKey(ServiceCenter, verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="work_orders")
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.PROTECT, related_name="work_orders")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"))
    assignment_override = models.CharField(_("assignment override reason"), max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=1, choices=Category.choices)
    category_reason = models.CharField(_("classification reason"), max_length=300)
    status = FSMField(_("status"), default=Status.ASSIGNED, choices=Status.choices, protected=True, db_index=True)
    contacted_at = models.DateTimeField(_("customer contacted at"), null=True, blank=True)
    departed_at = models.DateTimeField(_("engineer set out at"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("agreed visit time"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_reason = models.CharField(_("escalation reason"), max_length=300, blank=True)
    signature_waived_reason = models.CharField(_("why there is no signature"), max_length=300, blank=True)
    signature_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signature waived by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    promised_return_at = models.DateTimeField(_("promised return"), null=True, blank=True)
    promised_return_confirmed = models.BooleanField(_("promised return confirmed"), default=True)
    # The working days the promise was made with (DISP-06, the centre's rule at intake): kept, so that a change of the
    # working calendar recomputes the promise and a later change of the rule does not.
    return_working_days = models.PositiveSmallIntegerField(_("return within working days"), null=True, blank=True)
    return_overdue_flagged_at = models.DateTimeField(_("return overdue flagged at"), null=True, blank=True)
    delay_reason = models.CharField(_("delay reason"), max_length=300, blank=True)
    delay_reported_at = models.DateTimeField(_("delay reported at"), null=True, blank=True)
    customer_told_via = models.CharField(_("customer told via"), max_length=20, choices=ToldVia.choices, blank=True)
    # INTK-09: a paid (A) job starts only once the customer has accepted the price.
    paid_work_accepted_at = models.DateTimeField(_("paid work accepted at"), null=True, blank=True)
    paid_work_acceptance = models.CharField(_("how the customer accepted"), max_length=300, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("voucher archived at"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-assigned_at", "-id"]
        indexes = [
            models.Index(fields=["technician", "status"], name="wo_technician_status"),
            models.Index(fields=["completed_at"], name="wo_completed_at"),  # the reports' jobs of a period
            models.Index(fields=["service_center", "status"], name="wo_center_status"),
            models.Index(fields=["promised_return_at"], name="wo_return_open",
                         condition=Q(status__in=["taken_back", "in_repair", "repaired", "inspected"], return_overdue_flagged_at__isnull=True)),
        ]
        constraints = [
            # One open voucher per call: a second dispatch of the same call is a reassignment.
            models.UniqueConstraint(fields=["request"], condition=Q(status__in=["assigned", "on_site", "taken_back", "in_repair", "repaired", "inspected"]),
                                    name="uniq_open_work_order_per_request"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def in_custody(self) -> bool:
        return self.status in IN_CUSTODY

    @property
    def needs_paid_acceptance(self) -> bool:
        """A paid (A) job whose customer has not yet accepted the price (INTK-09)."""
        from django.conf import settings

        return settings.PAID_WORK_NEEDS_ACCEPTANCE and self.category == "A" and self.paid_work_accepted_at is None

    @property
    def is_reassignable(self) -> bool:
        return self.status in REASSIGNABLE

    def is_return_overdue(self, now: dt.datetime) -> bool:
        """The item is still with us after the promised return time (DISP-06)."""
        return self.in_custody and self.promised_return_at is not None and now > self.promised_return_at

    def days_held(self, today: dt.date) -> int | None:
        """Calendar days the customer's item has been with us (0 on the day of intake)."""
        receipt = getattr(self, "receipt", None)
        if receipt is None:
            return None
        return (today - timezone.localtime(receipt.issued_at).date()).days

    # --- declared transitions (invoked only by services) ------------------------------------
    @transition(field=status, source=Status.ASSIGNED, target=Status.ON_SITE)
    def check_in(self) -> None:
        pass

    @transition(field=status, source=Status.ON_SITE, target=Status.COMPLETED)
    def complete(self) -> None:
        pass

    @transition(field=status, source=Status.ON_SITE, target=Status.TAKEN_BACK)
    def take_back(self) -> None:
        pass

    @transition(field=status, source=Status.ON_SITE, target=Status.ASSIGNED)
    def end_visit(self) -> None:
        """The visit ends without finishing: another visit is needed, or the job was escalated."""

    @transition(field=status, source=Status.TAKEN_BACK, target=Status.IN_REPAIR)
    def start_repair(self) -> None:
        pass

    @transition(field=status, source=Status.IN_REPAIR, target=Status.REPAIRED)
    def finish_repair(self) -> None:
        pass

    @transition(field=status, source=Status.REPAIRED, target=Status.INSPECTED)
    def pass_inspection(self) -> None:
        pass

    @transition(field=status, source=Status.REPAIRED, target=Status.IN_REPAIR)
    def fail_inspection(self) -> None:
        pass

    @transition(field=status, source=Status.INSPECTED, target=Status.RETURNED)
    def give_back(self) -> None:
        pass

    @transition(field=status, source=[Status.ASSIGNED, Status.ON_SITE], target=Status.CANCELLED)
    def cancel(self) -> None:
        pass


class VisitResult(models.TextChoices):
    COMPLETED = "completed", _("Completed on site")
    TAKEN_BACK = "taken_back", _("Taken back for repair")
    REVISIT = "revisit", _("Needs another visit")
    ESCALATED = "escalated", _("Cannot finish in the promised time")


class Visit(models.Model):
    """One trip to the customer: check-in (with the phone's position when given) and what was done."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="visits")
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.PROTECT, related_name="+")
    arrived_at = models.DateTimeField(_("arrived at"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    distance_from_site_m = models.PositiveIntegerField(_("distance from the site (m)"), null=True, blank=True)
    far_from_site = models.BooleanField(_("checked in far from the site"), default=False)
    location_accuracy_m = models.PositiveIntegerField(_("location accuracy (m)"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    fault_cause = models.TextField(_("fault cause"), blank=True)
    fault_code = models.ForeignKey("core.FaultCode", verbose_name=_("fault code"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    labour_minutes = models.PositiveIntegerField(_("labour minutes"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=VisitResult.choices, blank=True)
    result_note = models.CharField(_("reason"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["arrived_at", "id"]

    def __str__(self) -> str:
        return f"{self.work_order} @ {timezone.localtime(self.arrived_at):%Y-%m-%d %H:%M}"


class SignaturePurpose(models.TextChoices):
    COMPLETION = "completion", _("Sign-off on site")
    TAKE_BACK = "take_back", _("Item taken back")
    RETURN = "return", _("Item returned")


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("Before the repair")
    AFTER = "after", _("After the repair")
    NAMEPLATE = "nameplate", _("Nameplate")
    OTHER = "other", _("Other")


class JobPhoto(models.Model):
    """A photo taken on the job (before, after, the nameplate): resized on the phone, re-encoded on arrival,
    kept privately and served only to those who may see the voucher; shown on the voucher PDF and the claim."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(_("kind"), max_length=10, choices=PhotoKind.choices)
    image = models.FileField(_("photo"), upload_to=UnguessableName("job-photos"), storage=private_storage)
    note = models.CharField(_("note"), max_length=200, blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        verbose_name = _("job photo")
        verbose_name_plural = _("job photos")
        ordering = ["taken_at", "id"]

    def __str__(self) -> str:
        return f"{self.work_order} {self.kind}"


class Signature(models.Model):
    """A customer's signature drawn on the screen (PNG), kept in the database with the voucher.

    Stored as bytes rather than a media file so that it commits or rolls back with the step it
    signs, and is served only through a permission-checked view.
    """

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="signatures")
    purpose = models.CharField(_("purpose"), max_length=12, choices=SignaturePurpose.choices)
    image = models.BinaryField(_("signature image (PNG)"))
    signer_name = models.CharField(_("signed by"), max_length=60)
    signed_at = models.DateTimeField(_("signed at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [models.UniqueConstraint(fields=["work_order", "purpose"], name="uniq_signature_purpose")]

    def __str__(self) -> str:
        return f"{self.work_order} {self.purpose} {self.signer_name}"


class GoodsReceipt(models.Model):
    """客户商品领取收据: given to the customer for an item taken back; voided when it is returned.

    The receipt rows are also the goods in/out register (客户商品进出登记簿): in = ``issued_at``,
    out = ``returned_at``. Numbers come from a sequence and are never reused.
    """

    number = models.CharField(_("receipt no."), max_length=20, unique=True, editable=False)
    work_order = models.OneToOneField(WorkOrder, on_delete=models.PROTECT, related_name="receipt")
    service_center = models.ForeignKey(ServiceCenter, verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="+")
    item_description = models.CharField(_("item"), max_length=200)
    condition = models.TextField(_("condition on intake"))
    accessories = models.CharField(_("accessories"), max_length=300, blank=True)
    issued_at = models.DateTimeField(_("taken in at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    location = models.CharField(_("shelf / location"), max_length=60, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("returned by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["service_center", "voided_at"], name="receipt_center_open")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class RepairCard(models.Model):
    """修护卡: hung on the item; the actual repair time and the parts replaced (REP-03)."""

    number = models.CharField(_("repair card no."), max_length=20, unique=True, editable=False)
    work_order = models.OneToOneField(WorkOrder, on_delete=models.PROTECT, related_name="repair_card")
    item_description = models.CharField(_("item"), max_length=200)
    fault = models.TextField(_("fault"))
    started_at = models.DateTimeField(_("repair started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("repair finished"), null=True, blank=True)
    repair_minutes = models.PositiveIntegerField(_("actual repair time (minutes)"), null=True, blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspected by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspection_note = models.CharField(_("inspection note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("repair card")
        verbose_name_plural = _("repair cards")

    def __str__(self) -> str:
        return self.number


class RepairCardPart(models.Model):
    """A part replaced, as free text with a quantity (linked to stock by the parts module later)."""

    card = models.ForeignKey(RepairCard, on_delete=models.CASCADE, related_name="parts")
    description = models.CharField(_("part"), max_length=120)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)

    class Meta:
        verbose_name = _("part replaced")
        verbose_name_plural = _("parts replaced")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.description} × {self.quantity}"


class WorkOrderEvent(TimelineEventBase):
    """Timeline of a voucher: assignment, visits, signatures, inspection, return."""

    KIND_LABELS = {
        "assigned": _("Assigned"), "reassigned": _("Reassigned"), "contacted": _("Customer contacted"),
        "check_in": _("Checked in"), "complete": _("Completed on site"), "take_back": _("Taken back"),
        "end_visit": _("Visit ended"), "escalated": _("Escalated to the supervisor"), "start_repair": _("Repair started"),
        "finish_repair": _("Repair finished"), "pass_inspection": _("Inspected (验讫)"), "fail_inspection": _("Inspection failed"),
        "give_back": _("Returned to customer"), "cancel": _("Cancelled"), "signature_waived": _("Signature waived"),
        "delay_reported": _("Delay reported"), "paid_work_accepted": _("Customer accepted the price"), "return_overdue": _("Return overdue"),
        "archived": _("Voucher archived"), "coverage_overridden": _("Who pays changed"),
        "set_out": _("Engineer on the way"), "deadline_moved": _("Deadline moved"),
        "checkin_far": _("Checked in far from the site"), "part_ordered": _("Part ordered for the job"),
        "charge_adjusted": _("Charge adjusted"), "photo": _("Photo added"),
    }
    STATE_LABELS = dict(Status.choices)

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")

    class Meta(TimelineEventBase.Meta):
        verbose_name = _("work order event")
        verbose_name_plural = _("work order events")
