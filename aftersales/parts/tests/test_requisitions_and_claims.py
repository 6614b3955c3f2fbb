"""Requisitions (PART-01), old parts and warranty claims, back-orders (PART-04), ABC, low stock, the stock report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aftersales.core.errors import ConflictError
from aftersales.notifications.models import Notice
from aftersales.parts import selectors
from aftersales.parts.models import OldPart, Supplier
from aftersales.parts.services import (
    backorder_arrive,
    backorder_create,
    backorder_delay,
    center_warehouse,
    claim_attach,
    claim_create,
    claim_decide,
    claim_submit,
    old_parts_receive,
    old_parts_ship,
    on_hand,
    requisition_cancel,
    requisition_create,
    requisition_decide,
    requisition_transfer,
    stock_receive,
)
from aftersales.testing import factories as f
from aftersales.testing import files


@pytest.mark.req("PART-01")
def test_a_technician_asks_for_parts_and_the_keeper_approves_part_of_them(tech_zhang, warehouse_zhao, van_zhang, bearing, spindle_motor, shanghai):
    store = center_warehouse(shanghai)
    req = requisition_create(actor=tech_zhang, to_warehouse=van_zhang, from_warehouse=store,
                             lines=[(bearing, Decimal("4")), (spindle_motor, Decimal("1"))], reason="本周保养计划")
    assert req.status == "submitted" and req.number.startswith("PJ")
    lines = {line.part_id: line.pk for line in req.lines.all()}
    req = requisition_decide(actor=warehouse_zhao, requisition=req, approved={lines[bearing.pk]: Decimal("4"), lines[spindle_motor.pk]: 0})
    assert req.status == "partly_approved"
    assert Notice.objects.filter(recipient=tech_zhang, kind="requisition").exists()
    requisition_transfer(actor=warehouse_zhao, requisition=req)
    assert (on_hand(bearing, van_zhang), on_hand(spindle_motor, van_zhang)) == (Decimal("14"), Decimal("1"))
    req.refresh_from_db()
    assert req.status == "transferred"


def test_approving_more_than_was_asked_is_refused(tech_zhang, warehouse_zhao, van_zhang, bearing, shanghai):
    req = requisition_create(actor=tech_zhang, to_warehouse=van_zhang, from_warehouse=center_warehouse(shanghai), lines=[(bearing, Decimal("2"))])
    with pytest.raises(ValidationError):
        requisition_decide(actor=warehouse_zhao, requisition=req, approved={req.lines.get().pk: Decimal("3")})
    req.refresh_from_db()
    assert req.status == "submitted"


def test_rejecting_everything_needs_a_reason_and_a_technician_cannot_approve(tech_zhang, warehouse_zhao, van_zhang, bearing, shanghai):
    req = requisition_create(actor=tech_zhang, to_warehouse=van_zhang, from_warehouse=center_warehouse(shanghai), lines=[(bearing, Decimal("2"))])
    with pytest.raises(PermissionDenied):
        requisition_decide(actor=tech_zhang, requisition=req, approved={req.lines.get().pk: Decimal("2")})
    with pytest.raises(ValidationError):
        requisition_decide(actor=warehouse_zhao, requisition=req, approved={})
    assert requisition_decide(actor=warehouse_zhao, requisition=req, approved={}, note="下周到货").status == "rejected"


def test_a_technician_cannot_ask_parts_into_a_colleagues_van(van_zhang, bearing, shanghai):
    tech_qian = f.technician("tech_qian", shanghai)
    with pytest.raises(PermissionDenied):
        requisition_create(actor=tech_qian, to_warehouse=van_zhang, from_warehouse=center_warehouse(shanghai), lines=[(bearing, Decimal("1"))])


def test_the_requester_withdraws_a_requisition_before_it_is_decided(tech_zhang, van_zhang, bearing, shanghai):
    req = requisition_create(actor=tech_zhang, to_warehouse=van_zhang, from_warehouse=center_warehouse(shanghai), lines=[(bearing, Decimal("1"))])
    assert requisition_cancel(actor=tech_zhang, requisition=req).status == "cancelled"
    with pytest.raises(ConflictError):
        requisition_cancel(actor=tech_zhang, requisition=req)


@pytest.fixture
def manufacturer(db):
    return Supplier.objects.create(name="沈阳机床股份有限公司", is_manufacturer=True)


@pytest.fixture
def warranty_replacement(tech_zhang, on_site, van_zhang, spindle_motor):
    """The in-warranty lathe's spindle motor replaced from the van (billing tags the old one)."""
    from aftersales.billing.services import work_order_use_part

    work_order_use_part(actor=tech_zhang, work_order=on_site, part=spindle_motor, quantity=Decimal("1"))
    return on_site


