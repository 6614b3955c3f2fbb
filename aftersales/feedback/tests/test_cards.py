"""Opinion cards for every closed call (SURV-01..06)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from aftersales.core.errors import ConflictError, DomainError
from aftersales.feedback.models import FeedbackItem, FollowUpTask, ItemStatus, OpinionCard, Severity, TaskKind
from aftersales.feedback.selectors import technician_ratings
from aftersales.feedback.services import (
    feedback_chase,
    feedback_forward,
    feedback_overdue_sweep,
    feedback_reply,
    followup_assign,
    followup_complete,
    opinion_card_answer,
    opinion_card_sweep,
)
from aftersales.notifications.models import Notice
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from aftersales.testing.pdf import pdf_text
from aftersales.testing.signatures import SIGNED
from aftersales.workorders import services
from conftest import at

pytestmark = pytest.mark.django_db

YESTERDAY_3PM = at(2026, 11, 25, 15, 0)
TODAY_1AM = at(2026, 11, 26, 1, 0)


@pytest.fixture
def lathe(customer_acme, lathe_model):
    """The lathe, sold 60 days before this module's fixed day: in warranty on the days these tests play."""
    return f.equipment(customer=customer_acme, model=lathe_model, serial="CAK-0001", sold=dt.date(2026, 9, 27))
ALL_GOOD = {"attitude": 4, "skill": 4, "arrival": 3, "follow_through": 4}


def closed_call(clerk, supervisor, tech, unit, when=YESTERDAY_3PM):
    """A call for ``unit`` served and signed off on site at ``when``."""
    with time_machine.travel(when - dt.timedelta(hours=3), tick=False):
        sr = service_request_register(actor=clerk, data=RequestInput(
            customer=unit.customer, equipment=unit, contact_phone=unit.customer.primary_phone.number, fault_description="主轴异响"))
        wo = services.work_order_assign(actor=supervisor, request=sr, technician=tech)
        services.work_order_check_in(actor=tech, work_order=wo)
    with time_machine.travel(when, tick=False):
        services.work_order_complete(actor=tech, work_order=wo, work_done="调整", signature=SIGNED, signer_name="王工")
    sr.refresh_from_db()
    return sr


@pytest.fixture
def vice_gm_feng(db):
    return f.staff("vice_gm_feng", "vice_gm", None)


@pytest.fixture
def agent_he(shanghai):
    return f.staff("agent_he", "care_agent", shanghai)


@pytest.fixture
def card(clerk_li, supervisor_wang, tech_zhang, lathe):
    closed_call(clerk_li, supervisor_wang, tech_zhang, lathe)
    with time_machine.travel(TODAY_1AM, tick=False):
        opinion_card_sweep()
    return OpinionCard.objects.get()


@pytest.mark.req("SURV-02")
def test_every_call_closed_yesterday_gets_a_card_no_sampling(clerk_li, supervisor_wang, tech_zhang, customer_acme, lathe_model, shanghai):
    units = [f.equipment(customer=customer_acme, model=lathe_model) for _ in range(3)]
    calls = [closed_call(clerk_li, supervisor_wang, tech_zhang, unit) for unit in units]
    closed_today = closed_call(clerk_li, supervisor_wang, tech_zhang, f.equipment(customer=customer_acme, model=lathe_model), when=at(2026, 11, 26, 0, 30))
    service_request_register(actor=clerk_li, data=RequestInput(fault_description="整理仓库", internal=True, service_center=shanghai))
    with time_machine.travel(TODAY_1AM, tick=False):
        assert opinion_card_sweep() == 3
        assert opinion_card_sweep() == 0  # idempotent
    assert set(OpinionCard.objects.values_list("request_id", flat=True)) == {c.pk for c in calls}
    assert not OpinionCard.objects.filter(request=closed_today).exists()
    card = OpinionCard.objects.first()
    assert card.technician == tech_zhang and card.closed_on == dt.date(2026, 11, 25)


@pytest.mark.req("SURV-02")
def test_the_card_goes_out_by_the_customers_channel_the_morning_after(card):
    message = card.message
    assert (message.channel, message.purpose, message.address) == ("sms", "survey", "+8613800138000")
    assert message.next_attempt_at == at(2026, 11, 26, 10, 0)
    assert message.url == f"/s/{card.token}/"


@pytest.mark.req("SURV-03")
@pytest.mark.req("SURV-01")
def test_the_customer_rates_four_criteria_on_four_levels_from_the_link(client, card, tech_zhang):
    page = client.get(reverse("opinion_card", args=[card.token])).content.decode()
    assert all(word in page for word in ("态度", "技术", "到达时间", "答应事情的办理", "很满意", "满意", "一般", "不满意"))
    answer = client.post(reverse("opinion_card", args=[card.token]), {**ALL_GOOD, "comment_kind": "", "comments": ""})
    assert answer.status_code == 200 and "感谢您的意见" in answer.content.decode()
    card.refresh_from_db()
    assert (card.attitude, card.skill, card.arrival, card.follow_through, card.answered_via) == (4, 4, 3, 4, "link")
    assert card.technician == tech_zhang
    assert not FeedbackItem.objects.exists() and not FollowUpTask.objects.exists()


