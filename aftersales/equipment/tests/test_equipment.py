"""Installed base: warranty computed for a date, serial uniqueness (CUST-03)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from aftersales.equipment.models import Equipment, add_months, warranty_end
from aftersales.testing import factories as f


def test_adding_months_clamps_to_the_end_of_the_month():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)


@pytest.mark.req("CUST-03")
@pytest.mark.parametrize(("start", "months", "last_day"), [
    ("2024-02-29", 12, "2025-02-28"),  # the same date next year does not exist: the month's last day
    ("2024-02-29", 48, "2028-02-28"),  # it exists four years on: the day before
    ("2025-01-29", 1, "2025-02-28"),
    ("2025-01-30", 1, "2025-02-28"),
    ("2025-01-31", 1, "2025-02-28"),
    ("2024-01-29", 1, "2024-02-28"),  # a leap February has its 29th: the day before
    ("2024-01-31", 1, "2024-02-29"),
    ("2025-03-31", 1, "2025-04-30"),
    ("2025-03-31", 12, "2026-03-30"),
    ("2025-12-31", 1, "2026-01-30"),
    ("2025-12-31", 2, "2026-02-28"),
    ("2025-12-31", 12, "2026-12-30"),
    ("2025-03-15", 12, "2026-03-14"),
])
def test_a_warranty_ends_the_day_before_the_same_date_or_on_the_last_day_of_a_shorter_month(start, months, last_day):
    assert warranty_end(dt.date.fromisoformat(start), months) == dt.date.fromisoformat(last_day)


@given(start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), months=st.integers(min_value=1, max_value=120))
def test_a_warranty_covers_at_least_the_whole_months_and_a_longer_one_never_ends_earlier(start, months):
    end = warranty_end(start, months)
    assert end >= start
    assert warranty_end(start, months + 1) > end
    # It never reaches the same day of the month after the period (no day of the next period is covered).
    assert end < add_months(start, months) or start.day > add_months(start, months).day


@pytest.mark.req("CUST-03")
def test_a_machine_sold_on_29_february_is_covered_until_28_february_next_year(customer_acme, lathe_model):
    unit = f.equipment(customer=customer_acme, model=lathe_model, serial="LEAP-1", sold=dt.date(2024, 2, 29))
    assert unit.warranty_status(dt.date(2025, 2, 28)).unit_active
    assert not unit.warranty_status(dt.date(2025, 3, 1)).unit_active


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
