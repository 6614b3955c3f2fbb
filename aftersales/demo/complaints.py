"""Demo complaints, returns and 三包: cases stopped at every step (some overdue, with reminders), closed cases with
penalties and a rejected decision, returns decided by different rules, and machines with 三包 rights."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from aftersales.accounts.models import Department
from aftersales.complaints.models import StepCode
from aftersales.complaints.services import (
    ComplaintInput,
    ShareInput,
    StepInput,
    complaint_close,
    complaint_register,
    complaint_set_loss,
    complaint_set_responsibility,
    complaint_step_complete,
    complaint_sweep,
    penalties_approve,
    penalty_instalments_run,
)
from aftersales.customers.models import Customer
from aftersales.returns.models import Shipment, ShipmentLine
from aftersales.returns.services import ReturnInput, return_approve, return_escalation_sweep, return_receive, return_request_create, return_settle

STEPS = {
    StepCode.QUALITY: StepInput(opinion="经检验确认批次不良", cause_finding="轴承游隙超差", responsible_unit="生产一课", joint_survey=True),
    StepCode.PRODUCTION: StepInput(opinion="已加严进料检验", countermeasure="轴承进料全检游隙，首件确认"),
    StepCode.MANAGER: StepInput(opinion="同意品保及生产单位意见"),
    StepCode.RND: StepInput(opinion="设计无问题"),
    StepCode.SALES_PROPOSAL: StepInput(opinion="客户同意更换并折让", settlement="allowance", amount=Decimal("3000")),
    StepCode.CONSOLIDATE: StepInput(opinion="汇总：同意折让3000元"),
    StepCode.APPROVAL: StepInput(opinion="核准"),
    StepCode.EXECUTE: StepInput(opinion="已函复客户", customer_answer="已寄出销货折让证明单并更换轴承", customer_accepted=True, handling_satisfaction=4),
}
SUBJECTS = ["主轴轴承批量异响", "交货延误两周", "送货单数量错误", "工程师服务态度差", "涂装色差", "包装破损", "说明书缺页", "配件型号发错", "维修后故障复发"]


def departments(staff) -> dict[str, Department]:
    made = {name: Department.objects.get_or_create(name=name, defaults={"kind": kind})[0]
            for name, kind in (("生产一课", "manufacturing"), ("品保部", "quality"), ("业务部", "sales"), ("客服部", "service"))}
    for username, dept, points, bonus in (("prod_li", "生产一课", "2", "3000"), ("quality_sun", "品保部", "2", "2500"), ("sales_ma", "业务部", "1.5", "2000"),
                                          ("tech_zhang", "客服部", "1", "1500"), ("tech_qian", "客服部", "1", "1500")):
        user = staff[username]
        user.department, user.base_points, user.efficiency_bonus = made[dept], Decimal(points), Decimal(bonus)
        user.save(update_fields=["department", "base_points", "efficiency_bonus"])
    return made


def _walk(case, until, when):
    while True:
        case.refresh_from_db()
        step = next((s for s in case.steps.order_by("position") if s.is_open), None)
        if step is None or step.code == until or step.owner is None:
            return
        complaint_step_complete(actor=step.owner, step=step, data=STEPS[step.code], now=when)
        when += dt.timedelta(hours=20)


def complaints(rng: random.Random, staff, now: dt.datetime) -> None:
    customers = list(Customer.objects.filter(service_center__code="SH").order_by("id")[:12])
    stops = [StepCode.QUALITY, StepCode.PRODUCTION, StepCode.MANAGER, StepCode.SALES_PROPOSAL, StepCode.CONSOLIDATE, StepCode.APPROVAL, StepCode.EXECUTE]
    for n, stop in enumerate(stops):
        accepted = now - dt.timedelta(days=20 if n in (1, 3) else rng.randint(1, 4))  # two are past their 13 days
        with transaction.atomic():
            case = complaint_register(actor=staff["manager_zhou"], now=accepted, data=ComplaintInput(
                customer=customers[n], subject=SUBJECTS[n], description=f"客户反映：{SUBJECTS[n]}", kind="quality" if n % 2 == 0 else "non_quality",
                origin=rng.choice(["phone", "letter", "opinion_card", "return_visit"]), market="foreign" if n == 6 else "domestic",
                lot_no="L2610-07" if n % 2 == 0 else "", part_no="SP-6205" if n % 2 == 0 else "", quantity=Decimal("20") if n % 2 == 0 else None,
                defective_quantity=Decimal("5") if n % 2 == 0 else None, human_cause="late_delivery" if n % 2 else ""))
            _walk(case, stop, accepted + dt.timedelta(hours=2))
    complaint_sweep(now)  # reminders (催办单) for the overdue steps
    _closed(staff, customers, now)


def _closed(staff, customers, now: dt.datetime) -> None:
    """Two closed cases: one with a loss shared and penalties approved, one whose decision the customer rejected."""
    accepted = now - dt.timedelta(days=45)
    with transaction.atomic():
        case = complaint_register(actor=staff["manager_zhou"], now=accepted, data=ComplaintInput(
            customer=customers[8], subject=SUBJECTS[8], description="维修后同一故障三次复发", kind="quality", part_no="SP-6205", quantity=Decimal("1"),
            defective_quantity=Decimal("1"), major=True))
        _walk(case, None, accepted + dt.timedelta(hours=2))
        complaint_set_loss(actor=staff["manager_zhou"], case=case, basis="unsold", actual_loss=Decimal("6000"))
        complaint_set_responsibility(actor=staff["manager_zhou"], case=case, shares=[
            ShareInput(percent=Decimal("60"), cause="materials_off_spec", department=Department.objects.get(name="生产一课")),
            ShareInput(percent=Decimal("40"), cause="inspection_data", person=staff["quality_sun"])])
        complaint_close(actor=staff["manager_zhou"], case=case, now=accepted + dt.timedelta(days=10))
        penalties_approve(actor=staff["gm_wu"], case=case, now=accepted + dt.timedelta(days=11))
    month = timezone.localdate(now).replace(day=1)
    penalty_instalments_run(month=(month - dt.timedelta(days=1)).replace(day=1))
    penalty_instalments_run(month=month)
    with transaction.atomic():
        rejected = complaint_register(actor=staff["manager_zhou"], now=accepted, data=ComplaintInput(
            customer=customers[9], subject="赔偿金额争议", description="客户认为折让不足", kind="non_quality", human_cause="late_delivery"))
        steps = dict(STEPS)
        steps[StepCode.EXECUTE] = StepInput(opinion="客户不接受", customer_answer="折让3000元", customer_accepted=False)
        while True:
            rejected.refresh_from_db()
            step = next((s for s in rejected.steps.order_by("position") if s.is_open), None)
            if step is None:
                break
            complaint_step_complete(actor=step.owner, step=step, data=steps[step.code], now=accepted + dt.timedelta(days=1))
        complaint_close(actor=staff["manager_zhou"], case=rejected, now=accepted + dt.timedelta(days=9))


def _png() -> ContentFile:
    import base64

    from aftersales.demo.builder import demo_signature

    return ContentFile(base64.b64decode(demo_signature().split(",", 1)[1]), name="defect.png")


def returns(rng: random.Random, staff, today: dt.date) -> None:
    """Shipments of this month and earlier; returns decided by different rules, through every state."""
    customers = list(Customer.objects.filter(service_center__code="SH").order_by("id")[:6])
    seller = staff["sales_ma"]
    plans = [  # goods class, days ago shipped, received, reported; reason, photo, end state — each decided by another rule
        ("regular", 2, 1, 0, "quality_defect", True, "settled"),
        ("regular", 3, 2, 0, "transit_damage", False, "requested"),
        ("regular", 6, 5, 0, "wrong_item", False, "arrived"),
        ("regular", 100, 98, 0, "quality_defect", True, "approved"),
        ("handicraft", 45, 44, 39, "quality_defect", True, "escalated"),
        ("practical", 50, 45, 0, "quality_defect", True, "requested"),
    ]
    for n, (goods, shipped, received, reported, reason, photo, state) in enumerate(plans):
        with transaction.atomic():
            shipment = Shipment.objects.create(number=f"CH{today:%y%m}{n + 1:03d}", customer=customers[n], salesperson=seller,
                                               shipped_on=today - dt.timedelta(days=shipped), received_on=today - dt.timedelta(days=received))
            line = ShipmentLine.objects.create(shipment=shipment, item_code=f"SP-62{n:02d}", description=["主轴轴承", "冷却泵", "刀架", "导轨防护罩", "铭牌工艺品", "工具箱"][n],
                                               goods_class=goods, quantity=Decimal("40"), unit_price=Decimal("120"), unit_cost=Decimal("70"))
            request = return_request_create(actor=seller, data=ReturnInput(
                line=line, reason=reason, quantity=Decimal("3"), reported_on=today - dt.timedelta(days=reported), photo=_png() if photo else None,
                description="客户来电反映", missing_bags=1 if n == 0 else 0))
            if state == "requested":
                continue
            return_approve(actor=staff["supervisor_wang"], request=request)
            if state == "approved":
                continue
            arrived = today - dt.timedelta(days=35 if state == "escalated" else 1)
            return_receive(actor=staff["warehouse_zhao"], request=request, quantity=Decimal("3"), arrived_on=arrived, inspection="外观检查，确认问题属实")
            if state == "settled":
                return_settle(actor=staff["accountant_qian"], request=request)
    return_escalation_sweep(today)


def sanbao(staff, today: dt.date) -> None:
    """New appliances and a car, so that the return and exchange rights of 三包 show on their calls."""
    from aftersales.equipment.models import Equipment

    for days, unit in zip((5, 12), Equipment.objects.filter(product_model__category__code="appliance").order_by("id")[:2], strict=False):
        unit.invoice_date = unit.delivery_date = unit.install_date = today - dt.timedelta(days=days)
        unit.purchase_price = Decimal("3999.00")
        unit.save()
    car = Equipment.objects.filter(product_model__category__code="vehicle").order_by("id").first()
    if car is not None:
        car.odometer_km = 12800
        car.purchase_price = Decimal("219800.00")
        car.save()


def build(rng: random.Random, staff, today: dt.date) -> None:
    departments(staff)
    complaints(rng, staff, timezone.now())
    returns(rng, staff, today)
    sanbao(staff, today)