def test_a_card_answered_twice_keeps_the_first_answer(client, card):
    client.post(reverse("opinion_card", args=[card.token]), {**ALL_GOOD, "comment_kind": ""})
    again = client.post(reverse("opinion_card", args=[card.token]), {"attitude": 1, "skill": 1, "arrival": 1, "follow_through": 1,
                                                                      "comment_kind": "complaint", "comments": "太差"})
    assert again.status_code == 409
    assert "已于" in again.content.decode()
    card.refresh_from_db()
    assert card.attitude == 4 and card.comments == ""
    with pytest.raises(ConflictError):
        opinion_card_answer(card=card, ratings=ALL_GOOD)


def test_a_card_missing_a_criterion_is_refused_and_nothing_is_stored(card):
    with pytest.raises(DomainError) as exc:
        opinion_card_answer(card=card, ratings={"attitude": 4, "skill": 4, "arrival": 5})
    assert set(exc.value.message_dict) == {"arrival", "follow_through"}
    card.refresh_from_db()
    assert card.answered_at is None


def test_a_complaint_needs_its_text(card):
    with pytest.raises(DomainError) as exc:
        opinion_card_answer(card=card, ratings=ALL_GOOD, comment_kind="complaint", comments=" ")
    assert "comments" in exc.value.message_dict


@pytest.mark.req("SURV-04")
@pytest.mark.req("SURV-05")
def test_a_serious_complaint_goes_to_the_vice_gm_and_the_supervisor_visits_the_customer(card, vice_gm_feng, supervisor_wang):
    opinion_card_answer(card=card, ratings={**ALL_GOOD, "arrival": 1}, comment_kind="complaint", comments="等了两天才来人")
    item = FeedbackItem.objects.get()
    assert (item.severity, item.kind, item.status) == (Severity.SERIOUS, "complaint", ItemStatus.OPEN)
    assert Notice.objects.filter(recipient=vice_gm_feng, kind="feedback").exists()
    visit = FollowUpTask.objects.get(kind=TaskKind.SUPERVISOR_VISIT)
    assert visit.assigned_to == supervisor_wang
    assert FollowUpTask.objects.filter(kind=TaskKind.LOW_SCORE_CALL).exists()  # the 1 is a low score too


@pytest.mark.req("SURV-05")
def test_even_a_mild_complaint_gets_a_supervisor_visit_and_goes_to_the_service_department(card, manager_zhou, supervisor_wang):
    opinion_card_answer(card=card, ratings=ALL_GOOD, comment_kind="complaint", comments="工程师没有带鞋套")
    item = FeedbackItem.objects.get()
    assert item.severity == Severity.GENERAL
    assert Notice.objects.filter(recipient=manager_zhou, kind="feedback").exists()
    assert FollowUpTask.objects.get().kind == TaskKind.SUPERVISOR_VISIT


def test_a_suggestion_goes_to_the_service_department_without_a_visit(card):
    opinion_card_answer(card=card, ratings=ALL_GOOD, comment_kind="suggestion", comments="希望能提供微信预约")
    assert FeedbackItem.objects.get().severity == Severity.GENERAL
    assert not FollowUpTask.objects.exists()


def test_a_low_score_opens_a_call_back(card, supervisor_wang):
    opinion_card_answer(card=card, ratings={**ALL_GOOD, "skill": 2}, now=at(2026, 11, 26, 11, 0))
    task = FollowUpTask.objects.get()
    assert (task.kind, task.assigned_to, task.due_on) == (TaskKind.LOW_SCORE_CALL, supervisor_wang, dt.date(2026, 11, 28))


@pytest.mark.req("SURV-04")
def test_a_serious_opinion_is_answered_by_letter_which_prints(client, card, vice_gm_feng):
    opinion_card_answer(card=card, ratings={**ALL_GOOD, "attitude": 1}, comment_kind="complaint", comments="态度恶劣")
    item = FeedbackItem.objects.get()
    with pytest.raises(DomainError) as exc:
        feedback_reply(actor=vice_gm_feng, item=item, text="已电话致歉", via="phone")
    assert "书面" in exc.value.messages[0] or "信函" in exc.value.messages[0]
    feedback_reply(actor=vice_gm_feng, item=item, text="已对该工程师进行批评教育并扣减当月绩效。", via="letter")
    item.refresh_from_db()
    assert item.status == ItemStatus.REPLIED
    client.force_login(vice_gm_feng)
    text = pdf_text(client.get(reverse("feedback:item_letter", args=[item.pk])).content)
    assert "复函" in text and "态度恶劣" in text and "批评教育" in text


