"""The customer's side (INTK-07): scan the label, report with an SMS code, follow the request, log in by phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from aftersales.customers.views import label_url
from aftersales.equipment.services import equipment_rotate_qr_token
from aftersales.notifications.outbox import deliver_due
from aftersales.portal.models import OneTimeCode, PortalMiss
from aftersales.servicedesk.models import ServiceRequest
from aftersales.testing import factories as f
from aftersales.testing.pdf import pdf_text
from conftest import at

pytestmark = pytest.mark.django_db

NOON = at(2026, 11, 26, 12, 0)


@pytest.fixture
def lathe(customer_acme, lathe_model):
    """The lathe, sold 60 days before this module's fixed day: in warranty on the days these tests play."""
    return f.equipment(customer=customer_acme, model=lathe_model, serial="CAK-0001", sold=dt.date(2026, 9, 27))
CALLER = "13912340000"


@pytest.fixture
def lathe_label(lathe):
    return reverse("portal:scan", args=[lathe.qr_token])


def latest_code(gateway, phone="+86" + CALLER) -> str:
    deliver_due()
    texts = gateway.texts_to(phone)
    assert texts, "no SMS reached the phone"
    return re.search(r"\d{6}", texts[-1]).group()


def report(client, label, **fields):
    data = {"fault_description": "主轴异响", "contact_name": "王工", "phone": CALLER, **fields}
    return client.post(label, data)


def confirm_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


@pytest.mark.req("INTK-07")
def test_a_scan_shows_the_machine_and_its_warranty_but_nothing_about_its_owner(client, lathe, lathe_label):
    with time_machine.travel(NOON, tick=False):
        page = client.get(lathe_label).content.decode()
    assert "CAK6150" in page and "CAK-0001" in page
    assert "保修期至" in page
    assert lathe.customer.name not in page
    assert "13800138000" not in page and "张江路" not in page


@pytest.mark.req("INTK-07")
def test_a_fault_reported_from_the_label_lands_in_the_call_register_with_channel_qr(client, lathe, lathe_label, sms_gateway):
    with time_machine.travel(NOON, tick=False):
        to_confirm = confirm_url(report(client, lathe_label))
        answer = client.post(to_confirm, {"code": latest_code(sms_gateway)})
    sr = ServiceRequest.objects.get()
    assert (sr.channel, sr.customer, sr.equipment, sr.contact_phone, sr.contact_name) == ("qr", lathe.customer, lathe, "+86" + CALLER, "王工")
    assert sr.category == "C"  # in warranty: classified like any other call
    assert answer["Location"] == reverse("portal:track", args=[sr.tracking_token])


def test_the_report_is_not_filed_before_the_code_is_confirmed(client, lathe_label, sms_gateway):
    report(client, lathe_label)
    deliver_due()
    (text,) = sms_gateway.texts_to("+86" + CALLER)
    assert "验证码" in text and "10分钟" in text
    assert not ServiceRequest.objects.exists()


def test_a_wrong_code_is_refused_counted_and_files_nothing(client, lathe_label, sms_gateway, settings):
    settings.PORTAL_CODE_MAX_ATTEMPTS = 3
    to_confirm = confirm_url(report(client, lathe_label))
    latest_code(sms_gateway)
    page = client.post(to_confirm, {"code": "000000"}).content.decode()
    assert "验证码错误" in page and "还可尝试 2 次" in page
    client.post(to_confirm, {"code": "000001"})
    page = client.post(to_confirm, {"code": "000002"}).content.decode()
    assert "错误次数过多" in page
    assert OneTimeCode.objects.get().attempts == 3
    assert not ServiceRequest.objects.exists()


def test_an_expired_code_is_refused_with_a_clear_message(client, lathe_label, sms_gateway, settings):
    settings.PORTAL_CODE_TTL_MINUTES = 10
    with time_machine.travel(NOON, tick=False):
        to_confirm = confirm_url(report(client, lathe_label))
        code = latest_code(sms_gateway)
    with time_machine.travel(NOON + dt.timedelta(minutes=11), tick=False):
        page = client.post(to_confirm, {"code": code}).content.decode()
    assert "验证码已过期" in page
    assert not ServiceRequest.objects.exists()


def test_confirming_the_same_code_twice_files_one_request(client, lathe_label, sms_gateway):
    with time_machine.travel(NOON, tick=False):
        to_confirm = confirm_url(report(client, lathe_label))
        code = latest_code(sms_gateway)
        first = client.post(to_confirm, {"code": code})
        second = client.post(to_confirm, {"code": code})
    assert ServiceRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_landline_cannot_receive_the_code(client, lathe_label):
    page = report(client, lathe_label, phone="021-62345678").content.decode()
    assert "请输入手机号码" in page
    assert not OneTimeCode.objects.exists()


