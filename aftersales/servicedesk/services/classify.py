"""CLS-01: decide A/B/C/D for a request and say why, in words a clerk and a customer understand.

Decision (domain.md, "Classification"):
- D when the job is internal administrative work;
- C when the whole unit is within warranty on the request date — also when a contract is active
  (warranty wins; the reason names the contract too);
- B when an active maintenance contract covers the equipment;
- C when only the main parts are still within warranty: the visit is registered as free
  service, and the reason says that only main parts are covered so that billing can decide
  each charge line (the per-line coverage of the billing issue);
- A otherwise, including unknown equipment or an unknown warranty start date.

The reason is stored as a code with parameters (so it renders in the reader's language) and as
a Chinese sentence for the paper register and exports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from aftersales.contracts.models import ContractStatus, MaintenanceContract
from aftersales.equipment.models import Equipment
from aftersales.servicedesk.models import Category


@dataclass(frozen=True)
class Classification:
    category: str
    code: str
    params: dict = field(default_factory=dict)

    def reason(self, language: str | None = None) -> str:
        """The human-readable reason, in ``language`` or the active language."""
        if language:
            with translation.override(language):
                return reason_text(self.code, self.params)
        return reason_text(self.code, self.params)


def reason_text(code: str, params: dict) -> str:
    templates = {
        "admin": _("Internal administrative work"),
        "unit_warranty": _("Whole unit under warranty until %(until)s"),
        "unit_warranty_and_contract": _(
            "Whole unit under warranty until %(until)s; maintenance contract %(contract)s is also active, warranty applies first"
        ),
        "contract": _("Maintenance contract %(contract)s active until %(contract_until)s"),
        "contract_and_main_parts": _(
            "Maintenance contract %(contract)s active until %(contract_until)s; main parts also under warranty until %(main_until)s"
        ),
        "main_parts_warranty": _(
            "Only the main parts are under warranty (until %(main_until)s); whole-unit warranty ended %(unit_until)s — other charges are decided line by line"
        ),
        "expired": _("Warranty ended %(unit_until)s and no maintenance contract is active"),
        "no_equipment": _("No equipment given: warranty cannot be checked, paid service"),
        "unknown_start": _("The equipment has no invoice, delivery or installation date: warranty unknown, paid service"),
        "override": _("Overridden by %(by)s: %(reason)s"),
    }
    template = templates.get(code)
    return template % params if template else code


def active_contract(equipment: Equipment, on: dt.date) -> MaintenanceContract | None:
    return (
        equipment.contracts.filter(status=ContractStatus.ACTIVE, start_date__lte=on, end_date__gte=on)
        .order_by("-end_date")
        .first()
    )


def classify(*, equipment: Equipment | None, on: dt.date, internal: bool = False) -> Classification:
    """Classify a job on date ``on`` (the request date). Pure read; no writes."""
    if internal:
        return Classification(Category.D, "admin")
    if equipment is None:
        return Classification(Category.A, "no_equipment")
    status = equipment.warranty_status(on)
    contract = active_contract(equipment, on)
    fmt = "%Y-%m-%d"
    if status.unit_active:
        if contract is not None:
            return Classification(Category.C, "unit_warranty_and_contract", {"until": f"{status.unit_until:{fmt}}", "contract": contract.number})
        return Classification(Category.C, "unit_warranty", {"until": f"{status.unit_until:{fmt}}"})
    if contract is not None:
        params = {"contract": contract.number, "contract_until": f"{contract.end_date:{fmt}}"}
        if status.main_parts_active:
            return Classification(Category.B, "contract_and_main_parts", {**params, "main_until": f"{status.main_parts_until:{fmt}}"})
        return Classification(Category.B, "contract", params)
    if status.main_parts_active:
        return Classification(
            Category.C, "main_parts_warranty",
            {"main_until": f"{status.main_parts_until:{fmt}}", "unit_until": f"{status.unit_until:{fmt}}" if status.unit_until else "-"},
        )
    if status.start is None:
        return Classification(Category.A, "unknown_start")
    return Classification(Category.A, "expired", {"unit_until": f"{status.unit_until:{fmt}}" if status.unit_until else "-"})
