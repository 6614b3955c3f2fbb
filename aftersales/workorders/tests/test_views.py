"""Pages of the service loop: the board, vouchers, the phone, the workshop, PDFs; ownership and query counts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.servicedesk.models import ServiceRequest
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from aftersales.testing import signatures
from aftersales.testing.pdf import pdf_fonts, pdf_text
from aftersales.workorders import services
from aftersales.workorders.models import Status, WorkOrder


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def more_calls(clerk, lathe, n: int) -> list[ServiceRequest]:
    return [service_request_register(actor=clerk, data=RequestInput(customer=lathe.customer, equipment=lathe, contact_phone="13800138000",
                                                                     fault_description=f"故障 {i}")) for i in range(n)]


def test_the_board_lists_waiting_calls_with_a_suggested_technician(supervisor_wang, tech_zhang, call):
    page = logged_in(supervisor_wang).get("/work-orders/board/").content.decode()
    assert call.number in page and "tech_zhang" in page


def test_a_clerk_and_a_technician_cannot_open_the_board(clerk_li, tech_zhang):
    assert logged_in(clerk_li).get("/work-orders/board/").status_code == 403
    assert logged_in(tech_zhang).get("/work-orders/board/").status_code == 403


def test_accepting_a_suggestion_from_the_board_dispatches_the_call(supervisor_wang, tech_zhang, call):
    response = logged_in(supervisor_wang).post("/work-orders/board/assign/", {"request": call.pk, "technician": tech_zhang.pk,
                                                                              "version": call.version})
    assert response.status_code == 302
    assert WorkOrder.objects.get(request=call).technician == tech_zhang


def test_a_refused_assignment_shows_the_reason_and_writes_nothing(supervisor_wang, tech_wu, call):
    client = logged_in(supervisor_wang)
    response = client.post("/work-orders/board/assign/", {"request": call.pk, "technician": tech_wu.pk}, follow=True)
    assert "tech_wu" in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_accepting_all_suggestions_for_ticked_calls(supervisor_wang, tech_zhang, clerk_li, call, lathe):
    second = more_calls(clerk_li, lathe, 1)[0]
    logged_in(supervisor_wang).post("/work-orders/board/batch/", {"selected": [call.pk, second.pk], "use_suggestions": "1"})
    assert WorkOrder.objects.filter(request__in=[call, second]).count() == 2


def test_the_board_keeps_a_constant_number_of_queries_as_the_queue_grows(supervisor_wang, tech_zhang, clerk_li, call, lathe,
                                                                         django_assert_num_queries):
    client = logged_in(supervisor_wang)
    client.get("/work-orders/board/")  # warm the session and the content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/work-orders/board/")
    more_calls(clerk_li, lathe, 8)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/work-orders/board/")


def _count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/work-orders/", "/work-orders/workshop/", "/work-orders/goods-register/", "/m/"])
def test_list_pages_keep_a_constant_number_of_queries_as_they_grow(url, supervisor_wang, tech_zhang, clerk_li, lathe):
    client = logged_in(tech_zhang if url == "/m/" else supervisor_wang)

    def add_taken_back_jobs(n: int) -> None:
        for sr in more_calls(clerk_li, lathe, n):
            wo = services.work_order_assign(actor=supervisor_wang, request=sr, technician=tech_zhang)
            services.work_order_check_in(actor=tech_zhang, work_order=wo)
            services.work_order_take_back(actor=tech_zhang, work_order=wo, condition="完好", signature=signatures.SIGNED, signer_name="王工")

    add_taken_back_jobs(2)
    client.get(url)
    before = _count_queries(client, url)
    add_taken_back_jobs(5)
    assert _count_queries(client, url) == before


@pytest.mark.req("REP-01")
def test_the_technicians_phone_lists_his_jobs_with_tap_to_call(tech_zhang, assigned):
    page = logged_in(tech_zhang).get("/m/").content.decode()
    assert assigned.number in page
    job = logged_in(tech_zhang).get(f"/m/jobs/{assigned.pk}/").content.decode()
    assert 'href="tel:+8613800138000"' in job and "主轴异响" in job and 'name="viewport"' in job


def test_it_validates_ownership_of_a_job_for_another_technician(assigned, shanghai):
    tech_qian = f.technician("tech_qian", shanghai, skills=["machine-tool"])
    client = logged_in(tech_qian)
    assert client.get(f"/m/jobs/{assigned.pk}/").status_code == 404
    assert client.get(f"/work-orders/{assigned.pk}/").status_code == 404
    assert client.post(f"/work-orders/{assigned.pk}/check-in/", {"version": assigned.version}).status_code == 404
    assert client.get(f"/work-orders/{assigned.pk}/voucher.pdf").status_code == 404
    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED


def test_it_validates_ownership_of_a_voucher_for_another_centre(clerk_chen, supervisor_liu, assigned):
    assert logged_in(clerk_chen).get(f"/work-orders/{assigned.pk}/").status_code == 404
    assert logged_in(supervisor_liu).post(f"/work-orders/{assigned.pk}/cancel/", {"reason": "越权"}).status_code == 404


def test_a_technician_sees_only_the_calls_he_was_sent_to(tech_zhang, assigned, clerk_li, lathe):
    other = more_calls(clerk_li, lathe, 1)[0]
    page = logged_in(tech_zhang).get("/calls/").content.decode()
    assert assigned.request.number in page and other.number not in page
    assert logged_in(tech_zhang).get(f"/calls/{other.pk}/").status_code == 404


def test_checking_in_from_the_phone_goes_back_to_the_job(tech_zhang, assigned):
    response = logged_in(tech_zhang).post(f"/work-orders/{assigned.pk}/check-in/", {
        "version": assigned.version, "latitude": "31.2034", "longitude": "121.5872", "accuracy": "20", "next": f"/m/jobs/{assigned.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/m/jobs/{assigned.pk}/"
    assigned.refresh_from_db()
    assert assigned.status == Status.ON_SITE


def test_a_bad_step_from_a_page_shows_the_message_and_changes_nothing(tech_zhang, on_site):
    response = logged_in(tech_zhang).post(f"/work-orders/{on_site.pk}/check-in/", {"version": on_site.version}, follow=True)
    assert on_site.number in response.content.decode()
    on_site.refresh_from_db()
    assert on_site.visits.count() == 1


def test_the_voucher_page_is_protected_against_csrf(tech_zhang, assigned):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tech_zhang)
    assert client.post(f"/work-orders/{assigned.pk}/check-in/", {"version": assigned.version}).status_code == 403


def test_completing_from_the_phone_with_a_drawn_signature(tech_zhang, on_site):
    logged_in(tech_zhang).post(f"/work-orders/{on_site.pk}/complete/", {
        "version": on_site.version, "work_done": "更换皮带", "labour_minutes": "45", "signature": signatures.SIGNED, "signer_name": "王工"})
    on_site.refresh_from_db()
    assert on_site.status == Status.COMPLETED


def test_the_signature_image_is_served_only_to_those_who_see_the_voucher(tech_zhang, taken_back, clerk_chen):
    url = f"/work-orders/{taken_back.pk}/signatures/take_back.png"
    response = logged_in(tech_zhang).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png" and response.content.startswith(b"\x89PNG")
    assert logged_in(clerk_chen).get(url).status_code == 404


def test_the_parts_box_understands_name_times_quantity(tech_zhang, taken_back):
    client = logged_in(tech_zhang)
    client.post(f"/work-orders/{taken_back.pk}/start-repair/", {"version": taken_back.version})
    taken_back.refresh_from_db()
    client.post(f"/work-orders/{taken_back.pk}/finish-repair/", {"version": taken_back.version, "repair_minutes": "120",
                                                                  "work_done": "更换", "parts": "主轴轴承 × 2\n油封 x 3\n密封圈"})
    card = taken_back.repair_card
    assert [(p.description, p.quantity) for p in card.parts.all()] == [("主轴轴承", 2), ("油封", 3), ("密封圈", 1)]


@pytest.mark.req("REP-03")
@pytest.mark.parametrize(("name", "title", "number"), [
    ("voucher", "服务凭证", lambda wo: wo.number), ("receipt", "客户商品领取收据", lambda wo: wo.receipt.number),
    ("repair-card", "修护卡", lambda wo: wo.repair_card.number),
])
def test_the_printed_forms_are_chinese_pdfs_with_their_numbers(tech_zhang, taken_back, name, title, number):
    response = logged_in(tech_zhang).get(f"/work-orders/{taken_back.pk}/{name}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert title in text and number(taken_back) in text and "上海艾克美精密机械有限公司" in text
    assert any("Noto-Sans-CJK" in font for font in pdf_fonts(response.content))


def test_the_voucher_prints_in_chinese_for_an_english_user_too(tech_zhang, taken_back):
    client = logged_in(tech_zhang)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "服务凭证" in pdf_text(client.get(f"/work-orders/{taken_back.pk}/voucher.pdf").content)


def test_the_call_register_of_a_day_prints_as_a_pdf(clerk_li, assigned):
    response = logged_in(clerk_li).get(reverse("servicedesk:register_pdf"))
    text = pdf_text(response.content)
    assert "叫修登记簿" in text and assigned.request.number in text and assigned.number in text


def test_the_workshop_shows_days_held_and_items_past_due(supervisor_wang, taken_back):
    from django.utils import timezone

    WorkOrder.objects.filter(pk=taken_back.pk).update(promised_return_at=timezone.now() - timezone.timedelta(hours=1))
    page = logged_in(supervisor_wang).get("/work-orders/workshop/").content.decode()
    assert taken_back.receipt.number in page and "sla-overdue" in page


def test_notices_are_listed_for_their_recipient_only(tech_zhang, assigned, shanghai):
    page = logged_in(tech_zhang).get("/notices/").content.decode()
    assert assigned.number in page
    other = f.technician("tech_qian", shanghai)
    assert assigned.number not in logged_in(other).get("/notices/").content.decode()


# ---- a refused step keeps everything typed (issue 12, "lost input") ----

def test_completing_without_a_signature_keeps_the_work_typed_and_names_the_signature(client, tech_zhang, on_site):
    from aftersales.testing.signatures import SIGNED

    client.force_login(tech_zhang)
    response = client.post(f"/work-orders/{on_site.pk}/complete/", {
        "version": on_site.version, "next": f"/m/jobs/{on_site.pk}/", "work_done": "更换主轴轴承，试车正常",
        "fault_cause": "轴承磨损", "labour_minutes": "95", "signature": "", "signer_name": "王工"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "更换主轴轴承，试车正常" in html and "轴承磨损" in html and 'value="95"' in html and 'value="王工"' in html
    assert 'data-error-for="signature"' in html
    on_site.refresh_from_db()
    assert on_site.status == "on_site"
    # and with a signature, the same values go through
    response = client.post(f"/work-orders/{on_site.pk}/complete/", {
        "version": on_site.version, "next": f"/m/jobs/{on_site.pk}/", "work_done": "更换主轴轴承，试车正常", "labour_minutes": "95",
        "signature": SIGNED, "signer_name": "王工"})
    assert response.status_code == 302


def test_a_wrong_receipt_number_keeps_the_drawn_signature_on_the_return_form(client, tech_zhang, inspected):
    from aftersales.testing.signatures import SIGNED

    client.force_login(tech_zhang)
    response = client.post(f"/work-orders/{inspected.pk}/return/", {"version": inspected.version, "receipt_no": "SJ000000000",
                                                                 "signature": SIGNED, "signer_name": "王工"})
    assert response.status_code == 422
    html = response.content.decode()
    assert f'name="signature" value="{SIGNED}"' in html and 'data-error-for="receipt_no"' in html and 'value="SJ000000000"' in html


def test_the_job_page_lists_the_vans_parts_that_fit_the_machine_with_their_quantities(client, tech_zhang, paid_job, van_zhang, bearing):
    client.force_login(tech_zhang)
    html = client.get(f"/m/jobs/{paid_job.pk}/").content.decode()
    assert 'data-van-part="BRG-6205"' in html and "车上有 10 个" in html


def test_a_part_refused_on_the_phone_keeps_its_code_quantity_and_names_the_missing_reason(client, tech_zhang, paid_job, van_zhang):
    from aftersales.parts.services import part_create

    part_create(actor=None, code="FLT-01", name="滤芯", sale_price="30", cost="10", compatible_models=[f.product_model(model_code="X-OTHER")])
    client.force_login(tech_zhang)
    response = client.post(f"/billing/jobs/{paid_job.pk}/use-part/", {"next": f"/m/jobs/{paid_job.pk}/", "part_code": "FLT-01", "quantity": "2"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="FLT-01"' in html and 'data-error-for="override_reason"' in html and 'name="quantity" value="2"' in html


def test_order_this_part_asks_the_centre_for_it_for_this_job(client, tech_zhang, paid_job, van_zhang, bearing):
    from aftersales.parts.models import Requisition

    client.force_login(tech_zhang)
    response = client.post(f"/billing/jobs/{paid_job.pk}/order-part/", {"next": f"/m/jobs/{paid_job.pk}/", "part_code": "BRG-6205", "quantity": "2"})
    assert response.status_code == 302
    requisition = Requisition.objects.get(work_order=paid_job)
    assert requisition.to_warehouse == van_zhang and [(ln.part, ln.quantity) for ln in requisition.lines.all()] == [(bearing, 2)]
    assert paid_job.events.filter(kind="part_ordered", note__startswith=requisition.number).exists()


def test_the_phone_offers_navigation_to_the_site_in_chinese_map_coordinates(client, tech_zhang, assigned, lathe):
    type(lathe).objects.filter(pk=lathe.pk).update(site_latitude="39.908110", site_longitude="116.397480")
    client.force_login(tech_zhang)
    html = client.get(f"/m/jobs/{assigned.pk}/").content.decode()
    assert "https://uri.amap.com/marker?position=116.403723,39.909513" in html  # GCJ-02, not the phone's WGS-84
    assert "geo:39.908110,116.397480" in html
    jobs = client.get("/m/").content.decode()
    assert "uri.amap.com/marker?position=116.403723,39.909513" in jobs and 'href="tel:+8613800138000"' in jobs


def test_without_a_site_the_map_app_searches_the_address(client, tech_zhang, assigned):
    client.force_login(tech_zhang)
    html = client.get(f"/m/jobs/{assigned.pk}/").content.decode()
    assert "https://uri.amap.com/search?keyword=" in html


# ---- photos of the job (KB-03) ----

def _jpeg(width=2400, height=1800) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (180, 90, 20)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.mark.req("KB-03")
def test_the_technician_keeps_a_nameplate_photo_and_only_those_who_see_the_voucher_see_it(client, tech_zhang, clerk_chen, on_site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aftersales.workorders.models import JobPhoto

    client.force_login(tech_zhang)
    response = client.post(f"/work-orders/{on_site.pk}/photos/", {"kind": "nameplate", "next": f"/m/jobs/{on_site.pk}/",
                                                                  "image": SimpleUploadedFile("IMG_0001.jpg", _jpeg(), "image/jpeg")})
    assert response.status_code == 302
    photo = JobPhoto.objects.get(work_order=on_site)
    assert photo.kind == "nameplate" and "IMG_0001" not in photo.image.name  # an unguessable private name
    served = client.get(f"/work-orders/{on_site.pk}/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg" and "private" in served["Cache-Control"]
    assert f"/work-orders/{on_site.pk}/photos/{photo.pk}/" in client.get(f"/m/jobs/{on_site.pk}/").content.decode()
    other = Client()
    other.force_login(clerk_chen)
    assert other.get(f"/work-orders/{on_site.pk}/photos/{photo.pk}/").status_code == 404


def test_a_file_that_is_not_a_photo_is_refused_and_stores_nothing(client, tech_zhang, on_site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aftersales.workorders.models import JobPhoto

    client.force_login(tech_zhang)
    response = client.post(f"/work-orders/{on_site.pk}/photos/", {"kind": "before", "next": f"/m/jobs/{on_site.pk}/",
                                                                  "image": SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", "image/jpeg")})
    assert response.status_code == 422 and 'data-error-for="image"' in response.content.decode()
    assert not JobPhoto.objects.exists()


def test_the_voucher_pdf_shows_the_jobs_photos(client, tech_zhang, on_site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aftersales.testing.pdf import pdf_text

    client.force_login(tech_zhang)
    client.post(f"/work-orders/{on_site.pk}/photos/", {"kind": "before", "image": SimpleUploadedFile("a.jpg", _jpeg(800, 600), "image/jpeg")})
    text = pdf_text(client.get(f"/work-orders/{on_site.pk}/voucher.pdf").content)
    assert "照片" in text and "维修前" in text
