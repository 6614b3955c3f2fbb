"""The customer's view of a request, parcel-style, and the message he gets at each step (INTK-07).

Stages: registered → dispatched (engineer named, time window) → on the way → in service → done
(or cancelled). ``public_stage`` derives the stage from the request and its open voucher; the
tracking page shows it. ``progress_notify`` is called by the service that writes the step, in
the same transaction, with the timeline row as its idempotency key: the message is committed
together with the step (or not at all) and never made twice for one step.

Customers are written to in the installation's language (zh-Hans by default); the text names the
request number, the engineer and the time window, never anything about other customers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core.capabilities import receipt_token
from aftersales.servicedesk.models import Channel, RequestEvent, ServiceRequest, Status


class Stage(models.TextChoices):
    REGISTERED = "registered", gettext_lazy("Registered")
    DISPATCHED = "dispatched", gettext_lazy("Engineer assigned")
    ON_THE_WAY = "on_the_way", gettext_lazy("Engineer on the way")
    IN_SERVICE = "in_service", gettext_lazy("In service")
    DONE = "done", gettext_lazy("Done")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


PARCEL_STEPS = [Stage.REGISTERED, Stage.DISPATCHED, Stage.ON_THE_WAY, Stage.IN_SERVICE, Stage.DONE]
# Steps that message the customer (he is present when the service starts: no message then).
EVENT_STAGE = {"registered": Stage.REGISTERED, "dispatch": Stage.DISPATCHED, "set_out": Stage.ON_THE_WAY, "close": Stage.DONE,
               "cancel": Stage.CANCELLED}
# What each step is called to the customer: plain words, never the register's terms (注销 reads "cancelled" to a layperson).
CUSTOMER_EVENT_WORDS = {
    "registered": gettext_lazy("We received your request"), "dispatch": gettext_lazy("An engineer has been assigned"),
    "set_out": gettext_lazy("The engineer has set out"), "start_service": gettext_lazy("The engineer has arrived and started work"),
    "close": gettext_lazy("Service completed"), "cancel": gettext_lazy("Request cancelled"),
}
OPEN_VOUCHER = ("assigned", "on_site", "taken_back", "in_repair", "repaired", "inspected")


@dataclass(frozen=True)
class Progress:
    stage: str
    technician: str
    window_start: dt.datetime | None
    window_end: dt.datetime | None
    in_workshop: bool

    @property
    def step_index(self) -> int:
        return PARCEL_STEPS.index(self.stage) if self.stage in PARCEL_STEPS else -1


def _current_voucher(request: ServiceRequest):
    vouchers = [wo for wo in request.work_orders.all() if wo.status in OPEN_VOUCHER]
    if vouchers:
        return vouchers[0]
    done = sorted(request.work_orders.all(), key=lambda wo: wo.assigned_at, reverse=True)
    return next((wo for wo in done if wo.status != "cancelled"), None)


def public_stage(request: ServiceRequest) -> Progress:
    """Where the request stands, as the customer sees it (pass a request with ``work_orders__technician`` prefetched)."""
    voucher = _current_voucher(request) if request.status != Status.REGISTERED else None
    status = request.status
    if status == Status.CANCELLED:
        stage = Stage.CANCELLED
    elif status in (Status.RESOLVED, Status.CLOSED):
        stage = Stage.DONE
    elif status == Status.REGISTERED or voucher is None:
        stage = Stage.REGISTERED
    elif status == Status.DISPATCHED:
        stage = Stage.ON_THE_WAY if voucher.departed_at else Stage.DISPATCHED
    else:
        stage = Stage.IN_SERVICE
    start, end = visit_window(request, voucher)
    technician = _display_name(voucher.technician) if voucher is not None else ""
    return Progress(stage=stage, technician=technician, window_start=start, window_end=end,
                    in_workshop=voucher is not None and voucher.status in ("taken_back", "in_repair", "repaired", "inspected"))


def _display_name(user) -> str:
    return user.full_name or user.get_username()


def visit_window(request: ServiceRequest, voucher) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The agreed visit time plus ``VISIT_WINDOW_MINUTES``; without one, "by the arrival deadline" (start None)."""
    if voucher is not None and voucher.appointment_at:
        return voucher.appointment_at, voucher.appointment_at + dt.timedelta(minutes=settings.VISIT_WINDOW_MINUTES)
    if request.status in (Status.REGISTERED, Status.DISPATCHED) and request.requested_time:
        return request.requested_time, request.requested_time + dt.timedelta(minutes=settings.VISIT_WINDOW_MINUTES)
    if request.status in (Status.REGISTERED, Status.DISPATCHED):
        return None, request.arrival_due_at
    return None, None


