from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.web import StyledFormMixin


class ReportForm(StyledFormMixin, forms.Form):
    fault_description = forms.CharField(label=_("What is wrong?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    contact_name = forms.CharField(label=_("Your name"), max_length=60, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    requested_time = forms.DateTimeField(label=_("Preferred visit time (optional)"), required=False,
                                         widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Code from the SMS"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}))


class LoginForm(StyledFormMixin, forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
