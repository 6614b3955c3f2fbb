"""Writes to the customer archive. Every function validates fully before writing anything."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from aftersales.accounts.models import ServiceCenter, Zone
from aftersales.accounts.scoping import can_see_center
from aftersales.core.errors import DomainError, check_fields
from aftersales.core.locks import lock_names
from aftersales.core.models import next_number
from aftersales.customers.models import (
    ContactChannel,
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
    email: str = ""
    preferred_channel: str = ContactChannel.SMS
    opt_out_reminders: bool = False
    quiet_hours: str = ""


def phones_in_use(numbers: list[str], *, exclude_customer_id: int | None = None) -> dict[str, list[Customer]]:
    """E.164 number → customers already holding it (one query)."""
    rows = CustomerPhone.objects.filter(number__in=numbers).select_related("customer")
    if exclude_customer_id:
        rows = rows.exclude(customer_id=exclude_customer_id)
    found: dict[str, list[Customer]] = {}
    for row in rows:
        found.setdefault(row.number, []).append(row.customer)
    return found


def _sees(actor, center_id) -> bool:
    """``actor`` may see the centre; None is the system itself (a data migration, a management command)."""
    return actor is None or can_see_center(actor, center_id)


def duplicate_phone_message(actor, clashes: dict[str, list[Customer]]) -> str:
    """Why a registration stops on a phone already held: the holder is named only when the clerk may see him.

    A customer of another branch is private to that branch: the clerk learns that the number is in use elsewhere
    (so he asks the caller) but not by whom.
    """
    number, holders = next(iter(clashes.items()))
    visible = [c for c in holders if _sees(actor, c.service_center_id)]
    if visible:
        return (_("Phone %(phone)s already belongs to %(customer)s. Use that customer, or confirm to create a new one flagged for merge.")
                % {"phone": display_phone(number), "customer": visible[0]})
    return (_("Phone %(phone)s is already registered by another service centre. Ask the caller whether he is its customer; "
              "confirm to register him here as well.") % {"phone": display_phone(number)})


def _flag_for_merge(actor, customer: Customer, clashes: dict[str, list[Customer]]) -> None:
    """Flag ``customer`` and each holder of the same phone for the desk to merge — only holders of a centre the actor
    sees: a flag names both customers, and a branch's desk must not learn another branch's customer from it. Head
    office (who sees every centre) flags across branches."""
    for number, holders in clashes.items():
        for other in holders:
            if _sees(actor, other.service_center_id) and _sees(actor, customer.service_center_id):
                MergeCandidate.objects.get_or_create(customer=customer, other=other, phone=number)


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


_REST_HOURS = re.compile(r"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


def _contact_errors(*, email: str, preferred_channel: str, quiet_hours: str) -> dict[str, list[str]]:
    """Errors in how the customer wants to be reached: a valid e-mail when he chose e-mail, rest hours like 12:00-14:00."""
    errors: dict[str, list[str]] = {}
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    if preferred_channel not in ContactChannel.values:
        errors["preferred_channel"] = [_("Unknown contact channel.")]
    elif preferred_channel == ContactChannel.EMAIL and not email:
        errors["email"] = [_("The customer prefers e-mail: enter his e-mail address.")]
    for part in filter(None, (p.strip() for p in quiet_hours.split(","))):
        match = _REST_HOURS.match(part)
        try:
            start, end = (dt.time.fromisoformat(t.zfill(5)) for t in match.groups()) if match else (None, None)
        except ValueError:
            start = end = None
        if start is None or start == end:
            errors["quiet_hours"] = [_("Rest hours must look like 12:00-14:00 (several separated by commas); got “%(part)s”.") % {"part": part}]
            break
    return errors


def _validate(data: CustomerInput, *, actor) -> list[str]:
    """Validate a new customer; return its phones as E.164, de-duplicated, in the given order."""
    errors = _field_errors(
        name=data.name, kind=data.kind, customer_class=data.customer_class, lifecycle=data.lifecycle,
        vip_level=data.vip_level, center_id=data.service_center.pk, actor=actor,
    )
    errors.update(_contact_errors(email=data.email.strip(), preferred_channel=data.preferred_channel, quiet_hours=data.quiet_hours))
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
    with transaction.atomic():
        lock_names(*(f"phone:{number}" for number in numbers))  # two clerks registering one new number wait for each other
        clashes = phones_in_use(numbers)
        if clashes and not allow_duplicate_phone:
            raise DomainError({"phones": [duplicate_phone_message(actor, clashes)]}, code="duplicate_phone")
        customer = Customer(
            customer_no=f"{CUSTOMER_NO_PREFIX}{next_number('customer'):07d}",
            kind=data.kind, name=data.name.strip(), contact_person=data.contact_person.strip(),
            region=data.region.strip(), birthday=data.birthday, vip_level=data.vip_level,
            customer_class=data.customer_class, lifecycle=data.lifecycle,
            service_center=data.service_center, notes=data.notes, email=data.email.strip(), preferred_channel=data.preferred_channel,
            opt_out_reminders=data.opt_out_reminders, quiet_hours=data.quiet_hours.strip(),
        )
        check_fields(customer, exclude=("customer_no", "service_center"))
        customer._history_user = actor
        customer.save()
        for i, number in enumerate(numbers):
            CustomerPhone.objects.create(customer=customer, number=number, is_primary=(i == 0))
        for i, addr in enumerate(data.addresses):
            address = CustomerAddress(customer=customer, address=addr.address.strip(), region=addr.region or data.region,
                                      zone=addr.zone or data.service_center.zone_for_address(addr.address), is_default=(i == 0))
            check_fields(address, exclude=("customer",))
            address.save()
        if data.tags:
            customer.tags.set([CustomerTag.objects.get_or_create(name=t.strip())[0] for t in data.tags if t.strip()])
        _flag_for_merge(actor, customer, clashes)
    return customer


UPDATABLE = ("name", "kind", "contact_person", "region", "birthday", "vip_level", "customer_class", "lifecycle", "notes",
             "email", "preferred_channel", "opt_out_reminders", "quiet_hours")


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
        current = Customer.objects.select_for_update(of=("self",)).select_related("service_center").get(pk=customer.pk)
        if expected_updated_at is not None and current.updated_at != expected_updated_at:
            raise ConflictError(_("Someone else changed this customer meanwhile. Reload and try again."))
        for key, value in changes.items():
            setattr(current, key, value.strip() if isinstance(value, str) else value)
        errors = _field_errors(
            name=current.name, kind=current.kind, customer_class=current.customer_class, lifecycle=current.lifecycle,
            vip_level=current.vip_level, center_id=current.service_center_id, actor=actor,
        )
        errors.update(_contact_errors(email=current.email, preferred_channel=current.preferred_channel, quiet_hours=current.quiet_hours))
        if errors:
            raise DomainError(errors)
        check_fields(current, exclude=("customer_no", "service_center"))
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
        lock_names(f"phone:{number}")
        row, _created = CustomerPhone.objects.get_or_create(customer=customer, number=number, defaults={"label": label})
        _flag_for_merge(actor, customer, phones_in_use([number], exclude_customer_id=customer.pk))
    return row


MERGE_COPY_IF_BLANK = ("contact_person", "region", "birthday")


def _related_rows_to_move(drop: Customer):
    """Every row elsewhere in the system that points at ``drop`` by a foreign key.

    Found through the model's relations rather than a list of apps, so that records added by
    later modules (work orders, invoices …) follow a merge without this function knowing them.
    Phones, addresses and merge flags are handled by ``customer_merge`` itself; hidden relations
    (the audit history tables) are left as they were written.
    """
    handled = {CustomerPhone, CustomerAddress, MergeCandidate}
    for rel in Customer._meta.related_objects:
        if rel.one_to_many and rel.related_model not in handled and not rel.hidden:
            yield from ((row, rel.field.name) for row in rel.related_model._default_manager.filter(**{rel.field.name: drop}))


def customer_merge(*, actor, keep: Customer, drop: Customer) -> Customer:
    """Merge the duplicate ``drop`` into ``keep`` and delete ``drop``; return ``keep``.

    Phones, addresses, tags, equipment, calls, contracts and every other record of ``drop``
    move to ``keep`` (a phone ``keep`` already has is not doubled); blank contact fields of
    ``keep`` are filled from ``drop``; ``keep``'s notes record the merge. Every moved row and
    the deletion are written to the audit history with ``actor``.
    Raises ``DomainError`` for a customer merged with itself and ``PermissionDenied`` unless
    ``actor`` may change both customers (so a branch cannot absorb another branch's customer).
    """
    if keep.pk == drop.pk:
        raise DomainError(_("A customer cannot be merged with itself."), code="merge_self")
    if not (actor.has_perm("customers.change", keep) and actor.has_perm("customers.change", drop)):
        raise PermissionDenied(_("You may only merge customers you are allowed to edit."))
    with transaction.atomic():
        locked = {c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk]).order_by("pk")}
        keep, drop = locked[keep.pk], locked[drop.pk]
        have = set(keep.phones.values_list("number", flat=True))
        for phone in drop.phones.all():
            phone._history_user = actor
            if phone.number in have:
                phone.delete()
                continue
            phone.customer, phone.is_primary = keep, False
            phone.save()
        for address in drop.addresses.all():
            address.customer, address.is_default, address._history_user = keep, False, actor
            address.save()
        keep.tags.add(*drop.tags.all())
        for row, field_name in list(_related_rows_to_move(drop)):
            setattr(row, field_name, keep)
            row._history_user = actor
            row.save()
        for flag in MergeCandidate.objects.filter(_either(drop)).exclude(_pair(keep, drop)):
            other = flag.other if flag.customer_id == drop.pk else flag.customer
            MergeCandidate.objects.get_or_create(customer=keep, other=other, phone=flag.phone, defaults={"state": flag.state})
        for name in MERGE_COPY_IF_BLANK:
            if not getattr(keep, name) and getattr(drop, name):
                setattr(keep, name, getattr(drop, name))
        keep.notes = "\n".join(filter(None, [keep.notes, _("Merged from %(no)s %(name)s") % {"no": drop.customer_no, "name": drop.name}]))
        keep._history_user = drop._history_user = actor
        keep.save()
        drop.delete()  # its remaining merge flags go with it (CASCADE)
    return keep


def _either(customer: Customer) -> Q:
    return Q(customer=customer) | Q(other=customer)


def _pair(a: Customer, b: Customer) -> Q:
    return Q(customer=a, other=b) | Q(customer=b, other=a)


def merge_candidate_dismiss(*, actor, candidate: MergeCandidate) -> MergeCandidate:
    """Mark a flagged pair as two different customers who share a phone (a family, a switchboard)."""
    if not (actor.has_perm("customers.change", candidate.customer) and actor.has_perm("customers.change", candidate.other)):
        raise PermissionDenied(_("You may only review customers you are allowed to edit."))
    with transaction.atomic():
        MergeCandidate.objects.filter(_pair(candidate.customer, candidate.other), state=MergeCandidate.State.OPEN).update(
            state=MergeCandidate.State.DISMISSED
        )
    candidate.refresh_from_db()
    return candidate
