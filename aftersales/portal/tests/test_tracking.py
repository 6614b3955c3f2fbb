"""The customer follows his request like a parcel and hears of each step; after a phone login he sees his own records."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from aftersales.notifications.models import Message
from aftersales.notifications.outbox import deliver_due
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from aftersales.testing.signatures import SIGNED
from aftersales.workorders import services
from conftest import at

pytestmark = pytest.mark.django_db

NOON = at(2026, 11, 26, 12, 0)


@pytest.fixture
def lathe(customer_acme, lathe_model):
    """The lathe, sold 60 days before this module's fixed day: in warranty on the days these tests play."""
    return f.equipment(customer=customer_acme, model=lathe_model, serial="CAK-0001", sold=dt.date(2026, 9, 27))
ACME = "+8613800138000"


def stage_on(client, sr) -> str:
    page = client.get(reverse("portal:track", args=[sr.tracking_token])).content.decode()
    return re.search(r'id="stage" data-stage="(\w+)"', page).group(1), page


@pytest.mark.req("INTK-07")
def test_the_customer_follows_the_request_from_registered_to_done_and_hears_of_each_step(
        client, clerk_li, supervisor_wang, tech_zhang, lathe, sms_gateway):
    tech_zhang.full_name = "张师傅"
    tech_zhang.save()
    with time_machine.travel(NOON, tick=False):
        sr = service_request_register(actor=clerk_li, data=RequestInput(
            customer=lathe.customer, equipment=lathe, contact_phone="13800138000", fault_description="主轴异响"))
        assert stage_on(client, sr)[0] == "registered"
        wo = services.work_order_assign(actor=supervisor_wang, request=sr, technician=tech_zhang)
        stage, page = stage_on(client, sr)
        assert stage == "dispatched" and "张师傅" in page
        services.work_order_record_contact(actor=tech_zhang, work_order=wo, appointment_at=at(2026, 11, 26, 14, 0))
        services.work_order_set_out(actor=tech_zhang, work_order=wo)
        stage, page = stage_on(client, sr)
        assert stage == "on_the_way" and "11-26 14:00–16:00" in page
        services.work_order_check_in(actor=tech_zhang, work_order=wo)
        assert stage_on(client, sr)[0] == "in_service"
        services.work_order_complete(actor=tech_zhang, work_order=wo, work_done="更换轴承", signature=SIGNED, signer_name="王工")
        stage, page = stage_on(client, sr)
        assert stage == "done"
        # The customer reads plain words, never the register's 注销 (which reads "cancelled" to him).
        assert "服务已完成" in page and "工程师已出发" in page and "注销" not in page
        deliver_due()
    texts = sms_gateway.texts_to(ACME)
    assert len(texts) == 4  # registered, engineer assigned, on the way, done — nothing when the service starts
    assert "已受理" in texts[0] and f"/t/{sr.tracking_token}/" in texts[0]
    assert "张师傅" in texts[1]
    assert "已出发" in texts[2] and "11-26 14:00–16:00" in texts[2]
    assert "已完成" in texts[3]


def test_no_step_is_announced_twice(clerk_li, supervisor_wang, tech_zhang, lathe):
    sr = service_request_register(actor=clerk_li, data=RequestInput(
        customer=lathe.customer, equipment=lathe, contact_phone="13800138000", fault_description="主轴异响"))
    wo = services.work_order_assign(actor=supervisor_wang, request=sr, technician=tech_zhang)
    services.work_order_set_out(actor=tech_zhang, work_order=wo)
    from aftersales.core.errors import ConflictError

    with pytest.raises(ConflictError):
        services.work_order_set_out(actor=tech_zhang, work_order=wo)
    assert Message.objects.filter(to_customer=lathe.customer).count() == 3


def test_internal_jobs_send_the_customer_nothing(clerk_li, shanghai):
    service_request_register(actor=clerk_li, data=RequestInput(fault_description="整理仓库", internal=True, service_center=shanghai))
    assert not Message.objects.exists()


def test_the_tracking_page_of_an_unknown_token_is_not_found(client):
    assert client.get(reverse("portal:track", args=["nope"])).status_code == 404


