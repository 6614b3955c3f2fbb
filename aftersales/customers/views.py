"""Archive pages: customer search, customer and equipment detail, import with preview, export."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.files import serve_private
from aftersales.core.importflow import ImportFlow
from aftersales.core.pdf import pdf_response, qr_data_uri
from aftersales.core.web import apply_domain_errors
from aftersales.customers.forms import AddressForm, CustomerEditForm, CustomerForm, CustomerSearchForm, EquipmentForm, PhoneForm
from aftersales.customers.importing import export_customers_xlsx, import_archive
from aftersales.customers.selectors import customer_list, get_customer_for_user, get_merge_candidate_for_user, merge_candidate_list
from aftersales.customers.services import (
    UPDATABLE,
    AddressInput,
    CustomerInput,
    customer_add_address,
    customer_add_phone,
    customer_create,
    customer_merge,
    customer_update,
    merge_candidate_dismiss,
)
from aftersales.equipment.selectors import equipment_list, get_equipment_for_user
from aftersales.equipment.services import equipment_create, equipment_rotate_qr_token
from aftersales.servicedesk.selectors import request_list

PAGE_SIZE = 50
EXPORT_LIMIT = 50000


def _search(request):
    form = CustomerSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = customer_list(user=request.user, q=data.get("q") or "", created_from=data.get("created_from"), created_to=data.get("created_to"))
    return form, qs


@login_required
def customer_search(request):
    form, qs = _search(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "customers/list.html", {"form": form, "page": page,
                                                   "can_export": request.user.has_perm("customers.export")})


@login_required
def customer_export(request):
    if not request.user.has_perm("customers.export"):
        raise PermissionDenied(_("Only the desk, supervisors and managers may export the customer archive."))
    _form, qs = _search(request)
    response = HttpResponse(export_customers_xlsx(qs[:EXPORT_LIMIT]),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="customers-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def customer_detail(request, pk: int):
    customer = get_customer_for_user(request.user, pk)
    today = timezone.localdate()
    units = list(customer.equipment.select_related("product_model").order_by("-id"))
    for unit in units:
        unit.warranty = unit.warranty_status(today)
    return render(request, "customers/detail.html", {
        "customer": customer, "units": units, "today": today, "can_change": request.user.has_perm("customers.change", customer),
        "can_manage_contracts": request.user.has_perm("contracts.manage", customer),
        "contracts": customer.contracts.prefetch_related("equipment").order_by("-start_date"),
        "requests": request_list(user=request.user, customer_id=customer.pk)[:50],
    })


@login_required
def equipment_detail(request, pk: int):
    unit = get_equipment_for_user(request.user, pk)
    today = timezone.localdate()
    return render(request, "customers/equipment.html", {
        "unit": unit, "warranty": unit.warranty_status(today), "today": today,
        "contracts": unit.contracts.order_by("-start_date"), "can_change": request.user.has_perm("customers.change", unit.customer),
        "requests": request_list(user=request.user, equipment_id=unit.pk)[:100],
    })


@login_required
def equipment_invoice(request, pk: int):
    """The photo of the unit's purchase invoice, for those who may see the unit (never a public URL)."""
    unit = get_equipment_for_user(request.user, pk)
    if not unit.invoice_photo:
        raise Http404("invoice photo")
    return serve_private(unit.invoice_photo, download_name=f"{unit.serial_no}-invoice{PurePosixPath(unit.invoice_photo.name).suffix}")


