"""The performance pages: the month's score sheets, one sheet's cycle through the browser's forms, its PDF and xlsx,
attendance entered and imported, the regional ranking and the cost budget pages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from aftersales.performance.attendance import import_attendance
from aftersales.performance.models import Assessment, AssessmentStatus, Attendance, CostBudget, CostEntry, ItemScore, KpiScheme, PayTerms
from aftersales.performance.services import assessment_open
from aftersales.testing import factories as f
from aftersales.testing.pdf import pdf_text
from conftest import at

pytestmark = pytest.mark.django_db

NOV = dt.date(2026, 11, 1)
LATE_NOV = at(2026, 11, 28, 10, 0)


@pytest.fixture
def admin_ma(db):
    return f.staff("admin_ma", "administrator", None, full_name="马人事")


@pytest.fixture
def rep_zhao(shanghai):
    rep = f.staff("rep_zhao", "supervisor", shanghai, full_name="赵代表")
    KpiScheme.objects.get(code="field_rep").members.add(rep)
    PayTerms.objects.create(person=rep, monthly_pay=Decimal("10000"))
    return rep


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_supervisor_opens_his_centres_month_and_sees_the_grades(client, supervisor_wang, tech_zhang, tech_huang, django_assert_max_num_queries):
    with time_machine.travel(LATE_NOV, tick=False):
        client.force_login(supervisor_wang)
        response = client.post(reverse("performance:month") + "?month=2026-11", {"action": "open"})
        assert response.status_code == 302
        assert set(Assessment.objects.values_list("person__username", flat=True)) == {"tech_zhang"}  # not Suzhou's Huang
        with django_assert_max_num_queries(12):
            page = client.get(reverse("performance:month") + "?month=2026-11")
    html = page.content.decode()
    assert "tech_zhang" in html and 'data-chart="grade-chart"' in html


def test_a_technician_sees_only_his_own_score_sheet(client, tech_zhang, tech_wu, supervisor_wang):
    with time_machine.travel(LATE_NOV, tick=False):
        own, other = assessment_open(person=tech_zhang, month=NOV), assessment_open(person=tech_wu, month=NOV)
    client.force_login(tech_zhang)
    assert client.get(reverse("performance:sheet", args=[own.pk])).status_code == 200
    assert client.get(reverse("performance:sheet", args=[other.pk])).status_code == 404
    assert [a.person for a in client.get(reverse("performance:month") + "?month=2026-11").context["sheets"]] == [tech_zhang]


@pytest.mark.req("KPI-07")
def test_a_manual_score_above_its_points_or_without_a_comment_is_refused_on_the_page(client, rep_zhao, manager_zhou):
    with time_machine.travel(LATE_NOV, tick=False):
        assessment = assessment_open(person=rep_zhao, month=NOV)
    item = assessment.scheme.items.get(name="业务能力")
    client.force_login(manager_zhou)
    url = reverse("performance:sheet_action", args=[assessment.pk, "item"])
    too_much = client.post(url, {"item": item.pk, f"i{item.pk}-points": "12", f"i{item.pk}-comment": "优秀"})
    no_comment = client.post(url, {"item": item.pk, f"i{item.pk}-points": "8", f"i{item.pk}-comment": ""})
    assert too_much.status_code == no_comment.status_code == 400
    assert "最多 10.00 分" in too_much.content.decode() and "必须填写说明" in no_comment.content.decode()
    assert ItemScore.objects.get(assessment=assessment, item=item).points == item.weight
    ok = client.post(url, {"item": item.pk, f"i{item.pk}-points": "8", f"i{item.pk}-comment": "基本胜任"})
    assert ok.status_code == 302 and ItemScore.objects.get(assessment=assessment, item=item).points == Decimal("8")


@pytest.mark.req("KPI-05")
@pytest.mark.req("KPI-10")
def test_the_whole_cycle_through_the_pages_then_a_closed_month_takes_only_a_correction(client, rep_zhao, supervisor_wang, manager_zhou, admin_ma):
    with time_machine.travel(LATE_NOV, tick=False):
        assessment = assessment_open(person=rep_zhao, month=NOV)
        action = lambda name: reverse("performance:sheet_action", args=[assessment.pk, name])  # noqa: E731
        client.force_login(manager_zhou)
        assert client.post(action("plan"), {"plan_completion": "80", "over_plan_bonus": "500"}).status_code == 302
        client.force_login(rep_zhao)
        assert client.post(action("self_report"), {"text": ""}).status_code == 400
        client.post(action("self_report"), {"text": "本月完成计划的八成。"})
        client.force_login(manager_zhou)
        client.post(action("review"), {"comment": "同意"})
        client.post(action("submit"))
        client.force_login(admin_ma)
        client.post(reverse("performance:month") + "?month=2026-11", {"action": "close"})
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.CLOSED and assessment.total == 100
        page = client.get(reverse("performance:sheet", args=[assessment.pk])).content.decode()
        assert "9800.00" in page  # 5000 + 3500 × 80 % + 1500 × 100 % + 500
        item = assessment.scheme.items.get(name="业务能力")
        client.force_login(manager_zhou)
        refused = client.post(action("item"), {"item": item.pk, f"i{item.pk}-points": "5", f"i{item.pk}-comment": "改分"}, follow=True)
        assert "请改为录入更正" in refused.content.decode() and ItemScore.objects.get(assessment=assessment, item=item).points == 10
        client.force_login(admin_ma)
        assert client.post(action("correct"), {"item": item.pk, "new_points": "6", "reason": ""}).status_code == 400
        client.post(action("correct"), {"item": item.pk, "new_points": "6", "reason": "复核后更正"})
        assessment.refresh_from_db()
        assert assessment.total == 96 and assessment.corrections.get().old_points == 10


def test_the_score_sheet_prints_in_chinese_and_exports_to_xlsx(client, rep_zhao, manager_zhou):
    with time_machine.travel(LATE_NOV, tick=False):
        assessment = assessment_open(person=rep_zhao, month=NOV)
    client.force_login(manager_zhou)
    text = pdf_text(client.get(reverse("performance:sheet_pdf", args=[assessment.pk])).content)
    assert "月度考核评分表" in text and "赵代表" in text and "业务能力" in text
    wb = load_workbook(io.BytesIO(client.get(reverse("performance:sheet_xlsx", args=[assessment.pk])).content))
    names = [row[0] for row in wb.active.iter_rows(values_only=True)]
    assert "业务能力" in names and len(names) == assessment.scheme.items.count() + 2
    month = load_workbook(io.BytesIO(client.get(reverse("performance:month_xlsx") + "?month=2026-11").content))
    assert [row[0] for row in month.active.iter_rows(values_only=True)][1:] == ["赵代表"]


# --- Attendance ---

@pytest.mark.req("KPI-03")
def test_attendance_imported_from_xlsx_rescores_the_open_month(supervisor_wang, tech_zhang):
    with time_machine.travel(LATE_NOV, tick=False):
        assessment = assessment_open(person=tech_zhang, month=NOV)
        result = import_attendance(actor=supervisor_wang, file_name="a.xlsx", content=xlsx([["工号", "姓名", "月份", "缺勤天数"],
                                                                                            ["tech_zhang", "tech_zhang", "2026-11", 1.5]]), dry_run=False)
    assert result.committed and Attendance.objects.get(person=tech_zhang).absent_days == Decimal("1.5")
    assessment.refresh_from_db()
    assert assessment.total == Decimal("97.60")  # 70 + 30 × 92 %


@pytest.mark.parametrize(("username", "month", "days", "message"), [
    ("nobody", "2026-11", 1, "Unknown employee"), ("tech_zhang", "2026-13", 1, "is not a month"), ("tech_zhang", "2026-02-30", 1, "is not a month"),
    ("tech_zhang", "2027-01", 1, "has not begun"), ("tech_zhang", "2026-02", 29, "between 0 and 28"), ("tech_zhang", "2026-11", 0.3, "half days"),
])
def test_an_attendance_import_with_unknown_people_or_impossible_dates_is_refused_and_nothing_is_written(supervisor_wang, tech_zhang, username, month,
                                                                                                        days, message, settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(LATE_NOV, tick=False):
        result = import_attendance(actor=supervisor_wang, file_name="a.xlsx", content=xlsx([["工号", "月份", "缺勤天数"], ["tech_zhang", "2026-10", 1],
                                                                                            [username, month, days]]), dry_run=False)
    assert not result.committed and not Attendance.objects.exists()
    assert message in " ".join(result.bad_rows[0].messages)


def test_attendance_is_entered_on_the_page_and_a_closed_month_is_refused(client, supervisor_wang, tech_zhang, admin_ma):
    with time_machine.travel(LATE_NOV, tick=False):
        client.force_login(supervisor_wang)
        client.post(reverse("performance:attendance") + "?month=2026-10", {"person": tech_zhang.pk, "absent_days": "2", "note": "事假"})
        from aftersales.performance.services import month_close
        month_close(actor=admin_ma, month=dt.date(2026, 10, 1))
        page = client.post(reverse("performance:attendance") + "?month=2026-10", {"person": tech_zhang.pk, "absent_days": "0"}, follow=True)
    assert Attendance.objects.get(person=tech_zhang).absent_days == 2
    assert "人事已结算 2026-10" in page.content.decode()


def test_a_technician_may_not_enter_attendance(client, tech_zhang):
    client.force_login(tech_zhang)
    assert client.get(reverse("performance:attendance")).status_code == 403
    assert client.get(reverse("performance:attendance_import")).status_code == 403


# --- Regions and costs ---

@pytest.mark.req("KPI-11")
def test_the_ranking_page_shows_the_table_and_the_chart(client, manager_zhou, clerk_li, customer_acme, django_assert_max_num_queries):
    from aftersales.servicedesk.models import ServiceRequest, Status
    from aftersales.servicedesk.services import RequestInput, service_request_register

    request = service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, contact_phone="13800138000", fault_description="故障"))
    ServiceRequest.objects.filter(pk=request.pk).update(status=Status.CLOSED, closed_at=at(2026, 11, 5, 10, 0))
    client.force_login(manager_zhou)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("performance:regions") + "?month=2026-11")
    ranking = page.context["ranking"]
    assert [(r.rank, r.region, r.total) for r in ranking] == [(1, "上海", 10)] and 'data-chart="region-chart"' in page.content.decode()


@pytest.mark.req("COST-02")
def test_a_negative_quota_on_the_page_is_refused_and_nothing_changes(client, manager_zhou, shanghai):
    client.force_login(manager_zhou)
    data = {"action": "budget", "materials": "40000", "vehicles": "-1", "travel": "13000", "communications": "6000", "business": "5000", "office": "2000",
            "other": "10000"}
    response = client.post(reverse("performance:costs") + f"?center={shanghai.pk}&month=2026-11", data)
    assert response.status_code == 400 and "预算不能为负数" in response.content.decode() and not CostBudget.objects.exists()


@pytest.mark.req("COST-03")
def test_a_supervisor_records_a_cost_and_sees_it_against_the_quota(client, supervisor_wang, shanghai):
    with time_machine.travel(LATE_NOV, tick=False):
        client.force_login(supervisor_wang)
        response = client.post(reverse("performance:costs") + "?month=2026-11", {"action": "cost", "day": "2026-11-20", "category": "office",
                                                                                  "amount": "1900", "note": "打印纸"})
        page = client.get(reverse("performance:costs") + "?month=2026-11")
    assert response.status_code == 302 and CostEntry.objects.get().amount == 1900
    office = next(line for line in page.context["lines"] if line.category == "office")
    assert (office.actual, office.percent, office.warning) == (Decimal("1900"), 95, True)
    assert 'data-category="office" class="table-warning"' in page.content.decode()


def test_a_technician_does_not_see_the_cost_pages(client, tech_zhang):
    client.force_login(tech_zhang)
    assert client.get(reverse("performance:costs")).status_code == 403


@pytest.mark.req("KPI-01")
def test_in_the_admin_a_scheme_whose_points_do_not_add_up_to_100_is_refused_and_unchanged(admin_client):
    scheme = KpiScheme.objects.get(code="technician")
    items = list(scheme.items.order_by("position"))
    data = {"code": scheme.code, "name": scheme.name, "role": scheme.role, "pay_rule": scheme.pay_rule, "active": "on",
            "items-TOTAL_FORMS": str(len(items)), "items-INITIAL_FORMS": str(len(items)), "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000"}
    for n, item in enumerate(items):
        data.update({f"items-{n}-id": item.pk, f"items-{n}-scheme": scheme.pk, f"items-{n}-position": item.position, f"items-{n}-name": item.name,
                     f"items-{n}-weight": "20" if n == 1 else str(item.weight), f"items-{n}-source": item.source, f"items-{n}-deduction": "0",
                     f"items-{n}-deduction_steps": "[]"})
    response = admin_client.post(reverse("admin:performance_kpischeme_change", args=[scheme.pk]), data)
    assert response.status_code == 200 and "必须合计为 100" in response.content.decode()
    assert [i.weight for i in scheme.items.order_by("position")] == [Decimal("70.00"), Decimal("30.00")]
    data["items-1-weight"] = "30"
    assert admin_client.post(reverse("admin:performance_kpischeme_change", args=[scheme.pk]), data).status_code == 302


@pytest.mark.req("KPI-05")
def test_the_months_complaint_penalty_instalment_comes_off_the_pay_on_the_sheet(client, rep_zhao, manager_zhou, customer_acme, shanghai):
    from aftersales.complaints.models import ComplaintCase, Penalty, PenaltyInstalment

    case = ComplaintCase.objects.create(number="2611001", customer=customer_acme, service_center=shanghai, origin="phone", kind="non_quality",
                                        subject="服务态度", description="-", accepted_at=at(2026, 11, 2, 9, 0), due_at=at(2026, 11, 15, 9, 0))
    penalty = Penalty.objects.create(case=case, person=rep_zhao, kind="deduction", cause="wrong_documents", amount=Decimal("900"))
    PenaltyInstalment.objects.create(penalty=penalty, person=rep_zhao, month=NOV, amount=Decimal("300"))  # the rest waits (50 % cap)
    with time_machine.travel(LATE_NOV, tick=False):
        assessment = assessment_open(person=rep_zhao, month=NOV)
    client.force_login(manager_zhou)
    sheet = client.get(reverse("performance:sheet", args=[assessment.pk])).context["sheet"]
    assert (sheet.composition.total, sheet.penalties, sheet.net_pay) == (Decimal("10000.00"), Decimal("300"), Decimal("9700.00"))


def test_the_ranking_and_the_costs_export_to_xlsx(client, manager_zhou, shanghai):
    client.force_login(manager_zhou)
    ranking = load_workbook(io.BytesIO(client.get(reverse("performance:regions") + "?month=2026-11&format=xlsx").content))
    assert [c for c in next(ranking.active.iter_rows(values_only=True))][:2] == ["名次", "地区"]
    costs = load_workbook(io.BytesIO(client.get(reverse("performance:costs") + f"?center={shanghai.pk}&month=2026-11&format=xlsx").content))
    rows = list(costs.active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 7 and sum(Decimal(str(r[1])) for r in rows) == 100000


def test_the_months_workbook_takes_a_fixed_number_of_queries(client, manager_zhou, tech_zhang, tech_wu, tech_huang, django_assert_num_queries):
    with time_machine.travel(LATE_NOV, tick=False):
        client.force_login(manager_zhou)
        assessment_open(person=tech_zhang, month=NOV)
        client.get(reverse("performance:month_xlsx") + "?month=2026-11")
        with django_assert_num_queries(5) as one:
            client.get(reverse("performance:month_xlsx") + "?month=2026-11")
        assessment_open(person=tech_wu, month=NOV)
        assessment_open(person=tech_huang, month=NOV)
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get(reverse("performance:month_xlsx") + "?month=2026-11")
    assert len(list(load_workbook(io.BytesIO(response.content)).active.iter_rows())) == 4


@pytest.mark.req("KPI-11")
@pytest.mark.req("COST-03")
def test_the_ranking_and_the_costs_print_in_chinese_with_their_charts(client, manager_zhou, supervisor_wang, shanghai, clerk_li, customer_acme):
    from aftersales.servicedesk.models import ServiceRequest, Status
    from aftersales.servicedesk.services import RequestInput, service_request_register

    request = service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, contact_phone="13800138000", fault_description="故障"))
    ServiceRequest.objects.filter(pk=request.pk).update(status=Status.CLOSED, closed_at=at(2026, 11, 5, 10, 0))
    client.force_login(manager_zhou)
    ranking = pdf_text(client.get(reverse("performance:regions") + "?month=2026-11&format=pdf").content)
    assert "区域积分排名" in ranking and "上海" in ranking and "抢修" in ranking
    costs = pdf_text(client.get(reverse("performance:costs") + f"?center={shanghai.pk}&month=2026-11&format=pdf").content)
    assert "服务费用与预算" in costs and "材料及安装" in costs and "40000" in costs


def test_looking_at_a_score_sheet_again_writes_nothing_when_nothing_changed(client, tech_zhang):
    with time_machine.travel(LATE_NOV, tick=False):
        assessment = assessment_open(person=tech_zhang, month=NOV)
        client.force_login(tech_zhang)
        client.get(reverse("performance:sheet", args=[assessment.pk]))
        history = (assessment.history.count(), ItemScore.history.count())
        client.get(reverse("performance:sheet", args=[assessment.pk]))
        assert (assessment.history.count(), ItemScore.history.count()) == history
        Attendance.objects.create(person=tech_zhang, month=NOV, absent_days=Decimal("1"))
        client.get(reverse("performance:sheet", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.total == Decimal("98.80") and ItemScore.history.count() == history[1] + 1
