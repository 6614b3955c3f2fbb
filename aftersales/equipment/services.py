"""Writes to the installed base and the product catalogue."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import Zone
from aftersales.accounts.scoping import can_see_center
from aftersales.core.errors import DomainError, check_fields
from aftersales.core.models import ProductCategory
from aftersales.core.uploads import accept_image
from aftersales.customers.models import Customer
from aftersales.equipment.models import Equipment, ProductModel, RetiredQrToken, WarrantyBasis


def product_model_create(
    *, actor, brand: str, model_code: str, name: str, category: ProductCategory, warranty_months: int = 12,
    main_part_warranty_months: int = 0, warranty_basis: str = WarrantyBasis.INVOICE, main_parts: list[str] | None = None,
) -> ProductModel:
    """Create a product model; the brand + model code pair must be new."""
    errors: dict[str, list[str]] = {}
    if not brand.strip() or not model_code.strip():
        errors["model_code"] = [_("Brand and model code are required.")]
    if warranty_basis not in WarrantyBasis.values:
        errors["warranty_basis"] = [_("Unknown warranty basis.")]
    if ProductModel.objects.filter(brand=brand.strip(), model_code=model_code.strip()).exists():
        errors["model_code"] = [_("Model %(code)s of %(brand)s exists already.") % {"code": model_code, "brand": brand}]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        pm = ProductModel(
            brand=brand.strip(), model_code=model_code.strip(), name=name.strip() or model_code.strip(), category=category,
            warranty_months=warranty_months, main_part_warranty_months=main_part_warranty_months,
            warranty_basis=warranty_basis, main_parts=main_parts or [],
        )
        pm._history_user = actor
        pm.save()
    return pm


def _check_serial(product_model: ProductModel, serial_no: str, exclude_pk: int | None = None) -> None:
    clash = Equipment.objects.filter(product_model=product_model, serial_no=serial_no).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise DomainError(
            {"serial_no": [_("Serial %(serial)s of model %(model)s is already registered.") % {"serial": serial_no, "model": product_model}]},
            code="duplicate_serial",
        )


def equipment_create(
    *, actor, customer: Customer, product_model: ProductModel, serial_no: str, plate_no: str = "",
    invoice_date: dt.date | None = None, delivery_date: dt.date | None = None, install_date: dt.date | None = None,
    site_address: str = "", zone: str = "", notes: str = "", invoice_photo=None,
) -> Equipment:
    """Register one unit for ``customer``. Serial is unique per model; dates must be in order. ``invoice_photo`` (the
    purchase invoice, checked by its content and re-encoded) is kept privately with the unit."""
    serial_no = (serial_no or "").strip().upper()
    errors: dict[str, list[str]] = {}
    if not serial_no:
        errors["serial_no"] = [_("Enter the serial / VIN / IMEI.")]
    if actor is not None and not can_see_center(actor, customer.service_center_id):
        errors["customer"] = [_("This customer belongs to another service centre.")]
    if zone and zone not in Zone.values:
        errors["zone"] = [_("Unknown zone “%(zone)s”.") % {"zone": zone}]
    known = [d for d in (invoice_date, delivery_date, install_date) if d]
    if any(d > timezone.localdate() + dt.timedelta(days=366) for d in known):
        errors["invoice_date"] = [_("A date lies too far in the future.")]
    if install_date and delivery_date and install_date < delivery_date:
        errors["install_date"] = [_("Installation cannot be before delivery.")]
    if errors:
        raise DomainError(errors)
    _check_serial(product_model, serial_no)
    photo = accept_image(invoice_photo, field="invoice_photo") if invoice_photo is not None else None
    site = site_address.strip() or (customer.default_address.address if customer.default_address else "")
    with transaction.atomic():
        unit = Equipment(
            customer=customer, product_model=product_model, serial_no=serial_no, plate_no=plate_no.strip().upper(),
            invoice_date=invoice_date, delivery_date=delivery_date, install_date=install_date, site_address=site,
            zone=zone or (customer.service_center.zone_for_address(site) if site else ""), notes=notes,
        )
        unit._history_user = actor
        check_fields(unit, exclude=("customer", "product_model", "qr_token", "invoice_photo"))
        if photo is not None:
            unit.invoice_photo.save(f"{serial_no}-invoice.{photo.name.rsplit('.', 1)[-1]}", photo, save=False)
        unit.save()
    return unit


def equipment_rotate_qr_token(*, actor, equipment: Equipment) -> Equipment:
    """Give the equipment a new QR token (print a new label); the old label stops working at once.

    For a lost or copied label. Staff who can see the customer may do it; the old token is kept as
    retired so that a scan of the old label gets a clear message rather than "not found".
    """
    if actor is None or not actor.has_perm("customers.change", equipment.customer):
        raise PermissionDenied(_("You may not reissue labels for this customer."))
    with transaction.atomic():
        current = Equipment.objects.select_for_update().get(pk=equipment.pk)
        RetiredQrToken.objects.create(token=current.qr_token, equipment=current, retired_by=actor)
        current.qr_token = secrets.token_urlsafe(18)[:24]
        current._history_user = actor
        current.save(update_fields=["qr_token", "updated_at"])
    return current
