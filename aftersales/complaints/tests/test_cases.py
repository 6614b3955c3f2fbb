"""Complaint cases: numbering, routing through departments, deadlines, reminders and inquiries, closure (CMP-01..13)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from aftersales.complaints.models import CaseStatus, ChaseSlip, ComplaintCase, StepCode
from aftersales.complaints.services import (
    StepInput,
    chase_slip_answer,
    complaint_close,
    complaint_register,
    complaint_step_assign,
    complaint_step_complete,
    complaint_sweep,
)
from aftersales.complaints.tests.conftest import quality_input, walk
from aftersales.core.errors import ConflictError, DomainError
from aftersales.notifications.models import Notice
from aftersales.testing.pdf import pdf_text
from conftest import at

pytestmark = pytest.mark.django_db

NOV_26 = at(2026, 11, 26, 9, 0)
NOV_24 = at(2026, 11, 24, 9, 0)  # a Tuesday: 3 and 17 days later are working days


@pytest.mark.req("CMP-02")
def test_cases_are_numbered_yymm_and_a_serial_restarting_each_month(team, customer_acme):
    with time_machine.travel(at(2026, 11, 30, 10, 0), tick=False):
        first = complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme))
        second = complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme))
    with time_machine.travel(at(2026, 12, 1, 10, 0), tick=False):
        december = complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme))
    assert [first.number, second.number, december.number] == ["2611001", "2611002", "2612001"]


def test_the_serial_width_is_a_setting(team, customer_acme, settings):
    settings.COMPLAINT_SERIAL_WIDTH = 4
    with time_machine.travel(NOV_26, tick=False):
        assert complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme)).number == "26110001"


@pytest.mark.postgres
@pytest.mark.req("CMP-02")
def test_fifty_parallel_registrations_get_fifty_unique_gap_free_numbers(transactional_db, team, customer_acme):
    numbers, errors = [], []

    def register():
        try:
            numbers.append(complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme)).number)
        except Exception as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    serials = sorted(int(n[4:]) for n in numbers)
    assert serials == list(range(1, 51))


@pytest.mark.req("CMP-03")
def test_a_quality_complaint_needs_lot_or_part_and_the_defective_quantity_or_still_processing(team, customer_acme):
    with pytest.raises(DomainError) as exc:
        complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme, lot_no="", part_no="", defective_quantity=None))
    assert {"part_no", "defective_quantity"} <= set(exc.value.message_dict)
    pending = complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme, defective_quantity=None,
                                                                                 quantity_undetermined=True))
    assert pending.quantity_undetermined
    with pytest.raises(DomainError):
        complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme, defective_quantity=Decimal("21")))
    assert ComplaintCase.objects.count() == 1


def test_a_complaint_for_a_customer_of_another_centre_is_refused(customer_wujiang, clerk_li, team):
    with pytest.raises(PermissionDenied):
        complaint_register(actor=clerk_li, data=quality_input(customer=customer_wujiang))
    assert not ComplaintCase.objects.exists()


@pytest.mark.req("CMP-05")
@pytest.mark.req("CMP-11")
def test_a_case_is_routed_through_the_departments_with_per_step_deadlines_adding_up_to_13_days(team, customer_acme):
    with time_machine.travel(NOV_26, tick=False):
        case = complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme))
    steps = list(case.steps.order_by("position"))
    assert [s.code for s in steps] == ["register", "quality", "production", "manager", "rnd", "sales_proposal", "consolidate", "approval", "execute"]
    assert [s.owner for s in steps[1:4]] == [team["quality"], team["production"], team["vice_gm"]]
    assert steps[0].done_at is not None
    assert case.due_at == NOV_26 + dt.timedelta(days=13) == steps[-1].due_at
    assert Notice.objects.filter(recipient=team["quality"], kind="complaint").exists()


@pytest.mark.req("CMP-11")
def test_a_foreign_complaint_has_17_days_and_its_steps_are_scaled_to_them(team, customer_acme):
    with time_machine.travel(NOV_24, tick=False):
        case = complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme, market="foreign"))
    assert case.due_at == NOV_24 + dt.timedelta(days=17) == case.steps.order_by("position").last().due_at
    # The routing's 0, 3, 5, 6, 8, 10, 11, 12, 13 days of 13, stretched to 17 and rounded.
    assert list(case.steps.order_by("position").values_list("offset_days", flat=True)) == [0, 4, 7, 8, 10, 13, 14, 16, 17]


def test_only_the_owner_of_the_current_step_signs_it(case, team):
    step = case.steps.get(code=StepCode.QUALITY)
    with pytest.raises(PermissionDenied):
        complaint_step_complete(actor=team["production"], step=step, data=StepInput(opinion="x", cause_finding="x", responsible_unit="x"))
    later = case.steps.get(code=StepCode.PRODUCTION)
    with pytest.raises(ConflictError):
        complaint_step_complete(actor=team["production"], step=later, data=StepInput(opinion="对策", countermeasure="全检"))
    step.refresh_from_db()
    assert step.done_at is None


@pytest.mark.req("CMP-04")
def test_qa_finds_the_cause_orders_a_joint_survey_and_r_and_d_is_skipped_when_not_needed(case, team):
    with time_machine.travel(NOV_24, tick=False):
        walk(case, until=StepCode.PRODUCTION, data={StepCode.QUALITY: StepInput(
            opinion="会同制造现场会勘", cause_finding="轴承游隙超差", responsible_unit="生产一课", joint_survey=True)})
    case.refresh_from_db()
    assert case.joint_survey_due_at == NOV_24 + dt.timedelta(days=3)
    assert case.steps.get(code=StepCode.RND).skipped


def test_a_step_without_its_findings_is_refused(case, team):
    with pytest.raises(DomainError) as exc:
        complaint_step_complete(actor=team["quality"], step=case.steps.get(code=StepCode.QUALITY), data=StepInput(opinion="看过了"))
    assert {"cause_finding", "responsible_unit"} <= set(exc.value.message_dict)


@pytest.mark.req("CMP-06")
@pytest.mark.req("CMP-10")
def test_the_approval_goes_to_the_authority_the_amount_calls_for(case, team):
    walk(case, until=StepCode.APPROVAL, data={StepCode.SALES_PROPOSAL: StepInput(opinion="赔偿", settlement="allowance", amount=Decimal("20000"))})
    approval = case.steps.get(code=StepCode.APPROVAL)
    assert approval.owner == team["vice_gm"]  # 20,000 is above the service department's 5,000


@pytest.mark.req("CMP-10")
def test_a_settlement_above_the_approvers_authority_is_refused(case, team):
    walk(case, until=StepCode.APPROVAL, data={StepCode.SALES_PROPOSAL: StepInput(opinion="赔偿", settlement="allowance", amount=Decimal("3000"))})
    approval = case.steps.get(code=StepCode.APPROVAL)
    complaint_step_assign(actor=team["coordinator"], step=approval, to=team["sales"])  # the salesperson may approve 500 at most
    approval.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        complaint_step_complete(actor=team["sales"], step=approval, data=StepInput(opinion="我同意"))
    assert "3000" in exc.value.messages[0]
    approval.refresh_from_db()
    assert approval.done_at is None


def test_sales_cannot_agree_to_more_than_was_approved(case, team):
    walk(case, until=StepCode.EXECUTE)
    execute = case.steps.get(code=StepCode.EXECUTE)
    with pytest.raises(DomainError) as exc:
        complaint_step_complete(actor=team["sales"], step=execute, data=StepInput(opinion="加赔", customer_answer="再赔", customer_accepted=True,
                                                                                   amount=Decimal("5000")))
    assert "amount" in exc.value.message_dict


def test_closing_with_an_open_step_is_refused(case, team):
    walk(case, until=StepCode.EXECUTE)
    with pytest.raises(DomainError) as exc:
        complaint_close(actor=team["coordinator"], case=case)
    assert exc.value.code == "open_step"
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


@pytest.mark.req("CMP-09")
def test_a_rejected_decision_opens_a_new_case_linked_to_the_original(case, team):
    walk(case, data={StepCode.EXECUTE: StepInput(opinion="客户不接受", customer_answer="折让 3000 元", customer_accepted=False)})
    complaint_close(actor=team["coordinator"], case=case)
    follow_up = ComplaintCase.objects.get(parent=case)
    assert (follow_up.origin, follow_up.status, follow_up.lot_no) == ("rejected", "open", case.lot_no)
    assert follow_up.number != case.number


@pytest.mark.req("CMP-12")
def test_an_overdue_step_gets_one_reminder_to_its_owner_and_his_manager(case, team):
    # An hour after the quality step's deadline (its third day, or the next working day's close when that is a day off).
    with time_machine.travel(case.steps.get(code=StepCode.QUALITY).due_at + dt.timedelta(hours=1), tick=False):
        assert complaint_sweep() == 1
        assert complaint_sweep() == 0
    slip = ChaseSlip.objects.get()
    assert (slip.kind, slip.to_user, slip.copy_to) == ("reminder", team["quality"], team["coordinator"])
    assert Notice.objects.filter(recipient=team["quality"], kind="complaint_reminder").exists()
    chase_slip_answer(actor=team["quality"], slip=slip, answer="等待供应商资料")
    with pytest.raises(PermissionDenied):
        chase_slip_answer(actor=team["production"], slip=slip, answer="x")


@pytest.mark.req("CMP-12")
@pytest.mark.req("CMP-11")
def test_after_closing_late_steps_get_an_inquiry_asking_why(case, team):
    with time_machine.travel(case.accepted_at + dt.timedelta(days=5), tick=False):  # QA signs two days late
        walk(case)
        complaint_close(actor=team["coordinator"], case=case)
    inquiries = ChaseSlip.objects.filter(kind="inquiry")
    assert inquiries.filter(step__code=StepCode.QUALITY, to_user=team["quality"]).exists()


def test_the_case_is_flagged_when_it_passes_13_days(case, team):
    with time_machine.travel(case.accepted_at + dt.timedelta(days=13, minutes=1), tick=False):
        complaint_sweep()
    case.refresh_from_db()
    assert case.overdue_flagged_at is not None
    assert Notice.objects.filter(recipient=team["coordinator"], kind="complaint_overdue").exists()


@pytest.mark.req("CMP-08")
def test_the_closed_form_prints_in_five_copies_with_every_opinion(client, case, team):
    walk(case)
    complaint_close(actor=team["coordinator"], case=case)
    client.force_login(team["coordinator"])
    text = pdf_text(client.get(reverse("complaints:form_pdf", args=[case.pk])).content)
    assert text.count("客户抱怨处理表") >= 5
    assert all(copy in text for copy in ("第一联 品保", "第二联 制造", "第三联 业务", "第四联 会计", "第五联 总经办"))
    assert "轴承游隙超差" in text and case.number in text


def test_a_complaint_is_raised_from_an_opinion_card(client, team, customer_acme, shanghai):
    from aftersales.feedback.models import OpinionCard
    from aftersales.servicedesk.services import RequestInput, service_request_register

    sr = service_request_register(actor=team["coordinator"], data=RequestInput(customer=customer_acme, contact_phone="13800138000", fault_description="x"))
    card = OpinionCard.objects.create(number="YJ1", request=sr, customer=customer_acme, service_center=shanghai, token="t", closed_on=dt.date(2026, 11, 25),
                                      comments="工程师态度差")
    client.force_login(team["coordinator"])
    page = client.get(reverse("complaints:create") + f"?card={card.pk}").content.decode()
    assert "工程师态度差" in page
    client.post(reverse("complaints:create") + f"?card={card.pk}", {
        "customer": customer_acme.pk, "origin": "opinion_card", "kind": "non_quality", "market": "domestic", "subject": "服务态度",
        "description": "工程师态度差", "human_cause": "other"})
    assert ComplaintCase.objects.get().opinion_card == card


def test_another_centre_cannot_open_the_case(client, case, clerk_chen):
    client.force_login(clerk_chen)
    assert client.get(reverse("complaints:detail", args=[case.pk])).status_code == 404


@pytest.mark.req("CMP-04")
def test_a_late_survey_report_is_chased_once_and_qa_files_it(case, team):
    with time_machine.travel(NOV_24, tick=False):
        walk(case, until=StepCode.PRODUCTION, data={StepCode.QUALITY: StepInput(
            opinion="会同制造现场会勘", cause_finding="轴承游隙超差", responsible_unit="生产一课", joint_survey=True)})
    with time_machine.travel(NOV_24 + dt.timedelta(days=3, hours=1), tick=False):
        complaint_sweep()
        complaint_sweep()
    assert Notice.objects.filter(recipient=team["quality"], kind="complaint_survey").count() == 1
    from aftersales.complaints.services import complaint_survey_report

    with pytest.raises(PermissionDenied):
        complaint_survey_report(actor=team["sales"], case=case, report="x")
    complaint_survey_report(actor=team["quality"], case=case, report="现场确认轴承游隙 0.08mm，超差")
    case.refresh_from_db()
    assert "超差" in case.joint_survey_report


@pytest.mark.req("CMP-13")
def test_the_coordinators_are_reminded_of_last_months_statistics_until_the_10th(team):
    with time_machine.travel(at(2026, 12, 2, 9, 0), tick=False):
        complaint_sweep()
        complaint_sweep()
    assert Notice.objects.filter(recipient=team["coordinator"], kind="complaint_statistics").count() == 1
    with time_machine.travel(at(2026, 12, 12, 9, 0), tick=False):
        Notice.objects.all().delete()
        complaint_sweep()
    assert not Notice.objects.filter(kind="complaint_statistics").exists()
