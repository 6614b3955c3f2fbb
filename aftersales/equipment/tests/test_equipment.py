"""Installed base: warranty computed for a date, serial uniqueness (CUST-03)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from aftersales.equipment.models import Equipment, add_months
from aftersales.testing import factories as f


def test_adding_months_clamps_to_the_end_of_the_month():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)


@pytest.mark.req("CUST-03")
def test_warranty_is_computed_for_any_date_from_the_models_basis(customer_acme, lathe_model):
    unit = f.equipment(customer=customer_acme, model=lathe_model, sold=dt.date(2025, 3, 1))
    unit.install_date = dt.date(2025, 3, 10)
    on_first_day = unit.warranty_status(dt.date(2025, 3, 10))
    assert on_first_day.unit_active and on_first_day.unit_until == dt.date(2026, 3, 9)
    later = unit.warranty_status(dt.date(2026, 11, 25))
    assert not later.unit_active and later.main_parts_active and later.main_parts_until == dt.date(2028, 3, 9)
    assert not unit.warranty_status(dt.date(2028, 3, 10)).any_active


def test_a_missing_basis_date_falls_back_to_the_next_known_date(customer_acme, lathe_model):
    unit = f.equipment(customer=customer_acme, model=lathe_model, sold=dt.date(2026, 1, 1))
    unit.install_date = None
    assert unit.warranty_start() == dt.date(2026, 1, 1)


def test_without_any_date_the_warranty_is_unknown(customer_acme, lathe_model):
    unit = Equipment(customer=customer_acme, product_model=lathe_model, serial_no="X")
    assert unit.warranty_status(dt.date(2026, 1, 1)).start is None


@pytest.mark.req("CUST-03")
def test_a_serial_is_unique_per_model_and_a_duplicate_gets_a_clear_message(customer_acme, lathe_model):
    f.equipment(customer=customer_acme, model=lathe_model, serial="ABC123")
    with pytest.raises(ValidationError) as exc:
        f.equipment(customer=customer_acme, model=lathe_model, serial="abc123")
    assert "已登记" in exc.value.message_dict["serial_no"][0]
    other_model = f.product_model(model_code="CK6140")
    assert f.equipment(customer=customer_acme, model=other_model, serial="ABC123").serial_no == "ABC123"


def test_every_machine_gets_an_opaque_unique_qr_token(customer_acme, lathe_model):
    a = f.equipment(customer=customer_acme, model=lathe_model)
    b = f.equipment(customer=customer_acme, model=lathe_model)
    assert a.qr_token != b.qr_token and len(a.qr_token) >= 20
