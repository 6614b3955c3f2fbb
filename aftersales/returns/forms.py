from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.web import StyledFormMixin
from aftersales.returns.models import Reason


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices)
    quantity = forms.DecimalField(label=_("Quantity to return"), max_digits=12, decimal_places=2)
    reported_on = forms.DateField(label=_("Reported on"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("What is wrong"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.ImageField(label=_("Photo"), required=False)
    film_removed = forms.BooleanField(label=_("Protective film removed"), required=False)
    missing_bags = forms.IntegerField(label=_("Handbags missing"), min_value=0, initial=0)
    missing_boxes = forms.IntegerField(label=_("Boxes missing"), min_value=0, initial=0)
    purchasing_signed = forms.BooleanField(label=_("Purchasing manager signed (RET-07)"), required=False)


class ReceiveForm(StyledFormMixin, forms.Form):
    quantity = forms.DecimalField(label=_("Quantity received"), max_digits=12, decimal_places=2)
    arrived_on = forms.DateField(label=_("Arrived on"), widget=forms.DateInput(attrs={"type": "date"}))
    inspection = forms.CharField(label=_("Inspection on receipt"), widget=forms.Textarea(attrs={"rows": 2}))
