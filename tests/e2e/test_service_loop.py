"""The whole service loop in a real browser, played by its three people (DISP-01, REP-01..04)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from aftersales.servicedesk.models import ServiceRequest
from aftersales.testing import factories as f
from aftersales.workorders.models import GoodsReceipt, Visit, WorkOrder


def draw_signature(page, pad_selector: str) -> None:
    """Sign on the canvas with the mouse, as a finger would."""
    canvas = page.locator(f"{pad_selector} canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(x + i * 20, y + (25 if i % 2 else -25), steps=3)
    page.mouse.up()


@pytest.mark.req("DISP-01")
@pytest.mark.req("REP-01")
@pytest.mark.req("REP-02")
@pytest.mark.req("REP-03")
@pytest.mark.req("REP-04")
def test_clerk_supervisor_and_technician_take_a_machine_back_repair_it_and_return_it(
    open_page, transactional_db, clerk_li, supervisor_wang, tech_zhang, customer_acme, lathe_model
):
    f.equipment(customer=customer_acme, model=lathe_model, serial="LOOP-0001", sold=timezone.localdate() - dt.timedelta(days=30))

    # The clerk registers the call.
    clerk = open_page("clerk_li")
    clerk.goto("/calls/new/")
    clerk.fill("#id_phone_lookup", "1380013")
    clerk.locator("input[name=equipment][data-serial='LOOP-0001']").check()
    clerk.fill("#id_fault_description", "主轴异响，加工时振动明显")
    clerk.click("#submit-call")
    clerk.wait_for_url(re.compile(r"/calls/\d+/$"))
    sr = ServiceRequest.objects.get()

    # The supervisor accepts the suggested technician on the dispatch board.
    supervisor = open_page("supervisor_wang")
    supervisor.goto("/work-orders/board/")
    row = supervisor.locator(f"#queue-table tr[data-number='{sr.number}']")
    assert "tech_zhang" in row.locator("td.suggestion").inner_text()
    row.locator("button.accept-suggestion").click()
    supervisor.wait_for_load_state()
    wo = WorkOrder.objects.get(request=sr)
    assert wo.technician == tech_zhang

    # The technician, on his phone, checks in and takes the machine back with the customer's signature.
    phone = open_page("tech_zhang", phone=True)
    phone.wait_for_url("**/m/")
    phone.click(f"a[data-number='{wo.number}']")
    phone.wait_for_url(f"**/m/jobs/{wo.pk}/")
    assert phone.locator("a.tap-to-call").first.get_attribute("href") == "tel:+8613800138000"
    phone.click("#checkin-form button")
    phone.wait_for_selector("#result-card")
    visit = Visit.objects.get(work_order=wo)
    assert visit.latitude is not None and visit.location_accuracy_m == 25
    phone.click("a[href='#tab-takeback']")
    phone.fill("#tab-takeback textarea[name=condition]", "外壳有划痕，附件齐全")
    phone.fill("#tab-takeback input[name=accessories]", "电源线1根")
    draw_signature(phone, "#tab-takeback")
    phone.fill("#tab-takeback input[name=signer_name]", "王工")
    phone.click("#tab-takeback button.btn-warning")
    phone.wait_for_selector("text=开始修护")
    receipt = GoodsReceipt.objects.get(work_order=wo)

    # He repairs it and fills in the repair card.
    phone.click("text=开始修护")
    phone.wait_for_selector("#finish-repair-form")
    phone.fill("#finish-repair-form input[name=repair_minutes]", "120")
    phone.fill("#finish-repair-form textarea[name=work_done]", "更换主轴轴承")
    phone.fill("#finish-repair-form textarea[name=parts]", "主轴轴承 6205 × 2")
    phone.click("#finish-repair-form button")
    phone.wait_for_selector("text=修护已记录")

    # The supervisor inspects (验讫).
    supervisor.goto(f"/work-orders/{wo.pk}/")
    supervisor.click("#inspect-form button")
    supervisor.wait_for_selector("text=已记录检验")

    # The technician returns the machine against the receipt, the customer signs again.
    phone.reload()
    phone.fill("#give-back-form input[name=receipt_no]", receipt.number)
    draw_signature(phone, "#give-back-form")
    phone.fill("#give-back-form input[name=signer_name]", "王工")
    phone.click("#give-back-form button.btn-success")
    phone.wait_for_selector("text=商品已归还")
    receipt.refresh_from_db()
    assert receipt.is_void

    # The call register shows the call closed with its SLA result.
    clerk.goto("/calls/")
    row = clerk.locator(f"#register-table tr[data-number='{sr.number}']")
    status = row.locator("td.status").inner_text()
    assert "注销" in status and ("达标" in status or "超时" in status)
    sr.refresh_from_db()
    assert sr.status == "closed" and sr.arrival_sla_met is not None
    phone.screenshot(path="var/e2e-phone-returned.png", full_page=True)
