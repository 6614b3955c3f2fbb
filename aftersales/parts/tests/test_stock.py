"""The stock ledger (PART-06): append-only movements, derived balances that never go negative."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Sum

from aftersales.core.errors import ConflictError
from aftersales.parts.models import MovementKind, StockBalance, StockMovement
from aftersales.parts.models.stock import PostedMovementError
from aftersales.parts.services import (
    center_warehouse,
    on_hand,
    part_issue_to_work_order,
    post_movement,
    stock_correct,
    stock_count_post,
    stock_count_record,
    stock_count_start,
    stock_receive,
    stock_scrap,
    stock_transfer,
)
from aftersales.testing import factories as f


@pytest.mark.req("PART-06")
def test_a_transfer_moves_stock_between_warehouses_in_two_ledger_legs(van_zhang, bearing, shanghai):
    store = center_warehouse(shanghai)
    assert (on_hand(bearing, store), on_hand(bearing, van_zhang)) == (Decimal("10"), Decimal("10"))
    kinds = list(StockMovement.objects.filter(part=bearing).order_by("id").values_list("kind", "quantity"))
    assert kinds == [("receipt", Decimal("20")), ("transfer_out", Decimal("-10")), ("transfer_in", Decimal("10"))]


def test_the_balance_always_equals_the_sum_of_the_ledger(van_zhang, bearing, warehouse_zhao, shanghai):
    store = center_warehouse(shanghai)
    stock_scrap(actor=warehouse_zhao, warehouse=store, part=bearing, quantity=Decimal("2"), reason="锈蚀")
    for balance in StockBalance.objects.all():
        ledger = StockMovement.objects.filter(part=balance.part, warehouse=balance.warehouse).aggregate(s=Sum("quantity"))["s"]
        assert balance.quantity == ledger


def test_taking_more_than_is_in_stock_is_refused_with_the_quantity_on_hand(warehouse_zhao, bearing, van_zhang, shanghai):
    store = center_warehouse(shanghai)
    with pytest.raises(ValidationError) as exc:
        stock_transfer(actor=warehouse_zhao, source=store, target=van_zhang, lines=[(bearing, Decimal("11"))])
    assert exc.value.code == "insufficient_stock" and "10" in exc.value.messages[0]
    assert (on_hand(bearing, store), on_hand(bearing, van_zhang)) == (Decimal("10"), Decimal("10"))


@pytest.mark.parametrize("bad", [Decimal("-1"), Decimal("0"), Decimal("1.005"), "abc"])
def test_a_negative_zero_or_malformed_quantity_is_refused(warehouse_zhao, bearing, shanghai, bad):
    with pytest.raises(ValidationError):
        stock_receive(actor=warehouse_zhao, warehouse=center_warehouse(shanghai), lines=[(bearing, bad, None)])
    assert not StockMovement.objects.exists()


def test_a_posted_movement_cannot_be_edited_or_deleted_only_corrected(warehouse_zhao, bearing, shanghai):
    store = center_warehouse(shanghai)
    [movement] = stock_receive(actor=warehouse_zhao, warehouse=store, lines=[(bearing, Decimal("5"), None)], reference="DN-9")
    movement.quantity = Decimal("50")
    with pytest.raises(PostedMovementError):
        movement.save()
    with pytest.raises(PostedMovementError):
        movement.delete()
    correction = stock_correct(actor=warehouse_zhao, movement=StockMovement.objects.get(pk=movement.pk), reason="送货单录错")
    assert (correction.quantity, correction.corrects_id) == (Decimal("-5"), movement.pk)
    assert on_hand(bearing, store) == 0
    with pytest.raises(ValidationError):
        stock_correct(actor=warehouse_zhao, movement=StockMovement.objects.get(pk=movement.pk), reason="再来一次")


def test_only_the_centres_keeper_posts_to_its_warehouse(tech_zhang, bearing, shanghai, suzhou):
    with pytest.raises(PermissionDenied):
        stock_receive(actor=tech_zhang, warehouse=center_warehouse(shanghai), lines=[(bearing, Decimal("1"), None)])
    other_keeper = f.staff("warehouse_wei", "warehouse", suzhou)
    with pytest.raises(PermissionDenied):
        stock_receive(actor=other_keeper, warehouse=center_warehouse(shanghai), lines=[(bearing, Decimal("1"), None)])


@pytest.mark.req("PART-06")
def test_a_stock_count_posts_one_adjustment_per_difference(warehouse_zhao, van_zhang, bearing, spindle_motor, shanghai):
    store = center_warehouse(shanghai)
    count = stock_count_start(actor=warehouse_zhao, warehouse=store)
    with pytest.raises(ConflictError):
        stock_count_start(actor=warehouse_zhao, warehouse=store)
    lines = {line.part_id: line for line in count.lines.all()}
    with pytest.raises(ValidationError):
        stock_count_post(actor=warehouse_zhao, count=count)  # nothing counted yet
    stock_count_record(actor=warehouse_zhao, count=count, counted={lines[bearing.pk].pk: Decimal("9"), lines[spindle_motor.pk].pk: Decimal("1")})
    stock_count_post(actor=warehouse_zhao, count=count)
    adjustments = StockMovement.objects.filter(kind=MovementKind.ADJUSTMENT, warehouse=store).values_list("part_id", "quantity")
    assert set(adjustments) == {(bearing.pk, Decimal("-1"))}
    assert on_hand(bearing, store) == 9


def test_the_database_refuses_a_negative_balance_even_past_the_services(bearing, shanghai):
    from django.db import IntegrityError, transaction

    store = center_warehouse(shanghai)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.create(part=bearing, warehouse=store, quantity=Decimal("-1"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.req("PART-02")
def test_twenty_concurrent_issues_of_a_part_with_ten_in_stock_leave_exactly_zero(shanghai, lathe_model):
    """Twenty real connections take one each of the last ten on PostgreSQL: ten succeed, ten are told why."""
    from aftersales.parts.services import part_create, van_warehouse

    keeper = f.staff("warehouse_zhao", "warehouse", shanghai)
    tech = f.technician("tech_zhang", shanghai, skills=["machine-tool"])
    part = part_create(actor=None, code="BRG-RACE", name="轴承", sale_price=Decimal("10"), cost=Decimal("5"))
    van = van_warehouse(tech)
    stock_receive(actor=keeper, warehouse=center_warehouse(shanghai), lines=[(part, Decimal("10"), None)])
    stock_transfer(actor=keeper, source=center_warehouse(shanghai), target=van, lines=[(part, Decimal("10"))])
    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def take_one():
        from django.db import transaction

        try:
            barrier.wait(timeout=20)
            with transaction.atomic():
                post_movement(part=part, warehouse=van, kind=MovementKind.ISSUE, quantity=Decimal("-1"), actor=tech)
            outcomes.append("issued")
        except ValidationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_one) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["insufficient_stock"] * 10 + ["issued"] * 10
    assert on_hand(part, van) == 0
    assert StockMovement.objects.filter(part=part, kind=MovementKind.ISSUE).count() == 10


@pytest.mark.req("PART-02")
def test_a_part_used_on_a_job_leaves_the_technicians_van(tech_zhang, on_site, van_zhang, bearing):
    usage = part_issue_to_work_order(actor=tech_zhang, work_order=on_site, part=bearing, quantity=Decimal("2"))
    assert (usage.warehouse, usage.quantity, usage.unit_cost) == (van_zhang, Decimal("2"), Decimal("80.00"))
    assert on_hand(bearing, van_zhang) == 8
    assert StockMovement.objects.get(kind=MovementKind.ISSUE).work_order == on_site


def test_a_part_not_listed_for_the_model_needs_a_reason(tech_zhang, on_site, van_zhang, warehouse_zhao, shanghai):
    from aftersales.parts.services import part_create

    other_model = f.product_model(brand="大连机床", model_code="VDL-850")
    seal = part_create(actor=None, code="SEAL-1", name="油封", sale_price=Decimal("20"), cost=Decimal("8"), compatible_models=[other_model])
    stock_receive(actor=warehouse_zhao, warehouse=center_warehouse(shanghai), lines=[(seal, Decimal("3"), None)])
    store = center_warehouse(shanghai)
    with pytest.raises(ValidationError) as exc:
        part_issue_to_work_order(actor=tech_zhang, work_order=on_site, part=seal, quantity=Decimal("1"), warehouse=store)
    assert exc.value.code == "not_compatible"
    usage = part_issue_to_work_order(actor=tech_zhang, work_order=on_site, part=seal, quantity=Decimal("1"), warehouse=store,
                                     override_reason="尺寸相同，可互换")
    assert usage.compatibility_override == "尺寸相同，可互换"


def test_parts_are_not_used_before_the_technician_arrives(tech_zhang, assigned, van_zhang, bearing):
    with pytest.raises(ConflictError):
        part_issue_to_work_order(actor=tech_zhang, work_order=assigned, part=bearing, quantity=Decimal("1"))
    assert on_hand(bearing, van_zhang) == 10


def test_another_centres_warehouse_cannot_feed_a_job(tech_zhang, on_site, bearing, suzhou):
    with pytest.raises(ValidationError):
        part_issue_to_work_order(actor=tech_zhang, work_order=on_site, part=bearing, quantity=Decimal("1"), warehouse=center_warehouse(suzhou))
