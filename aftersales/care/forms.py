from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.care.models import Outcome, Satisfaction
from aftersales.core.web import StyledFormMixin


class VisitForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    satisfaction = forms.TypedChoiceField(label=_("Overall satisfaction"), choices=[("", "—"), *Satisfaction.choices], coerce=int, required=False,
                                          empty_value=None)
    content = forms.CharField(label=_("What the customer said"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reasons = forms.CharField(label=_("Reason for dissatisfaction"), required=False, max_length=200)
    actions = forms.CharField(label=_("Actions agreed"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    promised_by = forms.DateField(label=_("Answer promised by"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    complaint = forms.BooleanField(label=_("The customer complains (the supervisor will visit)"), required=False)
