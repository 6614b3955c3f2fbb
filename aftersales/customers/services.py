"""Writes to the customer archive. Every function validates fully before writing anything."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.accounts.models import ServiceCenter, Zone
from aftersales.accounts.scoping import can_see_center
from aftersales.core.errors import DomainError
from aftersales.core.models import next_number
from aftersales.customers.models import (
    Customer,
    CustomerAddress,
    CustomerClass,
    CustomerKind,
    CustomerPhone,
    CustomerTag,
    Lifecycle,
    MergeCandidate,
)
from aftersales.customers.phones import display_phone, normalize_phone

CUSTOMER_NO_PREFIX = "KH"


@dataclass
class AddressInput:
    address: str
    region: str = ""
    zone: str = ""  # empty: decided by the centre's zone rules


@dataclass
class CustomerInput:
    name: str
    service_center: ServiceCenter
    phones: list[str]
    addresses: list[AddressInput] = field(default_factory=list)
    kind: str = CustomerKind.COMPANY
    contact_person: str = ""
    region: str = ""
    birthday: dt.date | None = None
    vip_level: int = 0
    customer_class: str = CustomerClass.B
    lifecycle: str = Lifecycle.NEW
    tags: list[str] = field(default_factory=list)
    notes: str = ""


def phones_in_use(numbers: list[str], *, exclude_customer_id: int | None = None) -> dict[str, list[Customer]]:
    """E.164 number → customers already holding it (one query)."""
    rows = CustomerPhone.objects.filter(number__in=numbers).select_related("customer")
    if exclude_customer_id:
        rows = rows.exclude(customer_id=exclude_customer_id)
    found: dict[str, list[Customer]] = {}
    for row in rows:
        found.setdefault(row.number, []).append(row.customer)
    return found


def _field_errors(*, name: str, kind: str, customer_class: str, lifecycle: str, vip_level: int, center_id: int, actor) -> dict[str, list[str]]:
    """Errors in a customer's plain fields, keyed by field; empty when all is well."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Enter the customer's name.")]
    if kind not in CustomerKind.values:
        errors["kind"] = [_("Unknown customer kind.")]
    if customer_class not in CustomerClass.values:
        errors["customer_class"] = [_("Customer class must be A, B or C.")]
    if lifecycle not in Lifecycle.values:
        errors["lifecycle"] = [_("Unknown lifecycle status.")]
    if not 0 <= int(vip_level) <= 9:
        errors["vip_level"] = [_("VIP level must be between 0 and 9.")]
    if actor is not None and not can_see_center(actor, center_id):
        errors["service_center"] = [_("You may only register customers of your own service centre.")]
    return errors


def _validate(data: CustomerInput, *, actor) -> list[str]:
    """Validate a new customer; return its phones as E.164, de-duplicated, in the given order."""
    errors = _field_errors(
        name=data.name, kind=data.kind, customer_class=data.customer_class, lifecycle=data.lifecycle,
        vip_level=data.vip_level, center_id=data.service_center.pk, actor=actor,
    )
    for addr in data.addresses:
        if addr.zone and addr.zone not in Zone.values:
            errors.setdefault("addresses", []).append(_("Unknown zone “%(zone)s”.") % {"zone": addr.zone})
    numbers: list[str] = []
    if not data.phones:
        errors.setdefault("phones", []).append(_("Enter at least one phone number."))
    for raw in data.phones:
        try:
            numbers.append(normalize_phone(raw))
        except DomainError as exc:
            errors.setdefault("phones", []).extend(exc.messages)
    if errors:
        raise DomainError(errors)
    return list(dict.fromkeys(numbers))


