"""Charges with per-line coverage, pricing, discounts and money rules (BILL-04, BILL-05, CLS-03)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.billing.models import ChargeLine, Coverage, Discount, PartsAgreement
from aftersales.billing.selectors import job_bill, parts_cost_by_warranty
from aftersales.billing.services import (
    billable_minutes,
    charge_add,
    charge_override_coverage,
    charges_price_job,
    discount_decide,
    discount_request,
    work_order_return_part,
    work_order_use_part,
)
from aftersales.core.errors import ConflictError
from aftersales.core.money import line_amounts, money
from aftersales.parts.services import on_hand
from aftersales.testing import factories as f
from aftersales.workorders.models import WorkOrderEvent


@pytest.mark.req("CLS-03")
def test_a_part_on_an_in_warranty_machine_is_free_for_the_customer_but_shows_its_cost(tech_zhang, on_site, van_zhang, bearing):
    line = work_order_use_part(actor=tech_zhang, work_order=on_site, part=bearing, quantity=Decimal("2"))
    assert (line.coverage, line.cost, line.amounts.total) == (Coverage.WARRANTY, Decimal("160.00"), Decimal("0.00"))
    assert "整机保修至" in line.coverage_reason
    assert job_bill(on_site).company_cost == Decimal("160.00")


@pytest.mark.req("CLS-03")
def test_out_of_warranty_the_customer_pays_the_part_with_tax(tech_zhang, paid_job, van_zhang, bearing):
    line = work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("2"))
    assert line.coverage == Coverage.PAID and "保修已于" in line.coverage_reason
    assert (line.amounts.net, line.amounts.tax, line.amounts.total) == (Decimal("240.00"), Decimal("31.20"), Decimal("271.20"))


def test_a_main_part_keeps_its_longer_warranty_while_labour_is_paid(tech_zhang, supervisor_wang, clerk_li, customer_acme, lathe_model,
                                                                    van_zhang, spindle_motor, price_list):
    from aftersales.servicedesk.services import RequestInput, service_request_register
    from aftersales.workorders import services as wo

    lathe = f.equipment(customer=customer_acme, model=lathe_model, serial="CAK-2Y", sold=timezone.localdate() - dt.timedelta(days=2 * 365))
    sr = service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, equipment=lathe, contact_phone="13800138000",
                                                                     fault_description="主轴电机烧毁"))
    job = wo.work_order_assign(actor=supervisor_wang, request=sr, technician=tech_zhang)
    wo.work_order_check_in(actor=tech_zhang, work_order=job)
    motor = work_order_use_part(actor=tech_zhang, work_order=job, part=spindle_motor, quantity=Decimal("1"))
    assert motor.coverage == Coverage.MAIN_PART and motor.amounts.total == 0
    job.visits.update(labour_minutes=50)
    [labour, travel, call_out] = charges_price_job(actor=clerk_li, work_order=job)
    assert labour.coverage == Coverage.PAID and "仅主要部件在保" in labour.coverage_reason
    assert (labour.quantity, labour.unit_price) == (Decimal("1.00"), Decimal("180.00"))  # 50 min → 1 h minimum, grade 3 rate
    assert (travel.unit_price, call_out.unit_price) == (Decimal("50.00"), Decimal("30.00"))


def test_a_maintenance_contract_covers_what_it_says_and_nothing_else(tech_zhang, paid_job, old_lathe, van_zhang, bearing, price_list, clerk_li):
    f.contract(customer=old_lathe.customer, units=[old_lathe], start=timezone.localdate() - dt.timedelta(days=10),
               end=timezone.localdate() + dt.timedelta(days=300), covers_labour=True, covers_parts=False, covers_travel=True)
    part_line = work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("1"))
    paid_job.visits.update(labour_minutes=90)
    lines = {line.kind: line for line in charges_price_job(actor=clerk_li, work_order=paid_job)}
    assert part_line.coverage == Coverage.PAID
    assert lines["labour"].coverage == Coverage.CONTRACT and lines["travel"].coverage == Coverage.CONTRACT
    assert lines["labour"].quantity == Decimal("1.50")


@pytest.mark.req("BILL-06")
def test_parts_under_an_agreement_are_priced_by_it_and_left_for_the_half_yearly_settlement(tech_zhang, paid_job, old_lathe, van_zhang, bearing):
    PartsAgreement.objects.create(number="XY-2026-01", customer=old_lathe.customer, start_date=timezone.localdate() - dt.timedelta(days=30),
                                  end_date=timezone.localdate() + dt.timedelta(days=335), price_factor=Decimal("0.90"))
    line = work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("1"))
    assert (line.coverage, line.unit_price) == (Coverage.AGREEMENT, Decimal("108.00"))
    assert job_bill(paid_job).total == 0  # nothing to pay on the job itself


def test_a_supervisor_overrides_who_pays_with_a_reason_and_it_is_logged(supervisor_wang, tech_zhang, paid_job, van_zhang, bearing):
    line = work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("1"))
    with pytest.raises(PermissionDenied):
        charge_override_coverage(actor=tech_zhang, line=line, coverage=Coverage.GOODWILL, reason="老客户")
    with pytest.raises(ValidationError):
        charge_override_coverage(actor=supervisor_wang, line=line, coverage=Coverage.GOODWILL, reason="")
    line = charge_override_coverage(actor=supervisor_wang, line=line, coverage=Coverage.GOODWILL, reason="上次维修返修，免费")
    assert (line.coverage, line.coverage_overridden_by, line.amounts.total) == (Coverage.GOODWILL, supervisor_wang, Decimal("0.00"))
    assert WorkOrderEvent.objects.filter(work_order=paid_job, kind="coverage_overridden", note__contains="返修").exists()
    assert ChargeLine.history.filter(id=line.pk, coverage=Coverage.GOODWILL).exists()


def test_returning_an_unused_part_puts_it_back_and_shrinks_the_charge(tech_zhang, paid_job, van_zhang, bearing):
    line = work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("3"))
    work_order_return_part(actor=tech_zhang, usage=line.part_usage, quantity=Decimal("1"))
    line.refresh_from_db()
    assert line.quantity == Decimal("2.00") and on_hand(bearing, van_zhang) == 8
    with pytest.raises(ValidationError):
        work_order_return_part(actor=tech_zhang, usage=line.part_usage, quantity=Decimal("5"))
    work_order_return_part(actor=tech_zhang, usage=line.part_usage, quantity=Decimal("2"))
    assert not ChargeLine.objects.filter(pk=line.pk).exists() and on_hand(bearing, van_zhang) == 10


def test_issuing_more_than_the_van_holds_is_refused_and_charges_nothing(tech_zhang, paid_job, van_zhang, bearing):
    with pytest.raises(ValidationError) as exc:
        work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("11"))
    assert exc.value.code == "insufficient_stock"
    assert not ChargeLine.objects.exists() and on_hand(bearing, van_zhang) == 10


@pytest.mark.parametrize(("quantity", "price"), [("-1", "10"), ("0", "10"), ("1", "-5")])
def test_a_negative_or_zero_quantity_or_a_negative_price_is_refused(clerk_li, paid_job, quantity, price):
    with pytest.raises(ValidationError):
        charge_add(actor=clerk_li, work_order=paid_job, description="租用吊车", quantity=quantity, unit_price=price)
    assert not ChargeLine.objects.exists()


def test_billable_time_has_a_minimum_and_rounds_up_to_the_step(price_list):
    assert [billable_minutes(m, price_list) for m in (0, 10, 60, 61, 90, 91)] == [0, 60, 60, 90, 90, 120]


@pytest.mark.req("BILL-05")
def test_a_small_discount_applies_at_once_and_a_large_one_waits_for_the_supervisor(clerk_li, supervisor_wang, tech_zhang, paid_job, van_zhang,
                                                                                   bearing):
    line = work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("2"))  # 240
    small = discount_request(actor=clerk_li, line=line, amount=Decimal("24"), reason="老客户")
    assert small.status == Discount.Status.APPROVED
    line.refresh_from_db()
    assert line.discount == Decimal("24.00") and line.amounts.net == Decimal("216.00")
    large = discount_request(actor=clerk_li, line=line, amount=Decimal("50"), reason="批量维修")
    assert large.status == Discount.Status.PENDING
    line.refresh_from_db()
    assert line.discount == Decimal("24.00")
    with pytest.raises(PermissionDenied):
        discount_decide(actor=clerk_li, discount=large, approve=True)
    discount_decide(actor=supervisor_wang, discount=large, approve=True)
    line.refresh_from_db()
    assert line.discount == Decimal("74.00")
    with pytest.raises(ConflictError):
        discount_decide(actor=supervisor_wang, discount=large, approve=True)


def test_a_discount_cannot_exceed_the_line_or_touch_a_free_line(clerk_li, tech_zhang, on_site, paid_job, van_zhang, bearing):
    paid = work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("1"))
    with pytest.raises(ValidationError):
        discount_request(actor=clerk_li, line=paid, amount=Decimal("121"), reason="太多")
    free = work_order_use_part(actor=tech_zhang, work_order=on_site, part=bearing, quantity=Decimal("1"))
    with pytest.raises(ValidationError):
        discount_request(actor=clerk_li, line=free, amount=Decimal("1"), reason="保修件")
    assert not Discount.objects.exists()


@pytest.mark.req("CLS-03")
def test_parts_cost_is_split_in_and_out_of_warranty_by_centre(tech_zhang, on_site, paid_job, van_zhang, bearing, manager_zhou):
    work_order_use_part(actor=tech_zhang, work_order=on_site, part=bearing, quantity=Decimal("2"))
    work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("3"))
    today = timezone.localdate()
    [row] = parts_cost_by_warranty(user=manager_zhou, start=today, end=today)
    assert (row.in_warranty_qty, row.in_warranty_cost, row.out_of_warranty_qty, row.out_of_warranty_cost) == (
        Decimal("2.00"), Decimal("160.00"), Decimal("3.00"), Decimal("240.00"))


AMOUNT = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999"), places=2, allow_nan=False, allow_infinity=False)
QUANTITY = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999"), places=2, allow_nan=False, allow_infinity=False)


@given(lines=st.lists(st.tuples(QUANTITY, AMOUNT, st.sampled_from([Decimal("0.13"), Decimal("0.06"), Decimal("0")])), min_size=1, max_size=12))
@settings(max_examples=200, deadline=None)
def test_a_documents_total_always_equals_the_sum_of_its_lines(lines):
    amounts = [line_amounts(quantity=q, unit_price=p, tax_rate=r) for q, p, r in lines]
    net, tax, total = (sum((getattr(a, k) for a in amounts), Decimal("0")) for k in ("net", "tax", "total"))
    assert total == net + tax
    assert all(a.total == a.net + a.tax and a.tax == money(a.net * r) for a, (_q, _p, r) in zip(amounts, lines, strict=True))
    assert all(a.net.as_tuple().exponent == -2 for a in amounts)


def test_tax_is_rounded_half_up_per_line():
    assert line_amounts(quantity=Decimal("1"), unit_price=Decimal("0.50"), tax_rate=Decimal("0.13")).tax == Decimal("0.07")  # 0.065 → 0.07
