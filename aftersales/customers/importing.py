"""Import the customer & equipment archive from xlsx or CSV (UTF-8 or GBK), and export it to xlsx.

The import runs every row through the same services the forms use, inside one transaction with
a savepoint per row, so the preview (dry run) reports exactly what a real import would do.
Unless the user chooses to skip bad rows, an import with any bad row writes nothing.

One row is one customer and, optionally, one machine. Rows whose first phone already belongs to
a customer of the same name in the row's centre add the machine to that customer; a phone held by a customer of a
different name creates a new customer flagged for merge (never a silent duplicate) when the importer sees the holder's
centre (another branch's customer is neither changed nor named).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from aftersales.accounts.models import ServiceCenter
from aftersales.core.errors import DomainError
from aftersales.core.tabular import ImportResult, Row, RowResult, run_import, xlsx_bytes
from aftersales.customers.models import Customer
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
KIND_ALIASES = {"个人": "person", "企业": "company", "公司": "company"}


def _import_row(row: Row, outcome: RowResult, totals: ImportResult, *, actor, centers: dict[str, ServiceCenter]) -> None:
    from aftersales.equipment.models import ProductModel
    from aftersales.equipment.services import equipment_create

    name = row.text("name")
    phones = [p.strip() for p in row.text("phones").replace("，", ";").replace(",", ";").replace("/", ";").split(";") if p.strip()]
    center_code = row.text("service_center")
    center = centers.get(center_code) or next((c for c in centers.values() if c.name == center_code), None)
    if center is None:
        raise DomainError(_("Unknown service centre “%(c)s”.") % {"c": center_code})
    first = normalize_phone(phones[0]) if phones else ""
    # The same customer is the same name and phone in the row's own centre: another branch's customer is never touched.
    existing = Customer.objects.filter(phones__number=first, name=name, service_center=center).first() if first else None
    serial = row.text("serial_no")
    outcome.label = f"{name} {serial}".strip()
    if existing is None:
        kind = row.text("kind", "company")
        data = CustomerInput(
            name=name, service_center=center, phones=phones, kind=KIND_ALIASES.get(kind, kind), contact_person=row.text("contact_person"),
            region=row.text("region"), addresses=[AddressInput(row.text("address"))] if row.text("address") else [],
            customer_class=row.text("customer_class", "B").upper(), vip_level=int(row.get("vip_level") or 0), lifecycle=row.text("lifecycle", "formal"),
        )
        existing = customer_create(actor=actor, data=data, allow_duplicate_phone=True)
        totals.count("customers")
        outcome.action = _("new customer, flagged for merge (shared phone)") if existing.merge_flags.exists() else _("new customer")
    else:
        outcome.action = _("existing customer")
    if serial:
        brand, code = row.text("brand"), row.text("model_code")
        model = ProductModel.objects.filter(brand=brand, model_code=code).first()
        if model is None:
            raise DomainError(_("Unknown product model %(brand)s %(code)s.") % {"brand": brand, "code": code})
        equipment_create(
            actor=actor, customer=existing, product_model=model, serial_no=serial, plate_no=row.text("plate_no"),
            invoice_date=row.date("invoice_date"), delivery_date=row.date("delivery_date"), install_date=row.date("install_date"),
        )
        totals.count("equipment")
        outcome.action += " + " + _("equipment")


def import_archive(
    *, actor, file_name: str, content: bytes, dry_run: bool = True, skip_bad_rows: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate (and unless ``dry_run``, write) every row. See the module docstring for the rules."""
    centers = {c.code: c for c in ServiceCenter.objects.all()}
    return run_import(
        file_name=file_name, content=content, columns=COLUMNS, required=REQUIRED, dry_run=dry_run, skip_bad_rows=skip_bad_rows,
        progress=progress, import_row=lambda row, outcome, totals: _import_row(row, outcome, totals, actor=actor, centers=centers),
    )


def export_customers_xlsx(customers) -> bytes:
    """The archive as an xlsx sheet with the same headers the import accepts."""
    keys = ("name", "kind", "phones", "contact_person", "address", "region", "customer_class", "vip_level", "lifecycle", "service_center")
    rows = (
        (c.customer_no, c.name, c.kind, ";".join(p.number for p in c.phones.all()), c.contact_person,
         c.default_address.address if c.default_address else "", c.region, c.customer_class, c.vip_level, c.lifecycle, c.service_center.code)
        for c in customers
    )
    return xlsx_bytes(_("Customers"), ["客户编号", *(COLUMNS[k][0] for k in keys)], rows)
