"""The part catalogue: create and change parts, import and export them as spreadsheets."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError, check_fields
from aftersales.core.tabular import ImportResult, Row, RowResult, run_import, xlsx_bytes
from aftersales.core.uploads import accept_image
from aftersales.equipment.models import ProductModel
from aftersales.parts.models import Part, Supplier

EDITABLE = ("name", "specification", "unit", "is_main_part", "sale_price", "cost", "supplier", "reorder_point", "is_active")


def _check(values: dict) -> None:
    errors: dict[str, list[str]] = {}
    if not str(values.get("code", "x")).strip():
        errors["code"] = [_("Enter the part code.")]
    if not str(values.get("name", "x")).strip():
        errors["name"] = [_("Enter the part name.")]
    for key in ("sale_price", "cost"):
        if key in values and (values[key] is None or Decimal(values[key]) < 0):
            errors[key] = [_("Prices cannot be negative.")]
    if int(values.get("reorder_point") or 0) < 0:
        errors["reorder_point"] = [_("The reorder point cannot be negative.")]
    if errors:
        raise DomainError(errors)


def _require(actor) -> None:
    if actor is not None and not actor.has_perm("parts.manage_catalogue"):
        raise PermissionDenied(_("Only the warehouse keeps the part catalogue."))


def part_create(*, actor, code: str, name: str, sale_price: Decimal, cost: Decimal, unit: str = "个", specification: str = "",
                is_main_part: bool = False, supplier: Supplier | None = None, reorder_point: int = 0,
                compatible_models: list[ProductModel] | None = None, photo=None) -> Part:
    """A new catalogue part; ``photo`` (an upload) is checked and cleaned before anything is written."""
    _require(actor)
    code = (code or "").strip().upper()
    _check({"code": code, "name": name, "sale_price": sale_price, "cost": cost, "reorder_point": reorder_point})
    clean_photo = accept_image(photo, field="photo") if photo else None
    if Part.objects.filter(code=code).exists():
        raise DomainError({"code": [_("Part %(code)s exists already.") % {"code": code}]}, code="duplicate_part")
    with transaction.atomic():
        part = Part(code=code, name=name.strip(), specification=specification.strip(), unit=(unit or "个").strip(), is_main_part=is_main_part,
                    sale_price=Decimal(sale_price).quantize(Decimal("0.01")), cost=Decimal(cost).quantize(Decimal("0.01")), supplier=supplier,
                    reorder_point=reorder_point)
        if clean_photo is not None:
            part.photo = clean_photo
        check_fields(part, exclude=("photo", "supplier"))
        part._history_user = actor
        part.save()
        part.compatible_models.set(compatible_models or [])
    return part


def part_update(*, actor, part: Part, compatible_models: list[ProductModel] | None = None, photo=None, **changes) -> Part:
    """Change a part; a new ``photo`` is checked and cleaned first (a bad one changes nothing)."""
    _require(actor)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    _check(changes)
    clean_photo = accept_image(photo, field="photo") if photo else None
    with transaction.atomic():
        if clean_photo is not None:
            part.photo = clean_photo
        for key, value in changes.items():
            setattr(part, key, value.strip() if isinstance(value, str) else value)
        check_fields(part, exclude=("photo", "supplier"))
        part._history_user = actor
        part.save()
        if compatible_models is not None:
            part.compatible_models.set(compatible_models)
    return part


COLUMNS = {
    "code": ("配件编号", "code"), "name": ("名称", "name"), "specification": ("规格", "specification"), "unit": ("单位", "unit"),
    "models": ("适用型号", "models"), "is_main_part": ("主要部件", "is_main_part"), "sale_price": ("售价", "sale_price"),
    "cost": ("成本", "cost"), "supplier": ("供应商", "supplier"), "reorder_point": ("订货点", "reorder_point"),
}
REQUIRED = ("code", "name", "sale_price", "cost")
YES = {"是", "y", "yes", "1", "true", "√"}


def _models(text: str) -> list[ProductModel]:
    """``沈阳机床 CAK6150; 大连机床 VDL-850`` → product models (brand and code separated by a space)."""
    found = []
    for item in filter(None, (p.strip() for p in text.replace("；", ";").split(";"))):
        brand, _sep, code = item.rpartition(" ")
        model = ProductModel.objects.filter(brand=brand.strip(), model_code=code.strip()).first()
        if model is None:
            raise DomainError(_("Unknown product model “%(m)s” (write brand and model code, e.g. 沈阳机床 CAK6150).") % {"m": item})
        found.append(model)
    return found


def _import_row(row: Row, outcome: RowResult, totals: ImportResult, *, actor) -> None:
    code = row.text("code").upper()
    outcome.label = f"{code} {row.text('name')}"
    supplier_name = row.text("supplier")
    supplier = Supplier.objects.get_or_create(name=supplier_name)[0] if supplier_name else None
    values = {"name": row.text("name"), "specification": row.text("specification"), "unit": row.text("unit", "个"),
              "is_main_part": row.text("is_main_part").lower() in YES, "sale_price": row.decimal("sale_price"), "cost": row.decimal("cost"),
              "supplier": supplier, "reorder_point": int(row.decimal("reorder_point", Decimal("0")))}
    models = _models(row.text("models"))
    existing = Part.objects.filter(code=code).first()
    if existing:
        part_update(actor=actor, part=existing, compatible_models=models, **values)
        totals.count("updated")
        outcome.action = _("updated")
    else:
        part_create(actor=actor, code=code, compatible_models=models, **values)
        totals.count("created")
        outcome.action = _("new part")


def import_parts(*, actor, file_name: str, content: bytes, dry_run: bool = True, skip_bad_rows: bool = False,
                 progress: Callable[[int], None] | None = None) -> ImportResult:
    """Create or update parts by code from xlsx/CSV; preview first, nothing written while a row is bad."""
    _require(actor)
    return run_import(file_name=file_name, content=content, columns=COLUMNS, required=REQUIRED, dry_run=dry_run,
                      skip_bad_rows=skip_bad_rows, progress=progress,
                      import_row=lambda row, outcome, totals: _import_row(row, outcome, totals, actor=actor))


def export_parts_xlsx(parts) -> bytes:
    keys = ("code", "name", "specification", "unit", "models", "is_main_part", "sale_price", "cost", "supplier", "reorder_point")
    rows = (
        (p.code, p.name, p.specification, p.unit, "; ".join(f"{m.brand} {m.model_code}" for m in p.compatible_models.all()),
         "是" if p.is_main_part else "否", p.sale_price, p.cost, p.supplier.name if p.supplier else "", p.reorder_point)
        for p in parts
    )
    return xlsx_bytes(_("Parts"), [COLUMNS[k][0] for k in keys], rows)