@pytest.mark.req("PART-01")
def test_the_old_part_of_a_warranty_repair_is_tagged_received_and_returned_to_the_factory(warranty_replacement, warehouse_zhao, spindle_motor):
    old = OldPart.objects.get(work_order=warranty_replacement)
    assert old.tag.startswith("JJ") and old.status == "tagged" and old.part == spindle_motor
    old_parts_receive(actor=warehouse_zhao, old_parts=[old])
    with pytest.raises(ValidationError):
        old_parts_ship(actor=warehouse_zhao, old_parts=[old], shipment_ref="")
    old_parts_ship(actor=warehouse_zhao, old_parts=[old], shipment_ref="SF1234567890")
    old.refresh_from_db()
    assert (old.status, old.shipment_ref) == ("shipped", "SF1234567890")
    assert list(selectors.old_parts_visible_to(warehouse_zhao)) == [old]


@pytest.mark.req("PART-01")
def test_a_claim_carries_the_old_parts_at_cost_the_labour_and_evidence_and_its_answer_counts_in_the_kpi(
    warranty_replacement, supervisor_wang, manager_zhou, manufacturer
):
    claim = claim_create(actor=supervisor_wang, work_order=warranty_replacement, manufacturer=manufacturer, labour_minutes=90,
                         labour_amount=Decimal("270"))
    assert (claim.parts_amount, claim.claimed_amount) == (Decimal("2000.00"), Decimal("2270.00"))
    with pytest.raises(ValidationError):
        claim_submit(actor=supervisor_wang, claim=claim)  # no evidence yet
    claim_attach(actor=supervisor_wang, claim=claim, upload=files.jpeg("defect.jpg"))
    claim_submit(actor=supervisor_wang, claim=claim)
    with pytest.raises(ValidationError):
        claim_decide(actor=manager_zhou, claim=claim, approved_amount=Decimal("2000"), note="")  # a partial answer needs its reason
    with pytest.raises(PermissionDenied):
        claim_decide(actor=supervisor_wang, claim=claim, approved_amount=Decimal("2270"))
    claim = claim_decide(actor=manager_zhou, claim=claim, approved_amount=Decimal("2000"), note="工时按厂家标准核减")
    assert claim.status == "partly_approved"
    rate = selectors.claim_approval_rate(user=manager_zhou)
    assert (rate.decided, rate.approved, rate.rate, rate.target) == (1, 1, Decimal("100.0"), 95)


def test_approving_more_than_claimed_is_refused(warranty_replacement, supervisor_wang, manager_zhou, manufacturer):
    claim = claim_create(actor=supervisor_wang, work_order=warranty_replacement, manufacturer=manufacturer)
    claim_attach(actor=supervisor_wang, claim=claim, upload=files.jpeg("tag.jpg"))
    claim_submit(actor=supervisor_wang, claim=claim)
    with pytest.raises(ValidationError):
        claim_decide(actor=manager_zhou, claim=claim, approved_amount=claim.claimed_amount + 1)


@pytest.mark.req("PART-04")
def test_a_back_order_warns_when_the_warranty_ends_before_the_part_arrives(tech_zhang, supervisor_wang, customer_acme, lathe_model, clerk_li,
                                                                          spindle_motor):
    from aftersales.servicedesk.services import RequestInput, service_request_register
    from aftersales.workorders import services as wo

    # Installed 11 months and 3 weeks ago: the whole-unit warranty (12 months) ends in about a week.
    lathe = f.equipment(customer=customer_acme, model=lathe_model, serial="CAK-ENDING", sold=timezone.localdate() - dt.timedelta(days=350))
    sr = service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, equipment=lathe, contact_phone="13800138000",
                                                                     fault_description="控制板故障"))
    job = wo.work_order_assign(actor=supervisor_wang, request=sr, technician=tech_zhang)
    from aftersales.parts.services import part_create

    control_board = part_create(actor=None, code="PCB-01", name="控制板", sale_price=Decimal("900"), cost=Decimal("500"))
    soon = backorder_create(actor=tech_zhang, work_order=job, part=control_board, quantity=1, expected_on=timezone.localdate() + dt.timedelta(days=3))
    assert not soon.warranty_expires_first
    late = backorder_create(actor=tech_zhang, work_order=job, part=control_board, quantity=1, expected_on=timezone.localdate() + dt.timedelta(days=40))
    assert late.warranty_expires_first
    assert Notice.objects.filter(recipient=supervisor_wang, kind="backorder_warranty").count() == 1
    # a main part keeps its longer warranty (36 months): no warning for the spindle motor
    motor = backorder_create(actor=tech_zhang, work_order=job, part=spindle_motor, quantity=1, expected_on=timezone.localdate() + dt.timedelta(days=40))
    assert not motor.warranty_expires_first


