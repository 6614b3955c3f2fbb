"""Regional points and ranking (KPI-11) and service cost budgets (COST-01..03)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from aftersales.core.errors import DomainError
from aftersales.notifications.models import Notice
from aftersales.parts.services.usage import part_issue_to_work_order
from aftersales.performance.costs import budget_set, cost_record, cost_report, cost_warnings, costs_from_jobs, quota
from aftersales.performance.models import CostBudget, CostCategory, CostEntry, JobTypePoints
from aftersales.performance.regions import regional_ranking
from aftersales.servicedesk.models import ServiceRequest, Status
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from conftest import at

pytestmark = pytest.mark.django_db

NOV = dt.date(2026, 11, 1)

# The seed's example (001): six regions and their month's points. It gives no weights, so each region here
# closes one job of its own type and that type is worth the region's points.
SEED = [("华东", "receipt", 3040), ("东北", "acceptance", 2390), ("新疆", "commissioning", 1450),
        ("华北", "emergency", 930), ("西北", "assembly", 880), ("西南", "maintenance", 170)]


def closed_call(clerk, customer, *, job_type: str, closed: dt.datetime) -> ServiceRequest:
    with time_machine.travel(closed - dt.timedelta(hours=3), tick=False):
        request = service_request_register(actor=clerk, data=RequestInput(customer=customer, contact_phone="13800138000", fault_description="故障"))
    ServiceRequest.objects.filter(pk=request.pk).update(status=Status.CLOSED, closed_at=closed, job_type=job_type)
    return request


@pytest.fixture
def six_regions(db):
    f.ensure_roles()
    for n, (region, job_type, points) in enumerate(SEED):
        center = f.center(code=f"R{n}", name=f"{region}服务中心", region=region)
        clerk = f.staff(f"clerk_{n}", "desk_clerk", center)
        customer = f.customer(name=f"{region}客户", center=center)
        JobTypePoints.objects.update_or_create(job_type=job_type, defaults={"points": points})
        closed_call(clerk, customer, job_type=job_type, closed=at(2026, 11, 10, 15, 0))
    return clerk


@pytest.mark.req("KPI-11")
def test_the_seeds_example_ranking_is_reproduced_east_china_first_with_3040(six_regions, manager_zhou, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # the reader's roles, the weights, the month, the year
        ranking = regional_ranking(user=manager_zhou, month=NOV)
    assert [(r.rank, r.region, r.total) for r in ranking] == [
        (1, "华东", 3040), (2, "东北", 2390), (3, "新疆", 1450), (4, "华北", 930), (5, "西北", 880), (6, "西南", 170)]
    assert sum(r.total for r in ranking) == 8860
    assert ranking[0].by_type == {"receipt": 3040}


@pytest.mark.req("KPI-11")
def test_the_year_to_date_adds_earlier_months_but_not_last_year_or_next_month(manager_zhou, clerk_li, customer_acme):
    JobTypePoints.objects.update_or_create(job_type="emergency", defaults={"points": 20})
    closed_call(clerk_li, customer_acme, job_type="emergency", closed=at(2026, 11, 3, 10, 0))
    closed_call(clerk_li, customer_acme, job_type="emergency", closed=at(2026, 2, 3, 10, 0))
    closed_call(clerk_li, customer_acme, job_type="emergency", closed=at(2025, 12, 3, 10, 0))
    with time_machine.travel(at(2026, 12, 2, 10, 0), tick=False):
        closed_call(clerk_li, customer_acme, job_type="emergency", closed=at(2026, 12, 2, 10, 0))
    (shanghai,) = regional_ranking(user=manager_zhou, month=NOV)
    assert (shanghai.total, shanghai.year_to_date) == (20, 40)


def test_a_supervisor_ranks_only_what_his_centre_may_see(six_regions, supervisor_wang, clerk_li, customer_acme):
    closed_call(clerk_li, customer_acme, job_type="receipt", closed=at(2026, 11, 12, 10, 0))
    assert [(r.region, r.total) for r in regional_ranking(user=supervisor_wang, month=NOV)] == [("上海", 3040)]


# --- Cost budgets ---

@pytest.mark.req("COST-01")
def test_without_a_budget_a_centre_has_the_seeds_100000_yuan_split_seven_ways(shanghai):
    q = quota(shanghai, NOV)
    assert sum(q.values()) == Decimal("100000")
    assert (q["materials"], q["vehicles"], q["travel"], q["communications"], q["business"], q["office"], q["other"]) == (
        Decimal("40000"), Decimal("24000"), Decimal("13000"), Decimal("6000"), Decimal("5000"), Decimal("2000"), Decimal("10000"))


@pytest.mark.req("COST-02")
def test_the_service_department_sets_a_centres_quota_per_category(manager_zhou, shanghai):
    budget_set(actor=manager_zhou, center=shanghai, month=dt.date(2026, 11, 15), amounts={"vehicles": Decimal("30000")})
    q = quota(shanghai, NOV)
    assert q["vehicles"] == Decimal("30000") and q["travel"] == Decimal("13000")


@pytest.mark.req("COST-02")
def test_a_negative_budget_is_refused_and_nothing_changes(manager_zhou, shanghai):
    budget_set(actor=manager_zhou, center=shanghai, month=NOV, amounts={"office": Decimal("2500")})
    with pytest.raises(DomainError) as refused:
        budget_set(actor=manager_zhou, center=shanghai, month=NOV, amounts={"office": Decimal("3000"), "vehicles": Decimal("-1")})
    assert "预算不能为负数" in str(refused.value.message_dict["amounts"][0])
    assert list(CostBudget.objects.values_list("category", "amount")) == [("office", Decimal("2500.00"))]


def test_a_technician_cannot_set_budgets_or_record_costs(tech_zhang, shanghai):
    with pytest.raises(PermissionDenied):
        budget_set(actor=tech_zhang, center=shanghai, month=NOV, amounts={"office": Decimal("1")})
    with pytest.raises(PermissionDenied):
        cost_record(actor=tech_zhang, center=shanghai, day=dt.date(2026, 11, 2), category="office", amount=Decimal("1"))


def test_a_supervisor_cannot_record_costs_for_another_centre(supervisor_wang, suzhou):
    with pytest.raises(PermissionDenied):
        cost_record(actor=supervisor_wang, center=suzhou, day=dt.date(2026, 11, 2), category="office", amount=Decimal("1"))


def test_a_negative_or_future_cost_is_refused(supervisor_wang, shanghai):
    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False), pytest.raises(DomainError) as refused:
        cost_record(actor=supervisor_wang, center=shanghai, day=dt.date(2026, 11, 30), category="office", amount=Decimal("-5"))
    assert set(refused.value.message_dict) == {"amount", "day"} and not CostEntry.objects.exists()


@pytest.mark.req("COST-03")
def test_actual_costs_against_the_quota_with_variance_and_the_year_to_date(supervisor_wang, manager_zhou, shanghai, django_assert_max_num_queries):
    budget_set(actor=manager_zhou, center=shanghai, month=NOV, amounts={"vehicles": Decimal("30000")})
    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False):
        cost_record(actor=supervisor_wang, center=shanghai, day=dt.date(2026, 11, 3), category="vehicles", amount=Decimal("20000"))
        cost_record(actor=supervisor_wang, center=shanghai, day=dt.date(2026, 11, 20), category="vehicles", amount=Decimal("5000"))
        cost_record(actor=supervisor_wang, center=shanghai, day=dt.date(2026, 10, 20), category="vehicles", amount=Decimal("26000"))
        cost_record(actor=supervisor_wang, center=shanghai, day=dt.date(2025, 11, 20), category="vehicles", amount=Decimal("999"))
    with django_assert_max_num_queries(3):
        lines = {line.category: line for line in cost_report(center=shanghai, month=NOV)}
    vehicles = lines["vehicles"]
    assert (vehicles.quota, vehicles.actual, vehicles.variance, vehicles.percent) == (Decimal("30000"), Decimal("25000"), Decimal("5000"), 83)
    assert (vehicles.ytd_quota, vehicles.ytd_actual) == (Decimal("24000") * 10 + Decimal("30000"), Decimal("51000"))
    assert not vehicles.warning and lines["office"].actual == 0


@pytest.mark.req("COST-03")
def test_a_category_passing_the_warning_share_tells_the_centres_supervisors_once(supervisor_wang, manager_zhou, shanghai, settings):
    settings.COST_WARNING_PERCENT = 90
    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False):
        cost_record(actor=supervisor_wang, center=shanghai, day=dt.date(2026, 11, 3), category="office", amount=Decimal("1900"))
    assert cost_warnings(month=NOV) == 1
    assert cost_warnings(month=NOV) == 0
    notice = Notice.objects.get(recipient=supervisor_wang)
    assert "95" in notice.title and str(CostCategory.OFFICE.label) in notice.title


@pytest.mark.req("COST-03")
def test_parts_used_and_travel_the_company_bears_become_costs_once(van_zhang, on_site, tech_zhang, bearing, supervisor_wang):
    part_issue_to_work_order(actor=tech_zhang, work_order=on_site, part=bearing, quantity=Decimal("2"))
    month = timezone.localdate(on_site.created_at)
    first = costs_from_jobs(month=month)
    again = costs_from_jobs(month=month)
    entry = CostEntry.objects.get()
    assert (first, again) == (1, 0)
    assert entry.category == "materials" and entry.amount == Decimal("160.00") and entry.source_key.startswith("parts:")


def test_the_nightly_task_takes_the_costs_and_warns_once(supervisor_wang, shanghai):
    from aftersales.performance.tasks import costs_nightly

    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False):
        cost_record(actor=supervisor_wang, center=shanghai, day=dt.date(2026, 11, 3), category="office", amount=Decimal("2000"))
        costs_nightly.call_local()
        costs_nightly.call_local()
    assert Notice.objects.filter(recipient=supervisor_wang, kind="cost_warning").count() == 1
