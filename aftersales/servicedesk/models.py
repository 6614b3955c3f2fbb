"""The call register (叫修登记簿): service requests, their classification, SLA clocks and timeline."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from aftersales.accounts.models import ServiceCenter, Zone
from aftersales.core.models import TimeStampedModel
from aftersales.core.timeline import TimelineEventBase
from aftersales.customers.models import Customer
from aftersales.equipment.models import Equipment, ProductModel


class Category(models.TextChoices):
    """CLS-01: the four categories of every job."""

    A = "A", _("A – paid service (有费服务)")
    B = "B", _("B – contract service (合同服务)")
    C = "C", _("C – free warranty service (免费服务)")
    D = "D", _("D – administrative work (一般行政工作)")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    LETTER = "letter", _("Letter / document")
    PORTAL = "portal", _("Customer portal")
    QR = "qr", _("QR code")
    API = "api", _("API")
    CONTRACT = "contract", _("Maintenance contract plan")
    INTERNAL = "internal", _("Internal")


class JobType(models.TextChoices):
    """KPI-11: the kinds of job regions earn points for."""

    RECEIPT = "receipt", _("Receipt (接货)")
    ACCEPTANCE = "acceptance", _("Acceptance (验收)")
    COMMISSIONING = "commissioning", _("Commissioning (调试)")
    EMERGENCY = "emergency", _("Emergency repair (抢修)")
    ASSEMBLY = "assembly", _("Assembly (装配)")
    MAINTENANCE = "maintenance", _("Maintenance service (维保)")
    PATROL = "patrol", _("Patrol inspection (巡检)")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_SERVICE = "in_service", _("In service")
    WAITING_CUSTOMER = "waiting_customer", _("Waiting for customer")
    WAITING_PARTS = "waiting_parts", _("Waiting for parts")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed (注销)")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (
    Status.REGISTERED,
    Status.DISPATCHED,
    Status.IN_SERVICE,
    Status.WAITING_CUSTOMER,
    Status.WAITING_PARTS,
)
ACTIVE_SERVICE = [Status.DISPATCHED, Status.IN_SERVICE, Status.WAITING_CUSTOMER, Status.WAITING_PARTS]


def new_tracking_token() -> str:
    """An unguessable token for the customer's tracking link (never the request's id or number)."""
    return secrets.token_urlsafe(18)


class ServiceRequest(ConcurrentTransitionMixin, TimeStampedModel):
    """One line of the call register.

    SLA deadlines are persisted (``arrival_due_at``, ``contact_due_at``, ``carry_over_at``) and
    acted on by the sweeper; breach timestamps record when the sweeper first saw a breach.
    ``version`` increases on every write so that stale edits are detected (HTTP 409).
    """

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    job_type = models.CharField(_("job type"), max_length=15, choices=JobType.choices, default=JobType.EMERGENCY)
    service_center = models.ForeignKey(ServiceCenter, verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="requests")
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    contact_name = models.CharField(_("contact"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    zone = models.CharField(_("zone"), max_length=10, choices=Zone.choices)
    fault_code = models.ForeignKey("core.FaultCode", verbose_name=_("fault code"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    chase_count = models.PositiveIntegerField(_("chases (催修)"), default=0)
    last_chased_at = models.DateTimeField(_("last chased at"), null=True, blank=True)
    equipment = models.ForeignKey(
        Equipment, verbose_name=_("equipment"), null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    product_model = models.ForeignKey(
        ProductModel, verbose_name=_("product model"), null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    fault_description = models.TextField(_("fault description"))
    requested_time = models.DateTimeField(_("requested time"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=1, choices=Category.choices, db_index=True)
    category_code = models.CharField(_("classification basis"), max_length=30)
    category_params = models.JSONField(default=dict, blank=True)
    category_reason = models.CharField(_("classification reason"), max_length=300)
    category_overridden = models.BooleanField(_("classification overridden"), default=False)
    status = FSMField(_("status"), default=Status.REGISTERED, choices=Status.choices, protected=True, db_index=True)
    # SLA clocks (persisted deadlines; see services.sla)
    arrival_due_at = models.DateTimeField(_("arrival due"))
    arrival_due_confirmed = models.BooleanField(_("arrival deadline confirmed"), default=True)
    arrival_hours = models.PositiveSmallIntegerField(_("arrival allowance (working hours)"))
    contact_due_at = models.DateTimeField(_("contact due"), null=True, blank=True)
    carry_over_at = models.DateTimeField(_("carries over at"))
    carried_over = models.BooleanField(_("carried over"), default=False)
    contacted_at = models.DateTimeField(_("customer contacted at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("technician arrived at"), null=True, blank=True)
    arrival_breached_at = models.DateTimeField(_("arrival breach flagged at"), null=True, blank=True)
    contact_breached_at = models.DateTimeField(_("contact breach flagged at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed (注销) at"), null=True, blank=True)
    # SLA result, stored when the call is closed (REP-01): working time from call to arrival.
    arrival_sla_met = models.BooleanField(_("arrival deadline met"), null=True, blank=True)
    arrival_used_minutes = models.PositiveIntegerField(_("working minutes to arrival"), null=True, blank=True)
    arrival_late_minutes = models.PositiveIntegerField(_("working minutes late"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=300, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The customer's tracking link (/t/<token>/): parcel-style progress without a login.
    tracking_token = models.CharField(_("tracking token"), max_length=32, unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["service_center", "status", "received_at"], name="sr_center_status_received"),
            # A machine's calls in time order: its history, and "back within 30 days" (rework) in the reports.
            models.Index(fields=["equipment", "received_at"], name="sr_equipment_received"),
            # The reports' closed calls of a period.
            models.Index(fields=["closed_at"], name="sr_closed_at"),
            # Partial indexes on open rows: the sweeper's three scans stay cheap as history grows.
            models.Index(
                fields=["arrival_due_at"], name="sr_arrival_open",
                condition=Q(arrived_at__isnull=True, arrival_breached_at__isnull=True),
            ),
            models.Index(
                fields=["contact_due_at"], name="sr_contact_open",
                condition=Q(contacted_at__isnull=True, contact_breached_at__isnull=True, contact_due_at__isnull=False),
            ),
            models.Index(fields=["carry_over_at"], name="sr_carry_open", condition=Q(status="registered", carried_over=False)),
        ]

    def __str__(self) -> str:
        return self.number

    # --- side-effect-free domain logic ------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_arrival_overdue(self, now: dt.datetime) -> bool:
        """True when nobody has arrived and the arrival deadline has passed at ``now``."""
        return self.is_open and self.arrived_at is None and now >= self.arrival_due_at

    def arrival_used_fraction(self, now: dt.datetime) -> float:
        """Share of the arrival allowance used at ``now``, in working time (1.0 = due now)."""
        if self.arrival_hours <= 0:
            return 1.0
        used = self.service_center.calendar.working_time_between(self.received_at, min(now, self.arrived_at or now))
        return used.total_seconds() / (self.arrival_hours * 3600)

    def is_arrival_near_due(self, now: dt.datetime) -> bool:
        """Not yet overdue but at least SLA_NEAR_DUE_PERCENT of the allowance used."""
        if not self.is_open or self.arrived_at is not None or self.is_arrival_overdue(now):
            return False
        return self.arrival_used_fraction(now) * 100 >= settings.SLA_NEAR_DUE_PERCENT

    # --- declared transitions (invoked only by services) ------------------------------------
    @transition(field=status, source=Status.REGISTERED, target=Status.DISPATCHED)
    def dispatch(self) -> None:
        pass

    @transition(field=status, source=[Status.DISPATCHED, Status.WAITING_CUSTOMER, Status.WAITING_PARTS], target=Status.IN_SERVICE)
    def start_service(self) -> None:
        pass

    @transition(field=status, source=Status.IN_SERVICE, target=Status.WAITING_CUSTOMER)
    def wait_for_customer(self) -> None:
        pass

    @transition(field=status, source=Status.IN_SERVICE, target=Status.WAITING_PARTS)
    def wait_for_parts(self) -> None:
        pass

    @transition(field=status, source=Status.IN_SERVICE, target=Status.RESOLVED)
    def resolve(self) -> None:
        pass

    @transition(field=status, source=Status.RESOLVED, target=Status.CLOSED)
    def close(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=status, source=list(OPEN_STATUSES), target=Status.CANCELLED)
    def cancel(self) -> None:
        pass

    @transition(field=status, source=ACTIVE_SERVICE, target=Status.REGISTERED)
    def requeue(self) -> None:
        """Back to the dispatch queue when its work order is cancelled (DISP-03 applies again)."""


class RequestEvent(TimelineEventBase):
    """Timeline of a request: registration, transitions, overrides, SLA flags."""

    KIND_LABELS = {
        "registered": _("Registered"), "dispatch": _("Dispatched"), "start_service": _("Service started"),
        "wait_for_customer": _("Waiting for customer"), "wait_for_parts": _("Waiting for parts"), "resolve": _("Resolved"),
        "close": _("Closed (注销)"), "cancel": _("Cancelled"), "requeue": _("Back in the dispatch queue"),
        "category_overridden": _("Category overridden"), "arrival_breached": _("Arrival deadline breached"),
        "contact_breached": _("Contact deadline breached"), "carried_over": _("Carried over to the next day"),
        "contacted": _("Customer contacted"), "set_out": _("Engineer on the way"), "deadline_moved": _("Deadline moved"),
        "chased": _("Customer chased (催修)"),
    }
    STATE_LABELS = {**dict(Status.choices), **{c.value: c.value for c in Category}}

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")

    class Meta(TimelineEventBase.Meta):
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
