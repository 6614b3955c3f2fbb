"""Writes to maintenance contracts (minimal in this release: create and end)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.contracts.models import ContractStatus, MaintenanceContract
from aftersales.core.errors import DomainError
from aftersales.core.models import next_number
from aftersales.customers.models import Customer
from aftersales.equipment.models import Equipment


def contract_create(
    *, actor, customer: Customer, equipment: list[Equipment], start_date: dt.date, end_date: dt.date,
    fee: Decimal = Decimal("0.00"), covers_labour: bool = True, covers_parts: bool = False, covers_travel: bool = True,
    visits_per_year: int = 2, status: str = ContractStatus.ACTIVE, number: str = "",
) -> MaintenanceContract:
    """Create a contract covering ``equipment``, all of which must belong to ``customer``."""
    errors: dict[str, list[str]] = {}
    if end_date < start_date:
        errors["end_date"] = [_("The contract must end after it starts.")]
    if fee < 0:
        errors["fee"] = [_("The fee cannot be negative.")]
    if any(e.customer_id != customer.pk for e in equipment):
        errors["equipment"] = [_("Every covered machine must belong to the contract's customer.")]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        contract = MaintenanceContract(
            number=number or f"HT-{start_date:%Y}-{next_number(f'contract-{start_date:%Y}'):03d}", customer=customer,
            start_date=start_date, end_date=end_date, fee=fee, covers_labour=covers_labour, covers_parts=covers_parts,
            covers_travel=covers_travel, visits_per_year=visits_per_year, status=status,
        )
        contract._history_user = actor
        contract.save()
        contract.equipment.set(equipment)
    return contract
