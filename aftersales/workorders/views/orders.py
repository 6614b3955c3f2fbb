"""Voucher pages and every voucher action. Actions are posted from the desk page or the phone page
and go back to the page they came from (``next``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.errors import DomainError
from aftersales.core.files import serve_private
from aftersales.core.models import FaultCode
from aftersales.core.web import filter_form, form_errors_message, perform, redirect_back
from aftersales.parts.selectors import van_stock_for_job
from aftersales.parts.services import center_warehouse, van_warehouse
from aftersales.parts.services.usage import USABLE_STATES
from aftersales.workorders import forms as f
from aftersales.workorders import selectors, services
from aftersales.workorders.models import JobPhoto, PhotoKind, Signature, Status, WorkOrder
from aftersales.workorders.services.photos import PHOTO_STATES
from aftersales.workorders.views.board import assignable_technicians, technician_by_pk

PAGE_SIZE = 50


@login_required
def work_order_list(request):
    form, d, status = filter_form(request, f.WorkOrderFilterForm)
    qs = selectors.work_order_list(user=request.user, q=d.get("q") or "", status=d.get("status") or "", technician_id=d.get("technician"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workorders/list.html", {"form": form, "page": page, "statuses": Status.choices}, status=status)


def action_context(request, wo: WorkOrder) -> dict:
    """What both the desk page and the phone page need to show a voucher and its actions."""
    user = request.user
    return {
        "wo": wo, "sr": wo.request, "now": timezone.now(), "today": timezone.localdate(),
        "visits": list(selectors.visit_history(wo)),
        "signatures": {s.purpose: s for s in wo.signatures.defer("image")},
        "parts": list(wo.repair_card.parts.all()) if hasattr(wo, "repair_card") else [],
        "warranty": wo.request.equipment.warranty_status(timezone.localdate()) if wo.request.equipment_id else None,
        "can_work": user.has_perm("workorders.work", wo), "can_dispatch": user.has_perm("workorders.dispatch", wo),
        "can_inspect": user.has_perm("workorders.inspect", wo), "can_give_back": user.has_perm("workorders.give_back", wo),
        "can_cancel": user.has_perm("workorders.cancel", wo) and wo.status in (Status.ASSIGNED, Status.ON_SITE),
        "version": wo.version, "end_form": f.EndVisitForm(), "finish_form": f.FinishRepairForm(), "delay_form": f.DelayForm(),
        "parts_used": _parts_used(wo), "part_sources": _part_sources(wo),
        "quotations": list(wo.quotations.all()), "can_use_parts": user.has_perm("workorders.work", wo) and wo.status in USABLE_STATES,
        "photos": list(wo.photos.all()), "photo_kinds": PhotoKind.choices,
        "fault_codes": list(FaultCode.for_category(wo.request.product_model.category_id if wo.request.product_model_id else None)),
        "can_photo": user.has_perm("workorders.work", wo) and wo.status in PHOTO_STATES,
        "van_stock": van_stock_for_job(wo) if user.has_perm("workorders.work", wo) and wo.status in USABLE_STATES else None,
        **_bill_preview(request, wo),
    }


def _bill_preview(request, wo: WorkOrder) -> dict:
    """On site, the completion form shows the bill the customer signs for (labour from the minutes typed)."""
    if wo.status != Status.ON_SITE or not request.user.has_perm("workorders.work", wo):
        return {}
    from aftersales.workorders.views.mobile import bill_preview_context

    typed = request.POST.get("labour_minutes", "") if request.method == "POST" else ""
    minutes = int(typed) if typed.isdigit() and int(typed) <= 24 * 60 else 0
    return {"bill_preview_url": reverse("mobile:bill", args=[wo.pk]), "preview": bill_preview_context(wo, minutes)}


def _parts_used(wo: WorkOrder) -> list:
    """The parts used, each with who pays for it (its own line, or the quoted line that bills it)."""
    usages = list(wo.parts_used.select_related("part", "warehouse"))
    by_usage = {ln.part_usage_id: ln for ln in wo.charges.filter(part_usage__isnull=False)}
    by_part = {ln.quotation_line.part_id: ln for ln in wo.charges.filter(quotation_line__part__isnull=False).select_related("quotation_line")}
    for u in usages:
        u.line = by_usage.get(u.pk) or by_part.get(u.part_id)
    return usages


def _part_sources(wo: WorkOrder) -> list:
    """Where parts for this job may come from: the technician's van, then his centre's warehouse."""
    return [van_warehouse(wo.technician), center_warehouse(wo.service_center)] if wo.technician.service_center_id else []


def detail_context(request, wo: WorkOrder) -> dict:
    context = action_context(request, wo)
    context.update(events=wo.events.select_related("actor"), technicians=assignable_technicians() if context["can_dispatch"] else [])
    return context


@login_required
def work_order_detail(request, pk: int):
    wo = selectors.get_work_order_for_user(request.user, pk)
    return render(request, "workorders/detail.html", detail_context(request, wo))


@login_required
def workshop(request):
    """Items in custody with the days held and those past their promised return (DISP-06)."""
    page = Paginator(selectors.workshop_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    now, today = timezone.now(), timezone.localdate()
    rows = list(page.object_list)
    for wo in rows:
        wo.held, wo.return_overdue = wo.days_held(today), wo.is_return_overdue(now)
    return render(request, "workorders/workshop.html", {"page": page, "rows": rows})


@login_required
def goods_register(request):
    """客户商品进出登记簿: items in and out with their dates."""
    page = Paginator(selectors.goods_register(user=request.user, open_only=request.GET.get("open") == "1"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "workorders/register.html", {"page": page})


@login_required
def signature_image(request, pk: int, purpose: str):
    """A signature PNG, only for those who may see the voucher."""
    wo = selectors.get_work_order_for_user(request.user, pk)
    signature = Signature.objects.filter(work_order=wo, purpose=purpose).first()
    if signature is None:
        raise Http404("signature")
    response = HttpResponse(bytes(signature.image), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


def _back(request, wo: WorkOrder):
    return redirect_back(request, "workorders:detail", pk=wo.pk)


def voucher_action(form_class, call: Callable, success: str):
    """A POST view: parse ``form_class``, run ``call(request, wo, data)``, report, go back.

    A refusal (bad input, a broken rule, a stale page) changes nothing and shows the page the form came
    from again — the phone's job page or the desk's voucher page — with everything the user typed,
    drawn signatures included, and each field's message beside it (422).
    """

    @login_required
    @require_POST
    def view(request, pk: int):
        wo = selectors.get_work_order_for_user(request.user, pk)
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors_message(form))
        elif perform(request, lambda: call(request, wo, form.cleaned_data), success=str(success), form=form):
            return _back(request, wo)
        return rerender_with_input(request, wo, form)

    return view


def rerender_with_input(request, wo: WorkOrder, form, action: str | None = None) -> HttpResponse:
    """The page the form came from, again, holding the posted values (``posted.<action>``) and the errors
    (``errors.<action>``: ``form``'s, or ``form`` itself when it is a dict of messages) of the action that failed."""
    from aftersales.workorders.views.mobile import job_context

    action = action or request.resolver_match.url_name
    wo = selectors.get_work_order_for_user(request.user, wo.pk)  # as it is now: the refused step changed nothing
    from_phone = (request.POST.get("next") or "").startswith("/m/")
    context = job_context(request, wo) if from_phone else detail_context(request, wo)
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("mobile:job" if from_phone else "workorders:detail", args=[wo.pk])
    errors = form if isinstance(form, dict) else form.errors
    context.update(posted={action: request.POST}, errors={action: {k: list(v) for k, v in errors.items()}}, failed=action, next_url=next_url)
    return render(request, "workorders/mobile/job.html" if from_phone else "workorders/detail.html", context, status=422)


def _v(d: dict) -> int | None:
    return d.get("version")


def _fault(d: dict):
    """The picked fault code, or None; an unknown id is the field's error, not a 500."""
    if not d.get("fault_code"):
        return None
    code = FaultCode.objects.filter(pk=d["fault_code"]).first()
    if code is None:
        raise DomainError({"fault_code": [_("Pick a fault code from the list.")]})
    return code


contact = voucher_action(f.ContactForm, lambda r, wo, d: services.work_order_record_contact(
    actor=r.user, work_order=wo, appointment_at=d.get("appointment_at"), note=d.get("note") or "", expected_version=_v(d)),
    _("Contact recorded."))
set_out = voucher_action(f.VersionedForm, lambda r, wo, d: services.work_order_set_out(
    actor=r.user, work_order=wo, expected_version=_v(d)), _("On your way: the customer has been told."))
check_in = voucher_action(f.CheckInForm, lambda r, wo, d: services.work_order_check_in(
    actor=r.user, work_order=wo, latitude=d.get("latitude"), longitude=d.get("longitude"), accuracy=d.get("accuracy"),
    expected_version=_v(d)), _("Checked in."))
complete = voucher_action(f.CompleteForm, lambda r, wo, d: services.work_order_complete(
    actor=r.user, work_order=wo, work_done=d.get("work_done") or "", fault_cause=d.get("fault_cause") or "",
    labour_minutes=d.get("labour_minutes"), signature=d.get("signature") or "", signer_name=d.get("signer_name") or "",
    expected_version=_v(d), fault_code=_fault(d)), _("Completed and signed off; the call is closed."))
take_back = voucher_action(f.TakeBackForm, lambda r, wo, d: services.work_order_take_back(
    actor=r.user, work_order=wo, condition=d.get("condition") or "", accessories=d.get("accessories") or "",
    item_description=d.get("item_description") or "", work_done=d.get("work_done") or "", fault_cause=d.get("fault_cause") or "",
    labour_minutes=d.get("labour_minutes"), signature=d.get("signature") or "", signer_name=d.get("signer_name") or "",
    expected_version=_v(d), fault_code=_fault(d)), _("Item taken back; give the customer the receipt."))
end_visit = voucher_action(f.EndVisitForm, lambda r, wo, d: services.work_order_end_visit(
    actor=r.user, work_order=wo, result=d["result"], reason=d.get("reason") or "", work_done=d.get("work_done") or "",
    fault_cause=d.get("fault_cause") or "", labour_minutes=d.get("labour_minutes"), waiting_for=d.get("waiting_for") or "",
    expected_version=_v(d), fault_code=_fault(d)), _("Visit recorded."))
escalate = voucher_action(f.ReasonForm, lambda r, wo, d: services.work_order_escalate(
    actor=r.user, work_order=wo, reason=d.get("reason") or "", expected_version=_v(d)), _("The supervisor has been told."))
start_repair = voucher_action(f.VersionedForm, lambda r, wo, d: services.work_order_start_repair(
    actor=r.user, work_order=wo, expected_version=_v(d)), _("Repair started."))
finish_repair = voucher_action(f.FinishRepairForm, lambda r, wo, d: services.work_order_finish_repair(
    actor=r.user, work_order=wo, repair_minutes=d.get("repair_minutes") or 0, work_done=d.get("work_done") or "",
    parts=d.get("parts") or [], expected_version=_v(d)), _("Repair recorded; waiting for inspection."))
inspect = voucher_action(f.InspectForm, lambda r, wo, d: services.work_order_inspect(
    actor=r.user, work_order=wo, passed=d["passed"], note=d.get("note") or "", expected_version=_v(d)), _("Inspection recorded."))
give_back = voucher_action(f.GiveBackForm, lambda r, wo, d: services.work_order_give_back(
    actor=r.user, work_order=wo, receipt_no=d.get("receipt_no") or "", signature=d.get("signature") or "",
    signer_name=d.get("signer_name") or "", expected_version=_v(d)), _("Item returned, receipt voided, call closed."))
report_delay = voucher_action(f.DelayForm, lambda r, wo, d: services.work_order_report_delay(
    actor=r.user, work_order=wo, reason=d.get("reason") or "", new_promised_at=d.get("new_promised_at"),
    customer_told_via=d.get("customer_told_via") or "", expected_version=_v(d)), _("Delay reported to the supervisor."))
waive_signature = voucher_action(f.ReasonForm, lambda r, wo, d: services.work_order_waive_signature(
    actor=r.user, work_order=wo, reason=d.get("reason") or "", expected_version=_v(d)), _("Recorded why there is no signature."))
cancel = voucher_action(f.CancelForm, lambda r, wo, d: services.work_order_cancel(
    actor=r.user, work_order=wo, reason=d.get("reason") or "", cancel_call=bool(d.get("cancel_call")), expected_version=_v(d)),
    _("Voucher cancelled."))
set_location = voucher_action(f.LocationForm, lambda r, wo, d: services.goods_receipt_set_location(
    actor=r.user, work_order=wo, location=d.get("location") or ""), _("Saved."))
reassign = voucher_action(f.ReassignForm, lambda r, wo, d: services.work_order_reassign(
    actor=r.user, work_order=wo, technician=technician_by_pk(d["technician"]), reason=d.get("reason") or "",
    override_reason=d.get("override_reason") or "", expected_version=_v(d)), _("Reassigned."))


@login_required
@require_POST
def add_photo(request, pk: int):
    """A photo from the phone's camera (already made smaller in the browser); refused ones keep the page as it was."""
    wo = selectors.get_work_order_for_user(request.user, pk)
    errors: dict = {}
    if perform(request, lambda: services.work_order_add_photo(actor=request.user, work_order=wo, kind=request.POST.get("kind", ""),
                                                              image=request.FILES.get("image"), note=request.POST.get("note", "")),
               success=str(_("Photo kept with the job.")), errors=errors):
        return _back(request, wo)
    return rerender_with_input(request, wo, errors, action="photo")


@login_required
def photo(request, pk: int, photo_pk: int):
    """One photo of the job, only for those who may see the voucher (never a public URL)."""
    wo = selectors.get_work_order_for_user(request.user, pk)
    item = JobPhoto.objects.filter(work_order=wo, pk=photo_pk).first()
    if item is None:
        raise Http404("photo")
    return serve_private(item.image, download_name=f"{wo.number}-{item.kind}-{item.pk}{PurePosixPath(item.image.name).suffix}")
