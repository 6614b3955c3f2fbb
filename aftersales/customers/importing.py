"""Import the customer & equipment archive from xlsx or CSV (UTF-8 or GBK), and export it to xlsx.

The import runs every row through the same services the forms use, inside one transaction with
a savepoint per row, so the preview (dry run) reports exactly what a real import would do.
Unless the user chooses to skip bad rows, an import with any bad row writes nothing.

One row is one customer and, optionally, one machine. Rows whose first phone already belongs to
a customer of the same name add the machine to that customer; a phone held by a customer of a
different name creates a new customer flagged for merge (never a silent duplicate).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from aftersales.accounts.models import ServiceCenter
from aftersales.core.errors import DomainError
from aftersales.customers.models import Customer, CustomerPhone
from aftersales.customers.phones import normalize_phone
from aftersales.customers.services import AddressInput, CustomerInput, customer_create

# Column key → accepted headers (Chinese first, English second).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("客户名称", "name"),
    "kind": ("客户类型", "kind"),
    "phones": ("电话", "phones"),
    "contact_person": ("联系人", "contact_person"),
    "address": ("地址", "address"),
    "region": ("地区", "region"),
    "customer_class": ("客户等级", "customer_class"),
    "vip_level": ("VIP等级", "vip_level"),
    "lifecycle": ("生命周期", "lifecycle"),
    "service_center": ("服务中心", "service_center"),
    "brand": ("品牌", "brand"),
    "model_code": ("型号", "model_code"),
    "serial_no": ("序列号", "serial_no"),
    "plate_no": ("车牌/资产号", "plate_no"),
    "invoice_date": ("发票日期", "invoice_date"),
    "delivery_date": ("交货日期", "delivery_date"),
    "install_date": ("安装日期", "install_date"),
}
REQUIRED = ("name", "phones", "service_center")
MAX_ROWS = 20000
KIND_ALIASES = {"个人": "person", "企业": "company", "公司": "company"}


@dataclass
class RowResult:
    line: int
    ok: bool
    messages: list[str] = field(default_factory=list)
    customer: str = ""
    serial: str = ""
    action: str = ""


@dataclass
class ImportResult:
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    committed: bool = False
    customers_created: int = 0
    equipment_created: int = 0

    @property
    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if not r.ok]


class ImportFileError(DomainError):
    pass


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is neither UTF-8 nor GBK text. Save it as xlsx or CSV (UTF-8) and try again."))


def read_table(file_name: str, content: bytes) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """Headers and (line number, cells) rows. Formula cells become ImportFileError per row later."""
    name = file_name.lower()
    if name.endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many types for a broken zip
            raise ImportFileError(_("The file is not a readable xlsx workbook.")) from exc
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None) or ()
        return [str(h or "").strip() for h in header], ((i, list(r)) for i, r in enumerate(rows, start=2))
    if name.endswith(".csv") or name.endswith(".txt"):
        text = _decode(content)
        reader = csv.reader(io.StringIO(text))
        header = next(reader, [])
        return [h.strip() for h in header], ((i, list(r)) for i, r in enumerate(reader, start=2))
    raise ImportFileError(_("Only .xlsx and .csv files can be imported."))


def _map_headers(headers: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for pos, header in enumerate(headers):
            if header in names or header.lower() in names:
                index[key] = pos
                break
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in index]
    if missing:
        raise ImportFileError(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})
    return index


def _cell(cells: list, index: dict[str, int], key: str):
    pos = index.get(key)
    if pos is None or pos >= len(cells):
        return None
    value = cells[pos]
    if isinstance(value, str):
        if value.startswith("="):
            raise DomainError(_("Column “%(col)s” holds a formula; enter plain values.") % {"col": COLUMNS[key][0]})
        value = value.strip()
    return value


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise DomainError(_("“%(v)s” is not a date (use 2026-03-01).") % {"v": value}) from exc


def _import_row(cells: list, index: dict[str, int], *, actor, centers: dict[str, ServiceCenter], result: RowResult, totals: ImportResult) -> None:
    from aftersales.equipment.models import ProductModel
    from aftersales.equipment.services import equipment_create

    name = str(_cell(cells, index, "name") or "")
    result.customer = name
    raw_phones = str(_cell(cells, index, "phones") or "")
    phones = [p.strip() for p in raw_phones.replace("，", ";").replace(",", ";").replace("/", ";").split(";") if p.strip()]
    center_code = str(_cell(cells, index, "service_center") or "")
    center = centers.get(center_code) or next((c for c in centers.values() if c.name == center_code), None)
    if center is None:
        raise DomainError(_("Unknown service centre “%(c)s”.") % {"c": center_code})
    first = normalize_phone(phones[0]) if phones else ""
    existing = (
        Customer.objects.filter(phones__number=first, name=name).first() if first else None
    )
    if existing is None:
        kind = str(_cell(cells, index, "kind") or "company")
        data = CustomerInput(
            name=name, service_center=center, phones=phones, kind=KIND_ALIASES.get(kind, kind),
            contact_person=str(_cell(cells, index, "contact_person") or ""), region=str(_cell(cells, index, "region") or ""),
            addresses=[AddressInput(str(_cell(cells, index, "address")))] if _cell(cells, index, "address") else [],
            customer_class=str(_cell(cells, index, "customer_class") or "B").upper(),
            vip_level=int(_cell(cells, index, "vip_level") or 0),
            lifecycle=str(_cell(cells, index, "lifecycle") or "formal"),
        )
        clash = CustomerPhone.objects.filter(number__in=[first]).exists()
        existing = customer_create(actor=actor, data=data, allow_duplicate_phone=True)
        totals.customers_created += 1
        result.action = _("new customer, flagged for merge (shared phone)") if clash else _("new customer")
    else:
        result.action = _("existing customer")
    serial = str(_cell(cells, index, "serial_no") or "")
    result.serial = serial
    if serial:
        brand, code = str(_cell(cells, index, "brand") or ""), str(_cell(cells, index, "model_code") or "")
        model = ProductModel.objects.filter(brand=brand, model_code=code).first()
        if model is None:
            raise DomainError(_("Unknown product model %(brand)s %(code)s.") % {"brand": brand, "code": code})
        equipment_create(
            actor=actor, customer=existing, product_model=model, serial_no=serial,
            plate_no=str(_cell(cells, index, "plate_no") or ""), invoice_date=_date(_cell(cells, index, "invoice_date")),
            delivery_date=_date(_cell(cells, index, "delivery_date")), install_date=_date(_cell(cells, index, "install_date")),
        )
        totals.equipment_created += 1
        result.action += " + " + _("equipment")


def import_archive(
    *, actor, file_name: str, content: bytes, dry_run: bool = True, skip_bad_rows: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate (and unless ``dry_run``, write) every row. See the module docstring for the rules."""
    result = ImportResult()
    try:
        headers, rows = read_table(file_name, content)
        index = _map_headers(headers)
    except ImportFileError as exc:
        result.file_errors = exc.messages
        return result
    centers = {c.code: c for c in ServiceCenter.objects.all()}
    with transaction.atomic():
        for count, (line, cells) in enumerate(rows, start=1):
            if count > MAX_ROWS:
                result.file_errors.append(_("A file may hold at most %(n)s rows; split it.") % {"n": MAX_ROWS})
                break
            if not any(c not in (None, "") for c in cells):
                continue
            row = RowResult(line=line, ok=True)
            try:
                with transaction.atomic():
                    _import_row(cells, index, actor=actor, centers=centers, result=row, totals=result)
            except DomainError as exc:
                row.ok = False
                row.messages = exc.messages
            except (ValueError, TypeError) as exc:
                row.ok, row.messages = False, [_("Unreadable value: %(e)s") % {"e": exc}]
            result.rows.append(row)
            if progress:
                progress(count)
        keep = not dry_run and not result.file_errors and (skip_bad_rows or not result.bad_rows)
        if not keep:
            transaction.set_rollback(True)
        result.committed = keep
    if not dry_run and not result.committed:
        # Nothing was written; in a dry run the counts say what an import would create.
        result.customers_created = result.equipment_created = 0
    return result


def _safe(value) -> object:
    """Escape text that a spreadsheet would run as a formula (CSV/Excel injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_customers_xlsx(customers) -> bytes:
    """The archive as an xlsx sheet with the same headers the import accepts."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Customers"))
    keys = ("name", "kind", "phones", "contact_person", "address", "region", "customer_class", "vip_level", "lifecycle", "service_center")
    ws.append(["客户编号", *(COLUMNS[k][0] for k in keys)])
    for c in customers:
        address = c.default_address
        ws.append([_safe(v) for v in (
            c.customer_no, c.name, c.kind, ";".join(p.number for p in c.phones.all()), c.contact_person,
            address.address if address else "", c.region, c.customer_class, c.vip_level, c.lifecycle, c.service_center.code,
        )])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
