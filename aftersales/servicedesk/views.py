"""Pages of the call register: list, register form (with htmx phone lookup), detail and actions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts.models import ServiceCenter
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.models import FaultCode
from aftersales.core.params import id_param
from aftersales.core.web import apply_domain_errors, filter_form, perform
from aftersales.customers.phones import normalize_phone
from aftersales.customers.selectors import customers_by_phone, get_customer_for_user
from aftersales.customers.services import AddressInput, CustomerInput, customer_create
from aftersales.equipment.models import Equipment, ProductModel
from aftersales.equipment.selectors import get_equipment_for_user
from aftersales.equipment.services import equipment_create
from aftersales.servicedesk import selectors, services
from aftersales.servicedesk.forms import CancelForm, OverrideCategoryForm, RegisterCallForm, RegisterFilterForm

PAGE_SIZE = 50


@login_required
def register_list(request):
    form, filters, status = filter_form(request, RegisterFilterForm)
    qs = selectors.request_list(
        user=request.user, q=filters.get("q") or "", status=filters.get("status") or "", category=filters.get("category") or "",
        service_center_id=filters.get("service_center"), date_from=filters.get("date_from"), date_to=filters.get("date_to"),
        overdue=bool(filters.get("overdue")),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.with_sla_state(list(page.object_list), timezone.now())
    centers = ServiceCenter.objects.all() if request.user.has_global_scope else []
    # A filter that is not valid shows its message on the form and filters nothing: 400, not a guess.
    return render(request, "servicedesk/list.html", {"form": form, "page": page, "rows": rows, "centers": centers}, status=status)


@login_required
def phone_lookup(request):
    """htmx partial: customers matching the typed phone, with their equipment to pick."""
    typed = request.GET.get("phone_lookup", "")
    found = customers_by_phone(user=request.user, phone=typed)
    return render(request, "servicedesk/_lookup_results.html", {"customers": _with_warranty(found), "typed": typed})


def _with_warranty(customers: list) -> list:
    """Attach today's warranty status and the open calls to each machine so the clerk sees them while picking."""
    today = timezone.localdate()
    prefetch_related_objects(customers, Prefetch("equipment", queryset=Equipment.objects.select_related("product_model")))
    open_calls = services.open_calls_for_equipment(unit.pk for customer in customers for unit in customer.equipment.all())
    for customer in customers:
        for unit in customer.equipment.all():
            unit.warranty = unit.warranty_status(today)
            unit.open_calls = open_calls.get(unit.pk, [])
    return customers


def _contact_phone(data: dict, customer) -> str:
    """The contact phone: as entered; else the looked-up number if complete; else the customer's primary phone.

    The lookup box usually holds a partial number typed to find the customer, which is not a phone.
    """
    if data.get("contact_phone"):
        return data["contact_phone"]
    typed = data.get("phone_lookup") or ""
    try:
        return normalize_phone(typed)
    except DomainError:
        primary = customer.primary_phone if customer else None
        return primary.number if primary else typed


def _input_from_form(request, form: RegisterCallForm) -> services.RequestInput:
    data = form.cleaned_data
    equipment = get_equipment_for_user(request.user, data["equipment"]) if data.get("equipment") else None
    customer = get_customer_for_user(request.user, data["customer"]) if data.get("customer") else None
    if customer is None and equipment is not None:
        customer = equipment.customer
    return services.RequestInput(
        customer=customer, equipment=equipment, serial_no=data.get("serial_no") or "", contact_name=data.get("contact_name") or "",
        contact_phone=_contact_phone(data, customer), address=data.get("address") or "",
        zone=data.get("zone") or "", channel=data["channel"], fault_description=data["fault_description"],
        requested_time=data.get("requested_time"), internal=bool(data.get("internal")),
        service_center=None if customer else request.user.service_center, job_type=data.get("job_type") or "emergency",
        fault_code=_fault_code(data.get("fault_code"), equipment),
    )