def customer_create(*, actor, data: CustomerInput, allow_duplicate_phone: bool = False) -> Customer:
    """Create a customer with phones and addresses; number it with the system customer ID (CUST-10).

    A phone already on another customer is refused with the other customer named, unless
    ``allow_duplicate_phone`` is set: then the customer is created and the pair is flagged
    for merge (``MergeCandidate``), never silently duplicated.
    """
    numbers = _validate(data, actor=actor)
    clashes = phones_in_use(numbers)
    if clashes and not allow_duplicate_phone:
        first_number, holders = next(iter(clashes.items()))
        raise DomainError(
            {"phones": [_("Phone %(phone)s already belongs to %(customer)s. Use that customer, or confirm to create a new one flagged for merge.")
                        % {"phone": display_phone(first_number), "customer": holders[0]}]},
            code="duplicate_phone",
        )
    with transaction.atomic():
        customer = Customer(
            customer_no=f"{CUSTOMER_NO_PREFIX}{next_number('customer'):07d}",
            kind=data.kind, name=data.name.strip(), contact_person=data.contact_person.strip(),
            region=data.region.strip(), birthday=data.birthday, vip_level=data.vip_level,
            customer_class=data.customer_class, lifecycle=data.lifecycle,
            service_center=data.service_center, notes=data.notes,
        )
        customer._history_user = actor
        customer.save()
        for i, number in enumerate(numbers):
            CustomerPhone.objects.create(customer=customer, number=number, is_primary=(i == 0))
        for i, addr in enumerate(data.addresses):
            CustomerAddress.objects.create(
                customer=customer, address=addr.address.strip(), region=addr.region or data.region,
                zone=addr.zone or data.service_center.zone_for_address(addr.address), is_default=(i == 0),
            )
        if data.tags:
            customer.tags.set([CustomerTag.objects.get_or_create(name=t.strip())[0] for t in data.tags if t.strip()])
        for number, holders in clashes.items():
            for other in holders:
                MergeCandidate.objects.get_or_create(customer=customer, other=other, phone=number)
    return customer


UPDATABLE = ("name", "kind", "contact_person", "region", "birthday", "vip_level", "customer_class", "lifecycle", "notes")


def customer_update(
    *, actor, customer: Customer, expected_updated_at: dt.datetime | None = None, tags: list[str] | None = None, **changes
) -> Customer:
    """Update plain fields (``UPDATABLE``) and tags of ``customer`` (CUST-02: keep the archive current).

    Validates like ``customer_create``; a stale ``expected_updated_at`` (someone saved in between)
    raises ``ConflictError`` and writes nothing.
    """
    from aftersales.core.errors import ConflictError

    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        current = Customer.objects.select_for_update().select_related("service_center").get(pk=customer.pk)
        if expected_updated_at is not None and current.updated_at != expected_updated_at:
            raise ConflictError(_("Someone else changed this customer meanwhile. Reload and try again."))
        for key, value in changes.items():
            setattr(current, key, value.strip() if isinstance(value, str) else value)
        errors = _field_errors(
            name=current.name, kind=current.kind, customer_class=current.customer_class, lifecycle=current.lifecycle,
            vip_level=current.vip_level, center_id=current.service_center_id, actor=actor,
        )
        if errors:
            raise DomainError(errors)
        current._history_user = actor
        current.save()
        if tags is not None:
            current.tags.set([CustomerTag.objects.get_or_create(name=t.strip())[0] for t in tags if t.strip()])
    return current


def customer_add_address(*, actor, customer: Customer, address: str, region: str = "", zone: str = "", make_default: bool = False) -> CustomerAddress:
    """Add an address; its zone comes from the centre's rules unless given."""
    if not address.strip():
        raise DomainError({"address": [_("Enter the address.")]})
    if zone and zone not in Zone.values:
        raise DomainError({"zone": [_("Unknown zone “%(zone)s”.") % {"zone": zone}]})
    with transaction.atomic():
        if make_default:
            customer.addresses.update(is_default=False)
        row = CustomerAddress(
            customer=customer, address=address.strip(), region=region.strip() or customer.region,
            zone=zone or customer.service_center.zone_for_address(address), is_default=make_default or not customer.addresses.exists(),
        )
        row._history_user = actor
        row.save()
    return row


def customer_add_phone(*, actor, customer: Customer, phone: str, label: str = "") -> CustomerPhone:
    """Add a phone to ``customer``; a number another customer holds is flagged for merge."""
    try:
        number = normalize_phone(phone)
    except DomainError as exc:
        raise DomainError({"phone": exc.messages}) from exc
    with transaction.atomic():
        row, _created = CustomerPhone.objects.get_or_create(customer=customer, number=number, defaults={"label": label})
        for other in phones_in_use([number], exclude_customer_id=customer.pk).get(number, []):
            MergeCandidate.objects.get_or_create(customer=customer, other=other, phone=number)
    return row
