"""A desk clerk registers a call for an in-warranty machine and sees category C and the deadline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from aftersales.servicedesk.models import ServiceRequest
from aftersales.testing import factories as f


@pytest.mark.req("INTK-01")
@pytest.mark.req("CLS-01")
@pytest.mark.req("DISP-02")
def test_a_clerk_registers_a_call_for_an_in_warranty_machine_and_sees_category_c_and_the_deadline(
    page, transactional_db, clerk_li, customer_acme, lathe_model
):
    lathe = f.equipment(customer=customer_acme, model=lathe_model, serial="E2E-0001", sold=timezone.localdate() - dt.timedelta(days=30))

    page.goto("/login/")
    page.fill("#id_username", "clerk_li")
    page.fill("#id_password", "pw-clerk_li")
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    page.goto("/calls/new/")
    page.fill("#id_phone_lookup", "1380013")
    page.locator("input[name=equipment][data-serial='E2E-0001']").check()
    page.fill("#id_fault_description", "主轴异响，加工时振动明显")
    page.click("#submit-call")

    page.wait_for_url(re.compile(r"/calls/\d+/$"))
    sr = ServiceRequest.objects.get()
    assert sr.equipment == lathe and sr.category == "C"
    assert "整机保修至" in page.inner_text("#category-reason")

    page.goto("/calls/")
    row = page.locator(f"#register-table tr[data-number='{sr.number}']")
    assert row.locator("td.category").inner_text().strip() == "C"
    shown_due = timezone.localtime(sr.arrival_due_at).strftime("%Y-%m-%d %H:%M")
    assert shown_due in row.locator("td.arrival-due").inner_text()
    page.screenshot(path="var/e2e-register.png", full_page=True)
