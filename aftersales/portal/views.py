"""The customer's pages: no staff login. A QR label, a tracking link or a phone login opens them.

Abuse is limited in the services (codes per phone and address, reports per label and address) and
here (scans of unknown labels per address). Every refusal is a page with a clear message and the
right status: 404 unknown label, 410 replaced label, 429 too many attempts.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core import clients
from aftersales.core.capabilities import receipt_work_order_id
from aftersales.core.errors import ConflictError, DomainError, RateLimited
from aftersales.core.pdf import pdf_response
from aftersales.core.web import apply_domain_errors
from aftersales.customers.phones import display_phone
from aftersales.portal.forms import CodeForm, LoginForm, ReportForm
from aftersales.portal.models import CodePurpose, OneTimeCode
from aftersales.portal.selectors import LabelRetired, equipment_by_token, open_requests_for, portal_overview, request_by_tracking_token
from aftersales.portal.services import (
    FaultReport,
    check_scan_allowed,
    portal_login_confirm,
    portal_login_start,
    portal_miss_record,
    portal_report_confirm,
    portal_report_start,
)
from aftersales.servicedesk.progress import CUSTOMER_EVENT_WORDS, PARCEL_STEPS, Stage, public_stage, receipt_url, window_text
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.views.pdf import voucher_context

SESSION_KEY = "portal"


def client_ip(request) -> str | None:
    return clients.client_ip(request) or None


def refused(request, message: str, status: int):
    return render(request, "portal/refused.html", {"message": message, "hotline": settings.SERVICE_HOTLINE}, status=status)


def masked(phone: str) -> str:
    shown = display_phone(phone).replace(" ", "")
    return shown[:3] + "****" + shown[-4:] if len(shown) >= 8 else shown


def _label(request, token: str):
    """The scanned machine, or the refusal page to answer with.

    A label's token carries 144 random bits, so guessing one is hopeless; the per-address limit on unknown tokens
    only stops a flood of guesses. It refuses further *unknown* tokens from that address and never a real label:
    a workshop behind one proxy keeps scanning its machines while somebody there mistypes links."""
    ip = client_ip(request)
    try:
        return equipment_by_token(token), None
    except LabelRetired:
        return None, refused(request, _("This label has been replaced by a new one and no longer works. Please scan the new label or call us."), 410)
    except Http404:
        try:
            check_scan_allowed(ip)
        except RateLimited as exc:
            return None, refused(request, exc.message, 429)
        portal_miss_record(ip=ip)
        return None, refused(request, _("This code is not known to us. Please check the label or call us."), 404)


def scan(request, token: str):
    """What the phone opens after scanning a label: the machine, its warranty, and a fault report form."""
    unit, refusal = _label(request, token)
    if refusal is not None:
        return refusal
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            otc = portal_report_start(equipment=unit, ip=client_ip(request), report=FaultReport(
                phone=d["phone"], fault_description=d["fault_description"], contact_name=d["contact_name"], requested_time=d["requested_time"]))
        except DomainError as exc:
            apply_domain_errors(form, exc)
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            return redirect("portal:confirm", token=token, ticket=otc.ticket)
    return render(request, "portal/scan.html", {
        "unit": unit, "warranty": unit.warranty_status(timezone.localdate()), "form": form, "open_requests": open_requests_for(unit),
        "hotline": settings.SERVICE_HOTLINE}, status=status)


def confirm(request, token: str, ticket: str):
    """Type the SMS code; the report then lands in the call register and the tracking page opens."""
    unit, refusal = _label(request, token)
    if refusal is not None:
        return refusal
    otc = OneTimeCode.objects.filter(ticket=ticket, purpose=CodePurpose.REPORT, equipment=unit).select_related("request").first()
    if otc is None:
        return refused(request, _("This confirmation link is not valid. Please start again."), 404)
    if otc.request is not None:  # confirmed already (back button, second tab): show what was filed
        return redirect("portal:track", token=otc.request.tracking_token)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sr = portal_report_confirm(ticket=ticket, code=form.cleaned_data["code"])
        except DomainError as exc:
            apply_domain_errors(form, exc)
        except ConflictError:
            otc.refresh_from_db()
            if otc.request is not None:
                return redirect("portal:track", token=otc.request.tracking_token)
            form.add_error(None, _("This code was already used."))
        else:
            return redirect("portal:track", token=sr.tracking_token)
    expired = timezone.now() > otc.expires_at
    return render(request, "portal/confirm.html", {"unit": unit, "form": form, "phone": masked(otc.phone), "expired": expired, "token": token})


def track(request, token: str):
    """Parcel-style progress of one request: the link in every message to the customer."""
    sr = request_by_tracking_token(token)
    progress = public_stage(sr)
    steps = [{"stage": stage, "label": stage.label, "done": progress.step_index >= i, "current": progress.step_index == i}
             for i, stage in enumerate(PARCEL_STEPS)]
    return render(request, "portal/track.html", {
        "sr": sr, "progress": progress, "steps": steps, "cancelled": progress.stage == Stage.CANCELLED,
        "window": window_text(progress.window_start, progress.window_end), "hotline": settings.SERVICE_HOTLINE,
        "receipt": next((receipt_url(wo) for wo in sorted(sr.work_orders.all(), key=lambda w: -w.pk) if wo.status in ("completed", "returned")), ""),
        "events": [{"words": CUSTOMER_EVENT_WORDS[e.kind], "at": e.at, "kind": e.kind}
                   for e in sr.events.filter(kind__in=list(CUSTOMER_EVENT_WORDS)).order_by("at", "id")]})


def _portal_session(request) -> dict | None:
    data = request.session.get(SESSION_KEY)
    if not data or dt.datetime.fromisoformat(data["until"]) < timezone.now():
        return None
    return data


def login(request):
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            otc = portal_login_start(phone=form.cleaned_data["phone"], ip=client_ip(request))
        except DomainError as exc:
            apply_domain_errors(form, exc)
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            return redirect("portal:login_confirm", ticket=otc.ticket)
    return render(request, "portal/login.html", {"form": form}, status=status)


def login_confirm(request, ticket: str):
    otc = OneTimeCode.objects.filter(ticket=ticket, purpose=CodePurpose.LOGIN).first()
    if otc is None:
        return refused(request, _("This confirmation link is not valid. Please start again."), 404)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone, customers = portal_login_confirm(ticket=ticket, code=form.cleaned_data["code"])
        except DomainError as exc:
            apply_domain_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, exc.message)
        else:
            request.session.cycle_key()
            until = timezone.now() + dt.timedelta(hours=settings.PORTAL_SESSION_HOURS)
            request.session[SESSION_KEY] = {"phone": phone, "customers": customers, "until": until.isoformat()}
            return redirect("portal:home")
    return render(request, "portal/confirm.html", {"form": form, "phone": masked(otc.phone), "expired": timezone.now() > otc.expires_at,
                                                   "login": True})


def home(request):
    """The logged-in customer's equipment, history, contracts and invoices."""
    data = _portal_session(request)
    if data is None:
        return redirect("portal:login")
    overview = portal_overview(data["customers"])
    for sr in overview.requests:
        sr.progress = public_stage(sr)
    return render(request, "portal/home.html", {"o": overview, "phone": masked(data["phone"])})


@require_POST
def logout(request):
    request.session.pop(SESSION_KEY, None)
    return redirect("portal:login")


def receipt(request, token: str):
    """The e-receipt texted to the customer when the job is done: the signed voucher PDF with its charges, total,
    payment and balance as they stand now. The link is a signed, expiring capability naming one voucher (see
    ``core.capabilities``); a forged or expired one is a plain 404 and reveals nothing."""
    pk = receipt_work_order_id(token)
    wo = WorkOrder.objects.select_related("request__customer", "request__equipment", "technician").filter(
        pk=pk, status__in=("completed", "returned")).first() if pk else None
    if wo is None:
        raise Http404("receipt")
    response = pdf_response("workorders/pdf/voucher.html", voucher_context(request, wo), filename=f"{wo.number}.pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
