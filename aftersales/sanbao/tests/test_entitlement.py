"""三包: what the customer is entitled to today, and the rule that grants it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from aftersales.sanbao.entitlement import EXCHANGE, NONE, REPAIR, RETURN, Repair, entitlement
from aftersales.sanbao.models import StatutoryTerms
from aftersales.testing import factories as f
from aftersales.testing.pdf import pdf_text
from aftersales.testing.signatures import SIGNED
from aftersales.workorders import services
from conftest import at

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def fridge_model(db):
    model = f.product_model(brand="海尔", model_code="BCD-500", warranty_months=36, category="appliance")
    model.main_parts = ["压缩机"]
    model.save()
    return model


@pytest.fixture
def tractor_model(db):
    return f.product_model(brand="雷沃", model_code="M1104", warranty_months=12, category="farm")


@pytest.fixture
def car_model(db):
    return f.product_model(brand="上汽大众", model_code="帕萨特", warranty_months=36, category="vehicle")


def unit(customer, model, *, days_old: int, price: str | None = None):
    machine = f.equipment(customer=customer, model=model, sold=TODAY - dt.timedelta(days=days_old))
    if price:
        machine.purchase_price = Decimal(price)
        machine.save()
    return machine


def repair(fault="压缩机不制冷", days=1, parts=(), on=TODAY):
    return Repair(request_number="BX", date=on, fault=fault, main_parts=list(parts), days_in_repair=days)


def at_day(machine, repairs=(), on=TODAY):
    return entitlement(machine, on=on, repairs=list(repairs))


@pytest.mark.parametrize(("days_old", "level"), [(3, RETURN), (7, RETURN), (8, EXCHANGE), (15, EXCHANGE), (16, REPAIR), (365, REPAIR), (366, NONE)])
def test_the_household_appliance_clock_7_15_days_then_repair_within_the_year(customer_acme, fridge_model, days_old, level):
    assert at_day(unit(customer_acme, fridge_model, days_old=days_old)).level == level


def test_two_repairs_of_the_same_fault_then_it_fails_again_means_free_exchange_or_return(customer_acme, fridge_model):
    fridge = unit(customer_acme, fridge_model, days_old=120)
    assert at_day(fridge, [repair()]).level == REPAIR
    result = at_day(fridge, [repair(), repair(fault="压缩机 不制冷！")])
    assert result.level == RETURN
    assert any("2" in r and "压缩机不制冷" in r for r in result.reasons)


def test_a_repair_taking_more_than_30_days_means_exchange_and_extends_the_period(customer_acme, fridge_model):
    fridge = unit(customer_acme, fridge_model, days_old=370)
    result = at_day(fridge, [repair(days=35)])
    assert result.level == EXCHANGE
    assert result.period_end == TODAY - dt.timedelta(days=370) + dt.timedelta(days=365 + 35)


def test_farm_machinery_in_the_busy_season_may_not_wait_more_than_5_days(customer_acme, tractor_model):
    tractor = unit(customer_acme, tractor_model, days_old=200)
    june, december = dt.date(2026, 6, 10), dt.date(2026, 12, 10)
    tractor.invoice_date = tractor.delivery_date = tractor.install_date = dt.date(2026, 3, 1)
    tractor.save()
    assert entitlement(tractor, on=june, repairs=[repair(days=6)]).level == EXCHANGE
    assert entitlement(tractor, on=december, repairs=[repair(days=6)]).level == REPAIR
    assert entitlement(tractor, on=december, repairs=[repair(days=41)]).level == EXCHANGE  # 40 days out of season


def test_family_cars_same_problem_cumulative_days_and_main_parts(customer_acme, car_model):
    car = unit(customer_acme, car_model, days_old=300)
    assert at_day(car, [repair(fault="异响", days=1) for _ in range(4)]).level == REPAIR
    assert at_day(car, [repair(fault="异响", days=1) for _ in range(5)]).level == EXCHANGE
    assert at_day(car, [repair(fault=f"故障{n}", days=11) for n in range(3)]).level == EXCHANGE  # 33 days in total
    assert at_day(car, [repair(fault="A", parts=["发动机"]), repair(fault="B", parts=["发动机"])]).level == RETURN


def test_a_car_past_its_km_limit_has_no_exchange_right_within_60_days(customer_acme, car_model):
    car = unit(customer_acme, car_model, days_old=30)
    car.odometer_km = 2500
    car.save()
    assert at_day(car).level == EXCHANGE
    car.odometer_km = 3500
    car.save()
    assert at_day(car).level == REPAIR


def test_a_return_charges_the_categorys_depreciation(customer_acme, fridge_model):
    fridge = unit(customer_acme, fridge_model, days_old=6, price="3000")
    assert at_day(fridge).depreciation == Decimal("6.00")  # 3,000 × 1 % × 6/30 month


def test_the_terms_are_data_an_administrator_edits(customer_acme, fridge_model):
    fridge = unit(customer_acme, fridge_model, days_old=10)
    assert at_day(fridge).level == EXCHANGE
    StatutoryTerms.objects.filter(category_code="appliance").update(return_days=10)
    assert at_day(fridge).level == RETURN


def test_a_category_without_terms_has_no_entitlement(lathe):
    result = entitlement(lathe)
    assert result.level == NONE and result.terms is None


@pytest.fixture
def fridge_repaired_in_the_workshop(clerk_li, supervisor_wang, tech_wu, customer_acme, fridge_model):
    """A fridge taken back on Oct 1 and handed back 35 days later (Nov 5)."""
    from django.utils import timezone

    from aftersales.servicedesk.services import RequestInput, service_request_register

    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False):  # the fixed day these tests look from
        fridge = unit(customer_acme, fridge_model, days_old=200)
        start = timezone.make_aware(dt.datetime(2026, 10, 1, 10, 0))
        sr = service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, equipment=fridge, contact_phone="13800138000",
                                                                         fault_description="不制冷", received_at=start))
        wo = services.work_order_assign(actor=supervisor_wang, request=sr, technician=tech_wu, now=start)
        services.work_order_check_in(actor=tech_wu, work_order=wo, now=start)
        services.work_order_take_back(actor=tech_wu, work_order=wo, condition="完好", accessories="", work_done="带回检修", fault_cause="压缩机损坏",
                                      signature=SIGNED, signer_name="王工", now=start)
        services.work_order_start_repair(actor=tech_wu, work_order=wo, now=start + dt.timedelta(days=1))
        services.work_order_finish_repair(actor=tech_wu, work_order=wo, repair_minutes=120, work_done="更换压缩机", parts=[("压缩机", 1)],
                                          now=start + dt.timedelta(days=30))
        services.work_order_inspect(actor=supervisor_wang, work_order=wo, passed=True, now=start + dt.timedelta(days=31))
        wo.refresh_from_db()
        services.work_order_give_back(actor=tech_wu, work_order=wo, receipt_no=wo.receipt.number, signature=SIGNED, signer_name="王工",
                                      now=start + dt.timedelta(days=35))
    return fridge, sr


def test_the_history_counts_days_in_the_workshop_and_main_parts_from_real_jobs(fridge_repaired_in_the_workshop):
    fridge, sr = fridge_repaired_in_the_workshop
    result = entitlement(fridge, on=TODAY)
    (only,) = result.repairs
    assert (only.request_number, only.days_in_repair, only.fault, only.main_parts) == (sr.number, 35, "压缩机损坏", ["压缩机"])
    assert result.level == EXCHANGE


def test_the_entitlement_shows_on_the_call_and_the_repair_record_prints(client, fridge_repaired_in_the_workshop, clerk_li):
    fridge, sr = fridge_repaired_in_the_workshop
    with time_machine.travel(at(2026, 11, 26, 10, 0), tick=False):  # the page shows what the customer is entitled to today
        client.force_login(clerk_li)
        page = client.get(reverse("servicedesk:detail", args=[sr.pk])).content.decode()
        text = pdf_text(client.get(reverse("sanbao:record", args=[fridge.pk])).content)
    assert 'id="sanbao" data-level="exchange"' in page
    assert "修理记录" in text and sr.number in text and "压缩机" in text


def test_the_repair_record_of_another_centres_machine_is_not_found(client, fridge_model, customer_wujiang, clerk_li):
    other = unit(customer_wujiang, fridge_model, days_old=10)
    client.force_login(clerk_li)
    assert client.get(reverse("sanbao:record", args=[other.pk])).status_code == 404


def test_the_clock_runs_from_the_sale_day_to_day(customer_acme, fridge_model):


    fridge = f.equipment(customer=customer_acme, model=fridge_model, sold=dt.date(2026, 11, 20))
    with time_machine.travel(at(2026, 11, 27, 10, 0), tick=False):
        assert entitlement(fridge).level == RETURN  # day 7
    with time_machine.travel(at(2026, 11, 28, 10, 0), tick=False):
        assert entitlement(fridge).level == EXCHANGE  # day 8
    with time_machine.travel(at(2026, 12, 6, 10, 0), tick=False):
        assert entitlement(fridge).level == REPAIR  # day 16
