"""Return visits (VIS-01..12): rules make a daily due list, duplicates are blocked, visits are scored and followed up."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from aftersales.care.models import Event, ReturnVisit, VisitRule, VisitStatus, VisitType
from aftersales.care.services import VisitRecord, return_visit_record, return_visit_skip, return_visit_take, visit_plan_sweep
from aftersales.core.errors import ConflictError, DomainError
from aftersales.feedback.models import FollowUpTask, TaskKind
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from aftersales.testing.signatures import SIGNED
from aftersales.workorders import services
from conftest import at

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)
GOOD = VisitRecord(outcome="reached", satisfaction=4, scores={"服务态度": 4, "维修质量": 4, "交机及时": 3, "收费合理": 4}, content="设备运行正常")


@pytest.fixture
def lathe(customer_acme, lathe_model):
    """The lathe, sold 60 days before this module's fixed ``TODAY``: in warranty on every day these tests look at."""
    return f.equipment(customer=customer_acme, model=lathe_model, serial="CAK-0001", sold=TODAY - dt.timedelta(days=60))


@pytest.fixture
def agent_he(shanghai):
    return f.staff("agent_he", "care_agent", shanghai)


def only(*codes: str) -> None:
    """Keep only the default rules of these visit types active (each test looks at one rule family)."""
    VisitRule.objects.exclude(visit_type__code__in=codes).update(active=False)


def repaired_on(day: dt.date, clerk, supervisor, tech, unit):
    when = at(day.year, day.month, day.day, 15, 0)
    with time_machine.travel(when - dt.timedelta(hours=3), tick=False):
        sr = service_request_register(actor=clerk, data=RequestInput(customer=unit.customer, equipment=unit, contact_phone="13800138000",
                                                                     fault_description="主轴异响"))
        wo = services.work_order_assign(actor=supervisor, request=sr, technician=tech)
        services.work_order_check_in(actor=tech, work_order=wo)
    with time_machine.travel(when, tick=False):
        services.work_order_complete(actor=tech, work_order=wo, work_done="调整", signature=SIGNED, signer_name="王工")
    return sr


@pytest.mark.req("VIS-04")
def test_a_repair_handed_back_three_days_ago_is_on_todays_3dc_list(clerk_li, supervisor_wang, tech_zhang, lathe):
    only("3dc")
    VisitRule.objects.filter(audience="in_warranty").update(active=False)
    sr = repaired_on(TODAY - dt.timedelta(days=3), clerk_li, supervisor_wang, tech_zhang, lathe)
    assert visit_plan_sweep(TODAY - dt.timedelta(days=1)) == 0  # day 2: not yet
    assert visit_plan_sweep(TODAY) == 1
    assert visit_plan_sweep(TODAY) == 0  # idempotent
    visit = ReturnVisit.objects.get()
    assert (visit.request, visit.visit_type.code, visit.due_from, visit.due_until) == (sr, "3dc", TODAY, TODAY + dt.timedelta(days=2))


@pytest.mark.req("VIS-09")
@pytest.mark.req("VIS-01")
def test_two_rules_for_one_repair_make_one_call_the_other_is_blocked_as_a_duplicate(clerk_li, supervisor_wang, tech_zhang, lathe):
    only("3dc")  # 3DC for all repairs and 100 % for in-warranty customers: the lathe is in warranty
    repaired_on(TODAY - dt.timedelta(days=3), clerk_li, supervisor_wang, tech_zhang, lathe)
    visit_plan_sweep(TODAY)
    statuses = sorted(ReturnVisit.objects.values_list("status", flat=True))
    assert statuses == [VisitStatus.BLOCKED, VisitStatus.DUE]
    blocked = ReturnVisit.objects.get(status=VisitStatus.BLOCKED)
    assert blocked.blocked_by == ReturnVisit.objects.get(status=VisitStatus.DUE)


@pytest.mark.req("VIS-03")
def test_7dc_falls_on_day_7_after_delivery_and_day_10_after_the_invoice_for_secondary_outlets(customer_acme, lathe_model):
    only("7dc")
    direct = f.equipment(customer=customer_acme, model=lathe_model, sold=TODAY - dt.timedelta(days=10))  # delivered = sold
    outlet = f.equipment(customer=f.customer(name="二级网点客户", center=customer_acme.service_center), model=lathe_model,
                         sold=TODAY - dt.timedelta(days=10))
    outlet.secondary_outlet = True
    outlet.save()
    assert visit_plan_sweep(TODAY - dt.timedelta(days=3)) == 1  # day 7 after delivery of the direct sale
    assert visit_plan_sweep(TODAY) == 1  # day 10 after the outlet's invoice
    assert {v.equipment for v in ReturnVisit.objects.all()} == {direct, outlet}


