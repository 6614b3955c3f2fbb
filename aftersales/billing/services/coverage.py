"""Who pays for a charge line — decided per line when it is created, stored with its reason.

For the job's machine on the day the line is made:
- internal (category D) work: nobody (internal);
- whole unit under warranty: the company (warranty) — parts, labour, travel and call-out alike;
- a main part while only the main parts are under warranty: the company (main-part warranty);
  labour, travel and other parts are then paid, unless a contract covers them;
- an active maintenance contract covering that kind of charge (labour / parts / travel): contract;
- a part under the customer's active out-of-warranty parts agreement: agreement (settled half-yearly);
- otherwise the customer pays.
When warranty and contract both apply, warranty wins (CLS-01). A supervisor may override any
line with a reason (``charge_override_coverage``), which is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from aftersales.billing.models import Coverage, LineKind, PartsAgreement
from aftersales.parts.models import Part
from aftersales.servicedesk.services.classify import active_contract
from aftersales.workorders.models import WorkOrder

CONTRACT_COVERS = {LineKind.LABOUR: "covers_labour", LineKind.CALL_OUT: "covers_labour", LineKind.PART: "covers_parts",
                   LineKind.TRAVEL: "covers_travel"}


@dataclass(frozen=True)
class CoverageDecision:
    coverage: str
    reason: str
    price_factor: Decimal = Decimal("1")  # an agreement's price on the list price


def active_agreement(customer, on: dt.date) -> PartsAgreement | None:
    if customer is None:
        return None
    return next((a for a in customer.parts_agreements.filter(is_active=True, start_date__lte=on, end_date__gte=on).order_by("-end_date")), None)


def decide_coverage(*, work_order: WorkOrder, kind: str, part: Part | None, on: dt.date) -> CoverageDecision:
    """See the module docstring. Reasons are written in Chinese, as on the printed voucher."""
    with translation.override("zh-hans"):
        return _decide(work_order, kind, part, on)


def _decide(work_order: WorkOrder, kind: str, part: Part | None, on: dt.date) -> CoverageDecision:
    if work_order.category == "D":
        return CoverageDecision(Coverage.INTERNAL, _("Internal administrative work"))
    equipment = work_order.request.equipment
    if equipment is None:
        return CoverageDecision(Coverage.PAID, _("No equipment on the job: warranty cannot apply"))
    status = equipment.warranty_status(on)
    if kind != LineKind.OTHER and status.unit_active:
        return CoverageDecision(Coverage.WARRANTY, _("Whole unit under warranty until %(until)s") % {"until": status.unit_until})
    if kind == LineKind.PART and part is not None and part.is_main_part and status.main_parts_active:
        return CoverageDecision(Coverage.MAIN_PART, _("Main part under warranty until %(until)s") % {"until": status.main_parts_until})
    contract = active_contract(equipment, on)
    flag = CONTRACT_COVERS.get(kind)
    if contract is not None and flag and getattr(contract, flag):
        return CoverageDecision(Coverage.CONTRACT, _("Covered by maintenance contract %(no)s") % {"no": contract.number})
    agreement = active_agreement(work_order.request.customer, on) if kind == LineKind.PART else None
    if agreement is not None:
        return CoverageDecision(Coverage.AGREEMENT, _("Parts agreement %(no)s, settled every %(m)s months")
                                % {"no": agreement.number, "m": agreement.settlement_months}, agreement.price_factor)
    if status.main_parts_active:
        return CoverageDecision(Coverage.PAID, _("Only the main parts are under warranty (until %(until)s); this is paid")
                                % {"until": status.main_parts_until})
    if status.start is None:
        return CoverageDecision(Coverage.PAID, _("Warranty start unknown: paid"))
    return CoverageDecision(Coverage.PAID, _("Warranty ended %(until)s: paid") % {"until": status.unit_until or "-"})
