"""The customer archive: customers, their phones and addresses (CUST-02, CUST-10, CUST-12, CUST-16)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.accounts.models import ServiceCenter, Zone
from aftersales.core.models import TimeStampedModel


class CustomerKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")


class CustomerClass(models.TextChoices):
    A = "A", _("A – key account")
    B = "B", _("B – regular")
    C = "C", _("C – occasional")


class Lifecycle(models.TextChoices):
    NEW = "new", _("New")
    POTENTIAL = "potential", _("Potential")
    INTENDED = "intended", _("Intended")
    FORMAL = "formal", _("Formal")
    LOST = "lost", _("Lost")
    PAST = "past", _("Past")


class ContactChannel(models.TextChoices):
    """How the customer wants to hear from us (messages fall back to SMS when a channel cannot be used)."""

    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("E-mail")


class CustomerTag(models.Model):
    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("customer tag")
        verbose_name_plural = _("customer tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Customer(TimeStampedModel):
    """A customer record; ``customer_no`` is the system customer ID that numbers the archive (CUST-10)."""

    customer_no = models.CharField(_("customer ID"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=CustomerKind.choices, default=CustomerKind.COMPANY)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    contact_person = models.CharField(_("contact person"), max_length=60, blank=True)
    region = models.CharField(_("region"), max_length=80, blank=True, db_index=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    vip_level = models.PositiveSmallIntegerField(_("VIP level"), default=0)
    customer_class = models.CharField(_("customer class"), max_length=1, choices=CustomerClass.choices, default=CustomerClass.B)
    lifecycle = models.CharField(_("lifecycle status"), max_length=12, choices=Lifecycle.choices, default=Lifecycle.NEW)
    tags = models.ManyToManyField(CustomerTag, verbose_name=_("tags"), blank=True, related_name="customers")
    service_center = models.ForeignKey(
        ServiceCenter, verbose_name=_("service centre"), on_delete=models.PROTECT, related_name="customers"
    )
    notes = models.TextField(_("notes"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_channel = models.CharField(_("preferred channel"), max_length=10, choices=ContactChannel.choices, default=ContactChannel.SMS)
    opt_out_reminders = models.BooleanField(_("no greetings or reminders"), default=False,
                                            help_text=_("the customer asked not to receive care messages (service messages still go)"))
    sla_level = models.ForeignKey("contracts.SlaLevel", verbose_name=_("SLA level"), null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="customers", help_text=_("key customers: a faster arrival promise for all their calls (DISP-10)"))
    quiet_hours = models.CharField(_("rest hours"), max_length=60, blank=True,
                                   help_text=_("e.g. 12:00-14:00; no calls or SMS then (besides the night quiet hours)"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["customer_no"]
        indexes = [models.Index(fields=["service_center", "name"], name="customer_center_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.customer_no})"

    @property
    def primary_phone(self) -> CustomerPhone | None:
        phones = list(self.phones.all())
        return next((p for p in phones if p.is_primary), phones[0] if phones else None)

    @property
    def default_address(self) -> CustomerAddress | None:
        addresses = list(self.addresses.all())
        return next((a for a in addresses if a.is_default), addresses[0] if addresses else None)


class CustomerPhone(models.Model):
    """A phone number stored in E.164 (mobile, landline or 400/800). Not unique: duplicates are flagged."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone"), max_length=20, db_index=True)
    label = models.CharField(_("label"), max_length=20, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer phone")
        verbose_name_plural = _("customer phones")
        ordering = ["-is_primary", "id"]
        constraints = [models.UniqueConstraint(fields=["customer", "number"], name="uniq_phone_per_customer")]

    def __str__(self) -> str:
        from aftersales.customers.phones import display_phone

        return display_phone(self.number)


class CustomerAddress(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    address = models.CharField(_("address"), max_length=200)
    region = models.CharField(_("region"), max_length=80, blank=True)
    zone = models.CharField(_("zone"), max_length=10, choices=Zone.choices)
    is_default = models.BooleanField(_("default"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer address")
        verbose_name_plural = _("customer addresses")
        ordering = ["-is_default", "id"]

    def __str__(self) -> str:
        return self.address


class MergeCandidate(models.Model):
    """Two customers sharing a phone: flagged for a clerk to merge or dismiss, never merged silently."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        MERGED = "merged", _("Merged")
        DISMISSED = "dismissed", _("Dismissed")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="merge_flags")
    other = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(_("shared phone"), max_length=20)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("merge candidate")
        verbose_name_plural = _("merge candidates")
        constraints = [models.UniqueConstraint(fields=["customer", "other", "phone"], name="uniq_merge_candidate")]

    def __str__(self) -> str:
        return f"{self.customer} ~ {self.other} ({self.phone})"
