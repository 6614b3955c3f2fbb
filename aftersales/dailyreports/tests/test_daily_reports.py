"""Daily reports (DRPT-01..03, CLS-02): the technician's report, the supervisor's, the branch manager's signature."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from aftersales.core.errors import ConflictError
from aftersales.dailyreports import services
from aftersales.dailyreports.models import ReportLine, SupervisorDailyReport, TechnicianDailyReport
from aftersales.dailyreports.selectors import supervisor_report_board, technician_report_board
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from aftersales.testing.signatures import SIGNED
from aftersales.workorders import services as wo_services
from conftest import at

DAY = dt.date(2026, 11, 24)  # a Tuesday


@pytest.fixture(autouse=True)
def _on_the_day_these_tests_look_from():
    """This module's world is a fixed week of November 2026: each test runs on 26 November 2026 (so that the suite passes
    on any date: a run "in February 2026" would otherwise find these days in the future)."""
    with time_machine.travel(at(2026, 11, 26, 10, 0), tick=True):
        yield


@pytest.fixture
def lathe(customer_acme, lathe_model):
    return f.equipment(customer=customer_acme, model=lathe_model, serial="DR-1", sold=dt.date(2026, 6, 1))


def finished_job(clerk, supervisor, tech, lathe, *, at_time: dt.datetime, minutes: int):
    sr = service_request_register(actor=clerk, data=RequestInput(customer=lathe.customer, equipment=lathe, contact_phone="13800138000",
                                                                 fault_description="异响", received_at=at_time - dt.timedelta(hours=2)))
    wo = wo_services.work_order_assign(actor=supervisor, request=sr, technician=tech, now=at_time - dt.timedelta(hours=1))
    wo_services.work_order_check_in(actor=tech, work_order=wo, now=at_time)
    wo_services.work_order_complete(actor=tech, work_order=wo, work_done="调整", labour_minutes=minutes, signature=SIGNED, signer_name="王工",
                                    now=at_time + dt.timedelta(minutes=minutes))
    return wo


@pytest.fixture
def tuesday_report(clerk_li, supervisor_wang, tech_zhang, lathe):
    finished_job(clerk_li, supervisor_wang, tech_zhang, lathe, at_time=at(2026, 11, 24, 9, 0), minutes=90)
    finished_job(clerk_li, supervisor_wang, tech_zhang, lathe, at_time=at(2026, 11, 24, 14, 0), minutes=60)
    return services.technician_report_open(actor=tech_zhang, day=DAY)


@pytest.mark.req("DRPT-01")
@pytest.mark.req("CLS-02")
def test_the_technicians_report_lists_each_job_of_the_day_with_its_category_and_time(tuesday_report):
    lines = list(tuesday_report.lines.order_by("id"))
    assert [(line.category, line.minutes) for line in lines] == [("C", 90), ("C", 60)]
    assert all(line.work_order_id for line in lines)


@pytest.mark.req("CLS-01")
def test_the_technician_adds_category_d_administrative_time(tech_zhang, tuesday_report):
    line = services.technician_report_add_admin_time(actor=tech_zhang, report=tuesday_report, minutes=45, description="工具保养")
    assert (line.category, line.source) == ("D", "admin")


def test_administrative_time_needs_minutes_and_a_description(tech_zhang, tuesday_report):
    with pytest.raises(ValidationError) as exc:
        services.technician_report_add_admin_time(actor=tech_zhang, report=tuesday_report, minutes=0, description="")
    assert set(exc.value.message_dict) == {"minutes", "description"}
    assert not ReportLine.objects.filter(source="admin").exists()


def test_the_report_is_due_an_hour_into_the_next_working_day(tuesday_report):
    assert tuesday_report.due_at == at(2026, 11, 25, 9, 30)


@pytest.mark.req("DRPT-01")
def test_a_submitted_report_cannot_be_edited(tech_zhang, tuesday_report):
    services.technician_report_submit(actor=tech_zhang, report=tuesday_report)
    with pytest.raises(ConflictError):
        services.technician_report_add_admin_time(actor=tech_zhang, report=tuesday_report, minutes=30, description="补记")
    with pytest.raises(ConflictError):
        services.technician_report_submit(actor=tech_zhang, report=tuesday_report)
    assert tuesday_report.lines.count() == 2


def test_only_the_technician_himself_fills_in_his_report(supervisor_wang, tuesday_report):
    with pytest.raises(PermissionDenied):
        services.technician_report_add_admin_time(actor=supervisor_wang, report=tuesday_report, minutes=30, description="代填")


def test_an_empty_day_cannot_be_submitted(tech_zhang):
    report = services.technician_report_open(actor=tech_zhang, day=DAY)
    with pytest.raises(ValidationError):
        services.technician_report_submit(actor=tech_zhang, report=report)
    report.refresh_from_db()
    assert report.status == "draft"


def test_a_report_for_tomorrow_is_refused(tech_zhang):
    with pytest.raises(ValidationError):
        services.technician_report_open(actor=tech_zhang, day=timezone.localdate() + dt.timedelta(days=1))
    assert not TechnicianDailyReport.objects.exists()


@pytest.mark.req("DRPT-01")
def test_the_supervisor_reviews_or_sends_back_with_a_note(supervisor_wang, tech_zhang, tuesday_report):
    services.technician_report_submit(actor=tech_zhang, report=tuesday_report)
    with pytest.raises(ValidationError):
        services.technician_report_send_back(actor=supervisor_wang, report=tuesday_report, note="")
    returned = services.technician_report_send_back(actor=supervisor_wang, report=tuesday_report, note="漏记下午的行政工作")
    assert returned.status == "draft"
    services.technician_report_add_admin_time(actor=tech_zhang, report=returned, minutes=30, description="零件整理")
    services.technician_report_submit(actor=tech_zhang, report=returned)
    reviewed = services.technician_report_review(actor=supervisor_wang, report=returned)
    assert (reviewed.status, reviewed.reviewed_by) == ("reviewed", supervisor_wang)


def test_a_technician_cannot_review_reports(tech_zhang, tuesday_report):
    services.technician_report_submit(actor=tech_zhang, report=tuesday_report)
    with pytest.raises(PermissionDenied):
        services.technician_report_review(actor=tech_zhang, report=tuesday_report)


@pytest.mark.req("DRPT-02")
def test_the_supervisors_report_sums_the_technicians_by_category(supervisor_wang, tech_zhang, tech_wu, tuesday_report):
    services.technician_report_add_admin_time(actor=tech_zhang, report=tuesday_report, minutes=30, description="培训")
    services.technician_report_submit(actor=tech_zhang, report=tuesday_report)
    report = services.supervisor_report_open(actor=supervisor_wang, center=tech_zhang.service_center, day=DAY)
    rows = {row.technician: row for row in report.rows.all()}
    assert (rows[tech_zhang].minutes_c, rows[tech_zhang].minutes_d, rows[tech_zhang].jobs) == (150, 30, 2)
    assert rows[tech_wu].technician_report is None  # his report is missing, and the row shows it


@pytest.mark.req("DRPT-03")
def test_a_branch_report_is_signed_by_the_branch_manager_before_the_service_department_receives_it(
    supervisor_liu, branch_manager_sun, manager_zhou, suzhou
):
    report = services.supervisor_report_open(actor=supervisor_liu, center=suzhou, day=DAY)
    services.supervisor_report_submit(actor=supervisor_liu, report=report)
    with pytest.raises(ConflictError):
        services.supervisor_report_receive(actor=manager_zhou, report=report)
    with pytest.raises(PermissionDenied):
        services.supervisor_report_sign(actor=supervisor_liu, report=report)
    services.supervisor_report_sign(actor=branch_manager_sun, report=report)
    received = services.supervisor_report_receive(actor=manager_zhou, report=report)
    assert (received.status, received.signed_by, received.received_by) == ("received", branch_manager_sun, manager_zhou)


def test_a_service_centres_report_goes_straight_to_the_service_department(supervisor_wang, manager_zhou, shanghai):
    report = services.supervisor_report_open(actor=supervisor_wang, center=shanghai, day=DAY)
    services.supervisor_report_submit(actor=supervisor_wang, report=report)
    assert services.supervisor_report_receive(actor=manager_zhou, report=report).status == "received"


def test_a_branch_manager_of_another_centre_cannot_sign(supervisor_liu, suzhou, shanghai):
    other_manager = f.staff("manager_ma", "branch_manager", shanghai)
    suzhou.is_branch = True
    suzhou.save()
    report = services.supervisor_report_open(actor=supervisor_liu, center=suzhou, day=DAY)
    services.supervisor_report_submit(actor=supervisor_liu, report=report)
    with pytest.raises(PermissionDenied):
        services.supervisor_report_sign(actor=other_manager, report=report)


@pytest.mark.req("DRPT-01")
def test_missing_and_late_reports_are_visible(supervisor_wang, tech_zhang, tech_wu, tuesday_report):
    services.technician_report_submit(actor=tech_zhang, report=tuesday_report)
    TechnicianDailyReport.objects.filter(pk=tuesday_report.pk).update(submitted_at=at(2026, 11, 25, 11, 0))
    board = {s.who: s.state for s in technician_report_board(user=supervisor_wang, day=DAY, now=at(2026, 11, 25, 12, 0))}
    assert board == {tech_zhang: "late", tech_wu: "missing"}
    early = {s.who: s.state for s in technician_report_board(user=supervisor_wang, day=DAY, now=at(2026, 11, 25, 9, 0))}
    assert early[tech_wu] == "pending"


def test_the_centre_board_shows_a_missing_supervisor_report(manager_zhou, shanghai, suzhou):
    board = {s.who: s.state for s in supervisor_report_board(user=manager_zhou, day=DAY, now=at(2026, 11, 26, 12, 0))}
    assert board == {shanghai: "missing", suzhou: "missing"}


def test_the_report_pages_work_end_to_end(tech_zhang, supervisor_wang, tuesday_report):
    tech = Client()
    tech.force_login(tech_zhang)
    assert tech.get(f"/daily-reports/mine/?day={DAY}").status_code == 302
    tech.post(f"/daily-reports/technician/{tuesday_report.pk}/admin-time/", {"minutes": "20", "description": "整理工具"})
    tech.post(f"/daily-reports/technician/{tuesday_report.pk}/submit/", {"version": tuesday_report.version})
    tuesday_report.refresh_from_db()
    assert tuesday_report.status == "submitted" and tuesday_report.lines.count() == 3
    boss = Client()
    boss.force_login(supervisor_wang)
    assert "tech_zhang" in boss.get(f"/daily-reports/?day={DAY}").content.decode()
    boss.post(f"/daily-reports/technician/{tuesday_report.pk}/review/", {"version": tuesday_report.version, "note": "好"})
    tuesday_report.refresh_from_db()
    assert tuesday_report.status == "reviewed"
    boss.get(f"/daily-reports/centre/?day={DAY}")
    centre = SupervisorDailyReport.objects.get()
    assert boss.get(f"/daily-reports/centre/{centre.pk}/").status_code == 200


def test_it_validates_ownership_of_reports(tuesday_report, clerk_chen, shanghai):
    other = Client()
    other.force_login(clerk_chen)
    assert other.get(f"/daily-reports/technician/{tuesday_report.pk}/").status_code == 404
    colleague = Client()
    colleague.force_login(f.technician("tech_qian", shanghai))
    assert colleague.get(f"/daily-reports/technician/{tuesday_report.pk}/").status_code == 404
    assert colleague.post(f"/daily-reports/technician/{tuesday_report.pk}/submit/").status_code == 404


def test_the_report_board_keeps_a_constant_number_of_queries_as_staff_grows(supervisor_wang, tech_zhang, shanghai):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(supervisor_wang)
    client.get(f"/daily-reports/?day={DAY}")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/daily-reports/?day={DAY}").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(5):
        tech = f.technician(f"tech_extra{i}", shanghai, skills=["machine-tool"])
        services.technician_report_open(actor=tech, day=DAY)
    assert count() == before