def _new_machine(request, form: RegisterCallForm, customer):
    """A machine not on file, registered with the call (model, serial, invoice date and its photo), so that the warranty
    and the category are judged from the invoice rather than the call going out as paid without a machine."""
    data = form.cleaned_data
    model = ProductModel.objects.filter(pk=data["new_model"]).first()
    if model is None:
        raise DomainError({"new_model": [_("Pick the machine's model from the list.")]})
    if customer is None:
        raise DomainError({"new_model": [_("Pick the customer, or enter a new customer's name, before adding a machine.")]})
    return equipment_create(actor=request.user, customer=customer, product_model=model, serial_no=data.get("serial_no") or "",
                            invoice_date=data.get("new_invoice_date"), invoice_photo=request.FILES.get("new_invoice_photo"))


def _fault_code(pk, equipment):
    """The desk's pick from the fault list: one of the machine's family (or a general one); anything else is the field's error."""
    if not pk:
        return None
    code = FaultCode.objects.filter(pk=pk).first()
    category = equipment.product_model.category_id if equipment is not None else None
    if code is None or (code.category_id is not None and category is not None and code.category_id != category):
        raise DomainError({"fault_code": [_("Pick a fault of this kind of machine from the list.")]})
    return code


@login_required
def register_call(request):
    if not request.user.has_perm("servicedesk.register", None):
        raise PermissionDenied
    form = RegisterCallForm(request.POST or None, request.FILES or None)
    open_calls = []
    if request.method == "POST" and form.is_valid() and form.cleaned_data.get("equipment") and not request.POST.get("separate_call"):
        # A machine with an open call: offer to add this as a chase (催修) to that call rather than open a second one.
        equipment = get_equipment_for_user(request.user, form.cleaned_data["equipment"])
        open_calls = services.open_calls_for_equipment([equipment.pk]).get(equipment.pk, [])
    if open_calls:
        messages.warning(request, _("%(machine)s already has an open call. Add this as a chase to it, or register a separate call.")
                         % {"machine": f"{equipment.product_model} #{equipment.serial_no}"})
    elif request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                data = _input_from_form(request, form)
                new_name = form.cleaned_data.get("new_customer_name", "").strip()
                if data.customer is None and not data.internal and new_name:
                    data.customer = customer_create(actor=request.user, data=CustomerInput(
                        name=new_name, service_center=request.user.service_center or ServiceCenter.objects.first(),
                        phones=[data.contact_phone], addresses=[AddressInput(form.cleaned_data.get("new_customer_address") or data.address)]
                        if (form.cleaned_data.get("new_customer_address") or data.address) else [],
                    ))
                    data.service_center = None
                if data.equipment is None and form.cleaned_data.get("new_model"):
                    data.equipment, data.serial_no = _new_machine(request, form, data.customer), ""
                sr = services.service_request_register(actor=request.user, data=data)
        except DomainError as exc:
            apply_domain_errors(form, exc, {"phones": "contact_phone", "name": "new_customer_name", "invoice_date": "new_invoice_date",
                                            "invoice_photo": "new_invoice_photo", "product_model": "new_model"})
        else:
            messages.success(request, _("Call %(no)s registered as category %(cat)s.") % {"no": sr.number, "cat": sr.category})
            if not sr.arrival_due_confirmed:
                messages.warning(request, _(
                    "The arrival deadline is provisional: the holidays of that year are not confirmed yet, so its statutory days off were assumed. "
                    "It is recomputed when the year is confirmed."
                ))
            return redirect("servicedesk:detail", pk=sr.pk)
    return render(request, "servicedesk/register.html", {"form": form, "open_calls": open_calls, "fault_codes": _fault_code_groups(),
                                                         "models": ProductModel.objects.order_by("brand", "model_code"),
                                                         **_lookup_context(request, form)})


def _fault_code_groups() -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for code in FaultCode.objects.filter(is_active=True).select_related("category"):
        groups.setdefault(code.category.name if code.category else _("Any machine"), []).append(code)
    return list(groups.items())


def _lookup_context(request, form: RegisterCallForm) -> dict:
    """Keep the customer list under the phone box: the chosen customer (?customer= or the posted one), else the typed phone."""
    picked = request.GET.get("customer") or request.POST.get("customer")
    if picked and str(picked).isdigit():
        try:
            customer = get_customer_for_user(request.user, int(picked))
        except Http404:
            return {}
        return {"customers": _with_warranty([customer]), "picked_customer": customer.pk, "picked_equipment": _int(request.POST.get("equipment"))}
    typed = request.POST.get("phone_lookup", "")
    return {"customers": _with_warranty(customers_by_phone(user=request.user, phone=typed)), "typed": typed,
            "picked_equipment": _int(request.POST.get("equipment"))} if typed else {}


