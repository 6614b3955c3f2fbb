"""INTK-01/02/05: register a call in the 叫修登记簿."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.accounts.models import ServiceCenter, Zone
from aftersales.accounts.scoping import can_see_center
from aftersales.core.errors import DomainError
from aftersales.core.models import next_number
from aftersales.customers.models import Customer
from aftersales.customers.phones import normalize_phone
from aftersales.equipment.models import Equipment, ProductModel
from aftersales.servicedesk.models import Channel, JobType, RequestEvent, ServiceRequest, Status, new_tracking_token
from aftersales.servicedesk.progress import progress_notify
from aftersales.servicedesk.services.classify import classify
from aftersales.servicedesk.services.sla import agreed_arrival_hours, plan_sla

REQUEST_NO_PREFIX = "BX"
# The statutory calendar's first year; a call dated before it is a typing error, not history.
EARLIEST_YEAR = 2004
# How far ahead a customer's requested time may be.
MAX_REQUESTED_DAYS_AHEAD = 366
# Clock skew tolerated between a client and the server for "received at".
FUTURE_TOLERANCE = dt.timedelta(minutes=10)


@dataclass
class RequestInput:
    fault_description: str
    customer: Customer | None = None
    equipment: Equipment | None = None
    serial_no: str = ""
    product_model: ProductModel | None = None
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""
    zone: str = ""
    requested_time: dt.datetime | None = None
    received_at: dt.datetime | None = None
    channel: str = Channel.PHONE
    internal: bool = False
    service_center: ServiceCenter | None = None
    job_type: str = JobType.EMERGENCY
    fault_code: object = None  # a core.FaultCode of the machine's family, or None


def _resolve_equipment(data: RequestInput, errors: dict[str, list[str]]) -> Equipment | None:
    equipment = data.equipment
    if equipment is None and data.serial_no.strip():
        matches = Equipment.objects.select_related("product_model", "customer").filter(serial_no=data.serial_no.strip().upper())
        if data.customer is not None:
            matches = matches.filter(customer=data.customer)
        found = list(matches[:2])
        if not found:
            errors.setdefault("serial_no", []).append(
                _("No equipment with serial %(serial)s is registered for this customer.") % {"serial": data.serial_no.strip()}
            )
        elif len(found) > 1:
            errors.setdefault("serial_no", []).append(_("Serial %(serial)s matches several models; choose the equipment.") % {"serial": data.serial_no.strip()})
        else:
            equipment = found[0]
    if equipment is not None and data.customer is not None and equipment.customer_id != data.customer.pk:
        errors.setdefault("equipment", []).append(_("This equipment belongs to another customer."))
    return equipment


def _validate(data: RequestInput, *, actor, now: dt.datetime) -> tuple[Equipment | None, ServiceCenter, str, str]:
    errors: dict[str, list[str]] = {}
    if not data.fault_description.strip():
        errors["fault_description"] = [_("Describe the fault or the job.")]
    if data.channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if data.job_type not in JobType.values:
        errors["job_type"] = [_("Unknown job type.")]
    if data.fault_code is not None and not data.fault_code.is_active:
        errors["fault_code"] = [_("This fault code is no longer in use.")]
    if data.zone and data.zone not in Zone.values:
        errors["zone"] = [_("Unknown zone “%(zone)s”.") % {"zone": data.zone}]
    if not data.internal and data.customer is None:
        errors["customer"] = [_("Choose the customer (or mark the job as internal administrative work).")]
    equipment = _resolve_equipment(data, errors)
    if equipment is not None and data.product_model is not None and equipment.product_model_id != data.product_model.pk:
        errors.setdefault("product_model", []).append(_("The product model does not match the equipment's model."))
    center = data.service_center or (data.customer.service_center if data.customer else getattr(actor, "service_center", None))
    if center is None:
        errors.setdefault("service_center", []).append(_("Choose the service centre."))
    elif data.customer is not None and data.customer.service_center_id != center.pk:
        errors.setdefault("service_center", []).append(_("The customer belongs to another service centre."))
    elif actor is not None and not can_see_center(actor, center.pk):
        errors.setdefault("customer", []).append(_("This customer belongs to another service centre; you cannot register calls for it."))
    if data.contact_phone.strip() or not data.internal:
        try:
            normalize_phone(data.contact_phone)
        except DomainError as exc:
            errors.setdefault("contact_phone", []).extend(exc.messages)
    received = data.received_at or now
    if received > now + FUTURE_TOLERANCE:
        errors.setdefault("received_at", []).append(_("The call cannot be received in the future."))
    if timezone.localtime(received).year < EARLIEST_YEAR:
        errors.setdefault("received_at", []).append(
            _("The working calendar has no data before %(year)s; check the date.") % {"year": EARLIEST_YEAR}
        )
    if data.requested_time is not None:
        if data.requested_time < received:
            errors.setdefault("requested_time", []).append(_("The requested time lies before the call."))
        elif data.requested_time > received + dt.timedelta(days=MAX_REQUESTED_DAYS_AHEAD):
            errors.setdefault("requested_time", []).append(
                _("The requested time is more than a year ahead; the working calendar cannot plan that far. Check the date.")
            )
    if errors:
        raise DomainError(errors)
    address = data.address.strip() or (equipment.site_address if equipment else "") or (
        data.customer.default_address.address if data.customer and data.customer.default_address else ""
    )
    zone = data.zone or (equipment.zone if equipment and equipment.zone and not data.address.strip() else "") or center.zone_for_address(address)
    return equipment, center, address, zone or center.default_zone


def service_request_register(*, actor, data: RequestInput) -> ServiceRequest:
    """Register a call; classify it (CLS-01) and start its SLA clocks (DISP-02, DISP-05).

    Raises ``DomainError`` (a dict of field → messages) on bad input; writes nothing then.
    """
    now = timezone.now()
    equipment, center, address, zone = _validate(data, actor=actor, now=now)
    received = data.received_at or now
    local_day = timezone.localtime(received).date()
    decision = classify(equipment=equipment, on=local_day, internal=data.internal)
    agreed = agreed_arrival_hours(customer=data.customer, equipment=equipment, zone=zone, on=local_day)
    plan = plan_sla(center=center, zone=zone, received_at=received, requested_time=data.requested_time, agreed_hours=agreed)
    with transaction.atomic():
        number = f"{REQUEST_NO_PREFIX}{local_day:%y%m%d}{next_number(f'request-{local_day:%Y%m%d}'):04d}"
        request = ServiceRequest(
            number=number, received_at=received, channel=data.channel, job_type=data.job_type, fault_code=data.fault_code,
            service_center=center, customer=data.customer,
            contact_name=data.contact_name.strip() or (data.customer.contact_person if data.customer else ""),
            contact_phone=normalize_phone(data.contact_phone) if data.contact_phone.strip() else "",
            address=address, zone=zone, equipment=equipment,
            product_model=data.product_model or (equipment.product_model if equipment else None),
            fault_description=data.fault_description.strip(), requested_time=data.requested_time,
            category=decision.category, category_code=decision.code, category_params=decision.params,
            category_reason=decision.reason("zh-hans"),
            arrival_hours=plan.arrival_hours, arrival_due_at=plan.arrival_due_at,
            arrival_due_confirmed=plan.arrival_due_confirmed, contact_due_at=plan.contact_due_at,
            carry_over_at=plan.carry_over_at, registered_by=actor if getattr(actor, "pk", None) else None,
            tracking_token=new_tracking_token(),
        )
        request._history_user = actor if getattr(actor, "pk", None) else None
        request.save()
        with translation.override("zh-hans"):
            note = _("Category %(cat)s: %(reason)s") % {"cat": decision.category, "reason": request.category_reason}
        event = RequestEvent.objects.create(
            request=request, actor=request.registered_by, kind="registered", to_state=Status.REGISTERED, note=note, at=received
        )
        progress_notify(request, event)
    return request
