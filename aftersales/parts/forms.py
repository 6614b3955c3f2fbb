"""Forms of the parts module. They only parse input; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.web import StyledFormMixin
from aftersales.parts.models import Part
from aftersales.workorders.models import ToldVia

QTY = {"max_digits": 12, "decimal_places": 2}


class PartForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Part
        fields = ["code", "name", "specification", "unit", "compatible_models", "is_main_part", "sale_price", "cost", "supplier",
                  "reorder_point", "photo", "is_active"]


class PartSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Code, name or specification"), required=False)


class LineForm(StyledFormMixin, forms.Form):
    """One stock line: a part by code and a quantity."""

    part_code = forms.CharField(label=_("Part code"), max_length=40)
    quantity = forms.DecimalField(label=_("Quantity"), **QTY)
    unit_cost = forms.DecimalField(label=_("Unit cost (empty = catalogue cost)"), required=False, **QTY)


class TransferForm(StyledFormMixin, forms.Form):
    part_code = forms.CharField(label=_("Part code"), max_length=40)
    quantity = forms.DecimalField(label=_("Quantity"), **QTY)
    target = forms.IntegerField(label=_("To warehouse"))


class ScrapForm(StyledFormMixin, forms.Form):
    part_code = forms.CharField(label=_("Part code"), max_length=40)
    quantity = forms.DecimalField(label=_("Quantity"), **QTY)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class UsePartForm(StyledFormMixin, forms.Form):
    part_code = forms.CharField(label=_("Part code"), max_length=40)
    quantity = forms.DecimalField(label=_("Quantity"), initial=1, **QTY)
    warehouse = forms.IntegerField(label=_("From"), required=False)
    override_reason = forms.CharField(label=_("Why it fits (if not listed for this model)"), max_length=200, required=False)


class RequisitionForm(StyledFormMixin, forms.Form):
    to_warehouse = forms.IntegerField(label=_("Deliver to"))
    from_warehouse = forms.IntegerField(label=_("Take from"))
    lines = forms.CharField(label=_("Parts (one per line: code × quantity)"), widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class BackOrderForm(StyledFormMixin, forms.Form):
    part_code = forms.CharField(label=_("Part code"), max_length=40)
    quantity = forms.DecimalField(label=_("Quantity"), initial=1, **QTY)
    expected_on = forms.DateField(label=_("Expected on"), widget=forms.DateInput(attrs={"type": "date"}))


class DelayForm(StyledFormMixin, forms.Form):
    new_expected_on = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    customer_told_via = forms.ChoiceField(label=_("Customer told via"), choices=[("", "—"), *ToldVia.choices], required=False)


class ClaimForm(StyledFormMixin, forms.Form):
    manufacturer = forms.IntegerField(label=_("Manufacturer"))
    labour_minutes = forms.IntegerField(label=_("Labour claimed (minutes)"), min_value=0, initial=0)
    labour_amount = forms.DecimalField(label=_("Labour claimed (yuan)"), initial=0, **QTY)
    description = forms.CharField(label=_("Fault and repair"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PeriodForm(StyledFormMixin, forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))


def parse_lines(text: str) -> list[tuple[str, str]]:
    """``BRG-6205 × 4`` per line (``x``, ``*`` or a space also separate code and quantity)."""
    lines = []
    for raw in (text or "").splitlines():
        item = raw.strip()
        if not item:
            continue
        for sep in ("×", "x", "X", "*", " "):
            head, found, tail = item.rpartition(sep)
            if found and head.strip():
                lines.append((head.strip(), tail.strip()))
                break
        else:
            lines.append((item, "1"))
    return lines
