"""Writes of the public portal: fault reports from a QR label and phone logins, both confirmed by an SMS code.

Every function validates and checks the abuse limits before writing; a refused call writes
nothing, except a wrong code, which counts against its ticket (that is the point of counting).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.core.errors import ConflictError, DomainError, RateLimited
from aftersales.customers.models import CustomerPhone
from aftersales.customers.phones import normalize_phone
from aftersales.equipment.models import Equipment
from aftersales.notifications.models import Channel, Purpose
from aftersales.notifications.outbox import enqueue
from aftersales.portal.models import CodePurpose, OneTimeCode, PortalMiss
from aftersales.servicedesk.models import Channel as RequestChannel
from aftersales.servicedesk.models import ServiceRequest
from aftersales.servicedesk.services import RequestInput, service_request_register

MAX_DESCRIPTION = 1000


def _hash(ticket: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{ticket}:{code}".encode(), hashlib.sha256).hexdigest()


def mobile_number(raw: str) -> str:
    """E.164 of a mobile number (a one-time code goes by SMS); ``DomainError`` for anything else."""
    number = normalize_phone(raw)
    kind = phonenumbers.number_type(phonenumbers.parse(number, None))
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise DomainError(_("Enter a mobile number: the code comes by SMS."), code="not_mobile")
    return number


def _limit(count: int, limit: int, message: str) -> None:
    if count >= limit:
        raise RateLimited(message)


def _check_code_limits(phone: str, ip: str | None, now: dt.datetime) -> None:
    hour = now - dt.timedelta(hours=1)
    _limit(OneTimeCode.objects.filter(phone=phone, created_at__gte=hour).count(), settings.PORTAL_CODES_PER_PHONE_PER_HOUR,
           _("Too many codes were sent to this number. Please wait an hour or call our hotline."))
    if ip:
        _limit(OneTimeCode.objects.filter(ip=ip, created_at__gte=hour).count(), settings.PORTAL_CODES_PER_IP_PER_HOUR,
               _("Too many requests from your network. Please wait an hour or call our hotline."))


def check_scan_allowed(ip: str | None, now: dt.datetime | None = None) -> None:
    """Refuse an address that scanned too many unknown labels in the last hour (someone guessing tokens)."""
    now = now or timezone.now()
    if ip:
        _limit(PortalMiss.objects.filter(ip=ip, at__gte=now - dt.timedelta(hours=1)).count(), settings.PORTAL_MISSES_PER_IP_PER_HOUR,
               _("Too many requests from your network. Please wait an hour or call our hotline."))


def portal_miss_record(*, ip: str | None, now: dt.datetime | None = None) -> None:
    PortalMiss.objects.create(ip=ip, at=now or timezone.now())


def _issue(*, purpose: str, phone: str, ip: str | None, now: dt.datetime, send: bool, equipment: Equipment | None = None,
           payload: dict | None = None) -> OneTimeCode:
    ticket = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        otc = OneTimeCode.objects.create(
            ticket=ticket, purpose=purpose, phone=phone, code_hash=_hash(ticket, code), equipment=equipment, payload=payload or {}, ip=ip,
            created_at=now, expires_at=now + dt.timedelta(minutes=settings.PORTAL_CODE_TTL_MINUTES))
        if send:
            with translation.override(settings.LANGUAGE_CODE):
                body = _("Your verification code is %(code)s, valid for %(minutes)s minutes. Do not tell anyone.") % {
                    "code": code, "minutes": settings.PORTAL_CODE_TTL_MINUTES}
            enqueue(key=f"otc:{ticket}", channel=Channel.SMS, purpose=Purpose.CODE, body=body, address=phone)
    return otc


@dataclass
class FaultReport:
    phone: str
    fault_description: str
    contact_name: str = ""
    requested_time: dt.datetime | None = None


def portal_report_start(*, equipment: Equipment, report: FaultReport, ip: str | None, now: dt.datetime | None = None) -> OneTimeCode:
    """A caller who scanned ``equipment``'s label reports a fault: validate, check the limits, send the SMS code.

    The report waits in the code's payload until ``portal_report_confirm``. Refusals: bad input
    (``DomainError``), too many codes or reports (``RateLimited``).
    """
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    description = report.fault_description.strip()
    if not description:
        errors["fault_description"] = [_("Describe the fault.")]
    elif len(description) > MAX_DESCRIPTION:
        errors["fault_description"] = [_("Please keep the description under %(n)s characters.") % {"n": MAX_DESCRIPTION}]
    phone = ""
    try:
        phone = mobile_number(report.phone)
    except DomainError as exc:
        errors["phone"] = exc.messages
    if report.requested_time is not None and not now <= report.requested_time <= now + dt.timedelta(days=60):
        errors["requested_time"] = [_("Choose a time within the next 60 days.")]
    if errors:
        raise DomainError(errors)
    day = now - dt.timedelta(days=1)
    reports = ServiceRequest.objects.filter(equipment=equipment, channel=RequestChannel.QR, received_at__gte=day).count()
    _limit(reports, settings.PORTAL_REPORTS_PER_TOKEN_PER_DAY,
           _("This machine has been reported several times today. We are on it; please call our hotline if it is urgent."))
    if ip:
        from_ip = OneTimeCode.objects.filter(ip=ip, purpose=CodePurpose.REPORT, used_at__gte=day).count()
        _limit(from_ip, settings.PORTAL_REPORTS_PER_IP_PER_DAY, _("Too many requests from your network. Please wait an hour or call our hotline."))
    _check_code_limits(phone, ip, now)
    payload = {"fault_description": description, "contact_name": report.contact_name.strip()[:60],
               "requested_time": report.requested_time.isoformat() if report.requested_time else None}
    return _issue(purpose=CodePurpose.REPORT, phone=phone, ip=ip, now=now, send=True, equipment=equipment, payload=payload)


def _check(ticket: str, code: str, purpose: str, now: dt.datetime) -> OneTimeCode:
    """Lock the ticket and check the code; a wrong code is counted (committed) before the refusal."""
    otc = OneTimeCode.objects.select_for_update().filter(ticket=ticket, purpose=purpose).first()
    if otc is None:
        raise DomainError(_("This confirmation link is not valid. Please start again."), code="ticket_unknown")
    if otc.used_at is not None:
        raise ConflictError(_("This code was already used."), code="code_used")
    if now > otc.expires_at:
        raise DomainError({"code": [_("The code has expired. Ask for a new one.")]}, code="code_expired")
    if otc.attempts >= settings.PORTAL_CODE_MAX_ATTEMPTS:
        raise DomainError({"code": [_("Too many wrong codes. Ask for a new one.")]}, code="code_locked")
    if not hmac.compare_digest(otc.code_hash, _hash(ticket, (code or "").strip())):
        OneTimeCode.objects.filter(pk=otc.pk).update(attempts=otc.attempts + 1)
        left = settings.PORTAL_CODE_MAX_ATTEMPTS - otc.attempts - 1
        raise DomainError({"code": [_("Wrong code. %(n)s tries left.") % {"n": left} if left else _("Too many wrong codes. Ask for a new one.")]},
                          code="code_wrong")
    return otc


def _checked(ticket: str, code: str, purpose: str, now: dt.datetime) -> OneTimeCode:
    """``_check`` in a transaction of its own whose wrong-attempt count survives the refusal.

    Call it outside any other transaction: an outer rollback would undo the count."""
    error: Exception | None = None
    with transaction.atomic():
        try:
            return _check(ticket, code, purpose, now)
        except DomainError as exc:
            if exc.code != "code_wrong":
                raise
            error = exc  # leave the block normally: the counted attempt commits
    raise error


def portal_report_confirm(*, ticket: str, code: str, now: dt.datetime | None = None) -> ServiceRequest:
    """The caller typed the SMS code: the report lands in the call register with channel QR.

    A used ticket raises ``ConflictError`` (the request exists already: nothing is filed twice);
    an expired one, a wrong code or too many wrong codes raise ``DomainError``.
    """
    now = now or timezone.now()
    _checked(ticket, code, CodePurpose.REPORT, now)  # a transaction of its own: a wrong code stays counted
    with transaction.atomic():
        otc = OneTimeCode.objects.select_for_update(of=("self",)).select_related("equipment__customer", "equipment__product_model").get(ticket=ticket)
        if otc.used_at is not None:  # confirmed by a second tab a moment ago
            raise ConflictError(_("This code was already used."), code="code_used")
        equipment, data = otc.equipment, otc.payload
        requested = dt.datetime.fromisoformat(data["requested_time"]) if data.get("requested_time") else None
        request = service_request_register(actor=None, data=RequestInput(
            customer=equipment.customer, equipment=equipment, contact_phone=otc.phone, contact_name=data.get("contact_name", ""),
            fault_description=data["fault_description"], requested_time=requested, channel=RequestChannel.QR))
        otc.used_at, otc.request = now, request
        otc.save(update_fields=["used_at", "request"])
    return request


def portal_login_start(*, phone: str, ip: str | None, now: dt.datetime | None = None) -> OneTimeCode:
    """Send a login code to ``phone`` if a customer holds it; the answer looks the same either way
    (nobody learns whose number is on file)."""
    now = now or timezone.now()
    try:
        number = mobile_number(phone)
    except DomainError as exc:
        raise DomainError({"phone": exc.messages}) from exc
    _check_code_limits(number, ip, now)
    known = CustomerPhone.objects.filter(number=number).exists()
    return _issue(purpose=CodePurpose.LOGIN, phone=number, ip=ip, now=now, send=known)


def portal_login_confirm(*, ticket: str, code: str, now: dt.datetime | None = None) -> tuple[str, list[int]]:
    """Check a login code; return the phone and the ids of the customers holding it (the portal shows only theirs)."""
    now = now or timezone.now()
    otc = _checked(ticket, code, CodePurpose.LOGIN, now)
    if not OneTimeCode.objects.filter(pk=otc.pk, used_at__isnull=True).update(used_at=now):
        raise ConflictError(_("This code was already used."), code="code_used")
    customers = list(CustomerPhone.objects.filter(number=otc.phone).values_list("customer_id", flat=True).distinct())
    return otc.phone, customers