def test_an_empty_description_is_refused_and_no_code_is_sent(client, lathe_label, sms_gateway):
    page = report(client, lathe_label, fault_description="  ").content.decode()
    assert "该字段是必填项" in page
    assert not OneTimeCode.objects.exists()


def test_too_many_codes_to_one_phone_are_refused(client, lathe_label, settings):
    settings.PORTAL_CODES_PER_PHONE_PER_HOUR = 2
    report(client, lathe_label)
    report(client, lathe_label)
    third = report(client, lathe_label)
    assert third.status_code == 429
    assert "发送给此号码的验证码过多" in third.content.decode()
    assert OneTimeCode.objects.count() == 2


def test_too_many_reports_from_one_address_are_refused(client, customer_acme, lathe_model, sms_gateway, settings):
    settings.PORTAL_REPORTS_PER_IP_PER_DAY = 2
    units = [f.equipment(customer=customer_acme, model=lathe_model) for _ in range(3)]
    with time_machine.travel(NOON, tick=False):
        for n, unit in enumerate(units[:2]):
            phone = f"1391234000{n}"
            to_confirm = confirm_url(report(client, reverse("portal:scan", args=[unit.qr_token]), phone=phone))
            client.post(to_confirm, {"code": latest_code(sms_gateway, "+86" + phone)})
        refused = report(client, reverse("portal:scan", args=[units[2].qr_token]), phone="13912340009")
    assert refused.status_code == 429
    assert ServiceRequest.objects.count() == 2


def test_too_many_reports_of_one_machine_in_a_day_are_refused(client, lathe, lathe_label, sms_gateway, settings):
    settings.PORTAL_REPORTS_PER_TOKEN_PER_DAY = 1
    with time_machine.travel(NOON, tick=False):
        client.post(confirm_url(report(client, lathe_label)), {"code": latest_code(sms_gateway)})
        again = report(client, lathe_label, phone="13912340001")
    assert again.status_code == 429
    assert "今天已多次报修" in again.content.decode()


def test_an_unknown_label_reveals_nothing_and_guessing_is_stopped(client, lathe, settings):
    settings.PORTAL_MISSES_PER_IP_PER_HOUR = 3
    for n in range(3):
        missed = client.get(reverse("portal:scan", args=[f"guess{n}"]))
        assert missed.status_code == 404
    assert PortalMiss.objects.count() == 3
    blocked = client.get(reverse("portal:scan", args=["guess-again"]))
    assert blocked.status_code == 429
    assert PortalMiss.objects.count() == 3


def test_guessing_from_an_address_does_not_lock_out_real_labels_scanned_behind_it(client, lathe, settings):
    settings.PORTAL_MISSES_PER_IP_PER_HOUR = 3
    for n in range(5):
        client.get(reverse("portal:scan", args=[f"guess{n}"]))
    real = client.get(reverse("portal:scan", args=[lathe.qr_token]))
    assert real.status_code == 200
    assert lathe.serial_no in real.content.decode()


def test_a_forged_forwarded_address_does_not_escape_the_guessing_limit(client, lathe, settings):
    settings.PORTAL_MISSES_PER_IP_PER_HOUR = 3
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(3):
        client.get(reverse("portal:scan", args=[f"guess{n}"]), HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.7")
    forged = client.get(reverse("portal:scan", args=["guess-more"]), HTTP_X_FORWARDED_FOR="10.9.9.99, 203.0.113.7")
    assert forged.status_code == 429


def test_a_replaced_label_says_so_and_the_new_one_works(client, lathe, clerk_li):
    old = lathe.qr_token
    equipment_rotate_qr_token(actor=clerk_li, equipment=lathe)
    lathe.refresh_from_db()
    gone = client.get(reverse("portal:scan", args=[old]))
    assert gone.status_code == 410
    assert "标签已被新标签取代" in gone.content.decode()
    assert lathe.serial_no not in gone.content.decode()
    assert client.get(reverse("portal:scan", args=[lathe.qr_token])).status_code == 200


def test_only_staff_of_the_customers_centre_can_reissue_a_label(lathe, clerk_chen):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        equipment_rotate_qr_token(actor=clerk_chen, equipment=lathe)


@pytest.mark.req("INTK-07")
def test_the_label_sheet_is_a_chinese_pdf_whose_code_opens_the_public_page(client, clerk_li, lathe, lathe_model):
    f.equipment(customer=lathe.customer, model=lathe_model, serial="CAK-0002")
    client.force_login(clerk_li)
    response = client.get(reverse("customers:labels", args=[lathe.customer.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "扫码报修" in text and "CAK-0001" in text and "CAK-0002" in text
    assert label_url(lathe) == f"http://127.0.0.1:8000/q/{lathe.qr_token}/"


def test_another_branch_cannot_print_the_customers_labels(client, clerk_chen, lathe):
    client.force_login(clerk_chen)
    assert client.get(reverse("customers:labels", args=[lathe.customer.pk])).status_code == 404