@pytest.mark.req("PART-04")
def test_a_delayed_back_order_records_how_the_customer_was_told_and_arrives_into_stock(tech_zhang, warehouse_zhao, assigned, bearing, shanghai):
    order = backorder_create(actor=tech_zhang, work_order=assigned, part=bearing, quantity=2, expected_on=timezone.localdate() + dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        backorder_delay(actor=tech_zhang, order=order, new_expected_on=order.expected_on + dt.timedelta(days=5), reason="厂家缺货",
                        customer_told_via="")
    order = backorder_delay(actor=tech_zhang, order=order, new_expected_on=order.expected_on + dt.timedelta(days=5), reason="厂家缺货",
                            customer_told_via="phone")
    assert (order.delay_count, order.customer_told_via) == (1, "phone") and order.customer_told_at is not None
    backorder_arrive(actor=warehouse_zhao, order=order, warehouse=center_warehouse(shanghai))
    assert on_hand(bearing, center_warehouse(shanghai)) == 2
    assert Notice.objects.filter(recipient=tech_zhang, kind="backorder_arrived").exists()
    with pytest.raises(ConflictError):
        backorder_arrive(actor=warehouse_zhao, order=order, warehouse=center_warehouse(shanghai))


@pytest.mark.req("PART-06")
def test_the_stock_report_gives_opening_in_out_and_closing_for_a_period(warehouse_zhao, bearing, shanghai, tech_zhang, on_site, van_zhang):
    from aftersales.parts.services import part_issue_to_work_order

    store = center_warehouse(shanghai)
    today = timezone.localdate()
    part_issue_to_work_order(actor=tech_zhang, work_order=on_site, part=bearing, quantity=Decimal("3"))
    [row] = [r for r in selectors.stock_report(warehouse=store, start=today, end=today) if r.part == bearing]
    assert (row.opening, row.received, row.issued, row.closing) == (Decimal("0"), Decimal("20"), Decimal("10"), Decimal("10"))
    [van_row] = [r for r in selectors.stock_report(warehouse=van_zhang, start=today, end=today) if r.part == bearing]
    assert (van_row.received, van_row.issued, van_row.closing, van_row.closing_value) == (Decimal("10"), Decimal("3"), Decimal("7"), Decimal("560.00"))
    tomorrow = today + dt.timedelta(days=1)
    [later] = [r for r in selectors.stock_report(warehouse=store, start=tomorrow, end=tomorrow) if r.part == bearing]
    assert (later.opening, later.received, later.issued, later.closing) == (Decimal("10"), Decimal("0"), Decimal("0"), Decimal("10"))


def test_parts_are_graded_a_b_c_by_consumption_value(tech_zhang, on_site, van_zhang, bearing, spindle_motor, warehouse_zhao, shanghai):
    from aftersales.parts.services import part_create, part_issue_to_work_order

    part_create(actor=None, code="UNUSED-1", name="备用件", sale_price=Decimal("1"), cost=Decimal("1"))
    part_issue_to_work_order(actor=tech_zhang, work_order=on_site, part=spindle_motor, quantity=Decimal("1"))  # 2,000
    part_issue_to_work_order(actor=tech_zhang, work_order=on_site, part=bearing, quantity=Decimal("2"))  # 160
    today = timezone.localdate()
    grades = {row.part.code: row.grade for row in selectors.abc_classification(start=today, end=today)}
    assert grades == {"MTR-SP01": "A", "BRG-6205": "B", "UNUSED-1": "C"}


def test_the_low_stock_list_shows_parts_at_or_below_their_reorder_point(warehouse_zhao, bearing, shanghai, manager_zhou):
    stock_receive(actor=warehouse_zhao, warehouse=center_warehouse(shanghai), lines=[(bearing, Decimal("5"), None)])
    assert [p.code for p in selectors.low_stock(user=warehouse_zhao)] == ["BRG-6205"]
    stock_receive(actor=warehouse_zhao, warehouse=center_warehouse(shanghai), lines=[(bearing, Decimal("1"), None)])
    assert list(selectors.low_stock(user=warehouse_zhao)) == []


def test_the_claim_page_shows_the_photos_taken_on_the_job(client, warranty_replacement, tech_zhang, supervisor_wang, manufacturer):
    from aftersales.workorders.services import work_order_add_photo

    photo = work_order_add_photo(actor=tech_zhang, work_order=warranty_replacement, kind="nameplate", image=files.jpeg("plate.jpg"))
    claim = claim_create(actor=supervisor_wang, work_order=warranty_replacement, manufacturer=manufacturer, labour_minutes=60,
                         labour_amount=Decimal("150"))
    client.force_login(supervisor_wang)
    page = client.get(f"/parts/claims/{claim.pk}/").content.decode()
    assert 'id="claim-job-photos"' in page and f"/work-orders/{warranty_replacement.pk}/photos/{photo.pk}/" in page
