"""A paid job in a real browser: quotation signed by the customer, a part from the van, cash collected,
invoice recorded and the cash handed over to the accountant (INTK-09, PART-02, BILL-02)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from aftersales.billing.models import CashHandover, Invoice, Quotation, QuoteFamily
from aftersales.parts.services import on_hand
from tests.e2e.test_service_loop import draw_signature


@pytest.mark.req("INTK-09")
@pytest.mark.req("PART-02")
@pytest.mark.req("PART-03")
@pytest.mark.req("BILL-02")
def test_a_technician_quotes_uses_a_van_part_collects_and_the_accountant_invoices_and_receives_the_cash(
    open_page, transactional_db, tech_zhang, accountant_qian, paid_job, van_zhang, bearing, lathe_model, price_list
):
    family = QuoteFamily.objects.create(name="数控车床")
    family.product_models.add(lathe_model)
    family.parts.add(bearing)

    # The technician, on site with his phone, quotes the repair and the customer signs the quotation.
    phone = open_page("tech_zhang", phone=True)
    phone.goto(f"/m/jobs/{paid_job.pk}/")
    assert "有偿服务" in phone.inner_text("#price-card")
    phone.click("#price-card a.btn-warning")
    phone.wait_for_url(re.compile(r"/billing/quotations/new/"))
    phone.fill(f"input[name=part-{bearing.pk}]", "2")
    phone.select_option("select[name=service-0-kind]", "labour")
    phone.fill("input[name=service-0-description]", "更换主轴轴承工时")
    phone.fill("input[name=service-0-price]", "180")
    phone.click("#quotation-form button.btn-primary")
    phone.wait_for_url(re.compile(r"/billing/quotations/\d+/$"))
    # two bearings, the labour typed, travel and call-out prefilled from the price list: 240 + 180 + 50 + 30 = 500 net, 65 tax
    assert phone.inner_text("#quotation-total").strip() == "565.00"
    draw_signature(phone, "#accept-quotation")
    phone.fill("#accept-quotation input[name=signer_name]", "王工")
    phone.click("#accept-quotation button.btn-primary")
    phone.wait_for_selector("#quotation-status:has-text('已接受')")
    assert Quotation.objects.get().status == "accepted"

    # Two bearings were quoted; one was enough. He fits it from his van: the bill has one bearing, not the quote plus the use.
    phone.goto(f"/m/jobs/{paid_job.pk}/")
    phone.fill("#use-part-form input[name=part_code]", "BRG-6205")
    phone.fill("#use-part-form input[name=quantity]", "1")
    phone.click("#use-part-form button.btn-primary")
    phone.wait_for_selector("#parts-used:has-text('BRG-6205')")
    assert on_hand(bearing, van_zhang) == 9

    # Completing without the customer's signature is refused and keeps everything he typed.
    phone.fill("#tab-complete textarea[name=work_done]", "更换主轴轴承一只，试车正常")
    phone.fill("#tab-complete textarea[name=fault_cause]", "轴承磨损")
    phone.fill("#tab-complete input[name=labour_minutes]", "50")
    phone.click("#tab-complete button.btn-primary")
    phone.wait_for_selector("#tab-complete [data-error-for=signature]")
    assert phone.input_value("#tab-complete textarea[name=work_done]") == "更换主轴轴承一只，试车正常"
    assert phone.input_value("#tab-complete textarea[name=fault_cause]") == "轴承磨损"
    assert phone.input_value("#tab-complete input[name=labour_minutes]") == "50"

    # The customer reads the computed bill (the bearing used, the quoted labour, travel and call-out) and signs once.
    # 120 + 180 + 50 + 30 = 380.00 net, 49.40 tax (13 %, per line) = 429.40
    assert phone.inner_text("#bill-preview [data-bill-total]").strip() == "¥429.40"
    assert "公司成本" not in phone.inner_text("#bill-preview")
    draw_signature(phone, "#tab-complete")
    phone.fill("#tab-complete input[name=signer_name]", "王工")
    phone.click("#tab-complete button.btn-primary")
    phone.wait_for_selector("text=已完成并签字")

    # He collects the amount due in cash on site; the phone shows what the customer pays, not our costs.
    phone.goto(f"/billing/jobs/{paid_job.pk}/")
    assert phone.inner_text("#bill-due-phone").strip() == "¥429.40"
    assert not phone.is_visible("#charge-lines th:has-text('公司成本')")
    assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    phone.screenshot(path="var/e2e-phone-charges.png", full_page=True)
    phone.select_option("#payment-form select[name=method]", "cash")
    phone.click("#payment-form button.btn-primary")
    phone.wait_for_selector("#payments:has-text('429.40')")

    # The accountant records the invoice and receives the cash from the technician.
    desk = open_page("accountant_qian")
    desk.goto("/billing/")
    assert paid_job.number in desk.inner_text("#to-invoice")
    desk.click(f"#to-invoice a:has-text('{paid_job.number}')")
    desk.fill("#invoice-form input[name=number]", "04400123")
    desk.click("#invoice-form button")
    desk.wait_for_selector("#invoices:has-text('04400123')")
    desk.goto("/billing/")
    waiting = desk.locator("#cash-waiting li").first
    assert "429.40" in waiting.inner_text()
    waiting.locator("input[name=counted_total]").fill("429.40")
    waiting.locator("button").click()
    desk.wait_for_selector("text=现金已接收")
    assert "429.40" in desk.inner_text("#handovers") and "429.40" in desk.inner_text("body")
    # The accountant's figures are exactly Σ used × price + labour + travel + call-out.
    assert (Invoice.objects.get().net, Invoice.objects.get().total) == (Decimal("380.00"), Decimal("429.40"))
    assert CashHandover.objects.get().total == Decimal("429.40")
    desk.screenshot(path="var/e2e-accounts-desk.png", full_page=True)
