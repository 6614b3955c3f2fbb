"""Every page a technician or a customer uses fits a 390 px phone without scrolling sideways, and at 1366 px the
desk header fits one line in Chinese and in English (issue 12, "Layout"). Screenshots of the phone pages go to
``docs/screenshots/`` for the README."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from aftersales.billing.services import QuoteItem, quotation_create
from aftersales.feedback.services import opinion_card_create
from aftersales.testing.signatures import SIGNED
from aftersales.workorders import services

SHOTS = Path("docs/screenshots")
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def staff_pages(paid_job, quotation) -> dict[str, str]:
    return {
        "phone-my-jobs": "/m/", "phone-job": f"/m/jobs/{paid_job.pk}/", "phone-quotation-new": f"/billing/quotations/new/?work_order={paid_job.pk}",
        "phone-quotation": f"/billing/quotations/{quotation.pk}/", "phone-charges": f"/billing/jobs/{paid_job.pk}/",
        "phone-daily-reports": "/daily-reports/", "phone-notices": "/notices/",
    }


def customer_pages(done_call, card, lathe) -> dict[str, str]:
    return {"phone-tracking": f"/t/{done_call.tracking_token}/", "phone-scan": f"/q/{lathe.qr_token}/", "phone-opinion-card": card.message.url,
            "phone-portal-login": "/my/login/"}


@pytest.fixture
def scene(transactional_db, clerk_li, supervisor_wang, tech_zhang, paid_job, van_zhang, bearing, price_list, lathe):
    quotation = quotation_create(actor=tech_zhang, customer=paid_job.request.customer, work_order=paid_job,
                                 items=[QuoteItem(part=bearing, quantity=Decimal("2")),
                                        QuoteItem(kind="labour", description="更换主轴轴承工时", quantity=Decimal("1"), unit_price=Decimal("180"))])
    from aftersales.servicedesk.services import RequestInput, service_request_register

    done = service_request_register(actor=clerk_li, data=RequestInput(customer=lathe.customer, equipment=lathe, contact_phone="13800138000",
                                                                      fault_description="主轴异响，加工时振动明显，需要尽快上门检查"))
    wo = services.work_order_assign(actor=supervisor_wang, request=done, technician=tech_zhang)
    services.work_order_check_in(actor=tech_zhang, work_order=wo)
    services.work_order_complete(actor=tech_zhang, work_order=wo, work_done="调整主轴间隙", signature=SIGNED, signer_name="王工")
    done.refresh_from_db()
    card = opinion_card_create(request=done, now=timezone.now())
    return {"paid_job": paid_job, "quotation": quotation, "done": done, "card": card, "lathe": lathe}


@pytest.mark.parametrize("width", [390, 1366])
def test_no_page_of_the_technician_or_the_customer_scrolls_sideways(browser, live_server, open_page, scene, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = width == 390
    tech = open_page("tech_zhang", phone=phone)
    tech.set_viewport_size({"width": width, "height": 844 if phone else 900})
    for name, url in staff_pages(scene["paid_job"], scene["quotation"]).items():
        tech.goto(url)
        assert tech.evaluate(FITS), f"{url} scrolls sideways at {width} px"
        if phone:
            tech.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": width, "height": 844 if phone else 900},
                                  is_mobile=phone, has_touch=phone)
    customer = context.new_page()
    for name, url in customer_pages(scene["done"], scene["card"], scene["lathe"]).items():
        response = customer.goto(url)
        assert response.status < 400, f"{url} answered {response.status}"
        assert customer.evaluate(FITS), f"{url} scrolls sideways at {width} px"
        if phone:
            customer.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)
    context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_desk_header_fits_one_line_at_1366_px(live_server, open_page, transactional_db, manager_zhou, language):
    desk = open_page("manager_zhou")
    desk.set_viewport_size({"width": 1366, "height": 900})
    desk.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    desk.goto("/")
    assert desk.evaluate(FITS)
    height = desk.evaluate("document.getElementById('site-header').getBoundingClientRect().height")
    assert height < 64, f"the header wraps: {height} px high in {language}"
    assert desk.is_visible("#desk-menu") and not desk.is_visible("#menu-toggle")


def test_on_a_phone_the_header_folds_behind_a_button(open_page, transactional_db, tech_zhang):
    phone = open_page("tech_zhang", phone=True)
    phone.goto("/notices/")
    assert phone.evaluate("document.getElementById('site-header').getBoundingClientRect().height") < 70
    assert not phone.is_visible("#desk-menu")
    phone.click("#menu-toggle")
    phone.wait_for_selector("#desk-menu", state="visible")
