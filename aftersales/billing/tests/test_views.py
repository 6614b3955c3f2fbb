"""Pages of parts and billing: they render, they act, they keep other people's data out, they print."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from aftersales.billing.models import ChargeLine, Invoice, Quotation, QuoteFamily
from aftersales.parts.models import Part
from aftersales.parts.services import center_warehouse, on_hand
from aftersales.testing import factories as f
from aftersales.testing.pdf import pdf_text
from aftersales.testing.signatures import SIGNED
from aftersales.workorders import services as wo
from conftest import at


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.req("PART-02")
def test_the_technician_uses_a_part_from_his_van_on_the_job_page(tech_zhang, paid_job, van_zhang, bearing):
    client = logged_in(tech_zhang)
    page = client.get(f"/m/jobs/{paid_job.pk}/").content.decode()
    assert "use-part-form" in page and str(van_zhang) in page
    client.post(f"/billing/jobs/{paid_job.pk}/use-part/", {"part_code": "brg-6205", "quantity": "2", "warehouse": van_zhang.pk,
                                                          "next": f"/m/jobs/{paid_job.pk}/"})
    assert on_hand(bearing, van_zhang) == 8
    assert ChargeLine.objects.get(work_order=paid_job).coverage == "paid"
    assert "BRG-6205" in client.get(f"/m/jobs/{paid_job.pk}/").content.decode()


def test_an_unknown_part_code_shows_a_message_and_changes_nothing(tech_zhang, paid_job, van_zhang, bearing):
    response = logged_in(tech_zhang).post(f"/billing/jobs/{paid_job.pk}/use-part/", {"part_code": "NOPE", "quantity": "1"}, follow=True)
    assert "NOPE" in response.content.decode()
    assert not ChargeLine.objects.exists() and on_hand(bearing, van_zhang) == 10


@pytest.mark.req("PART-03")
def test_a_clerk_quotes_from_the_family_menu_page(clerk_li, paid_job, bearing, lathe_model):
    family = QuoteFamily.objects.create(name="数控车床")
    family.product_models.add(lathe_model)
    family.parts.add(bearing)
    client = logged_in(clerk_li)
    page = client.get(f"/billing/quotations/new/?work_order={paid_job.pk}").content.decode()
    assert "数控车床" in page and "BRG-6205" in page
    response = client.post(f"/billing/quotations/new/?work_order={paid_job.pk}", {f"part-{bearing.pk}": "2", "service-0-kind": "labour",
                                                                                  "service-0-description": "更换轴承", "service-0-quantity": "1",
                                                                                  "service-0-price": "180"})
    quotation = Quotation.objects.get()
    assert response["Location"] == f"/billing/quotations/{quotation.pk}/" and quotation.lines.count() == 2
    client.post(f"/billing/quotations/{quotation.pk}/", {"action": "accept", "signature": SIGNED, "signer_name": "王工"})
    quotation.refresh_from_db()
    assert quotation.status == "accepted"
    pdf = client.get(f"/billing/quotations/{quotation.pk}/quotation.pdf")
    assert "报价单" in pdf_text(pdf.content) and quotation.number in pdf_text(pdf.content)


def test_a_blank_price_on_a_quotation_names_its_box_and_keeps_every_line(clerk_li, paid_job, bearing, lathe_model):
    family = QuoteFamily.objects.create(name="数控车床")
    family.product_models.add(lathe_model)
    family.parts.add(bearing)
    response = logged_in(clerk_li).post(f"/billing/quotations/new/?work_order={paid_job.pk}", {
        f"part-{bearing.pk}": "2", "service-0-kind": "labour", "service-0-description": "更换轴承", "service-0-quantity": "1",
        "service-0-price": "", "service-1-kind": "travel", "service-1-description": "上门", "service-1-quantity": "1", "service-1-price": "80",
        "note": "含税价"})
    assert response.status_code == 422 and not Quotation.objects.exists()
    html = response.content.decode()
    assert "第 1 行服务的单价：请输入数字。" in html and 'data-error-for="service-0-price"' in html
    assert f'name="part-{bearing.pk}" inputmode="decimal" placeholder="0" value="2"' in html
    assert 'value="更换轴承"' in html and 'value="上门"' in html and 'value="80"' in html and "含税价" in html


def test_a_refused_acceptance_keeps_the_customers_drawn_signature(clerk_li, paid_job, bearing):
    from aftersales.billing.services import QuoteItem, quotation_create

    quotation = quotation_create(actor=clerk_li, customer=paid_job.request.customer, work_order=paid_job, items=[QuoteItem(part=bearing, quantity=1)])
    response = logged_in(clerk_li).post(f"/billing/quotations/{quotation.pk}/", {"action": "accept", "signature": SIGNED, "signer_name": ""})
    assert response.status_code == 422
    assert f'name="signature" value="{SIGNED}"' in response.content.decode()
    quotation.refresh_from_db()
    assert quotation.status == "draft"


def test_the_accountant_invoices_and_receives_the_cash_from_the_desk(accountant_qian, tech_zhang, paid_job, van_zhang, bearing, clerk_li):
    wo.work_order_record_paid_acceptance(actor=clerk_li, work_order=paid_job, how="电话确认")
    logged_in(tech_zhang).post(f"/billing/jobs/{paid_job.pk}/use-part/", {"part_code": "BRG-6205", "quantity": "1"})
    wo.work_order_complete(actor=tech_zhang, work_order=paid_job, work_done="更换轴承", signature=SIGNED, signer_name="王工")
    paid_job.refresh_from_db()
    logged_in(tech_zhang).post(f"/billing/jobs/{paid_job.pk}/payment/", {"amount": "135.60", "method": "cash"})
    desk = logged_in(accountant_qian)
    page = desk.get("/billing/").content.decode()
    assert paid_job.number in page and "135.60" in page
    desk.post(f"/billing/jobs/{paid_job.pk}/invoice/", {"kind": "vat_normal", "number": "00012345", "issued_on": timezone.localdate().isoformat(),
                                                        "title": "上海艾克美精密机械有限公司"})
    assert Invoice.objects.get().total == Decimal("135.60")
    desk.post("/billing/cash/receive/", {"technician": tech_zhang.pk, "day": timezone.localdate().isoformat(),
                                         "counted_total": "135.60"})
    page = desk.get("/billing/").content.decode()
    waiting, received = page.split('id="cash-waiting"')[1].split('id="handovers"')
    assert "135.60" not in waiting and "135.60" in received


def test_it_validates_ownership_of_the_billing_pages(paid_job, clerk_chen, shanghai):
    client = logged_in(clerk_chen)
    assert client.get(f"/billing/jobs/{paid_job.pk}/").status_code == 404
    assert client.post(f"/billing/jobs/{paid_job.pk}/add-line/", {"description": "x", "quantity": "1", "unit_price": "1"}).status_code == 404
    colleague = logged_in(f.technician("tech_qian", shanghai))
    assert colleague.post(f"/billing/jobs/{paid_job.pk}/payment/", {"amount": "1", "method": "cash"}).status_code == 404
    assert not ChargeLine.objects.exists()


def test_a_technician_cannot_open_the_accounts_desk(tech_zhang):
    assert logged_in(tech_zhang).get("/billing/").status_code == 403


def test_the_price_list_is_published_and_printable(clerk_li, price_list):
    assert "180" in logged_in(clerk_li).get("/billing/price-list/").content.decode()
    text = pdf_text(logged_in(clerk_li).get("/billing/price-list/?format=pdf").content)
    assert "服务收费标准" in text or "价目表" in text


@pytest.mark.req("BILL-05")
def test_the_discount_sheet_lists_the_months_discounts_on_screen_in_xlsx_and_pdf(clerk_li, tech_zhang, paid_job, van_zhang, bearing):
    from aftersales.billing.services import discount_request, work_order_use_part

    line = work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("1"))
    discount_request(actor=clerk_li, line=line, amount=Decimal("10"), reason="老客户")
    client = logged_in(clerk_li)
    assert "老客户" in client.get("/billing/discounts/").content.decode()
    sheet = load_workbook(io.BytesIO(client.get("/billing/discounts/?format=xlsx").content)).active
    assert [c.value for c in sheet[1]][:3] == ["日期", "凭证号", "客户"] and sheet.cell(2, 7).value == "老客户"
    assert "售后折价单" in pdf_text(client.get("/billing/discounts/?format=pdf").content)


@pytest.mark.req("BILL-05")
def test_a_discount_asked_at_07_30_on_1_march_in_shanghai_is_dated_1_march(clerk_li, tech_zhang, paid_job, van_zhang, bearing):
    from aftersales.billing.models import Discount
    from aftersales.billing.services import discount_request, work_order_use_part

    line = work_order_use_part(actor=tech_zhang, work_order=paid_job, part=bearing, quantity=Decimal("1"))
    discount = discount_request(actor=clerk_li, line=line, amount=Decimal("10"), reason="老客户")
    Discount.objects.filter(pk=discount.pk).update(created_at=at(2026, 3, 1, 7, 30))  # 2026-02-28 23:30 UTC
    sheet = load_workbook(io.BytesIO(logged_in(clerk_li).get("/billing/discounts/?format=xlsx&month=2026-03").content)).active
    assert sheet.cell(2, 1).value.date() == dt.date(2026, 3, 1)  # naive: a spreadsheet cell


@pytest.mark.req("PART-06")
def test_the_stock_report_shows_on_screen_in_xlsx_and_pdf(warehouse_zhao, van_zhang, bearing, shanghai):
    client = logged_in(warehouse_zhao)
    store = center_warehouse(shanghai)
    assert "BRG-6205" in client.get(f"/parts/reports/stock/?warehouse={store.pk}").content.decode()
    sheet = load_workbook(io.BytesIO(client.get(f"/parts/reports/stock/?warehouse={store.pk}&format=xlsx").content)).active
    assert sheet.cell(2, 1).value == "BRG-6205" and sheet.cell(2, 5).value == 20
    assert "材料进消存报表" in pdf_text(client.get(f"/parts/reports/stock/?warehouse={store.pk}&format=pdf").content)


def test_the_keeper_receives_and_transfers_from_the_warehouse_page(warehouse_zhao, tech_zhang, bearing, shanghai):
    from aftersales.parts.services import van_warehouse

    client = logged_in(warehouse_zhao)
    store = center_warehouse(shanghai)
    client.post(f"/parts/warehouses/{store.pk}/receive/", {"part_code": "BRG-6205", "quantity": "5", "reference": "DN-7"})
    van = van_warehouse(tech_zhang)
    client.post(f"/parts/warehouses/{store.pk}/transfer/", {"part_code": "BRG-6205", "quantity": "2", "target": van.pk})
    assert (on_hand(bearing, store), on_hand(bearing, van)) == (Decimal("3"), Decimal("2"))
    response = client.post(f"/parts/warehouses/{store.pk}/transfer/", {"part_code": "BRG-6205", "quantity": "9", "target": van.pk}, follow=True)
    assert "BRG-6205" in response.content.decode() and on_hand(bearing, store) == 3


def test_a_technician_cannot_post_to_the_centres_warehouse(tech_zhang, bearing, shanghai):
    store = center_warehouse(shanghai)
    logged_in(tech_zhang).post(f"/parts/warehouses/{store.pk}/receive/", {"part_code": "BRG-6205", "quantity": "5"})
    assert on_hand(bearing, store) == 0


def test_it_validates_ownership_of_another_centres_warehouse(warehouse_zhao, suzhou):
    assert logged_in(warehouse_zhao).get(f"/parts/warehouses/{center_warehouse(suzhou).pk}/").status_code == 404


@pytest.mark.req("PART-01")
def test_parts_are_imported_from_a_spreadsheet_with_a_preview(warehouse_zhao, lathe_model):
    wb = Workbook()
    ws = wb.active
    ws.append(["配件编号", "名称", "规格", "单位", "适用型号", "主要部件", "售价", "成本", "供应商", "订货点"])
    ws.append(["SEAL-20", "油封", "20×35×7", "个", "沈阳机床 CAK6150", "否", 15, 6, "NOK", 10])
    ws.append(["BAD-1", "坏行", "", "个", "不存在 型号", "否", 1, 1, "", 0])
    buffer = io.BytesIO()
    wb.save(buffer)
    client = logged_in(warehouse_zhao)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "parts.xlsx"
    page = client.post("/parts/import/", {"file": upload}).content.decode()
    assert "不存在 型号" in page and not Part.objects.exists()
    key = re.search(r"/parts/import/([0-9a-f]+)/commit/", page).group(1)
    client.post(f"/parts/import/{key}/commit/", {"skip_bad_rows": "1"})
    part = Part.objects.get()
    assert (part.code, part.sale_price, list(part.compatible_models.all())) == ("SEAL-20", Decimal("15.00"), [lathe_model])


def test_the_part_catalogue_exports_what_it_imports(warehouse_zhao, bearing):
    sheet = load_workbook(io.BytesIO(logged_in(warehouse_zhao).get("/parts/export.xlsx").content)).active
    assert [c.value for c in sheet[2]][:2] == ["BRG-6205", "主轴轴承"] and sheet.cell(2, 5).value == "沈阳机床 CAK6150"


@pytest.mark.parametrize("url", ["/parts/", "/parts/warehouses/", "/parts/requisitions/", "/parts/old-parts/", "/parts/claims/",
                                 "/parts/back-orders/", "/parts/reports/abc/", "/parts/reports/low-stock/", "/billing/quotations/",
                                 "/billing/receivables/", "/billing/agreements/", "/billing/reports/parts-cost/"])
def test_the_parts_and_billing_pages_render(manager_zhou, van_zhang, url):
    assert logged_in(manager_zhou).get(url).status_code == 200


def test_a_new_quotation_for_a_job_starts_from_the_published_price_list(tech_zhang, paid_job, price_list):
    html = logged_in(tech_zhang).get(f"/billing/quotations/new/?work_order={paid_job.pk}").content.decode()
    # grade-3 labour on site 180/h, urban travel 50, call-out 30
    assert 'name="service-0-price" placeholder="单价" inputmode="decimal" value="180.00"' in html
    assert 'name="service-1-price" placeholder="单价" inputmode="decimal" value="50.00"' in html
    assert 'name="service-2-price" placeholder="单价" inputmode="decimal" value="30.00"' in html
