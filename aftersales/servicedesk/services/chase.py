"""催修: the customer calls again about a machine whose call is still open. It is added to that call —
logged on its timeline, counted, and passed to whoever holds it — instead of registering a second call."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.selectors import centre_supervisors
from aftersales.core.errors import ConflictError, DomainError
from aftersales.notifications.services import notice_send
from aftersales.servicedesk.models import OPEN_STATUSES, RequestEvent, ServiceRequest


def open_calls_for_equipment(equipment_ids) -> dict[int, list[ServiceRequest]]:
    """The open calls of each machine (one query), newest first."""
    calls: dict[int, list[ServiceRequest]] = {}
    for sr in (ServiceRequest.objects.filter(equipment_id__in=list(equipment_ids), status__in=OPEN_STATUSES)
               .only("id", "number", "status", "received_at", "equipment_id", "chase_count").order_by("-received_at", "-id")):
        calls.setdefault(sr.equipment_id, []).append(sr)
    return calls


def service_request_chase(*, actor, request: ServiceRequest, note: str, contact_name: str = "", contact_phone: str = "",
                          now: dt.datetime | None = None) -> ServiceRequest:
    """Record a chase on an open call: who called and what they said, the count, and a notice to the technician
    holding the call (or the centre's supervisors while it waits for dispatch). A closed call cannot be chased."""
    if not actor.has_perm("servicedesk.register", None):
        raise PermissionDenied(_("Only the desk records calls."))
    text = (note or "").strip()
    if len(text) < 2:
        raise DomainError({"fault_description": [_("Note what the customer said when chasing.")]})
    now = now or timezone.now()
    with transaction.atomic():
        current = ServiceRequest.objects.select_for_update(of=("self",)).select_related("service_center").get(pk=request.pk)
        if current.status not in OPEN_STATUSES:
            raise ConflictError(_("Call %(no)s is no longer open; register a new call.") % {"no": current.number}, code="closed")
        ServiceRequest.objects.filter(pk=current.pk).update(chase_count=F("chase_count") + 1, last_chased_at=now)
        who = " ".join(p for p in ((contact_name or "").strip(), (contact_phone or "").strip()) if p)
        RequestEvent.objects.create(request=current, actor=actor, kind="chased", at=now, note=f"{who}: {text}"[:300] if who else text[:300])
        holders = [wo.technician for wo in current.work_orders.filter(status__in=("assigned", "on_site", "taken_back", "in_repair"))
                   .select_related("technician")]
        if not holders:
            holders = list(centre_supervisors(current.service_center))
        notice_send(recipients=holders, kind="chase", title=_("The customer chased call %(no)s (催修)") % {"no": current.number}, body=text,
                    url=reverse("servicedesk:detail", args=[current.pk]))
    current.refresh_from_db()
    return current
