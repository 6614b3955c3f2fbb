"""The people a complaint passes through (CMP-05), and a case walked up to any step."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from aftersales.accounts.models import Department
from aftersales.complaints.models import ComplaintCase, StepCode
from aftersales.complaints.services import ComplaintInput, StepInput, complaint_register, complaint_step_complete
from aftersales.testing import factories as f
from conftest import at


@pytest.fixture
def team(db, shanghai, manager_zhou):
    """Coordinator 周 (service department), QA 孙, producing unit 李, vice-GM 冯, R&D 郑, salesperson 马 (Shanghai), GM 吴."""
    return {
        "coordinator": manager_zhou,
        "quality": f.staff("quality_sun", "quality", None),
        "production": f.staff("prod_li", "production", None),
        "vice_gm": f.staff("vice_gm_feng", "vice_gm", None),
        "rnd": f.staff("rnd_zheng", "rnd", None),
        "sales": f.staff("sales_ma", "sales", shanghai),
        "gm": f.staff("gm_wu", "general_manager", None),
    }


def quality_input(**fields) -> ComplaintInput:
    return ComplaintInput(**{"customer": None, "subject": "主轴轴承批量异响", "description": "上月到货的 20 台中 5 台主轴异响", "kind": "quality",
                             "lot_no": "L2610-07", "part_no": "SP-6205", "quantity": Decimal("20"), "defective_quantity": Decimal("5"),
                             "customer_demand": "更换轴承并赔偿停机损失", **fields})


@pytest.fixture
def case(team, customer_acme):
    """A quality complaint registered on Tuesday 24 November 2026 at 09:00 (a fixed day: its step deadlines do not
    depend on the weekday the suite runs on)."""
    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=False):
        return complaint_register(actor=team["coordinator"], data=quality_input(customer=customer_acme))


STEP_DATA = {
    StepCode.QUALITY: StepInput(opinion="轴承供应商批次不良", cause_finding="轴承游隙超差", responsible_unit="生产一课", needs_rnd=False),
    StepCode.PRODUCTION: StepInput(opinion="加严进料检验", countermeasure="轴承进料全检游隙"),
    StepCode.MANAGER: StepInput(opinion="同意"),
    StepCode.RND: StepInput(opinion="设计无问题"),
    StepCode.SALES_PROPOSAL: StepInput(opinion="客户同意更换并折让", settlement="allowance", amount=Decimal("3000")),
    StepCode.CONSOLIDATE: StepInput(opinion="同意业务建议"),
    StepCode.APPROVAL: StepInput(opinion="核准"),
    StepCode.EXECUTE: StepInput(opinion="已函复客户", customer_answer="已寄出销货折让证明单，轴承已更换", customer_accepted=True, handling_satisfaction=4),
}


def walk(case: ComplaintCase, *, until: str | None = None, data: dict | None = None) -> ComplaintCase:
    """Sign each open step as its owner, up to (not including) ``until``."""
    data = {**STEP_DATA, **(data or {})}
    while True:
        case.refresh_from_db()
        step = next((s for s in case.steps.order_by("position") if s.is_open), None)
        if step is None or step.code == until:
            return case
        complaint_step_complete(actor=step.owner, step=step, data=data[step.code])


@pytest.fixture
def production_section(team):
    section = Department.objects.create(name="生产一课", kind="manufacturing")
    people = [f.staff(name, "production", None) for name in ("worker_a", "worker_b", "worker_c")]
    for person, points, bonus in zip(people, ("1", "2", "1"), ("2000", "3000", "1500"), strict=True):
        person.department, person.base_points, person.efficiency_bonus = section, Decimal(points), Decimal(bonus)
        person.save()
    return section, people
