"""Pages run under a Content-Security-Policy that allows no inline script: nothing on them is refused by the browser,
and what used to be inline handlers (confirmations, selects that submit) still works from static/js/behaviours.js."""

from __future__ import annotations

from playwright.sync_api import expect

from aftersales.equipment.models import Equipment
from aftersales.servicedesk.services import RequestInput, service_request_register

PAGES = ["/", "/reports/dashboard/", "/reports/monthly/", "/customers/", "/calls/new/", "/performance/costs/", "/complaints/",
         "/settings/calendar/", "/api/docs/"]


def test_no_page_breaks_the_content_security_policy(open_page, manager_zhou, clerk_li, customer_acme, lathe):
    service_request_register(actor=clerk_li, data=RequestInput(customer=customer_acme, equipment=lathe, contact_phone="13800138000",
                                                               fault_description="主轴异响"))
    page = open_page("manager_zhou")
    refused = []
    page.on("console", lambda message: refused.append((page.url, message.text))
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    for path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        assert response.headers["cache-control"] == "private, no-store", path
        page.wait_for_load_state("networkidle")
    page.goto("/reports/dashboard/")
    page.wait_for_selector("[data-chart] svg")  # the charts still draw
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info")  # and the API's documentation
    assert refused == []


def test_a_confirmation_asks_first_and_a_language_select_submits_itself(open_page, clerk_li, customer_acme, lathe):
    page = open_page("clerk_li")
    token = lathe.qr_token
    page.goto(f"/customers/equipment/{lathe.pk}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("form[data-confirm] button")
    page.wait_for_timeout(500)  # time enough for a request that should not be sent
    assert Equipment.objects.get(pk=lathe.pk).qr_token == token  # declined: the label is kept
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("form[data-confirm] button")
    assert Equipment.objects.get(pk=lathe.pk).qr_token != token
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # waits for the page the switch leads to
