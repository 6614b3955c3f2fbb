"""Returns judged by the written rules, through approval, receipt and settlement (RET-02..16)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from aftersales.core.errors import ConflictError, DomainError
from aftersales.returns.models import ReturnRequest, ReturnRule, Shipment, ShipmentLine
from aftersales.returns.selectors import return_rates
from aftersales.returns.services import (
    ReturnInput,
    facts_for,
    judge,
    return_approve,
    return_escalation_sweep,
    return_receive,
    return_request_create,
    return_settle,
)
from aftersales.testing import factories as f
from aftersales.testing import files
from aftersales.testing.pdf import pdf_text
from conftest import at

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _on_the_day_these_tests_look_from():
    """This module's world is a fixed week of November 2026: each test runs on 26 November 2026 (so that the suite passes
    on any date: a run "in February 2026" would otherwise find these days in the future)."""
    with time_machine.travel(at(2026, 11, 26, 10, 0), tick=True):
        yield
def photo():
    return files.png("defect.png")


@pytest.fixture
def sales_ma(shanghai):
    return f.staff("sales_ma", "sales", shanghai)


@pytest.fixture
def supervisor(supervisor_wang):
    return supervisor_wang


def line(customer, salesperson, *, shipped_days_ago=2, received_days_ago=1, goods="regular", quantity="100", price="50", cost="30", sold_by_us=True):
    shipment = Shipment.objects.create(number=f"CH{Shipment.objects.count() + 1:04d}", customer=customer, salesperson=salesperson,
                                       shipped_on=TODAY - dt.timedelta(days=shipped_days_ago),
                                       received_on=TODAY - dt.timedelta(days=received_days_ago) if received_days_ago is not None else None)
    return ShipmentLine.objects.create(shipment=shipment, item_code="SP-6205", description="主轴轴承 6205", goods_class=goods, quantity=Decimal(quantity),
                                       unit_price=Decimal(price), unit_cost=Decimal(cost), sold_by_us=sold_by_us)


def decide(item, reason, *, photo=False, film_removed=False, signed=False, on=TODAY):
    return judge(facts_for(item, reason=reason, reported_on=on, photo=photo, film_removed=film_removed, purchasing_signed=signed))


@pytest.mark.req("RET-02")
@pytest.mark.req("RET-03")
@pytest.mark.req("RET-04")
@pytest.mark.req("RET-05")
@pytest.mark.req("RET-06")
@pytest.mark.req("RET-08")
@pytest.mark.req("RET-09")
@pytest.mark.parametrize(("kwargs", "reason", "options", "outcome", "credit"), [
    ({}, "transit_damage", {}, "refuse_at_carrier", 100),
    ({}, "quality_defect", {"photo": True}, "free_return", 100),
    ({}, "quality_defect", {}, "photo_required", 100),
    ({"shipped_days_ago": 10, "received_days_ago": 8}, "quality_defect", {"photo": True}, "salesperson_resolves", 100),
    ({}, "wrong_item", {}, "exchange", 100),
    ({"goods": "handicraft", "shipped_days_ago": 8, "received_days_ago": 6}, "quality_defect", {"photo": True}, "take_back", 100),
    ({"goods": "practical", "shipped_days_ago": 50, "received_days_ago": 45}, "quality_defect", {"photo": True}, "exchange_or_repair", 100),
    ({"goods": "seasonal"}, "not_wanted", {}, "not_returnable", 100),
    ({"goods": "large"}, "quality_defect", {"photo": True}, "approval_24h", 100),
    ({"shipped_days_ago": 100, "received_days_ago": 98}, "quality_defect", {"photo": True}, "partial_credit", 80),
    ({"goods": "sample", "shipped_days_ago": 100, "received_days_ago": 98}, "quality_defect", {"photo": True}, "take_back", 100),
    ({"shipped_days_ago": 200, "received_days_ago": 198}, "quality_defect", {"photo": True}, "no_return", 100),
    ({"sold_by_us": False}, "quality_defect", {"photo": True}, "not_returnable", 100),
    ({}, "quality_defect", {"photo": True, "film_removed": True}, "not_returnable", 100),
])
def test_the_written_rules_decide_and_name_the_rule(customer_acme, sales_ma, kwargs, reason, options, outcome, credit):
    decision = decide(line(customer_acme, sales_ma, **kwargs), reason, **options)
    assert (decision.outcome, decision.credit_percent) == (outcome, credit)
    assert decision.rule is not None and decision.explanation.startswith(decision.rule.name)


@pytest.mark.req("RET-07")
def test_the_purchasing_managers_signature_lets_a_special_price_item_come_back(customer_acme, sales_ma):
    item = line(customer_acme, sales_ma, goods="special_price")
    assert decide(item, "quality_defect", photo=True).outcome == "not_returnable"
    assert decide(item, "quality_defect", photo=True, signed=True).outcome == "free_return"


def test_an_administrator_changes_a_rule_and_the_decision_follows(customer_acme, sales_ma):
    item = line(customer_acme, sales_ma, shipped_days_ago=100, received_days_ago=98)
    ReturnRule.objects.filter(credit_percent=80).update(credit_percent=70)
    assert decide(item, "quality_defect", photo=True).credit_percent == 70


@pytest.mark.req("RET-09")
def test_a_return_outside_every_window_is_refused_with_the_rule_and_nothing_is_recorded(customer_acme, sales_ma):
    item = line(customer_acme, sales_ma, shipped_days_ago=200, received_days_ago=198)
    with pytest.raises(DomainError) as exc:
        return_request_create(actor=sales_ma, data=ReturnInput(line=item, reason="quality_defect", quantity=Decimal("5"), reported_on=TODAY, photo=photo()))
    assert exc.value.code == "no_return" and "6" in exc.value.messages[0]
    assert not ReturnRequest.objects.exists()


def test_more_than_was_shipped_cannot_be_returned(customer_acme, sales_ma):
    item = line(customer_acme, sales_ma)
    with pytest.raises(DomainError):
        return_request_create(actor=sales_ma, data=ReturnInput(line=item, reason="wrong_item", quantity=Decimal("101"), reported_on=TODAY))


def test_a_salesperson_of_another_centre_cannot_request_the_return(customer_acme, sales_ma, suzhou):
    other = f.staff("sales_su", "sales", suzhou)
    with pytest.raises(PermissionDenied):
        return_request_create(actor=other, data=ReturnInput(line=line(customer_acme, sales_ma), reason="wrong_item", quantity=Decimal("1"),
                                                            reported_on=TODAY))


@pytest.fixture
def approved(customer_acme, sales_ma, supervisor):
    item = line(customer_acme, sales_ma, cost="40")
    request = return_request_create(actor=sales_ma, data=ReturnInput(line=item, reason="quality_defect", quantity=Decimal("10"), reported_on=TODAY,
                                                                      photo=photo(), missing_bags=2, missing_boxes=1))
    return return_approve(actor=supervisor, request=request, quantity=Decimal("10"))


@pytest.mark.req("RET-07")
@pytest.mark.req("RET-13")
@pytest.mark.req("RET-16")
def test_received_within_tolerance_is_posted_at_the_actual_quantity_and_settled(approved, warehouse_zhao, accountant_qian):
    assert approved.packaging_deduction == Decimal("18.00")  # 2 bags × 5 + 1 box × 20 % of 40
    with time_machine.travel(dt.datetime(2026, 11, 28, 10, 0), tick=False):
        received = return_receive(actor=warehouse_zhao, request=approved, quantity=Decimal("10.5"), arrived_on=dt.date(2026, 11, 28),
                                  inspection="外观良好，确认异响")
    assert received.settle_due_on == dt.date(2026, 12, 3)
    settled = return_settle(actor=accountant_qian, request=received)
    assert settled.credit_amount == Decimal("507.00")  # 10.5 × 50 − 18


@pytest.mark.req("RET-16")
def test_more_than_approved_beyond_the_acceptance_ratio_is_refused(approved, warehouse_zhao):
    with pytest.raises(DomainError) as exc:
        return_receive(actor=warehouse_zhao, request=approved, quantity=Decimal("11"), arrived_on=TODAY, inspection="多到1件")
    assert exc.value.code == "over_quantity"
    approved.refresh_from_db()
    assert (approved.status, approved.quantity_received) == ("approved", None)


def test_steps_out_of_order_are_conflicts(approved, accountant_qian, supervisor):
    with pytest.raises(ConflictError):
        return_settle(actor=accountant_qian, request=approved)
    with pytest.raises(ConflictError):
        return_approve(actor=supervisor, request=approved)


@pytest.mark.req("RET-13")
def test_a_return_unsettled_30_days_after_arrival_is_escalated_once_with_the_delay_fee(approved, warehouse_zhao, manager_zhou):
    return_receive(actor=warehouse_zhao, request=approved, quantity=Decimal("10"), arrived_on=dt.date(2026, 10, 20), inspection="ok")
    assert return_escalation_sweep(dt.date(2026, 11, 18)) == 0
    assert return_escalation_sweep(dt.date(2026, 11, 19)) == 1
    assert return_escalation_sweep(dt.date(2026, 11, 20)) == 0
    approved.refresh_from_db()
    assert approved.delay_fee == Decimal("50") and approved.delay_party == str(warehouse_zhao)


@pytest.mark.req("RET-11")
@pytest.mark.req("RET-14")
def test_the_return_rate_excludes_shipping_errors_and_flags_overdraft_selling(customer_acme, sales_ma):
    item = line(customer_acme, sales_ma, quantity="100", price="100")  # 10,000 sold this month
    return_request_create(actor=sales_ma, data=ReturnInput(line=item, reason="wrong_item", quantity=Decimal("20"), reported_on=TODAY))
    big = return_request_create(actor=sales_ma, data=ReturnInput(line=item, reason="quality_defect", quantity=Decimal("15"), reported_on=TODAY,
                                                                 photo=photo()))
    assert big.overdraft
    (row,) = return_rates(user=sales_ma, month=TODAY)
    assert (row.sales, row.returns, row.excluded) == (Decimal("10000.00"), Decimal("1500.00"), Decimal("2000.00"))
    assert row.rate == Decimal("15.00") and row.over_cap and row.overdraft == 1


@pytest.mark.req("RET-15")
def test_the_return_note_and_the_allowance_certificate_print(client, customer_acme, sales_ma, supervisor):
    item = line(customer_acme, sales_ma, shipped_days_ago=100, received_days_ago=98)
    request = return_request_create(actor=sales_ma, data=ReturnInput(line=item, reason="quality_defect", quantity=Decimal("3"), reported_on=TODAY,
                                                                     photo=photo()))
    client.force_login(supervisor)
    note = pdf_text(client.get(reverse("returns:note_pdf", args=[request.pk])).content)
    assert "成品退货单" in note and request.number in note and "80%" in note
    allowance = pdf_text(client.get(reverse("returns:allowance_pdf", args=[request.pk])).content)
    assert allowance.count("销货折让证明单") >= 2 and "客户盖章" in allowance


def test_the_form_shows_the_decision_and_its_rule_when_refusing(client, customer_acme, sales_ma):
    item = line(customer_acme, sales_ma, goods="seasonal")
    client.force_login(sales_ma)
    page = client.post(reverse("returns:create", args=[item.pk]), {"reason": "not_wanted", "quantity": "1", "reported_on": TODAY.isoformat(),
                                                                  "missing_bags": 0, "missing_boxes": 0}).content.decode()
    assert "季节性" in page
    assert not ReturnRequest.objects.exists()


@pytest.mark.req("RET-03")
@pytest.mark.req("RET-04")
def test_the_three_day_clock_runs_from_the_customers_receipt(customer_acme, sales_ma):
    import time_machine
    from django.utils import timezone

    from conftest import at

    item = line(customer_acme, sales_ma, shipped_days_ago=2, received_days_ago=1)  # received on Nov 25
    for day, outcome in ((28, "free_return"), (29, "salesperson_resolves")):
        with time_machine.travel(at(2026, 11, day, 10, 0), tick=False):
            assert decide(item, "quality_defect", photo=True, on=timezone.localdate()).outcome == outcome
