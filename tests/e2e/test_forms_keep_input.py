"""Every form a technician or a customer fills keeps everything typed when it is refused, names the box in error,
and changes nothing (issue 12, "No input is ever lost"). Each form is filled in Chromium on a 390 px phone with
one mistake, sent, and read back."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from aftersales.billing.models import Quotation, QuoteFamily
from aftersales.billing.services import QuoteItem, quotation_create
from aftersales.feedback.services import opinion_card_create
from aftersales.servicedesk.models import ServiceRequest
from aftersales.testing import factories as f
from aftersales.testing.signatures import SIGNED
from aftersales.workorders import services
from aftersales.workorders.models import Status
from tests.e2e.test_service_loop import draw_signature


def signature_kept(page, form: str) -> bool:
    return page.get_attribute(f"{form} input[name=signature]", "value").startswith("data:image/png;base64,")


def test_the_technicians_forms_keep_what_he_typed(open_page, transactional_db, tech_zhang, paid_job, van_zhang, bearing, lathe_model, price_list):
    phone = open_page("tech_zhang", phone=True)
    job_url = f"/m/jobs/{paid_job.pk}/"

    # Not finished: no reason given → the reason is named, the work typed stays, the result chosen stays.
    phone.goto(job_url)
    phone.click("a[href='#tab-end']")
    phone.select_option("#tab-end select[name=result]", "escalated")
    phone.fill("#tab-end textarea[name=work_done]", "拆检主轴，发现轴承损坏")
    phone.fill("#tab-end input[name=labour_minutes]", "40")
    phone.click("#tab-end button")
    phone.wait_for_selector("#tab-end [data-error-for=reason]")
    assert phone.input_value("#tab-end textarea[name=work_done]") == "拆检主轴，发现轴承损坏"
    assert phone.input_value("#tab-end input[name=labour_minutes]") == "40"
    assert phone.input_value("#tab-end select[name=result]") == "escalated"

    # Take back without the item's condition → the drawn signature and the accessories stay.
    phone.goto(job_url)
    phone.click("a[href='#tab-takeback']")
    phone.fill("#tab-takeback input[name=accessories]", "电源线1根，说明书")
    draw_signature(phone, "#tab-takeback")
    phone.fill("#tab-takeback input[name=signer_name]", "王工")
    phone.click("#tab-takeback button.btn-warning")
    phone.wait_for_selector("#tab-takeback [data-error-for=condition]")
    assert phone.input_value("#tab-takeback input[name=accessories]") == "电源线1根，说明书"
    assert signature_kept(phone, "#tab-takeback") and phone.input_value("#tab-takeback input[name=signer_name]") == "王工"
    paid_job.refresh_from_db()
    assert paid_job.status == Status.ON_SITE  # nothing changed

    # A part not listed for this model, without a reason → the code and quantity stay, the reason is asked for.
    f.product_model(model_code="X-OTHER")
    from aftersales.parts.services import part_create

    part_create(actor=None, code="FLT-01", name="滤芯", sale_price="30", cost="10", compatible_models=[f.product_model(model_code="X-2")])
    phone.goto(job_url)
    phone.fill("#use-part-form input[name=part_code]", "FLT-01")
    phone.fill("#use-part-form input[name=quantity]", "2")
    phone.click("#use-part-form button.btn-primary")
    phone.wait_for_selector("#use-part-form [data-error-for=override_reason]")
    assert phone.input_value("#use-part-form input[name=part_code]") == "FLT-01"
    assert phone.input_value("#use-part-form input[name=quantity]") == "2"

    # A quotation with one price left blank → that box is named; every line stays.
    family = QuoteFamily.objects.create(name="数控车床")
    family.product_models.add(lathe_model)
    family.parts.add(bearing)
    phone.goto(f"/billing/quotations/new/?work_order={paid_job.pk}")
    phone.fill(f"input[name=part-{bearing.pk}]", "2")
    phone.fill("input[name=service-0-description]", "更换主轴轴承工时")
    phone.fill("input[name=service-0-price]", "")
    phone.click("#quotation-form button.btn-primary")
    phone.wait_for_selector("[data-error-for=service-0-price]")
    assert "第 1 行服务的单价" in phone.inner_text("[data-error-for=service-0-price]")
    assert phone.input_value(f"input[name=part-{bearing.pk}]") == "2"
    assert phone.input_value("input[name=service-0-description]") == "更换主轴轴承工时"
    assert phone.input_value("input[name=service-1-price]") == "50.00"  # the price list's travel, still there
    assert not Quotation.objects.exists()

    # The customer signs the quotation but the name is missing → the signature stays on the pad.
    quotation = quotation_create(actor=tech_zhang, customer=paid_job.request.customer, work_order=paid_job,
                                 items=[QuoteItem(part=bearing, quantity=Decimal("1"))])
    phone.goto(f"/billing/quotations/{quotation.pk}/")
    draw_signature(phone, "#accept-quotation")
    phone.click("#accept-quotation button.btn-primary")
    phone.wait_for_selector("text=请填写签字人姓名")
    assert signature_kept(phone, "#accept-quotation")
    quotation.refresh_from_db()
    assert quotation.status == "draft"


def test_the_customers_forms_keep_what_he_typed(phone_page, transactional_db, clerk_li, supervisor_wang, tech_zhang, customer_acme, lathe_model):
    lathe = f.equipment(customer=customer_acme, model=lathe_model, serial="KEEP-0001", sold=timezone.localdate())

    # The QR report with a phone number that is not one → the description and the name stay.
    phone_page.goto(f"/q/{lathe.qr_token}/")
    phone_page.fill("#id_fault_description", "主轴异响，开机后有焦糊味")
    phone_page.fill("#id_contact_name", "王工")
    phone_page.fill("#id_phone", "12345")
    phone_page.click("#send-code")
    phone_page.wait_for_selector(".invalid-feedback, .alert-danger")
    assert phone_page.input_value("#id_fault_description") == "主轴异响，开机后有焦糊味"
    assert phone_page.input_value("#id_contact_name") == "王工"
    assert not ServiceRequest.objects.exists()

    # The opinion card sent with a criterion unanswered → the answers given and the comment stay.
    from aftersales.servicedesk.services import RequestInput, service_request_register

    sr = service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, equipment=lathe, contact_phone="13800138000",
                                                                     fault_description="主轴异响"))
    wo = services.work_order_assign(actor=supervisor_wang, request=sr, technician=tech_zhang)
    services.work_order_check_in(actor=tech_zhang, work_order=wo)
    services.work_order_complete(actor=tech_zhang, work_order=wo, work_done="调整", signature=SIGNED, signer_name="王工")
    sr.refresh_from_db()
    card = opinion_card_create(request=sr, now=timezone.now())
    phone_page.goto(card.message.url)
    phone_page.check("#attitude-4")
    phone_page.check("#skill-3")
    phone_page.fill("textarea[name=comments]", "师傅很耐心")
    phone_page.click("#send-card")
    phone_page.wait_for_selector(".invalid-feedback, .alert-danger, .text-danger")
    assert phone_page.is_checked("#attitude-4") and phone_page.is_checked("#skill-3")
    assert phone_page.input_value("textarea[name=comments]") == "师傅很耐心"
