"""Cancelling a voucher: the call goes back to the dispatch queue, or is cancelled with it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.core.errors import ConflictError
from aftersales.notifications.services import notice_send
from aftersales.servicedesk.models import Status as RequestStatus
from aftersales.servicedesk.services import service_request_transition
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services.common import advance, locked, open_visit, require, require_reason, save


def work_order_cancel(*, actor, work_order: WorkOrder, reason: str, cancel_call: bool = False, expected_version: int | None = None) -> WorkOrder:
    """Cancel a voucher before the job is done; the reason is mandatory.

    The call returns to the dispatch queue (to be sent again) or, with ``cancel_call``, is
    cancelled too. A voucher whose item is in the workshop cannot be cancelled: the customer's
    item must go back first (its receipt is still out).
    """
    require(actor, "workorders.cancel", work_order)
    why = require_reason(reason, message=_("Give the reason for cancelling."))
    with transaction.atomic():
        current = locked(work_order, expected_version)
        if current.in_custody:
            raise ConflictError(
                _("The customer's item of voucher %(no)s is in the workshop (receipt %(r)s); return it before cancelling.")
                % {"no": current.number, "r": current.receipt.number},
                code="item_in_custody",
            )
        before = advance(current, "cancel")
        visit = open_visit(current)
        if visit is not None:
            visit.result_note = why[:300]
            visit.finished_at = visit.arrived_at
            visit.save()
        current.cancel_reason = why[:300]
        save(current, actor=actor, kind="cancel", before=before, note=why)
        sr = current.request
        if cancel_call:
            service_request_transition(actor=actor, request=sr, transition="cancel", note=why, cancel_reason=why[:300])
        elif sr.status in (RequestStatus.DISPATCHED, RequestStatus.IN_SERVICE):
            service_request_transition(actor=actor, request=sr, transition="requeue", note=f"{current.number}: {why}")
        notice_send(recipients=[current.technician], kind="job_cancelled",
                    title=_("Job %(no)s was cancelled") % {"no": current.number}, body=why)
    return current
