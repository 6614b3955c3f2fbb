from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.web import StyledFormMixin


class CustomerSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Name, phone, customer ID, serial/VIN or plate"), required=False)
    created_from = forms.DateField(label=_("Filed from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    created_to = forms.DateField(label=_("Filed to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ImportUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("File (xlsx or CSV, UTF-8 or GBK)"))