@pytest.mark.req("SURV-04")
def test_the_vice_gm_may_forward_a_serious_opinion_and_the_colleague_answers_it(card, vice_gm_feng, manager_zhou, clerk_li):
    opinion_card_answer(card=card, ratings={**ALL_GOOD, "attitude": 1}, comment_kind="complaint", comments="态度恶劣")
    item = FeedbackItem.objects.get()
    with pytest.raises(PermissionDenied):
        feedback_reply(actor=manager_zhou, item=item, text="x", via="letter")
    feedback_forward(actor=vice_gm_feng, item=item, to=manager_zhou, note="请处理并回函")
    item.refresh_from_db()
    feedback_reply(actor=manager_zhou, item=item, text="已处理", via="letter")
    with pytest.raises(ConflictError):
        feedback_reply(actor=vice_gm_feng, item=item, text="again", via="letter")
    with pytest.raises(PermissionDenied):
        feedback_forward(actor=clerk_li, item=item, to=clerk_li)


def test_an_agent_enters_answers_given_on_the_phone(client, card, agent_he):
    client.force_login(agent_he)
    client.post(reverse("feedback:card_enter", args=[card.pk]), {**ALL_GOOD, "comment_kind": "", "comments": "", "via": "phone"})
    card.refresh_from_db()
    assert (card.answered_via, card.entered_by) == ("phone", agent_he)


def test_a_technician_cannot_enter_answers_for_his_own_card(card, tech_zhang):
    with pytest.raises(PermissionDenied):
        opinion_card_answer(card=card, ratings=ALL_GOOD, via="phone", actor=tech_zhang)


def test_another_centre_does_not_see_the_card(client, card, clerk_chen):
    client.force_login(clerk_chen)
    assert client.get(reverse("feedback:card_enter", args=[card.pk])).status_code == 404


@pytest.mark.req("SURV-05")
def test_the_supervisor_hands_the_visit_to_a_designee_who_records_the_outcome(card, supervisor_wang, clerk_li, clerk_chen):
    opinion_card_answer(card=card, ratings=ALL_GOOD, comment_kind="complaint", comments="服务慢")
    task = FollowUpTask.objects.get()
    with pytest.raises(DomainError):
        followup_assign(actor=supervisor_wang, task=task, to=clerk_chen)  # another centre
    followup_assign(actor=supervisor_wang, task=task, to=clerk_li)
    task.refresh_from_db()
    with pytest.raises(DomainError):
        followup_complete(actor=clerk_li, task=task, outcome="")
    followup_complete(actor=clerk_li, task=task, outcome="上门拜访，客户表示满意")
    task.refresh_from_db()
    assert task.done_by == clerk_li
    with pytest.raises(ConflictError):
        followup_complete(actor=supervisor_wang, task=task, outcome="again")


@pytest.mark.req("SURV-06")
def test_overdue_opinions_and_visits_are_flagged_once_and_the_service_department_chases(card, manager_zhou, supervisor_wang):
    with time_machine.travel(at(2026, 11, 26, 11, 0), tick=False):
        opinion_card_answer(card=card, ratings=ALL_GOOD, comment_kind="complaint", comments="服务慢")
    with time_machine.travel(at(2026, 12, 4, 12, 0), tick=False):
        assert feedback_overdue_sweep() == 2  # the reply (7 days) and the visit (7 days)
        assert feedback_overdue_sweep() == 0
        task = FollowUpTask.objects.get()
        assert feedback_chase(actor=manager_zhou, task=task) == 1
    assert Notice.objects.filter(recipient=supervisor_wang, kind="chase").exists()
    with pytest.raises(PermissionDenied):
        feedback_chase(actor=supervisor_wang, task=task)


@pytest.mark.req("SURV-01")
def test_ratings_are_kept_per_technician_for_the_monthly_appraisal(client, clerk_li, supervisor_wang, tech_zhang, shanghai, customer_acme,
                                                                   lathe_model, manager_zhou):
    tech_qian = f.technician("tech_qian", shanghai, skills=["machine-tool"])
    for tech, ratings in ((tech_zhang, ALL_GOOD), (tech_zhang, {**ALL_GOOD, "skill": 2}), (tech_qian, {**ALL_GOOD, "attitude": 1})):
        closed_call(clerk_li, supervisor_wang, tech, f.equipment(customer=customer_acme, model=lathe_model))
        with time_machine.travel(TODAY_1AM, tick=False):
            opinion_card_sweep()
        opinion_card_answer(card=OpinionCard.objects.get(answered_at__isnull=True), ratings=ratings, now=at(2026, 11, 26, 11, 0))
    rows = technician_ratings(user=manager_zhou, month=dt.date(2026, 11, 1))
    by_name = {r.name: r for r in rows}
    assert by_name["tech_zhang"].cards == 2 and str(by_name["tech_zhang"].averages["skill"]) == "3.00"
    assert by_name["tech_qian"].dissatisfied == 1
    assert [r.name for r in rows] == ["tech_zhang", "tech_qian"]
    client.force_login(manager_zhou)
    page = client.get(reverse("feedback:ratings") + "?month=2026-11").content.decode()
    assert 'id="ratings-chart"' in page and "tech_qian" in page
