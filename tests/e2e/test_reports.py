"""The manager in a real browser: the live dashboard, the monthly after-sales summary with its charts, and its xlsx."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from aftersales.reports.models import ReportTarget
from aftersales.servicedesk.models import ServiceRequest, Status
from aftersales.servicedesk.services import RequestInput, service_request_register


@pytest.mark.req("RPT-01")
@pytest.mark.req("RPT-02")
def test_the_manager_reads_the_dashboard_then_the_monthly_summary_and_downloads_it(open_page, manager_zhou, clerk_li, customer_acme, lathe):
    # The browser tests' database is flushed between tests, so the seeded targets are put back here.
    ReportTarget.objects.get_or_create(key="sla_compliance", defaults={"target": Decimal("95"), "direction": "min"})
    ReportTarget.objects.get_or_create(key="rework", defaults={"target": Decimal("2"), "direction": "max"})
    calls = [service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, equipment=lathe, contact_phone="13800138000",
                                                                        fault_description=f"故障 {n}")) for n in range(3)]
    ServiceRequest.objects.filter(pk=calls[0].pk).update(status=Status.CLOSED, closed_at=timezone.now(), arrival_sla_met=True)

    page = open_page("manager_zhou")
    page.goto("/reports/dashboard/")
    assert page.inner_text("[data-tile=open_calls] .h1") == "2"
    page.wait_for_selector("[data-chart='center-chart'] svg")

    page.click("#reports-menu")
    page.click("#nav-monthly")
    page.wait_for_url("**/reports/monthly/")
    page.fill("#report-filters input[name=month]", f"{timezone.localdate():%Y-%m}")
    page.click("#report-filters button")
    page.wait_for_url("**/reports/monthly/?*")
    assert page.inner_text("#fig-requests") == "3"
    assert page.get_attribute("[data-figure=sla_compliance]", "data-light") == "green"
    page.wait_for_selector("[data-chart='chart-category'] svg")
    assert f"month={timezone.localdate():%Y-%m}" in page.input_value("#share-url")

    with page.expect_download() as download:
        page.click("#summary-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as saved:
        workbook = load_workbook(saved)
    assert workbook.sheetnames[:2] == ["指标", "报修"]
    figures = {row[0]: row[1] for row in workbook["报修"].iter_rows(min_row=2, values_only=True)}
    assert figures["报修件数"] == 3 and figures["注销件数"] == 1
