"""Demo parts, stock, prices and billing: a catalogue per model, stock from the central warehouse
down to each van, a price list and quoting menus, and — on the demo jobs — quotations, parts used,
invoices, on-site payments, cash hand-overs, requisitions, a back-order and a warranty claim."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftersales.billing import services as billing
from aftersales.billing.models import LabourRate, PriceList, QuoteFamily, ZoneTravelFee
from aftersales.parts import services as parts
from aftersales.parts.models import OldPart, Part, Supplier
from aftersales.workorders.models import WorkOrder

WEAR_PARTS = {  # category → (name, specification, cost)
    "machine-tool": ("主轴轴承", "6205-2RS", Decimal("80")), "farm": ("皮带", "B-1600", Decimal("45")),
    "appliance": ("电容", "35μF", Decimal("18")), "vehicle": ("刹车片", "前轮", Decimal("160")), "it": ("风扇模组", "60mm", Decimal("120")),
}
FAMILIES = {"machine-tool": "机床", "farm": "农业机械", "appliance": "家用电器", "vehicle": "车辆", "it": "IT设备"}


def setup(staff: dict, models: list, centers: list) -> None:
    """Suppliers, parts for every model, stock everywhere, the price list and the quoting menus."""
    keeper = staff["admin"]
    maker = Supplier.objects.create(name="原厂配件公司", is_manufacturer=True, phone="400-600-8000")
    local = Supplier.objects.create(name="上海机电配件商行", phone="021-62345678")
    catalogue = []
    for model in models:
        name, spec, cost = WEAR_PARTS[model.category.code]
        catalogue.append(parts.part_create(actor=keeper, code=f"{model.model_code[:6].upper()}-W1", name=name, specification=spec, cost=cost,
                                           sale_price=cost * Decimal("1.5"), supplier=local, reorder_point=5, compatible_models=[model]))
        for i, main in enumerate(model.main_parts[:1]):
            catalogue.append(parts.part_create(actor=keeper, code=f"{model.model_code[:6].upper()}-M{i + 1}", name=main, cost=Decimal("1800"),
                                               sale_price=Decimal("2600"), supplier=maker, is_main_part=True, compatible_models=[model]))
    central = parts.central_warehouse()
    parts.stock_receive(actor=keeper, warehouse=central, lines=[(p, Decimal("30"), None) for p in catalogue], reference="DEMO-DN-001")
    for center in centers:
        store = parts.center_warehouse(center)
        parts.stock_transfer(actor=keeper, source=central, target=store, lines=[(p, Decimal("8")) for p in catalogue])
        for tech in center.staff.filter(groups__name="technician"):
            parts.stock_transfer(actor=keeper, source=store, target=parts.van_warehouse(tech),
                                 lines=[(p, Decimal("3")) for p in catalogue if not p.is_main_part])
    price_list = PriceList.objects.create(name="2026年服务收费标准", effective_from=dt.date(timezone.localdate().year, 1, 1), minimum_minutes=60,
                                          increment_minutes=30, call_out_fee=Decimal("30"), travel_per_km=Decimal("2.5"),
                                          notes="保修期内免费；保修期外按本标准收费。配件价格另计。")
    LabourRate.objects.bulk_create([LabourRate(price_list=price_list, grade=g, job_type=t, hourly_rate=Decimal(r))
                                    for g, t, r in ((None, "on_site", "150"), (4, "on_site", "180"), (5, "on_site", "200"), (None, "workshop", "120"))])
    ZoneTravelFee.objects.bulk_create([ZoneTravelFee(price_list=price_list, zone=z, fee=Decimal(f))
                                       for z, f in (("urban", "50"), ("suburban", "80"), ("remote", "150"))])
    for i, (code, title) in enumerate(FAMILIES.items()):
        family = QuoteFamily.objects.create(name=title, sort_order=i)
        family.product_models.set([m for m in models if m.category.code == code])
        family.parts.set([p for p in catalogue if any(m.category.code == code for m in p.compatible_models.all())])


def accept_price(order: WorkOrder, tech, signed: dict) -> None:
    """A paid job: the technician quotes a part and an hour of labour and the customer signs (INTK-09)."""
    part = Part.objects.filter(compatible_models=order.request.product_model, is_main_part=False).first()
    items = [billing.QuoteItem(kind="labour", description="维修工时", quantity=Decimal("1"), unit_price=Decimal("150"))]
    if part is not None:
        items.insert(0, billing.QuoteItem(part=part, quantity=Decimal("1")))
    quotation = billing.quotation_create(actor=tech, customer=order.request.customer, work_order=order, items=items,
                                         family=QuoteFamily.objects.filter(product_models=order.request.product_model).first())
    billing.quotation_send(actor=tech, quotation=quotation)
    billing.quotation_accept(actor=tech, quotation=quotation, **signed)


def use_a_part(order: WorkOrder, tech) -> None:
    """The technician fits a wear part from his van when it has one for this model."""
    part = Part.objects.filter(compatible_models=order.request.product_model, is_main_part=False).first()
    van = parts.van_warehouse(tech)
    if part is not None and parts.on_hand(part, van) >= 1:
        billing.work_order_use_part(actor=tech, work_order=order, part=part, quantity=Decimal("1"))


def settle(order: WorkOrder, staff: dict, *, pay_on_site: bool, invoice: bool) -> None:
    """Price the finished job; a paid one is collected on site and/or invoiced by the Shanghai accountant."""
    order.refresh_from_db()
    billing.charges_price_job(actor=staff["manager_zhou"], work_order=order)
    due = billing.amount_due(order)
    if due <= 0:
        return
    if pay_on_site:
        billing.payment_record(actor=order.technician, work_order=order, amount=due, method="cash", collected_at=order.completed_at)
    if invoice and order.service_center.code == "SH":
        billing.invoice_issue(actor=staff["accountant_qian"], work_order=order, kind="vat_normal", number=f"DEMO{order.pk:06d}",
                              issued_on=timezone.localtime(order.completed_at).date(), title=order.request.customer.name)


def after_the_calls(staff: dict) -> None:
    """Yesterday's and older cash handed over; requisitions in each state; a back-order; a claim."""
    from aftersales.billing.models import Payment

    today = timezone.localdate()
    for tech_id, day in {(p.collected_by_id, timezone.localtime(p.collected_at).date())
                         for p in Payment.objects.filter(on_site=True, handover__isnull=True, work_order__service_center__code="SH")}:
        if day < today:
            tech = next(u for u in staff.values() if u.pk == tech_id)
            total = sum((p.amount for p in billing.unhanded_cash(tech, day)), Decimal("0"))
            billing.cash_handover_receive(actor=staff["accountant_qian"], technician=tech, day=day, counted_total=total)
    keeper, tech = staff["warehouse_zhao"], staff["tech_zhang"]
    store, van = parts.center_warehouse(tech.service_center), parts.van_warehouse(tech)
    wear = list(Part.objects.filter(is_main_part=False)[:3])
    for i, decision in enumerate(("submitted", "partly", "transferred")):
        req = parts.requisition_create(actor=tech, to_warehouse=van, from_warehouse=store, lines=[(p, Decimal("2")) for p in wear[: i + 1]],
                                       reason="补充车载库存")
        if decision != "submitted":
            lines = list(req.lines.all())
            approved = {line.pk: line.quantity if decision == "transferred" or n == 0 else 0 for n, line in enumerate(lines)}
            req = parts.requisition_decide(actor=keeper, requisition=req, approved=approved, note="部分缺货" if decision == "partly" else "")
        if decision == "transferred":
            parts.requisition_transfer(actor=keeper, requisition=req)
    waiting = WorkOrder.objects.filter(request__status="waiting_parts", service_center__code="SH").first()
    if waiting is not None:
        parts.backorder_create(actor=waiting.technician, work_order=waiting, part=Part.objects.filter(is_main_part=True).first(), quantity=1,
                               expected_on=today + dt.timedelta(days=12))
    old = OldPart.objects.filter(work_order__service_center__code="SH").first()
    if old is not None:
        parts.old_parts_receive(actor=keeper, old_parts=[old])
        claim = parts.claim_create(actor=staff["supervisor_wang"], work_order=old.work_order, manufacturer=Supplier.objects.get(is_manufacturer=True),
                                   labour_minutes=60, labour_amount=Decimal("150"))
        parts.claim_attach(actor=staff["supervisor_wang"], claim=claim, caption="故障件照片",
                           upload=SimpleUploadedFile("defect.png", _png(), content_type="image/png"))
        parts.claim_submit(actor=staff["supervisor_wang"], claim=claim)


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 60)).save(buffer, format="PNG")
    return buffer.getvalue()
