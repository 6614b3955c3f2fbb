"""The customer's side in a real browser on a phone-sized screen: scan, report with an SMS code, follow, rate (INTK-07, SURV-03)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from aftersales.feedback.models import FeedbackItem, FollowUpTask, OpinionCard
from aftersales.feedback.services import opinion_card_create
from aftersales.servicedesk.models import ServiceRequest
from aftersales.testing import factories as f
from aftersales.testing.signatures import SIGNED
from aftersales.workorders import services


def stage(page) -> str:
    page.reload()
    return page.locator("#stage").get_attribute("data-stage")


@pytest.mark.req("INTK-07")
def test_a_customer_scans_the_label_reports_a_fault_with_an_sms_code_and_follows_it_to_done(
        phone_page, transactional_db, sms_gateway, supervisor_wang, tech_zhang, customer_acme, lathe_model):
    lathe = f.equipment(customer=customer_acme, model=lathe_model, serial="QR-0001", sold=timezone.localdate())

    # Scanning the label opens the machine's page: model, serial, warranty — and the report form.
    phone_page.goto(f"/q/{lathe.qr_token}/")
    assert "CAK6150" in phone_page.inner_text("#machine") and "QR-0001" in phone_page.inner_text("#machine")
    assert "保修期至" in phone_page.inner_text("#warranty")
    phone_page.fill("#id_fault_description", "主轴异响，开机后有焦糊味")
    phone_page.fill("#id_contact_name", "王工")
    phone_page.fill("#id_phone", "139 1234 0000")
    phone_page.click("#send-code")

    # The code arrives by SMS at the (fake) gateway; the caller types it.
    phone_page.wait_for_selector("#code-form")
    texts = sms_gateway.texts_to("+8613912340000")
    assert texts, "the SMS code did not reach the gateway"
    phone_page.fill("#id_code", re.search(r"\d{6}", texts[-1]).group())
    phone_page.click("#confirm-code")
    phone_page.wait_for_url(re.compile(r"/t/[\w-]+/$"))

    sr = ServiceRequest.objects.get()
    assert (sr.channel, sr.customer, sr.equipment) == ("qr", customer_acme, lathe)
    assert phone_page.locator("#stage").get_attribute("data-stage") == "registered"
    assert sr.number in phone_page.inner_text("body")

    # Staff take it through the loop; the customer's page follows like a parcel.
    tech_zhang.full_name = "张伟"
    tech_zhang.save()
    wo = services.work_order_assign(actor=supervisor_wang, request=sr, technician=tech_zhang)
    assert stage(phone_page) == "dispatched"
    assert "张伟" in phone_page.inner_text("#engineer")
    services.work_order_set_out(actor=tech_zhang, work_order=wo)
    assert stage(phone_page) == "on_the_way"
    services.work_order_check_in(actor=tech_zhang, work_order=wo)
    assert stage(phone_page) == "in_service"
    services.work_order_complete(actor=tech_zhang, work_order=wo, work_done="更换主轴轴承", signature=SIGNED, signer_name="王工")
    assert stage(phone_page) == "done"
    assert phone_page.locator("#steps li[data-stage='done']").get_attribute("data-done") == "1"


@pytest.mark.req("SURV-03")
@pytest.mark.req("SURV-05")
def test_a_customer_answers_the_opinion_card_from_the_link(phone_page, transactional_db, clerk_li, supervisor_wang, tech_zhang, customer_acme,
                                                          lathe_model):
    from aftersales.servicedesk.services import RequestInput, service_request_register

    lathe = f.equipment(customer=customer_acme, model=lathe_model, serial="CARD-0001", sold=timezone.localdate())
    sr = service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, equipment=lathe, contact_phone="13800138000",
                                                                     fault_description="主轴异响"))
    wo = services.work_order_assign(actor=supervisor_wang, request=sr, technician=tech_zhang)
    services.work_order_check_in(actor=tech_zhang, work_order=wo)
    services.work_order_complete(actor=tech_zhang, work_order=wo, work_done="调整", signature=SIGNED, signer_name="王工")
    sr.refresh_from_db()
    card = opinion_card_create(request=sr, now=timezone.now())

    phone_page.goto(card.message.url)
    for criterion, level in (("attitude", 4), ("skill", 4), ("arrival", 2), ("follow_through", 3)):
        phone_page.check(f"#{criterion}-{level}")
    phone_page.check("input[name=comment_kind][value=complaint]")
    phone_page.fill("textarea[name=comments]", "约好上午来，下午才到")
    phone_page.click("#send-card")
    phone_page.wait_for_selector("#card-thanks")
    assert "感谢您的意见" in phone_page.inner_text("#card-thanks")

    card.refresh_from_db()
    assert (card.attitude, card.skill, card.arrival, card.follow_through, card.answered_via) == (4, 4, 2, 3, "link")
    assert FeedbackItem.objects.get(card=card).kind == "complaint"
    assert FollowUpTask.objects.filter(card=card, kind="supervisor_visit", assigned_to=supervisor_wang).exists()

    # The link opened again shows the answer is in; nothing can be changed.
    phone_page.goto(card.message.url)
    assert phone_page.locator("#card-thanks").is_visible()
    assert OpinionCard.objects.get(pk=card.pk).arrival == 2
