"""One paid job on a 390×844 phone, as issue 12's "done when" plays it: the navigation link, check-in measured from the
machine's site, a photo, a part scanned from the van with the (fake) camera, partial use of a quoted part, the bill
computed and signed once, payment on site, the e-receipt link in the outbox, and the accountant's figures exactly
Σ used × price + labour + travel + call-out."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from PIL import Image

from aftersales.billing.models import Invoice
from aftersales.billing.services import QuoteItem, quotation_accept, quotation_create
from aftersales.notifications.models import Message
from aftersales.parts.services import on_hand
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.workorders import services as wo
from aftersales.workorders.models import JobPhoto, Visit
from tests.e2e.test_service_loop import draw_signature

# The phone's geolocation in the e2e contexts is (31.2034, 121.5872); the lathe's workshop is ~350 m north-east of it.
SITE = (Decimal("31.205800"), Decimal("121.590000"))


@pytest.fixture
def dispatched_paid_job(transactional_db, clerk_li, supervisor_wang, tech_zhang, old_lathe, van_zhang, bearing, price_list):
    type(old_lathe).objects.filter(pk=old_lathe.pk).update(site_latitude=SITE[0], site_longitude=SITE[1])
    sr = service_request_register(actor=clerk_li, data=RequestInput(customer=old_lathe.customer, equipment=old_lathe, contact_phone="13800138000",
                                                                     contact_name="王工", fault_description="主轴异响"))
    job = wo.work_order_assign(actor=supervisor_wang, request=sr, technician=tech_zhang)
    # Quoted by phone the day before: two bearings at the catalogue price and an hour's labour; accepted by the clerk's note.
    quotation = quotation_create(actor=clerk_li, customer=old_lathe.customer, work_order=job, items=[
        QuoteItem(part=bearing, quantity=Decimal("2")), QuoteItem(kind="labour", description="更换主轴轴承工时", quantity=Decimal("1"),
                                                                  unit_price=Decimal("180"))])
    quotation_accept(actor=clerk_li, quotation=quotation, note="王工 电话确认报价")
    return job


def a_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 4000), (90, 110, 140)).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


@pytest.mark.req("KB-03")
@pytest.mark.req("PART-02")
@pytest.mark.req("BILL-04")
def test_a_paid_job_on_the_phone_from_navigation_to_the_e_receipt(open_page, dispatched_paid_job, tech_zhang, accountant_qian, van_zhang,
                                                                   bearing):
    job = dispatched_paid_job
    phone = open_page("tech_zhang", phone=True)
    phone.context.grant_permissions(["geolocation", "camera"])

    # Today's jobs: tap-to-call and a navigation link to the site in Chinese map coordinates.
    phone.goto("/m/")
    card = phone.locator(f".job-card:has(a[data-number='{job.number}'])")
    assert card.locator("a.tap-to-call").get_attribute("href") == "tel:+8613800138000"
    assert re.match(r"https://uri\.amap\.com/marker\?position=121\.59\d+,31\.20\d+", card.locator("a[data-app=amap]").get_attribute("href"))

    # Check-in records the phone's position and its distance from the machine's site.
    card.locator(f"a[data-number='{job.number}']").click()
    phone.wait_for_url(re.compile(rf"/m/jobs/{job.pk}/$"))
    phone.click("#checkin-form button")
    phone.wait_for_selector("#checkin-distance")
    visit = Visit.objects.get(work_order=job)
    assert 250 < visit.distance_from_site_m < 450 and not visit.far_from_site
    assert f"{visit.distance_from_site_m} 米" in phone.inner_text("#checkin-distance")

    # A photo of the nameplate, made smaller on the phone before it is sent.
    phone.click("label[for=photo-kind-nameplate]")
    phone.set_input_files("#photo-form input[name=image]", files=[{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": a_photo()}])
    phone.wait_for_selector("#photo-form[data-photo-bytes]", state="attached")
    assert int(phone.get_attribute("#photo-form", "data-photo-bytes")) < 400_000
    phone.click("#photo-form button.btn-primary")
    phone.wait_for_selector("#photo-list [data-photo-kind=nameplate]")
    assert JobPhoto.objects.get(work_order=job).kind == "nameplate"

    # The bearing is scanned from its label with the camera: one of the two quoted is used.
    phone.click("#scan-part")
    phone.wait_for_selector("#use-part-form [data-scan-panel][data-result='BRG-6205']", state="attached", timeout=20000)
    assert phone.input_value("#use-part-form input[name=part_code]") == "BRG-6205"
    phone.fill("#use-part-form input[name=quantity]", "1")
    phone.click("#use-part-form button.btn-primary")
    phone.wait_for_selector("#parts-used:has-text('BRG-6205')")
    assert on_hand(bearing, van_zhang) == 9

    # The bill is computed (1 bearing 120 + quoted labour 180 + travel 50 + call-out 30) and signed once with the work.
    phone.fill("#tab-complete textarea[name=work_done]", "更换主轴轴承一只，试车正常")
    assert phone.inner_text("#bill-preview [data-bill-total]").strip() == "¥429.40"
    draw_signature(phone, "#tab-complete")
    phone.fill("#tab-complete input[name=signer_name]", "王工")
    phone.click("#tab-complete button.btn-primary")
    phone.wait_for_selector("text=已完成并签字")

    # Payment on site; the customer's e-receipt link is in the outbox.
    phone.goto(f"/billing/jobs/{job.pk}/")
    assert phone.inner_text("#bill-due-phone").strip() == "¥429.40"
    phone.select_option("#payment-form select[name=method]", "cash")
    phone.click("#payment-form button.btn-primary")
    phone.wait_for_selector("#payments:has-text('429.40')")
    receipt = Message.objects.get(to_customer=job.request.customer, body__contains="电子回单")
    assert receipt.url.startswith("/r/")
    phone.screenshot(path="docs/screenshots/phone-paid.png")

    # The accountant's view: exactly Σ used × price + labour + travel + call-out.
    desk = open_page("accountant_qian")
    desk.goto(f"/billing/jobs/{job.pk}/")
    assert desk.inner_text("#bill-total").strip() == "429.40" and desk.inner_text("#bill-due").strip() == "0.00"
    desk.fill("#invoice-form input[name=number]", "04400999")
    desk.click("#invoice-form button")
    desk.wait_for_selector("#invoices:has-text('04400999')")
    invoice = Invoice.objects.get(work_order=job)
    assert (invoice.net, invoice.tax, invoice.total) == (Decimal("380.00"), Decimal("49.40"), Decimal("429.40"))