@pytest.mark.req("VIS-02")
def test_an_installation_is_followed_up_two_to_three_days_later(customer_acme, lathe_model):
    only("install")
    unit = f.equipment(customer=customer_acme, model=lathe_model, sold=TODAY - dt.timedelta(days=2))
    visit_plan_sweep(TODAY)
    visit = ReturnVisit.objects.get(equipment=unit)
    assert (visit.due_from, visit.due_until) == (TODAY, TODAY + dt.timedelta(days=1))


@pytest.mark.req("VIS-05")
def test_one_month_and_one_year_after_delivery(customer_acme, lathe_model):
    VisitRule.objects.exclude(name__in=["交付后1个月回访", "交付后1年回访"]).update(active=False)
    month = f.equipment(customer=customer_acme, model=lathe_model, sold=TODAY - dt.timedelta(days=30))
    year = f.equipment(customer=f.customer(name="老客户", center=customer_acme.service_center), model=lathe_model, sold=TODAY - dt.timedelta(days=365))
    visit_plan_sweep(TODAY)
    assert {v.equipment for v in ReturnVisit.objects.all()} == {month, year}


@pytest.mark.req("VIS-12")
def test_vip_quotas_five_stars_every_month_four_stars_half(shanghai):
    only("vip")
    five = [f.customer(name=f"五星{n}", center=shanghai, vip_level=5) for n in range(4)]
    four = [f.customer(name=f"四星{n}", center=shanghai, vip_level=4) for n in range(40)]
    f.customer(name="普通客户", center=shanghai)
    VisitRule.objects.filter(event=Event.NEW_VIP).update(active=False)
    visit_plan_sweep(dt.date(2026, 12, 1))
    visited = set(ReturnVisit.objects.values_list("customer_id", flat=True))
    assert {c.pk for c in five} <= visited
    share = len(visited & {c.pk for c in four}) / len(four)
    assert 0.25 < share < 0.75  # a deterministic half-sample
    visit_plan_sweep(dt.date(2026, 12, 2))
    assert set(ReturnVisit.objects.values_list("customer_id", flat=True)) == visited  # the sample does not change


@pytest.mark.req("VIS-12")
def test_a_new_vip_card_holder_is_called_within_three_days(shanghai):
    only("vip")
    with time_machine.travel(at(2026, 11, 26, 10, 0), tick=False):
        vip = f.customer(name="新VIP", center=shanghai, vip_level=2)
    visit_plan_sweep(TODAY)
    visit = ReturnVisit.objects.get(customer=vip)
    assert visit.due_until == TODAY + dt.timedelta(days=2)


def test_the_1_3_10_30_rule_is_shipped_switched_off_and_works_when_switched_on(customer_acme, lathe_model):
    only("purchase")
    f.equipment(customer=customer_acme, model=lathe_model, sold=TODAY - dt.timedelta(days=10))
    assert visit_plan_sweep(TODAY) == 0
    VisitRule.objects.filter(visit_type__code="purchase").update(active=True)
    assert visit_plan_sweep(TODAY) == 1
    assert ReturnVisit.objects.get().rule.offset_days == 10


def test_rules_are_data_an_administrator_edits(customer_acme, lathe_model):
    only()
    VisitRule.objects.create(name="交付后第5天", visit_type=VisitType.objects.get(code="7dc"), event=Event.DELIVERY, offset_days=5)
    f.equipment(customer=customer_acme, model=lathe_model, sold=TODAY - dt.timedelta(days=5))
    assert visit_plan_sweep(TODAY) == 1


@pytest.fixture
def due_visit(clerk_li, supervisor_wang, tech_zhang, lathe):
    only("3dc")
    VisitRule.objects.filter(audience="in_warranty").update(active=False)
    repaired_on(TODAY - dt.timedelta(days=3), clerk_li, supervisor_wang, tech_zhang, lathe)
    visit_plan_sweep(TODAY)
    return ReturnVisit.objects.get()


@pytest.mark.req("SURV-07")
def test_an_agent_records_the_visit_with_item_scores(due_visit, agent_he):
    return_visit_take(actor=agent_he, visit=due_visit)
    return_visit_record(actor=agent_he, visit=due_visit, record=GOOD)
    due_visit.refresh_from_db()
    assert (due_visit.status, due_visit.outcome, due_visit.satisfaction, due_visit.done_by) == ("done", "reached", 4, agent_he)
    assert due_visit.scores["交机及时"] == 3
    assert not FollowUpTask.objects.exists()


def test_no_answer_keeps_the_visit_due_for_another_try(due_visit, agent_he):
    return_visit_record(actor=agent_he, visit=due_visit, record=VisitRecord(outcome="no_answer"))
    due_visit.refresh_from_db()
    assert (due_visit.status, due_visit.attempts) == ("due", 1)


def test_a_reached_customer_needs_an_overall_score_and_what_he_said(due_visit, agent_he):
    with pytest.raises(DomainError) as exc:
        return_visit_record(actor=agent_he, visit=due_visit, record=VisitRecord(outcome="reached", scores={"服务态度": 7}))
    assert {"satisfaction", "content", "scores"} <= set(exc.value.message_dict)
    due_visit.refresh_from_db()
    assert due_visit.status == "due"


