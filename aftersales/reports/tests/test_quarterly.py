"""The quarterly summary (seed 000's template): its three parts written and kept with a version, the quarter's figures
against the previous quarter's, exported to PDF and Word."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse

from aftersales.reports.models import QuarterlySummary
from aftersales.reports.services import quarter_bounds
from aftersales.servicedesk.models import ServiceRequest
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing.pdf import pdf_text
from conftest import at

pytestmark = pytest.mark.django_db

Q3 = reverse("reports:quarterly") + "?year=2026&quarter=3"
TEXT = {"tasks_and_progress": "完成华东区域巡检 120 台。",
        "problems_and_solutions": "配件到货慢：改为每周两次补货。", "next_tasks": "第四季度回访率达到 100%。"}


@pytest.fixture
def calls_in_q3_and_q2(clerk_li, customer_acme):
    for when in (at(2026, 7, 3, 9, 0), at(2026, 9, 30, 16, 0), at(2026, 5, 6, 9, 0)):
        sr = service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, contact_phone="13800138000", fault_description="故障"))
        ServiceRequest.objects.filter(pk=sr.pk).update(received_at=when)


def test_quarters_have_their_calendar_bounds():
    assert [quarter_bounds(2026, q) for q in (1, 4)] == [(dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
                                                         (dt.date(2026, 10, 1), dt.date(2026, 12, 31))]


@pytest.mark.req("RPT-02")
def test_the_service_department_writes_the_quarter_and_sees_its_figures_against_the_last(client, manager_zhou, calls_in_q3_and_q2):
    client.force_login(manager_zhou)
    page = client.get(Q3)
    assert (page.context["s"].requests, page.context["before"].requests) == (2, 1)
    assert client.post(Q3, {**TEXT, "version": "0"}).status_code == 302
    saved = QuarterlySummary.objects.get(year=2026, quarter=3, service_center=None)
    assert (saved.next_tasks, saved.version, saved.edited_by) == (TEXT["next_tasks"], 1, manager_zhou)
    assert "完成华东区域巡检" in client.get(Q3).content.decode()


def test_a_page_opened_before_someone_else_saved_is_refused_and_nothing_is_overwritten(client, manager_zhou):
    client.force_login(manager_zhou)
    client.post(Q3, {**TEXT, "version": "0"})
    stale = client.post(Q3, {**TEXT, "next_tasks": "旧页面的内容", "version": "0"})
    assert stale.status_code == 409 and "请重新载入页面" in stale.content.decode() and "旧页面的内容" in stale.content.decode()
    assert QuarterlySummary.objects.get().next_tasks == TEXT["next_tasks"]


def test_a_supervisor_writes_only_his_own_centres_summary(client, supervisor_wang, shanghai, suzhou):
    client.force_login(supervisor_wang)
    assert client.post(Q3, {**TEXT, "version": "0"}).status_code == 409  # the company's summary is the service department's
    assert client.get(Q3 + f"&center={suzhou.pk}").status_code == 403
    assert client.post(Q3 + f"&center={shanghai.pk}", {**TEXT, "version": "0"}).status_code == 302
    assert QuarterlySummary.objects.get().service_center == shanghai


def test_a_bad_quarter_is_refused_with_a_message(client, manager_zhou):
    client.force_login(manager_zhou)
    page = client.get(reverse("reports:quarterly") + "?year=2026&quarter=5")
    assert page.status_code == 400 and "第 1 至 4 季度" in page.content.decode()


def test_the_quarter_prints_in_chinese_and_opens_in_word_with_its_charts(client, manager_zhou, calls_in_q3_and_q2):
    client.force_login(manager_zhou)
    client.post(Q3, {**TEXT, "version": "0"})
    text = pdf_text(client.get(reverse("reports:quarterly_pdf") + "?year=2026&quarter=3").content)
    assert "一、上季度任务进程" in text and "完成华东区域巡检" in text and "三、下季度工作任务" in text
    docx = client.get(reverse("reports:quarterly_docx") + "?year=2026&quarter=3").content
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = z.read("word/document.xml").decode()
        pictures = [n for n in z.namelist() if n.startswith("word/media/")]
    assert "配件到货慢" in body and "二、本季度出现问题及其解决方法" in body and pictures


def test_the_quarter_page_takes_the_same_number_of_queries_however_many_calls(client, manager_zhou, clerk_li, customer_acme,
                                                                               django_assert_num_queries):
    client.force_login(manager_zhou)
    client.get(Q3)
    with django_assert_num_queries(37) as few:
        client.get(Q3)
    for day in range(1, 11):
        sr = service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, contact_phone="13800138000", fault_description="故障"))
        ServiceRequest.objects.filter(pk=sr.pk).update(received_at=at(2026, 8, day, 9, 0))
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(Q3).context["s"].requests == 10
