from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.web import StyledFormMixin
from aftersales.performance.models import CostCategory


class ItemScoreForm(StyledFormMixin, forms.Form):
    points = forms.DecimalField(label=_("Points"), required=False, max_digits=6, decimal_places=2)
    occurrences = forms.IntegerField(label=_("Occurrences"), required=False)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)


class SelfReportForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Self-report"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False)


class ReviewForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(label=_("Superior's comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False)


class CorrectionForm(StyledFormMixin, forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    new_points = forms.DecimalField(label=_("Corrected points"), max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class PlanForm(StyledFormMixin, forms.Form):
    plan_completion = forms.DecimalField(label=_("Plan completion (%)"), min_value=Decimal("0"), max_value=Decimal("1000"), max_digits=6, decimal_places=2)
    over_plan_bonus = forms.DecimalField(label=_("Over-plan bonus (yuan)"), min_value=Decimal("0"), max_digits=12, decimal_places=2)


class AttendanceForm(StyledFormMixin, forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    absent_days = forms.DecimalField(label=_("Absent days"), max_digits=4, decimal_places=1)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class BudgetForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, quota: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for value, label in CostCategory.choices:
            self.fields[value] = forms.DecimalField(label=label, max_digits=12, decimal_places=2, initial=(quota or {}).get(value))


class CostForm(StyledFormMixin, forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ChoiceField(label=_("Category"), choices=CostCategory.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