def window_text(start: dt.datetime | None, end: dt.datetime | None) -> str:
    if end is None:
        return ""
    end_local = timezone.localtime(end)
    if start is None:
        return _("by %(time)s") % {"time": f"{end_local:%m-%d %H:%M}"}
    start_local = timezone.localtime(start)
    return f"{start_local:%m-%d %H:%M}–{end_local:%H:%M}"


def tracking_url(request: ServiceRequest) -> str:
    return reverse("portal:track", args=[request.tracking_token]) if request.tracking_token else ""


def _text(request: ServiceRequest, stage: str, progress: Progress) -> str:
    window = window_text(progress.window_start, progress.window_end)
    values = {"no": request.number, "tech": progress.technician, "window": window}
    if stage == Stage.REGISTERED:
        return _("Your service request %(no)s has been registered. Follow it here:") % values
    if stage == Stage.DISPATCHED:
        return (_("Engineer %(tech)s will handle request %(no)s, expected %(window)s.") if window else
                _("Engineer %(tech)s will handle request %(no)s.")) % values
    if stage == Stage.ON_THE_WAY:
        return (_("Engineer %(tech)s is on the way for request %(no)s, expected %(window)s.") if window else
                _("Engineer %(tech)s is on the way for request %(no)s.")) % values
    if stage == Stage.DONE:
        return _("Request %(no)s is done. Your e-receipt (work, charges, payment and signature) is at the link. Thank you for your trust.") % values
    return _("Request %(no)s was cancelled.") % values


def progress_notify(request: ServiceRequest, event: RequestEvent):
    """Queue the customer's message for the step ``event`` recorded; None when the step sends none.

    Call inside the transaction that wrote ``event``. Internal jobs, requests without a customer
    or a phone, and installations with ``CUSTOMER_PROGRESS_MESSAGES`` off send nothing.
    """
    from aftersales.notifications.models import Purpose
    from aftersales.notifications.outbox import send_to_customer

    stage = EVENT_STAGE.get(event.kind)
    if stage is None or not settings.CUSTOMER_PROGRESS_MESSAGES or request.customer_id is None or request.channel == Channel.INTERNAL:
        return None
    fresh = ServiceRequest.objects.select_related("customer").prefetch_related("work_orders__technician", "customer__phones").get(pk=request.pk)
    with translation.override(settings.LANGUAGE_CODE):
        body = _text(fresh, stage, public_stage(fresh))
        subject = _("Request %(no)s") % {"no": fresh.number}
    url = tracking_url(fresh)
    if stage == Stage.DONE:
        done = [wo for wo in fresh.work_orders.all() if wo.status in ("completed", "returned")]
        url = receipt_url(max(done, key=lambda wo: wo.pk)) if done else url
    return send_to_customer(fresh.customer, key=f"progress:{event.pk}", purpose=Purpose.SERVICE, body=body, subject=subject,
                            url=url, phone=fresh.contact_phone)


def receipt_url(work_order) -> str:
    """The e-receipt: the signed voucher PDF with its charges, total, payment and balance, as it stands when opened."""
    return reverse("portal:receipt", args=[receipt_token(work_order.pk)])
