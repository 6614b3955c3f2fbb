"""Parts used reconcile with the accepted quotation by quantity: the bill is what was used, never
the quote plus the use (issue: quote 2 bearings, use 1 → the bill was 2 × quoted + 1 × catalogue)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.billing.models import ChargeLine
from aftersales.billing.selectors import job_bill
from aftersales.billing.services import (
    QuoteItem,
    payment_record,
    quotation_accept,
    quotation_create,
    work_order_return_part,
    work_order_use_part,
)
from aftersales.core.errors import ConflictError
from aftersales.parts.services import center_warehouse, on_hand
from aftersales.testing.signatures import SIGNED

QUOTED_PRICE = Decimal("240.00")  # the quoted price of a bearing (the catalogue says 120.00)


@pytest.fixture
def two_bearings_accepted(tech_zhang, paid_job, bearing):
    """The customer accepted a quotation for two bearings at 240.00 each."""
    quotation = quotation_create(actor=tech_zhang, customer=paid_job.request.customer, work_order=paid_job,
                                 items=[QuoteItem(part=bearing, quantity=Decimal("2"), unit_price=QUOTED_PRICE)])
    quotation_accept(actor=tech_zhang, quotation=quotation, signature=SIGNED, signer_name="王工")
    return quotation


def part_lines(job) -> list[tuple[Decimal, Decimal]]:
    return sorted((ln.quantity, ln.unit_price) for ln in ChargeLine.objects.filter(work_order=job, kind="part"))


@pytest.mark.req("BILL-04")
def test_a_quoted_part_is_not_billed_before_it_is_used(paid_job, two_bearings_accepted):
    assert part_lines(paid_job) == []


@pytest.mark.req("BILL-04")
def test_using_fewer_parts_than_quoted_bills_only_those_used(tech_zhang, paid_job, van_zhang, bearing, two_bearings_accepted):
    work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("1"))
    assert part_lines(paid_job) == [(Decimal("1.00"), QUOTED_PRICE)]
    assert job_bill(paid_job).net == QUOTED_PRICE


@pytest.mark.req("BILL-04")
def test_using_more_than_quoted_adds_only_the_difference_at_the_catalogue_price(tech_zhang, paid_job, van_zhang, bearing,
                                                                              two_bearings_accepted):
    work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("3"))
    assert part_lines(paid_job) == [(Decimal("1.00"), Decimal("120.00")), (Decimal("2.00"), QUOTED_PRICE)]


@pytest.mark.req("BILL-04")
def test_uses_from_two_stores_add_up_to_the_quoted_line_instead_of_doubling_it(tech_zhang, paid_job, van_zhang, bearing,
                                                                             two_bearings_accepted):
    work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("1"))
    work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("1"),
                        warehouse=center_warehouse(paid_job.service_center))
    assert part_lines(paid_job) == [(Decimal("2.00"), QUOTED_PRICE)]


@pytest.mark.req("BILL-04")
def test_a_voided_use_restores_the_bill_and_the_van(tech_zhang, paid_job, van_zhang, bearing, two_bearings_accepted):
    first = work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("2"))
    before = part_lines(paid_job)
    extra = work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("1"))
    assert extra.pk != first.pk and extra.unit_price == Decimal("120.00")
    work_order_return_part(actor=tech_zhang, usage=extra.part_usage, quantity=Decimal("1"))
    assert part_lines(paid_job) == before and on_hand(bearing, van_zhang) == 8


def test_returning_parts_cannot_take_the_bill_below_what_was_paid(tech_zhang, paid_job, van_zhang, bearing):
    line = work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("2"))
    payment_record(actor=tech_zhang, work_order=paid_job, amount=job_bill(paid_job).total, method="cash")
    with pytest.raises(ConflictError) as exc:
        work_order_return_part(actor=tech_zhang, usage=line.part_usage, quantity=Decimal("1"))
    assert exc.value.code == "below_paid"
    assert part_lines(paid_job) == [(Decimal("2.00"), Decimal("120.00"))] and on_hand(bearing, van_zhang) == 8


# ---- the money chain as a property: any sequence of quote / use / return / void / price / discount / pay ----

from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402
from django.db import transaction  # noqa: E402
from hypothesis import HealthCheck, event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from aftersales.billing.models import PAYABLE_NOW, QuotationLine  # noqa: E402
from aftersales.billing.services import charges_price_job, discount_request  # noqa: E402
from aftersales.core.money import ZERO, money  # noqa: E402
from aftersales.parts.models import WorkOrderPart  # noqa: E402

STEPS = st.one_of(
    st.tuples(st.just("quote"), st.integers(1, 3), st.sampled_from(["200.00", "240.00", "99.90"])),
    st.tuples(st.just("use"), st.integers(1, 3), st.sampled_from(["van", "centre"])),
    st.tuples(st.just("return"), st.integers(0, 3), st.integers(1, 2)),
    st.tuples(st.just("void"), st.integers(0, 3)),
    st.tuples(st.just("price")),
    st.tuples(st.just("discount"), st.integers(0, 3), st.sampled_from(["1.00", "5.50", "30.00"])),
    st.tuples(st.just("pay"), st.sampled_from(["0.5", "1"])),
)


def expected_parts_net(job, bearing) -> Decimal:
    """Σ used × price, computed independently: the quoted units at the quoted prices, in the order quoted, the rest at the catalogue price."""
    used = sum((u.net_quantity for u in WorkOrderPart.objects.filter(work_order=job, part=bearing)), ZERO)
    total = ZERO
    for ql in QuotationLine.objects.filter(quotation__work_order=job, quotation__status="accepted", part=bearing).order_by("quotation__decided_at", "id"):
        take = min(used, ql.quantity)
        total, used = total + money(take * ql.unit_price), used - take
    return total + money(used * bearing.sale_price)


def snapshot(job):
    return (sorted(ChargeLine.objects.filter(work_order=job).values_list("kind", "quantity", "unit_price", "discount")),
            sorted(WorkOrderPart.objects.filter(work_order=job).values_list("quantity", "returned_quantity")),
            sorted(job.payments.values_list("amount", flat=True)))


@pytest.mark.req("BILL-04")
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEPS, min_size=1, max_size=8))
def test_the_bill_always_equals_what_was_used_at_its_price_plus_the_computed_fees(steps, tech_zhang, clerk_li, paid_job, van_zhang, bearing,
                                                                                price_list):
    centre = center_warehouse(paid_job.service_center)
    with transaction.atomic():
        priced = False
        for step in steps:
            before = snapshot(paid_job)
            try:
                with transaction.atomic():
                    usages = list(WorkOrderPart.objects.filter(work_order=paid_job).order_by("id"))
                    lines = [ln for ln in ChargeLine.objects.filter(work_order=paid_job, coverage__in=PAYABLE_NOW).order_by("id")]
                    if step[0] == "quote":
                        q = quotation_create(actor=tech_zhang, customer=paid_job.request.customer, work_order=paid_job,
                                             items=[QuoteItem(part=bearing, quantity=Decimal(step[1]), unit_price=Decimal(step[2]))])
                        quotation_accept(actor=tech_zhang, quotation=q, signature=SIGNED, signer_name="王工")
                    elif step[0] == "use":
                        work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal(step[1]),
                                            warehouse=van_zhang if step[2] == "van" else centre)
                    elif step[0] in ("return", "void") and usages:
                        usage = usages[step[1] % len(usages)]
                        qty = usage.net_quantity if step[0] == "void" else Decimal(step[2])
                        work_order_return_part(actor=tech_zhang, usage=usage, quantity=qty)
                    elif step[0] == "price":
                        charges_price_job(actor=tech_zhang, work_order=paid_job)
                        priced = True
                    elif step[0] == "discount" and lines:
                        discount_request(actor=clerk_li, line=lines[step[1] % len(lines)], amount=Decimal(step[2]), reason="老客户")
                    elif step[0] == "pay":
                        due = job_bill(paid_job).due
                        if due > 0:
                            payment_record(actor=tech_zhang, work_order=paid_job, amount=money(due * Decimal(step[1])), method="cash")
                event(f"{step[0]} done")
            except (ValidationError, ConflictError, PermissionDenied):
                event(f"{step[0]} refused")
                assert snapshot(paid_job) == before, f"a refused {step[0]} changed something"
            bill = job_bill(paid_job)
            part_lines_ = [ln for ln in bill.lines if ln.kind == "part"]
            fees = [ln for ln in bill.lines if ln.auto]
            assert sum((ln.quantity * ln.unit_price for ln in part_lines_), ZERO) == expected_parts_net(paid_job, bearing)
            assert sum((ln.quantity for ln in part_lines_), ZERO) == sum((u.net_quantity for u in WorkOrderPart.objects.filter(work_order=paid_job)), ZERO)
            expected_fees = (price_list.travel_fees.get(zone=paid_job.request.zone).fee + price_list.call_out_fee) if priced else ZERO
            assert sum((ln.quantity * ln.unit_price for ln in fees), ZERO) == expected_fees
            assert bill.net == sum((ln.amounts.net for ln in bill.lines), ZERO)
            assert bill.total == sum((ln.amounts.total for ln in bill.lines), ZERO)
            assert bill.paid <= bill.total and all(ln.discount <= ln.amounts.list_amount for ln in bill.lines)
            assert on_hand(bearing, van_zhang) + on_hand(bearing, centre) + sum(
                (u.net_quantity for u in WorkOrderPart.objects.filter(work_order=paid_job)), ZERO) == 20  # 20 received, 10 of them moved to the van
        transaction.set_rollback(True)


# ---- the bill is computed when the work is finished ----

from aftersales.billing.models import Coverage  # noqa: E402
from aftersales.billing.services import bill_preview  # noqa: E402
from aftersales.workorders import services as wo  # noqa: E402


@pytest.mark.req("BILL-04")
def test_completing_a_paid_job_computes_labour_travel_and_call_out_without_the_supervisor(tech_zhang, paid_job, van_zhang, bearing,
                                                                                         price_list, two_bearings_accepted):
    work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("1"))
    preview = bill_preview(paid_job, labour_minutes=75)
    wo.work_order_complete(actor=tech_zhang, work_order=paid_job, work_done="更换轴承", labour_minutes=75, signature=SIGNED, signer_name="王工")
    lines = {ln.kind: ln for ln in ChargeLine.objects.filter(work_order=paid_job)}
    assert (lines["labour"].quantity, lines["labour"].unit_price) == (Decimal("1.50"), Decimal("180.00"))  # 75 min → 90 min at grade 3
    assert lines["travel"].unit_price == Decimal("50.00") and lines["call_out"].unit_price == Decimal("30.00")
    bill = job_bill(paid_job)
    assert bill.net == QUOTED_PRICE + Decimal("270.00") + Decimal("50.00") + Decimal("30.00")
    assert sum((row["amounts"].total for row in preview), ZERO) == bill.total  # what the customer read before signing


@pytest.mark.req("CLS-03")
def test_a_warranty_job_carries_its_labour_and_travel_as_company_cost(tech_zhang, on_site, price_list):
    wo.work_order_complete(actor=tech_zhang, work_order=on_site, work_done="调整主轴间隙", labour_minutes=60, signature=SIGNED, signer_name="王工")
    bill = job_bill(on_site)
    assert {ln.kind: ln.coverage for ln in bill.lines} == {"labour": Coverage.WARRANTY, "travel": Coverage.WARRANTY, "call_out": Coverage.WARRANTY}
    assert bill.total == ZERO and bill.company_cost == Decimal("180.00") + Decimal("50.00") + Decimal("30.00")


def test_a_discount_after_the_customer_paid_in_full_is_refused(tech_zhang, clerk_li, paid_job, van_zhang, bearing):
    """Found by the property test above: paying in full, then a discount, left the bill below what was paid."""
    line = work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("1"))
    payment_record(actor=tech_zhang, work_order=paid_job, amount=job_bill(paid_job).total, method="cash")
    with pytest.raises(ConflictError) as exc:
        discount_request(actor=clerk_li, line=line, amount=Decimal("1.00"), reason="老客户")
    assert exc.value.code == "below_paid"
    line.refresh_from_db()
    assert line.discount == ZERO and not line.discounts.exists()


def test_the_supervisor_adjusts_a_computed_line_with_a_reason_and_recomputing_keeps_it(tech_zhang, supervisor_wang, on_site, price_list):
    from aftersales.billing.services import charge_adjust, charges_price_job
    from aftersales.workorders.models import WorkOrderEvent

    charges_price_job(actor=tech_zhang, work_order=on_site)
    travel = ChargeLine.objects.get(work_order=on_site, kind="travel")
    with pytest.raises(PermissionDenied):
        charge_adjust(actor=tech_zhang, line=travel, quantity=1, unit_price="30", reason="同路顺带")
    with pytest.raises(ValidationError):
        charge_adjust(actor=supervisor_wang, line=travel, quantity=1, unit_price="30", reason="")
    charge_adjust(actor=supervisor_wang, line=travel, quantity=1, unit_price="30", reason="同路顺带，差旅减半")
    charges_price_job(actor=tech_zhang, work_order=on_site)
    travel.refresh_from_db()
    assert (travel.unit_price, travel.adjusted_reason) == (Decimal("30.00"), "同路顺带，差旅减半")
    assert ChargeLine.objects.filter(work_order=on_site, kind="travel").count() == 1
    assert WorkOrderEvent.objects.filter(work_order=on_site, kind="charge_adjusted", note__contains="50.00 → 1.00 × 30.00").exists()
    assert ChargeLine.history.filter(id=travel.pk, unit_price=Decimal("50.00")).exists()  # the figure before is kept


@pytest.mark.req("CLS-03")
def test_the_monthly_summary_shows_the_value_given_under_warranty_by_a_completed_job(tech_zhang, manager_zhou, on_site, price_list):
    from django.utils import timezone

    from aftersales.reports.summary import Filters, monthly_summary

    wo.work_order_complete(actor=tech_zhang, work_order=on_site, work_done="调整主轴间隙", labour_minutes=60, signature=SIGNED, signer_name="王工")
    today = timezone.localdate()
    summary = monthly_summary(user=manager_zhou, filters=Filters(start=today.replace(day=1), end=today))
    given = {m["kind"]: m["amount"] for m in summary.money if m["warranty"]}
    assert given == {"labour": Decimal("180.00"), "travel": Decimal("50.00"), "call_out": Decimal("30.00")}
    assert summary.warranty_value == Decimal("260.00")
