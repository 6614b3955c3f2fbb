"""The service department in a real browser: the 2027 calendar is only predicted; it pastes the State Council's
notice, mistypes a date, reads the message naming the line (the pasted text still there), corrects it, previews,
confirms — and sees the call whose deadline moved. The same pages at phone width scroll only downwards."""

from __future__ import annotations

import time_machine

from aftersales.servicedesk.models import RequestEvent
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
from aftersales.testing.calendar import NOTICE_2027
from conftest import at

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def test_the_service_department_confirms_2027_from_the_pasted_notice_and_a_deadline_moves(open_page, browser, live_server, clerk_li, lathe,
                                                                                          manager_zhou):
    with time_machine.travel(at(2027, 2, 4, 16, 0), tick=False):
        call = service_request_register(actor=clerk_li, data=RequestInput(customer=lathe.customer, equipment=lathe, contact_phone="13800138000",
                                                                           fault_description="主轴异响"))
    assert not call.arrival_due_confirmed

    page = open_page("manager_zhou")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.click("#settings-menu")
    page.click("#nav-calendar")
    page.goto("/settings/calendar/?year=2027")
    assert page.get_attribute("#year-status", "data-status") == "predicted"
    assert page.get_attribute("td[data-date='2027-10-01']", "class") == "cal-holiday"
    page.screenshot(path="var/e2e-calendar-2027-predicted.png", full_page=True)

    page.click("#import-notice")
    page.fill("#id_text", NOTICE_2027.replace("2月20日（周六）上班", "2月30日（周六）上班"))
    page.click("#preview-notice")
    error = page.inner_text("#notice-errors")
    assert "第 4 行" in error and "2月30日" in error
    assert "2月30日（周六）上班" in page.input_value("#id_text")  # nothing typed is lost
    page.fill("#id_text", NOTICE_2027)
    page.click("#preview-notice")
    assert page.is_visible("#preview-days tr[data-date='2027-09-26']")
    page.screenshot(path="var/e2e-calendar-notice-preview.png", full_page=True)
    page.click("#confirm-notice")
    page.wait_for_selector("#change-result")
    assert call.number in page.inner_text("#change-result") and "2027-02-15 14:30" in page.inner_text("#change-result")
    assert page.get_attribute("#year-status", "data-status") == "confirmed"
    page.screenshot(path="var/e2e-calendar-2027-confirmed.png", full_page=True)

    call.refresh_from_db()
    assert call.arrival_due_confirmed and RequestEvent.objects.filter(request=call, kind="deadline_moved").exists()
    page.goto(f"/calls/{call.pk}/")
    assert "期限调整" in page.inner_text("#timeline")


def test_the_calendar_and_the_rules_fit_a_phone(open_page, manager_zhou):
    f.staff("admin_an", "administrator", None)
    page = open_page("manager_zhou", phone=True)
    for url in ("/settings/calendar/?year=2027", "/settings/calendar/notice/", "/settings/rules/"):
        page.goto(url)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), url
    page.goto("/settings/calendar/?year=2027")
    page.screenshot(path="var/e2e-calendar-phone.png", full_page=True)