def _int(value) -> int | None:
    """A picked id echoed back into the form (a bad one is simply not picked)."""
    try:
        return id_param(value, "id")
    except BadRequest:
        return None


@login_required
def request_detail(request, pk: int):
    sr = selectors.get_request_for_user(request.user, pk)
    events = sr.events.select_related("actor").order_by("at", "id")
    return render(request, "servicedesk/detail.html", {
        "sr": sr, "events": events, "now": timezone.now(),
        "override_form": OverrideCategoryForm(initial={"category": sr.category, "version": sr.version}),
        "cancel_form": CancelForm(initial={"version": sr.version}),
        "can_override": request.user.has_perm("servicedesk.override_category", sr) and sr.is_open,
        "can_cancel": request.user.has_perm("servicedesk.cancel", sr) and sr.is_open,
        "can_dispatch": request.user.has_perm("workorders.dispatch", sr) and sr.status == "registered",
        "vouchers": sr.work_orders.select_related("technician").order_by("assigned_at"),
    })


def _run_action(request, form, action) -> None:
    if not form.is_valid():
        messages.error(request, _("Check the form: %(e)s") % {"e": "; ".join(m for ms in form.errors.values() for m in ms)})
        return
    try:
        action(form.cleaned_data)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    except ConflictError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))


@login_required
@require_POST
def override_category(request, pk: int):
    sr = selectors.get_request_for_user(request.user, pk)
    _run_action(request, OverrideCategoryForm(request.POST), lambda d: services.service_request_override_category(
        actor=request.user, request=sr, category=d["category"], reason=d.get("reason") or "", expected_version=d["version"]))
    return redirect("servicedesk:detail", pk=sr.pk)


@login_required
@require_POST
def cancel_request(request, pk: int):
    sr = selectors.get_request_for_user(request.user, pk)
    _run_action(request, CancelForm(request.POST), lambda d: services.service_request_cancel(
        actor=request.user, request=sr, reason=d.get("reason") or "", expected_version=d["version"]))
    return redirect("servicedesk:detail", pk=sr.pk)


@login_required
def register_day_pdf(request):
    """叫修登记簿 for one day (``?day=YYYY-MM-DD``, default today) and, optionally, one centre (``?center=``)."""
    from aftersales.core.pdf import pdf_response

    try:
        day = dt.date.fromisoformat(request.GET.get("day") or "") if request.GET.get("day") else timezone.localdate()
    except ValueError:
        messages.error(request, _("The date must look like 2026-11-26."))
        return redirect("servicedesk:list")
    center_id = id_param(request.GET.get("center"), _("service centre"))
    rows = selectors.request_list(user=request.user, date_from=day, date_to=day, service_center_id=center_id)
    rows = rows.prefetch_related("work_orders__technician").order_by("received_at", "id")
    center = ServiceCenter.objects.filter(pk=center_id).first() if center_id else request.user.service_center
    return pdf_response("servicedesk/pdf/register_day.html", {"rows": list(rows), "day": day, "center": center},
                        filename=f"call-register-{day:%Y%m%d}.pdf")


@login_required
@require_POST
def chase(request, pk: int):
    """The register form's "add as a chase" button: the contact and what was said go on the open call's timeline."""
    sr = selectors.get_request_for_user(request.user, pk)
    post = request.POST
    if perform(request, lambda: services.service_request_chase(actor=request.user, request=sr, note=post.get("fault_description", ""),
                                                              contact_name=post.get("contact_name", ""), contact_phone=post.get("contact_phone", "")),
               success=_("Chase added to call %(no)s; the engineer holding it has been told.") % {"no": sr.number}):
        return redirect("servicedesk:detail", pk=sr.pk)
    form = RegisterCallForm(post)
    form.is_valid()
    return render(request, "servicedesk/register.html", {"form": form, "fault_codes": _fault_code_groups(), **_lookup_context(request, form)},
                  status=422)
