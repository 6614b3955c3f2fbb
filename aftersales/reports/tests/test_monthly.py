"""The monthly after-sales summary (RPT-02..05): figures computed in the database, targets with traffic lights,
filters and scoping, a fixed number of queries, exports (xlsx, PDF with charts, worker-built call list), a shareable link."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from aftersales.billing.models import ChargeLine
from aftersales.performance.costs import budget_set, cost_record
from aftersales.reports.models import ExportJob, ReportTarget
from aftersales.reports.summary import Filters, filters_from, monthly_summary
from aftersales.servicedesk.models import ServiceRequest, Status
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from aftersales.testing.pdf import pdf_text
from conftest import at

pytestmark = pytest.mark.django_db

OCT = Filters(start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))


def register(clerk, customer, *, when, equipment=None, category="C", channel="phone") -> ServiceRequest:
    with time_machine.travel(when, tick=False):
        sr = service_request_register(actor=clerk, data=RequestInput(customer=customer, equipment=equipment, contact_phone="13800138000",
                                                                     fault_description="故障"))
    ServiceRequest.objects.filter(pk=sr.pk).update(category=category, channel=channel)
    sr.refresh_from_db()
    return sr


def close(sr, *, when, sla_met: bool | None = True) -> None:
    ServiceRequest.objects.filter(pk=sr.pk).update(status=Status.CLOSED, closed_at=when, arrival_sla_met=sla_met)


@pytest.fixture
def october(clerk_li, clerk_chen, customer_acme, customer_wujiang, lathe):
    """Five calls in October: three for Shanghai (one paid by phone, two in warranty, one of which came back within
    30 days), two for Suzhou; four closed, three of them on time."""
    first = register(clerk_li, customer_acme, equipment=lathe, when=at(2026, 10, 5, 9, 0), category="C")
    close(first, when=at(2026, 10, 6, 16, 0), sla_met=True)
    again = register(clerk_li, customer_acme, equipment=lathe, when=at(2026, 10, 20, 9, 0), category="C", channel="qr")
    close(again, when=at(2026, 10, 21, 16, 0), sla_met=False)
    register(clerk_li, customer_acme, when=at(2026, 10, 22, 9, 0), category="A")
    for day in (8, 9):
        close(register(clerk_chen, customer_wujiang, when=at(2026, 10, day, 9, 0), category="B"), when=at(2026, 10, day, 15, 0), sla_met=True)
    register(clerk_li, customer_acme, when=at(2026, 9, 30, 9, 0), category="A")  # September: not counted
    return first


@pytest.mark.req("RPT-02")
def test_calls_are_counted_by_category_channel_and_centre(october, manager_zhou):
    s = monthly_summary(user=manager_zhou, filters=OCT)
    assert s.requests == 5 and s.by_category == {"A": 1, "B": 2, "C": 2}
    assert s.by_channel == {"phone": 4, "qr": 1}
    assert s.by_center == {"上海服务中心": 3, "苏州服务组": 2}


@pytest.mark.req("RPT-04")
def test_arrival_on_time_and_the_rework_rate_come_from_the_closed_calls(october, manager_zhou):
    s = monthly_summary(user=manager_zhou, filters=OCT)
    assert (s.closed, s.sla_met, s.sla_measured, s.sla_compliance) == (4, 3, 4, Decimal("75.00"))
    # of the two calls with a machine, the first one's lathe came back 14 days later: rework 50 %
    assert (s.rework_back, s.rework_base, s.rework_rate) == (1, 2, Decimal("50.00"))
    lights = {line.key: line.light for line in s.lines}
    assert lights["sla_compliance"] == "red" and lights["rework"] == "red"


def test_a_supervisor_sees_his_centre_and_the_filters_narrow_further(october, supervisor_wang, manager_zhou, suzhou):
    assert monthly_summary(user=supervisor_wang, filters=OCT).by_center == {"上海服务中心": 3}
    assert monthly_summary(user=manager_zhou, filters=Filters(start=OCT.start, end=OCT.end, center=suzhou.pk)).requests == 2
    assert monthly_summary(user=manager_zhou, filters=Filters(start=OCT.start, end=OCT.end, category="C")).requests == 2
    assert monthly_summary(user=manager_zhou, filters=Filters(start=OCT.start, end=OCT.end, region="苏州")).requests == 2


@pytest.mark.req("RPT-05")
def test_targets_are_configurable_and_lit_green_amber_or_red():
    target = ReportTarget.objects.get(key="satisfaction")
    assert (target.target, target.direction) == (Decimal("98"), "min")
    assert [target.light(Decimal(v)) for v in ("99", "97", "90")] == ["green", "amber", "red"]
    assert target.light(None) == ""
    rework = ReportTarget.objects.get(key="rework")
    assert [rework.light(Decimal(v)) for v in ("1.5", "3", "5")] == ["green", "amber", "red"]
    rework.target = Decimal("5")
    rework.save()
    assert ReportTarget.objects.get(key="rework").light(Decimal("5")) == "green"


@pytest.mark.req("RPT-02")
def test_repair_revenue_and_cost_are_split_in_and_out_of_warranty_by_region(paid_job, on_site, manager_zhou):
    for job, coverage, price, cost in ((paid_job, "paid", "300", "0"), (on_site, "warranty", "200", "80")):
        ChargeLine.objects.create(work_order=job, kind="labour", description="工时", quantity=Decimal("2"), unit_price=Decimal(price),
                                  tax_rate=Decimal("0.13"), coverage=coverage, coverage_reason="-", cost=Decimal(cost))
    today = timezone.localdate(on_site.created_at)
    s = monthly_summary(user=manager_zhou, filters=Filters(start=today.replace(day=1), end=today))
    assert (s.revenue, s.warranty_value, s.money_cost) == (Decimal("600.00"), Decimal("400.00"), Decimal("80.00"))
    assert {(m["region"], m["warranty"], m["kind"]) for m in s.money} == {("上海", False, "labour"), ("上海", True, "labour")}


@pytest.mark.req("COST-03")
def test_costs_are_held_against_every_centres_budget_for_the_period(manager_zhou, supervisor_wang, shanghai, suzhou):
    budget_set(actor=manager_zhou, center=shanghai, month=OCT.start, amounts={"office": Decimal("3000")})
    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False):
        cost_record(actor=supervisor_wang, center=shanghai, day=dt.date(2026, 10, 9), category="office", amount=Decimal("2500"))
    s = monthly_summary(user=manager_zhou, filters=OCT)
    assert s.budget["office"] == Decimal("3000") + Decimal("2000")  # Shanghai's set quota + Suzhou's default
    assert s.costs["office"] == Decimal("2500") and s.budget_total == Decimal("201000")


def test_the_report_takes_the_same_number_of_queries_however_many_calls(clerk_li, customer_acme, manager_zhou, django_assert_num_queries):
    register(clerk_li, customer_acme, when=at(2026, 10, 5, 9, 0))
    monthly_summary(user=manager_zhou, filters=OCT)  # the reader's roles are cached on him from here on
    with django_assert_num_queries(15) as few:
        monthly_summary(user=manager_zhou, filters=OCT)
    for day in range(6, 26):
        close(register(clerk_li, customer_acme, when=at(2026, 10, day, 9, 0)), when=at(2026, 10, day, 15, 0))
    with django_assert_num_queries(len(few.captured_queries)):
        monthly_summary(user=manager_zhou, filters=OCT)


@pytest.mark.parametrize(("params", "field"), [({"month": "2026-13"}, "month"), ({"from": "2026-10-31", "to": "2026-10-01"}, "period"),
                                                ({"from": "yesterday", "to": "2026-10-01"}, "period"), ({"category": "X"}, "category"),
                                                ({"center": "abc"}, "center")])
def test_bad_filters_are_refused_with_a_message(params, field):
    from aftersales.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        filters_from(params)
    assert field in refused.value.message_dict


def test_the_page_refuses_bad_filters_in_chinese_and_a_technician_may_not_read_it(client, manager_zhou, tech_zhang):
    client.force_login(manager_zhou)
    page = client.get(reverse("reports:monthly") + "?from=2026-10-31&to=2026-10-01")
    assert page.status_code == 400 and "期间的结束早于开始" in page.content.decode()
    client.force_login(tech_zhang)
    assert client.get(reverse("reports:monthly")).status_code == 403


@pytest.mark.req("RPT-02")
def test_the_page_shows_the_figures_charts_and_a_shareable_link_that_gives_the_same_report(client, october, manager_zhou, admin_user_ma,
                                                                                            django_assert_max_num_queries):
    client.force_login(manager_zhou)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("reports:monthly") + "?month=2026-10")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-chart="chart-category"' in html and 'id="fig-requests">5<' in html
    share = page.context["share_url"]
    assert share.endswith("/reports/monthly/?month=2026-10")
    client.force_login(admin_user_ma)
    assert client.get(share).context["s"].requests == 5


@pytest.fixture
def admin_user_ma(db):
    return f.staff("admin_ma", "administrator", None)


def test_the_xlsx_holds_every_section_and_the_pdf_prints_in_chinese_with_charts(client, october, manager_zhou):
    client.force_login(manager_zhou)
    wb = load_workbook(io.BytesIO(client.get(reverse("reports:monthly_xlsx") + "?month=2026-10").content))
    assert wb.sheetnames == ["指标", "报修", "收入与成本", "配件", "质量", "费用"]
    calls = {row[0]: row[1] for row in wb["报修"].iter_rows(min_row=2, values_only=True)}
    assert calls["报修件数"] == 5 and calls["苏州服务组"] == 2
    text = pdf_text(client.get(reverse("reports:monthly_pdf") + "?month=2026-10").content)
    assert "售后总表" in text and "按类别统计报修" in text and "到达及时率" in text


@pytest.mark.req("RPT-02")
def test_every_call_is_exported_by_the_worker_with_progress_and_only_its_requester_downloads_it(client, october, manager_zhou, admin_user_ma,
                                                                                               customer_acme, django_capture_on_commit_callbacks):
    customer_acme.name = "=HYPERLINK(\"http://x\")"
    customer_acme.save()
    client.force_login(manager_zhou)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export_start"), {"month": "2026-10", "kind": "calls"})
    job = ExportJob.objects.get()
    assert response.url == reverse("reports:export", args=[job.pk])
    assert (job.status, job.done, job.total, job.percent) == ("done", 5, 5, 100)
    page = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-valuenow="100"' in page and "hx-trigger" not in page
    wb = load_workbook(io.BytesIO(b"".join(client.get(reverse("reports:export_download", args=[job.pk])).streaming_content)))
    rows = list(wb.active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 5 and "'=HYPERLINK(\"http://x\")" in {r[5] for r in rows}
    # Labels, not codes; the technician, the fault and the money of each call.
    header = [c.value for c in next(wb.active.iter_rows(max_row=1))]
    assert header[11:15] == ["故障", "技术员", "客户应付（元）", "公司承担（元）"]
    assert not {r[3] for r in rows} & {"phone", "qr", "email"} and not {r[7] for r in rows} & {"dispatched", "closed", "registered"}
    assert all(r[11] for r in rows)
    client.force_login(admin_user_ma)
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404
