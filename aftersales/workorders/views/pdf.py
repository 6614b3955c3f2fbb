"""Printable forms (PDF, Chinese): service voucher, goods receipt and repair card."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from aftersales.core.pdf import pdf_response, png_data_uri, qr_data_uri
from aftersales.workorders import selectors
from aftersales.workorders.models import Signature


def voucher_context(request, wo) -> dict:
    signature_list = list(Signature.objects.filter(work_order=wo).order_by("signed_at"))
    for signature in signature_list:
        signature.data_uri = png_data_uri(signature.image)
    return {
        "wo": wo, "sr": wo.request, "visits": list(selectors.visit_history(wo)), "signature_list": signature_list,
        "take_back_signature": next((s.data_uri for s in signature_list if s.purpose == "take_back"), ""),
        "qr": qr_data_uri(request.build_absolute_uri(reverse("workorders:detail", args=[wo.pk]))),
        "warranty": wo.request.equipment.warranty_status(timezone.localdate(wo.assigned_at)) if wo.request.equipment_id else None,
        "parts": list(wo.repair_card.parts.all()) if hasattr(wo, "repair_card") else [],
        "parts_used": [u for u in wo.parts_used.select_related("part") if u.net_quantity > 0],
        "photos": [(p.get_kind_display(), _image_data_uri(p.image)) for p in wo.photos.all()[:6]],
    }


def _image_data_uri(field_file) -> str:
    """A stored photo inlined into the PDF (the PDF renderer never fetches a URL)."""
    import base64

    from aftersales.core.files import content_type_of

    with field_file.open("rb") as handle:
        return f"data:{content_type_of(field_file.name)};base64,{base64.b64encode(handle.read()).decode()}"


@login_required
def voucher_pdf(request, pk: int):
    wo = selectors.get_work_order_for_user(request.user, pk)
    return pdf_response("workorders/pdf/voucher.html", voucher_context(request, wo), filename=f"{wo.number}.pdf")


@login_required
def receipt_pdf(request, pk: int):
    wo = selectors.get_work_order_for_user(request.user, pk)
    if not hasattr(wo, "receipt"):
        raise Http404("receipt")
    return pdf_response("workorders/pdf/receipt.html", voucher_context(request, wo), filename=f"{wo.receipt.number}.pdf")


@login_required
def repair_card_pdf(request, pk: int):
    wo = selectors.get_work_order_for_user(request.user, pk)
    if not hasattr(wo, "repair_card"):
        raise Http404("repair card")
    return pdf_response("workorders/pdf/repair_card.html", voucher_context(request, wo), filename=f"{wo.repair_card.number}.pdf")
