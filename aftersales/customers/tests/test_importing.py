"""Importing the archive from xlsx/CSV with a preview; exporting it safely."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from aftersales.customers.importing import export_customers_xlsx, import_archive
from aftersales.customers.models import Customer, MergeCandidate
from aftersales.customers.selectors import customer_list
from aftersales.equipment.models import Equipment

HEADER = "客户名称,电话,服务中心,地址,品牌,型号,序列号,安装日期\n"
GOOD = "宁波精工机械有限公司,13511112222,SH,上海市浦东新区川沙路1号,沈阳机床,CAK6150,NB0001,2026-05-01\n"
SECOND = "松江农机站,021-57712345,SH,上海市松江区,沈阳机床,CAK6150,NB0002,2026/04/01\n"


@pytest.fixture
def ready(shanghai, lathe_model, manager_zhou):
    return manager_zhou


def run(actor, content: bytes, name: str = "archive.csv", **kw):
    return import_archive(actor=actor, file_name=name, content=content, **kw)


def test_a_dry_run_previews_every_row_and_writes_nothing(ready):
    result = run(ready, (HEADER + GOOD + SECOND).encode("utf-8"))
    assert [r.ok for r in result.rows] == [True, True]
    assert (result.counts, result.committed) == ({"customers": 2, "equipment": 2}, False)
    assert Customer.objects.count() == 0


def test_a_clean_file_imports_customers_and_machines(ready):
    result = run(ready, (HEADER + GOOD + SECOND).encode("utf-8"), dry_run=False)
    assert result.committed
    unit = Equipment.objects.get(serial_no="NB0002")
    assert unit.customer.name == "松江农机站" and unit.install_date.isoformat() == "2026-04-01"


def test_a_gbk_csv_from_chinese_excel_is_read(ready):
    result = run(ready, (HEADER + GOOD).encode("gbk"), dry_run=False)
    assert result.committed and Customer.objects.get().name == "宁波精工机械有限公司"


def test_an_xlsx_workbook_is_read(ready):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    ws.append(GOOD.strip().split(","))
    buffer = io.BytesIO()
    wb.save(buffer)
    assert run(ready, buffer.getvalue(), name="archive.xlsx", dry_run=False).committed


def test_a_file_in_an_unknown_encoding_is_refused_with_a_message(ready):
    result = run(ready, b"\xff\xfe\x00\xd8\x00\xdc" * 10)
    assert "UTF-8" in result.file_errors[0] and not result.rows


def test_missing_columns_are_named(ready):
    result = run(ready, "客户名称,地址\n某公司,上海\n".encode())
    assert result.file_errors == ["缺少列：电话、服务中心。"]


def test_a_broken_xlsx_is_refused(ready):
    assert "xlsx" in run(ready, b"not a zip", name="x.xlsx").file_errors[0]


def test_formula_cells_are_refused_per_row(ready):
    result = run(ready, (HEADER + "=HYPERLINK(\"x\"),13511112222,SH,,,,,\n").encode(), dry_run=False)
    assert not result.committed and "公式" in result.rows[0].messages[0]


def test_a_bad_row_stops_the_whole_import_unless_the_user_skips_bad_rows(ready):
    content = (HEADER + GOOD + "坏电话公司,12345,SH,,,,,\n").encode()
    refused = run(ready, content, dry_run=False)
    assert not refused.committed and Customer.objects.count() == 0
    assert "不是有效的电话号码" in refused.rows[1].messages[0]
    skipped = run(ready, content, dry_run=False, skip_bad_rows=True)
    assert skipped.committed and list(Customer.objects.values_list("name", flat=True)) == ["宁波精工机械有限公司"]


def test_duplicate_serials_in_one_file_are_reported_on_the_second_row(ready):
    dup = GOOD.replace("宁波精工机械有限公司,13511112222", "另一家,13699998888")
    result = run(ready, (HEADER + GOOD + dup).encode(), dry_run=False)
    assert not result.committed
    assert result.rows[1].line == 3 and "NB0001" in result.rows[1].messages[0]


def test_a_phone_already_on_file_under_another_name_is_flagged_for_merge(ready, customer_acme):
    row = "艾克美(新名),13800138000,SH,,,,,\n"
    result = run(ready, (HEADER + row).encode(), dry_run=False)
    assert result.committed and "合并" in result.rows[0].action
    assert MergeCandidate.objects.filter(other=customer_acme).exists()


def test_a_row_for_an_existing_customer_adds_the_machine_to_it(ready, customer_acme):
    row = "上海艾克美精密机械有限公司,13800138000,SH,,沈阳机床,CAK6150,NEW-1,\n"
    assert run(ready, (HEADER + row).encode(), dry_run=False).committed
    assert Customer.objects.count() == 1 and customer_acme.equipment.get().serial_no == "NEW-1"


def test_the_export_escapes_text_that_excel_would_run_as_a_formula(ready, shanghai):
    from aftersales.testing import factories as f

    f.customer(name="=cmd|' /C calc'!A0", center=shanghai)
    wb = load_workbook(io.BytesIO(export_customers_xlsx(customer_list(user=ready))))
    names = [row[1] for row in wb.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["'=cmd|' /C calc'!A0"]


def test_a_name_longer_than_its_column_is_refused_naming_the_row_and_nothing_is_imported(ready):
    result = run(ready, ("客户名称,电话,服务中心\n" + "长" * 510 + ",13655556666,SH\n").encode())
    assert result.bad_rows and not result.committed
    from aftersales.customers.models import Customer

    assert not Customer.objects.filter(name__startswith="长长").exists()


def test_a_sheet_with_more_rows_than_allowed_is_refused_before_any_row_is_imported(ready, settings):
    from aftersales.testing.files import huge_xlsx

    # The check a million-row sheet meets at 50,000 rows (if its size has not refused it first), on a file the test
    # can write quickly.
    settings.IMPORT_MAX_ROWS = 1000
    result = run(ready, huge_xlsx(1500), name="big.xlsx")
    assert result.file_errors and "1000" in result.file_errors[0] and not result.rows