@pytest.mark.req("VIS-10")
def test_an_answer_promised_later_than_a_week_is_refused(due_visit, agent_he):
    with pytest.raises(DomainError) as exc:
        late = timezone.localdate() + dt.timedelta(days=10)
        return_visit_record(actor=agent_he, visit=due_visit, record=VisitRecord(**{**GOOD.__dict__, "promised_by": late}))
    assert "promised_by" in exc.value.message_dict


@pytest.mark.req("VIS-08")
def test_a_dissatisfied_customer_becomes_a_follow_up_and_a_complaint_a_supervisor_visit(due_visit, agent_he, supervisor_wang):
    unhappy = VisitRecord(outcome="reached", satisfaction=2, scores={"维修质量": 1}, content="修后仍有异响", reasons="修后仍有异响", actions="安排复查")
    return_visit_record(actor=agent_he, visit=due_visit, record=unhappy)
    task = FollowUpTask.objects.get()
    assert (task.kind, task.assigned_to, task.card) == (TaskKind.VISIT_FOLLOW_UP, supervisor_wang, None)
    assert "修后仍有异响" in task.note


@pytest.mark.req("SURV-05")
def test_a_complaint_heard_on_a_visit_sends_the_supervisor(due_visit, agent_he):
    return_visit_record(actor=agent_he, visit=due_visit, record=VisitRecord(**{**GOOD.__dict__, "complaint": True}))
    assert FollowUpTask.objects.get().kind == TaskKind.SUPERVISOR_VISIT


@pytest.mark.req("VIS-01")
def test_a_customer_contacted_this_week_is_not_called_again(due_visit, agent_he, lathe, lathe_model, clerk_li, supervisor_wang, tech_zhang):
    return_visit_record(actor=agent_he, visit=due_visit, record=GOOD)
    second = ReturnVisit.objects.create(visit_type=due_visit.visit_type, source_key="manual", customer=lathe.customer,
                                        service_center=lathe.customer.service_center, event_date=TODAY, due_from=TODAY, due_until=TODAY)
    with pytest.raises(DomainError) as exc:
        return_visit_record(actor=agent_he, visit=second, record=GOOD)
    assert "7" in exc.value.messages[0] and exc.value.code == "duplicate_contact"
    return_visit_skip(actor=agent_he, visit=second, reason="本周已回访")
    second.refresh_from_db()
    assert second.status == "skipped"


def test_a_visit_taken_by_one_agent_cannot_be_recorded_by_another(due_visit, agent_he, clerk_li):
    return_visit_take(actor=agent_he, visit=due_visit)
    with pytest.raises(ConflictError):
        return_visit_record(actor=clerk_li, visit=due_visit, record=GOOD)


def test_another_centre_cannot_make_the_visit(due_visit, clerk_chen, client):
    with pytest.raises(PermissionDenied):
        return_visit_record(actor=clerk_chen, visit=due_visit, record=GOOD)
    client.force_login(clerk_chen)
    assert client.get(reverse("care:visit", args=[due_visit.pk])).status_code == 404


@pytest.mark.req("VIS-11")
def test_the_due_list_shows_the_script_and_who_is_resting_now(client, due_visit, agent_he, clerk_li):
    from aftersales.customers.services import customer_update

    customer_update(actor=clerk_li, customer=due_visit.customer, quiet_hours="12:00-14:00")
    with time_machine.travel(at(2026, 11, 26, 12, 30), tick=False):
        client.force_login(agent_he)  # at the time of the visit: a login made months before has expired
        listing = client.get(reverse("care:due")).content.decode()
        page = client.get(reverse("care:visit", args=[due_visit.pk])).content.decode()
    assert due_visit.customer.name in listing and "14:00" in listing
    assert "工程师的服务态度您满意吗" in page


@pytest.mark.req("VIS-03")
@pytest.mark.req("VIS-04")
def test_the_reports_show_daily_weekly_and_monthly_figures_and_download_as_xlsx(client, due_visit, agent_he, manager_zhou):
    import io

    from openpyxl import load_workbook

    with time_machine.travel(at(2026, 11, 26, 10, 0), tick=False):
        return_visit_record(actor=agent_he, visit=due_visit, record=GOOD)
    client.force_login(manager_zhou)
    page = client.get(reverse("care:reports") + "?day=2026-11-26").content.decode()
    assert "3DC" in page and 'id="visit-chart"' in page and "100" in page
    book = load_workbook(io.BytesIO(client.get(reverse("care:reports_xlsx") + "?day=2026-11-26").content))
    assert len(book.sheetnames) == 5
    rows = list(book.worksheets[2].values)
    assert rows[1][0].startswith("3DC") and rows[1][2] == 1  # monthly: one done
    assert any(row[0] == "服务态度" for row in book.worksheets[3].values)