@pytest.fixture
def acme_records(clerk_li, accountant_qian, lathe, customer_wujiang, lathe_model):
    """Acme's lathe with a call and a contract; 吴江's machine and call, which Acme must never see."""
    f.equipment(customer=customer_wujiang, model=lathe_model, serial="WJ-0001")
    service_request_register(actor=clerk_li, data=RequestInput(
        customer=lathe.customer, equipment=lathe, contact_phone="13800138000", fault_description="主轴异响"))
    service_request_register(actor=None, data=RequestInput(customer=customer_wujiang, contact_phone="13912345678", fault_description="吴江的故障"))
    f.contract(customer=lathe.customer, units=[lathe], number="HT-ACME-1", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    return lathe


def login(client, sms_gateway, phone="13800138000"):
    answer = client.post(reverse("portal:login"), {"phone": phone})
    deliver_due()
    texts = sms_gateway.texts_to("+86" + phone)
    code = re.search(r"\d{6}", texts[-1]).group() if texts else "000000"
    return client.post(answer["Location"], {"code": code})


@pytest.fixture
def acme_invoice(paid_job, price_list, tech_zhang, accountant_qian):
    """A finished paid job of Acme's, invoiced."""
    from django.utils import timezone

    from aftersales.billing.services import charges_price_job, invoice_issue

    services.work_order_record_paid_acceptance(actor=tech_zhang, work_order=paid_job, how="客户电话确认报价")
    charges_price_job(actor=accountant_qian, work_order=paid_job)
    services.work_order_complete(actor=tech_zhang, work_order=paid_job, work_done="更换轴承", labour_minutes=60, signature=SIGNED, signer_name="王工")
    return invoice_issue(actor=accountant_qian, work_order=paid_job, kind="vat_normal", number="04400777", issued_on=timezone.localdate(),
                         title="上海艾克美精密机械有限公司")


@pytest.mark.req("INTK-07")
def test_after_a_phone_login_the_customer_sees_his_equipment_history_contracts_and_invoices_and_nothing_else(
        client, acme_records, acme_invoice, sms_gateway):
    with time_machine.travel(NOON, tick=False):
        assert login(client, sms_gateway)["Location"] == reverse("portal:home")
        page = client.get(reverse("portal:home")).content.decode()
    assert "CAK-0001" in page and "主轴异响" in page and "HT-ACME-1" in page
    assert "04400777" in page and str(acme_invoice.total) in page
    assert "WJ-0001" not in page and "吴江" not in page


def test_an_unknown_number_gets_the_same_answer_but_no_sms(client, acme_records, sms_gateway):
    answer = client.post(reverse("portal:login"), {"phone": "13700000000"})
    assert answer.status_code == 302
    deliver_due()
    assert sms_gateway.texts_to("+8613700000000") == []
    page = client.post(answer["Location"], {"code": "123456"}).content.decode()
    assert "验证码错误" in page
    assert client.get(reverse("portal:home"))["Location"] == reverse("portal:login")


def test_the_portal_login_expires(client, acme_records, sms_gateway, settings):
    settings.PORTAL_SESSION_HOURS = 1
    with time_machine.travel(NOON, tick=False):
        login(client, sms_gateway)
    with time_machine.travel(NOON + dt.timedelta(hours=2), tick=False):
        assert client.get(reverse("portal:home"))["Location"] == reverse("portal:login")


def test_a_one_time_code_is_masked_in_the_outbox_and_not_kept_once_sent(client, acme_records, sms_gateway, manager_zhou):
    from django.test import Client

    from aftersales.notifications.models import Message, Purpose

    client.post(reverse("portal:login"), {"phone": "13800138000"})
    staff = Client()
    staff.force_login(manager_zhou)
    waiting = staff.get(reverse("notifications:outbox")).content.decode()
    stored = Message.objects.get(purpose=Purpose.CODE).body
    code = re.search(r"\d{6}", stored).group()
    assert code not in waiting and "••••••" in waiting
    deliver_due()
    assert code in sms_gateway.texts_to("+8613800138000")[-1]
    assert code not in Message.objects.get(purpose=Purpose.CODE).body
    assert code not in staff.get(reverse("notifications:outbox")).content.decode()


# ---- the e-receipt: the signed voucher with its money, as a link in the "done" message ----

def test_the_done_message_links_the_e_receipt_with_the_charges_payment_and_signature(client, clerk_li, supervisor_wang, tech_zhang, paid_job,
                                                                                     van_zhang, bearing, price_list):
    from aftersales.billing.selectors import job_bill
    from aftersales.billing.services import payment_record, quotation_accept, quotation_create, work_order_use_part
    from aftersales.billing.services.quotations import QuoteItem
    from aftersales.testing.pdf import pdf_text

    quotation = quotation_create(actor=tech_zhang, customer=paid_job.request.customer, work_order=paid_job, items=[QuoteItem(part=bearing, quantity=1)])
    quotation_accept(actor=tech_zhang, quotation=quotation, signature=SIGNED, signer_name="王工")
    work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=1)
    services.work_order_complete(actor=tech_zhang, work_order=paid_job, work_done="更换轴承", labour_minutes=60, signature=SIGNED, signer_name="王工")
    bill = job_bill(paid_job)
    payment_record(actor=tech_zhang, work_order=paid_job, amount=bill.total, method="cash")
    done = Message.objects.filter(to_customer=paid_job.request.customer, body__contains="电子回单").get()
    assert done.url.startswith("/r/")
    response = client.get(done.url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf" and "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert paid_job.number in text and str(bill.total) in text and "余额" in text and "王工" in text


def test_a_forged_or_unfinished_receipt_link_opens_nothing(client, tech_zhang, assigned):
    from aftersales.core.capabilities import receipt_token

    assert client.get(f"/r/{receipt_token(assigned.pk)}/").status_code == 404  # not finished
    assert client.get(f"/r/{receipt_token(assigned.pk)[:-2]}xx/").status_code == 404
    assert client.get(f"/r/{assigned.pk}/").status_code == 404
