"""Pages of the call register and archive: login, CSRF, ownership, the register form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.servicedesk.models import ServiceRequest
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lathe(customer_acme, lathe_model):
    return f.equipment(customer=customer_acme, model=lathe_model, serial="WEB-1", sold=timezone.localdate() - dt.timedelta(days=60))


@pytest.fixture
def call(clerk_li, lathe):
    return service_request_register(actor=clerk_li, data=RequestInput(
        customer=lathe.customer, equipment=lathe, contact_phone="13800138000", fault_description="异响"))


def test_pages_need_a_login(db):
    response = Client().get("/calls/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_login_page_is_in_chinese_by_default(db):
    assert "登录售后服务管理系统" in Client().get("/login/").content.decode()


def test_pages_stay_chinese_for_a_browser_that_asks_for_english(db):
    page = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录售后服务管理系统" in page


def test_the_language_switch_turns_the_pages_english(clerk_li):
    client = logged_in(clerk_li)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Call register" in client.get("/calls/").content.decode()


def test_forms_are_protected_against_csrf(clerk_li, lathe):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk_li)
    response = client.post("/calls/new/", {"equipment": lathe.pk, "contact_phone": "13800138000", "fault_description": "x", "channel": "phone"})
    assert response.status_code == 403 and not ServiceRequest.objects.exists()


@pytest.mark.req("INTK-01")
def test_the_desk_form_registers_a_call_and_shows_category_and_deadline(clerk_li, lathe):
    response = logged_in(clerk_li).post("/calls/new/", {
        "phone_lookup": "13800138000", "equipment": lathe.pk, "fault_description": "主轴异响", "channel": "phone"}, follow=True)
    page = response.content.decode()
    sr = ServiceRequest.objects.get()
    assert sr.category == "C" and sr.number in page and "整机保修至" in page


def test_the_desk_form_shows_field_errors_and_writes_nothing(clerk_li, lathe):
    response = logged_in(clerk_li).post("/calls/new/", {"contact_phone": "123", "equipment": lathe.pk, "fault_description": "x", "channel": "phone"})
    assert response.status_code == 200 and "不是有效的电话号码" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_a_new_customer_is_created_inline_with_the_call(clerk_li, shanghai):
    logged_in(clerk_li).post("/calls/new/", {"phone_lookup": "13712345678", "new_customer_name": "新来电客户",
                                             "new_customer_address": "上海市徐汇区1号", "fault_description": "空调不制冷", "channel": "phone"})
    sr = ServiceRequest.objects.get()
    assert sr.customer.name == "新来电客户" and sr.zone == "urban" and sr.category == "A"


def test_typing_a_phone_lists_matching_customers_and_their_equipment(clerk_li, lathe):
    page = logged_in(clerk_li).get("/calls/lookup/", {"phone_lookup": "1380013"}).content.decode()
    assert "上海艾克美精密机械有限公司" in page and "WEB-1" in page


def test_the_phone_lookup_shows_each_machines_open_calls(clerk_li, call):
    page = logged_in(clerk_li).get("/calls/lookup/", {"phone_lookup": "1380013"}).content.decode()
    assert f'data-open-call="{call.number}"' in page and f"/calls/{call.pk}/chase/" in page


def test_a_second_call_for_a_machine_with_an_open_call_is_offered_as_a_chase_first(clerk_li, tech_zhang, supervisor_wang, call):
    from aftersales.notifications.models import Notice
    from aftersales.workorders.services import work_order_assign

    work_order_assign(actor=supervisor_wang, request=call, technician=tech_zhang)
    client = logged_in(clerk_li)
    posted = {"phone_lookup": "13800138000", "equipment": call.equipment_id, "fault_description": "客户再次来电，问何时到", "channel": "phone",
              "contact_name": "王工", "contact_phone": "13800138000"}
    page = client.post("/calls/new/", posted).content.decode()
    assert 'id="open-call-choice"' in page and call.number in page and "客户再次来电，问何时到" in page
    assert ServiceRequest.objects.count() == 1  # nothing registered yet
    response = client.post(f"/calls/{call.pk}/chase/", posted)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.chase_count == 1 and call.events.filter(kind="chased", note__contains="问何时到").exists()
    assert Notice.objects.filter(recipient=tech_zhang, kind="chase").exists()
    assert ServiceRequest.objects.count() == 1
    # The clerk may still register a separate call, deliberately.
    client.post("/calls/new/", {**posted, "separate_call": "1"})
    assert ServiceRequest.objects.count() == 2


def test_the_phone_lookup_does_not_reveal_other_centres_customers(clerk_chen, lathe):
    assert "上海艾克美" not in logged_in(clerk_chen).get("/calls/lookup/", {"phone_lookup": "1380013"}).content.decode()


def test_it_validates_ownership_of_the_request_page(clerk_chen, call):
    assert logged_in(clerk_chen).get(f"/calls/{call.pk}/").status_code == 404


def test_it_validates_ownership_of_the_override_action(call, suzhou):
    supervisor_liu = f.staff("supervisor_liu", "supervisor", suzhou)
    response = logged_in(supervisor_liu).post(f"/calls/{call.pk}/override-category/", {"category": "A", "reason": "越权", "version": 1})
    assert response.status_code == 404
    call.refresh_from_db()
    assert call.category == "C"


def test_it_validates_ownership_of_the_customer_and_equipment_pages(clerk_chen, lathe):
    client = logged_in(clerk_chen)
    assert client.get(f"/customers/{lathe.customer.pk}/").status_code == 404
    assert client.get(f"/customers/equipment/{lathe.pk}/").status_code == 404


def test_a_supervisor_overrides_from_the_request_page(supervisor_wang, call):
    response = logged_in(supervisor_wang).post(f"/calls/{call.pk}/override-category/", {"category": "A", "reason": "人为损坏", "version": 1}, follow=True)
    call.refresh_from_db()
    assert call.category == "A" and "人为损坏" in response.content.decode()


def test_an_override_without_reason_from_the_page_shows_the_message(supervisor_wang, call):
    response = logged_in(supervisor_wang).post(f"/calls/{call.pk}/override-category/", {"category": "A", "reason": "", "version": 1}, follow=True)
    call.refresh_from_db()
    assert call.category == "C" and "改判必须填写原因" in response.content.decode()


def test_the_register_filters_by_category_and_overdue(manager_zhou, call):
    client = logged_in(manager_zhou)
    assert call.number in client.get("/calls/", {"category": "C"}).content.decode()
    assert call.number not in client.get("/calls/", {"category": "A"}).content.decode()
    assert call.number not in client.get("/calls/", {"overdue": "on"}).content.decode()


def test_the_register_page_uses_a_bounded_number_of_queries(manager_zhou, clerk_li, lathe, django_assert_max_num_queries):
    for _ in range(20):
        service_request_register(actor=clerk_li, data=RequestInput(customer=lathe.customer, equipment=lathe, contact_phone="13800138000",
                                                                   fault_description="批量"))
    client = logged_in(manager_zhou)
    with django_assert_max_num_queries(8):
        assert client.get("/calls/").status_code == 200


def test_home_customer_search_and_detail_pages_render(clerk_li, call):
    client = logged_in(clerk_li)
    assert call.number in client.get("/").content.decode()
    assert "上海艾克美" in client.get("/customers/", {"q": "艾克美"}).content.decode()
    assert "WEB-1" in client.get(f"/customers/{call.customer.pk}/").content.decode()
    assert "整机保修至" in client.get(f"/customers/equipment/{call.equipment.pk}/").content.decode()
    assert client.get("/customers/export.xlsx").status_code == 200


def test_the_import_page_previews_then_imports(manager_zhou, shanghai, lathe_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = logged_in(manager_zhou)
    upload = SimpleUploadedFile("a.csv", "客户名称,电话,服务中心\n页面导入公司,13655556666,SH\n".encode())
    preview = client.post("/customers/import/", {"file": upload})
    key = preview.context["key"]
    assert "页面导入公司" in preview.content.decode()
    client.post(f"/customers/import/{key}/commit/")
    assert shanghai.customers.filter(name="页面导入公司").exists()


def test_a_technician_may_not_import(tech_zhang):
    assert logged_in(tech_zhang).get("/customers/import/").status_code == 403


def test_the_desk_records_the_job_type_and_a_fault_code_with_the_call(clerk_li, lathe):
    from aftersales.core.models import FaultCode

    code = FaultCode.objects.create(category=lathe.product_model.category, code="MT02", name="数控系统报警")
    client = logged_in(clerk_li)
    assert "MT02 数控系统报警" in client.get("/calls/new/").content.decode()
    client.post("/calls/new/", {"phone_lookup": "13800138000", "equipment": lathe.pk, "fault_description": "报警 ALM401", "channel": "phone",
                                "job_type": "patrol", "fault_code": code.pk})
    sr = ServiceRequest.objects.get()
    assert (sr.job_type, sr.fault_code) == ("patrol", code)


def test_a_machine_not_on_file_is_registered_with_the_call_and_judged_in_warranty_by_its_invoice(clerk_li, shanghai, lathe_model):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from aftersales.equipment.models import Equipment

    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (250, 250, 250)).save(buffer, format="JPEG")
    client = logged_in(clerk_li)
    client.post("/calls/new/", {
        "phone_lookup": "13712345678", "new_customer_name": "新来电客户", "new_customer_address": "上海市徐汇区1号", "fault_description": "主轴异响",
        "channel": "phone", "new_model": lathe_model.pk, "serial_no": "cak-new-01",
        "new_invoice_date": (timezone.localdate() - dt.timedelta(days=60)).isoformat(),
        "new_invoice_photo": SimpleUploadedFile("fapiao.jpg", buffer.getvalue(), "image/jpeg")})
    sr = ServiceRequest.objects.get()
    unit = Equipment.objects.get(serial_no="CAK-NEW-01")
    assert sr.equipment == unit and sr.category == "C"  # in warranty by the invoice, not a paid (A) call without a machine
    assert unit.invoice_photo and "fapiao" not in unit.invoice_photo.name
    served = client.get(f"/customers/equipment/{unit.pk}/invoice/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_a_new_machine_with_a_bad_invoice_file_registers_nothing_and_keeps_the_typing(clerk_li, shanghai, lathe_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = logged_in(clerk_li).post("/calls/new/", {
        "phone_lookup": "13712345678", "new_customer_name": "新来电客户", "fault_description": "主轴异响，急", "channel": "phone",
        "new_model": lathe_model.pk, "serial_no": "CAK-NEW-02",
        "new_invoice_photo": SimpleUploadedFile("fapiao.jpg", b"not a picture", "image/jpeg")}).content.decode()
    assert not ServiceRequest.objects.exists()
    assert "新来电客户" in page and "主轴异响，急" in page and "CAK-NEW-02" in page and "JPEG" in page
