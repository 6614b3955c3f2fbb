"""Catalogue pages: search, part detail, create/edit, import with preview, export."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from aftersales.core.errors import DomainError
from aftersales.core.files import serve_private
from aftersales.core.importflow import ImportFlow
from aftersales.core.web import apply_domain_errors
from aftersales.parts import selectors, services
from aftersales.parts.forms import PartForm, PartSearchForm
from aftersales.parts.models import Part, StockBalance

PAGE_SIZE = 50


def part_by_code(code: str) -> Part:
    part = Part.objects.filter(code=(code or "").strip().upper(), is_active=True).first()
    if part is None:
        raise DomainError({"part_code": [_("There is no active part with code “%(code)s”.") % {"code": (code or "").strip()}]})
    return part


@login_required
def part_list(request):
    form = PartSearchForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    page = Paginator(selectors.part_list(q=q, active_only=not request.GET.get("all")), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "parts/list.html", {"form": form, "page": page, "can_manage": request.user.has_perm("parts.manage_catalogue")})


@login_required
def part_detail(request, pk: int):
    part = Part.objects.select_related("supplier").prefetch_related("compatible_models").filter(pk=pk).first()
    if part is None:
        raise Http404("part")
    visible = selectors.warehouses_visible_to(request.user)
    return render(request, "parts/detail.html", {
        "part": part, "balances": StockBalance.objects.filter(part=part, warehouse__in=visible).exclude(quantity=0).select_related("warehouse"),
        "movements": selectors.movements(part=part).filter(warehouse__in=visible)[:50],
        "can_manage": request.user.has_perm("parts.manage_catalogue"),
    })


@login_required
def part_edit(request, pk: int | None = None):
    if not request.user.has_perm("parts.manage_catalogue"):
        raise PermissionDenied
    instance = Part.objects.filter(pk=pk).first() if pk else None
    form = PartForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        values = {k: d[k] for k in ("name", "specification", "unit", "is_main_part", "sale_price", "cost", "supplier", "reorder_point")}
        try:
            if instance is None:
                part = services.part_create(actor=request.user, code=d["code"], compatible_models=list(d["compatible_models"]),
                                            photo=request.FILES.get("photo"), **values)
            else:
                part = services.part_update(actor=request.user, part=instance, compatible_models=list(d["compatible_models"]),
                                            is_active=d["is_active"], photo=request.FILES.get("photo"), **values)
        except DomainError as exc:
            apply_domain_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("parts:detail", pk=part.pk)
    return render(request, "parts/form.html", {"form": form, "part": instance})


IMPORT = ImportFlow(
    name="parts", perm="parts.manage_catalogue", run=services.import_parts, title=_lazy("Import parts"),
    help_text=_lazy("Columns: 配件编号, 名称, 售价, 成本, and optionally 规格, 单位, 适用型号 (brand and model code, several separated by ;), "
                    "主要部件 (是/否), 供应商, 订货点. Parts with an existing code are updated. Nothing is written until you confirm the preview."),
    commit_url_name="parts:import_commit", done_url_name="parts:list",
    done_message=lambda r: _("Imported: %(c)s new parts, %(u)s updated.") % {"c": r.counts.get("created", 0), "u": r.counts.get("updated", 0)},
    count_labels={"created": _lazy("new parts"), "updated": _lazy("parts updated")},
)


@login_required
def import_upload(request):
    return IMPORT.upload(request)


@login_required
@require_POST
def import_commit(request, key: str):
    return IMPORT.commit(request, key)


@login_required
def export_xlsx(request):
    response = HttpResponse(services.export_parts_xlsx(selectors.part_list(active_only=False)),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="parts-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def part_photo(request, pk: int):
    """The part's photo, for staff who may see the catalogue (never a public URL)."""
    part = get_object_or_404(Part, pk=pk)
    if not part.photo:
        raise Http404("photo")
    return serve_private(part.photo, download_name=f"{part.code}{PurePosixPath(part.photo.name).suffix}")