def label_url(unit) -> str:
    """The public address a QR label encodes: the opaque token, never a database id."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("portal:scan", args=[unit.qr_token])


def _labels_pdf(units: list, filename: str):
    labels = [{"unit": unit, "qr": qr_data_uri(label_url(unit), scale=4)} for unit in units]
    return pdf_response("pdf/qr_labels.html", {"labels": labels, "hotline": settings.SERVICE_HOTLINE}, filename=filename)


@login_required
def customer_labels_pdf(request, pk: int):
    """A sheet of QR labels for every machine of a customer (INTK-07)."""
    customer = get_customer_for_user(request.user, pk)
    units = list(equipment_list(user=request.user, customer_id=customer.pk))
    if not units:
        messages.error(request, _("This customer has no equipment to label."))
        return redirect("customers:detail", pk=customer.pk)
    return _labels_pdf(units, f"labels-{customer.customer_no}.pdf")


@login_required
def equipment_label_pdf(request, pk: int):
    unit = get_equipment_for_user(request.user, pk)
    return _labels_pdf([unit], f"label-{unit.serial_no}.pdf")


@login_required
@require_POST
def equipment_reissue_label(request, pk: int):
    """Replace a lost or copied label: the old one stops working at once."""
    unit = get_equipment_for_user(request.user, pk)
    equipment_rotate_qr_token(actor=request.user, equipment=unit)
    messages.success(request, _("A new label was issued; print it and replace the old one, which no longer works."))
    return redirect("customers:equipment", pk=unit.pk)


IMPORT = ImportFlow(
    name="customers", perm="customers.import", run=import_archive, title=_lazy("Import customers and equipment"),
    help_text=_lazy("Columns: 客户名称, 电话 (several separated by ;), 服务中心 (code), and optionally 客户类型, 联系人, 地址, 地区, 客户等级, VIP等级, "
                    "生命周期, 品牌, 型号, 序列号, 车牌/资产号, 发票日期, 交货日期, 安装日期. Nothing is written until you confirm the preview."),
    commit_url_name="customers:import_commit", done_url_name="customers:list",
    done_message=lambda r: _("Imported %(c)s customers and %(e)s machines.") % {"c": r.counts.get("customers", 0), "e": r.counts.get("equipment", 0)},
    count_labels={"customers": _lazy("new customers"), "equipment": _lazy("new machines")},
)


@login_required
def import_upload(request):
    return IMPORT.upload(request)


@login_required
@require_POST
def import_commit(request, key: str):
    return IMPORT.commit(request, key)


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("；", ";").replace(",", ";").replace("，", ";").split(";") if p.strip()]


def _require_change(user, customer=None) -> None:
    if not user.has_perm("customers.change", customer):
        raise PermissionDenied


@login_required
def customer_create_view(request):
    """File a new customer (CUST-10: numbered with the system customer ID)."""
    _require_change(request.user)
    form = CustomerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        center = d.get("service_center") or request.user.service_center
        try:
            customer = customer_create(actor=request.user, allow_duplicate_phone=d["allow_duplicate_phone"], data=CustomerInput(
                name=d["name"], service_center=center, phones=_split(d["phones"]), kind=d["kind"], contact_person=d["contact_person"],
                addresses=[AddressInput(d["address"], region=d["region"])] if d["address"] else [], region=d["region"],
                birthday=d["birthday"], vip_level=d["vip_level"], customer_class=d["customer_class"], lifecycle=d["lifecycle"],
                tags=_split(d["tags"]), notes=d["notes"], email=d["email"], preferred_channel=d["preferred_channel"],
                quiet_hours=d["quiet_hours"], opt_out_reminders=d["opt_out_reminders"],
            ))
        except DomainError as exc:
            apply_domain_errors(form, exc)
        else:
            messages.success(request, _("Customer %(no)s filed.") % {"no": customer.customer_no})
            return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/form.html", {"form": form, "title": _("New customer")})


@login_required
def customer_edit_view(request, pk: int):
    """Edit a customer's plain fields; a save by someone else in between is refused (409-like)."""
    customer = get_customer_for_user(request.user, pk)
    _require_change(request.user, customer)
    initial = {f: getattr(customer, f) for f in UPDATABLE}
    initial.update(tags="; ".join(t.name for t in customer.tags.all()), updated_at=customer.updated_at.isoformat())
    form = CustomerEditForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            customer_update(
                actor=request.user, customer=customer, expected_updated_at=dt.datetime.fromisoformat(d["updated_at"]),
                tags=_split(d["tags"]), **{f: d[f] for f in UPDATABLE},
            )
        except DomainError as exc:
            apply_domain_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValueError:
            form.add_error(None, _("The form is out of date. Reload and try again."))
        else:
            messages.success(request, _("Saved."))
            return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/form.html", {"form": form, "customer": customer, "title": _("Edit %(name)s") % {"name": customer.name}})


@login_required
@require_POST
def customer_add_phone_view(request, pk: int):
    customer = get_customer_for_user(request.user, pk)
    _require_change(request.user, customer)
    form = PhoneForm(request.POST)
    if form.is_valid():
        try:
            customer_add_phone(actor=request.user, customer=customer, phone=form.cleaned_data["phone"], label=form.cleaned_data["label"])
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    return redirect("customers:detail", pk=customer.pk)


@login_required
@require_POST
def customer_add_address_view(request, pk: int):
    customer = get_customer_for_user(request.user, pk)
    _require_change(request.user, customer)
    form = AddressForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            customer_add_address(actor=request.user, customer=customer, address=d["address"], zone=d["zone"], make_default=d["make_default"])
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Enter the address."))
    return redirect("customers:detail", pk=customer.pk)


@login_required
def equipment_create_view(request, pk: int):
    """Register a machine for the customer (CUST-03)."""
    customer = get_customer_for_user(request.user, pk)
    _require_change(request.user, customer)
    form = EquipmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = equipment_create(actor=request.user, customer=customer, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("customers:equipment", pk=unit.pk)
    return render(request, "customers/form.html", {"form": form, "customer": customer, "title": _("New equipment for %(name)s") % {"name": customer.name}})


@login_required
def duplicate_list(request):
    """Customers flagged as sharing a phone, for a clerk to merge or dismiss (never merged silently)."""
    page = Paginator(merge_candidate_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "customers/duplicates.html", {"page": page})


@login_required
@require_POST
def duplicate_merge(request, pk: int):
    """Merge the pair; ``keep`` names which of the two stays ("customer" or "other")."""
    candidate = get_merge_candidate_for_user(request.user, pk)
    keep, drop = (candidate.other, candidate.customer) if request.POST.get("keep") == "other" else (candidate.customer, candidate.other)
    try:
        kept = customer_merge(actor=request.user, keep=keep, drop=drop)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("customers:duplicates")
    messages.success(request, _("%(drop)s merged into %(keep)s.") % {"drop": drop.customer_no, "keep": kept.customer_no})
    return redirect("customers:detail", pk=kept.pk)


@login_required
@require_POST
def duplicate_dismiss(request, pk: int):
    merge_candidate_dismiss(actor=request.user, candidate=get_merge_candidate_for_user(request.user, pk))
    messages.success(request, _("Marked as different customers."))
    return redirect("customers:duplicates")
