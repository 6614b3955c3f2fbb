"""One complaint in a real browser: registered by the service department, signed by QA and the producing unit, closed (CMP-05)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from aftersales.complaints.models import ComplaintCase, StepCode
from aftersales.complaints.services import StepInput, complaint_step_complete
from aftersales.testing import factories as f


@pytest.mark.req("CMP-05")
@pytest.mark.req("CMP-08")
def test_a_complaint_goes_from_registration_through_two_departments_to_closure(open_page, transactional_db, manager_zhou, shanghai, customer_acme):
    f.staff("quality_sun", "quality", None)
    f.staff("prod_li", "production", None)
    f.staff("vice_gm_feng", "vice_gm", None)
    f.staff("sales_ma", "sales", shanghai)

    # The service department registers the complaint from the customer's page.
    desk = open_page("manager_zhou")
    desk.goto(f"/complaints/new/?customer={customer_acme.pk}")
    desk.select_option("#id_kind", "quality")
    desk.fill("#id_subject", "主轴轴承批量异响")
    desk.fill("#id_description", "上月到货的 20 台中 5 台主轴异响")
    desk.fill("#id_lot_no", "L2610-07")
    desk.fill("#id_quantity", "20")
    desk.fill("#id_defective_quantity", "5")
    desk.click("#register-complaint")
    desk.wait_for_url(re.compile(r"/complaints/\d+/$"))
    case = ComplaintCase.objects.get()
    assert re.fullmatch(r"\d{7}", case.number)

    # QA finds the cause and the responsible unit.
    qa = open_page("quality_sun")
    qa.goto("/complaints/")
    qa.click(f"#my-steps a:has-text('{case.number}')")
    qa.fill("#id_cause_finding", "轴承游隙超差")
    qa.fill("#id_responsible_unit", "生产一课")
    qa.fill("#id_opinion", "供应商批次不良，已隔离库存")
    qa.click("#sign-step")
    qa.wait_for_load_state()
    assert "已签核" in qa.inner_text("body")

    # The producing unit gives the countermeasure.
    plant = open_page("prod_li")
    plant.goto(f"/complaints/{case.pk}/")
    plant.fill("#id_countermeasure", "轴承进料全检游隙")
    plant.fill("#id_opinion", "即日起执行")
    plant.click("#sign-step")
    plant.wait_for_load_state()
    rows = {row.get_attribute("data-step"): row.inner_text() for row in plant.locator("#steps tr[data-step]").all()}
    assert "供应商批次不良" in rows["quality"] and "即日起执行" in rows["production"]

    # The remaining steps (manager, sales, consolidation, approval, execution) are signed by their owners.
    answers = {StepCode.MANAGER: StepInput(opinion="同意"), StepCode.SALES_PROPOSAL: StepInput(opinion="折让", settlement="allowance", amount=Decimal("300")),
               StepCode.CONSOLIDATE: StepInput(opinion="同意"), StepCode.APPROVAL: StepInput(opinion="核准"),
               StepCode.EXECUTE: StepInput(opinion="已电话答复", customer_answer="折让300元", customer_accepted=True)}
    while (step := next((s for s in case.steps.order_by("position") if s.is_open), None)) is not None:
        complaint_step_complete(actor=step.owner, step=step, data=answers[step.code])
        case.refresh_from_db()

    # The service department closes the case; the form prints.
    desk.goto(f"/complaints/{case.pk}/")
    desk.click("#close-case")
    desk.wait_for_load_state()
    assert desk.locator("#case-status").inner_text() == "已结案"
    case.refresh_from_db()
    assert case.status == "closed"
