"""The printable 三包 repair record (修理记录) of one machine, and the terms in force."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from aftersales.core.pdf import pdf_response
from aftersales.equipment.selectors import get_equipment_for_user
from aftersales.sanbao.entitlement import entitlement
from aftersales.sanbao.models import StatutoryTerms


@login_required
def repair_record(request, pk: int):
    unit = get_equipment_for_user(request.user, pk)
    return pdf_response("pdf/sanbao_record.html", {"unit": unit, "e": entitlement(unit)}, filename=f"sanbao-{unit.serial_no}.pdf")


@login_required
def terms(request):
    return render(request, "sanbao/terms.html", {"terms": StatutoryTerms.objects.all()})
