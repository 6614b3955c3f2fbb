"""Forms of the call register. They only parse input; rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import Zone
from aftersales.core.params import IdField
from aftersales.core.web import StyledFormMixin
from aftersales.servicedesk.models import Category, Channel, JobType, Status


class RegisterCallForm(StyledFormMixin, forms.Form):
    phone_lookup = forms.CharField(label=_("Caller's phone"), required=False)
    customer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    equipment = forms.IntegerField(required=False)
    serial_no = forms.CharField(label=_("Serial / VIN (if not listed)"), required=False, max_length=60)
    new_customer_name = forms.CharField(label=_("New customer: name"), required=False, max_length=120)
    new_customer_address = forms.CharField(label=_("New customer: address"), required=False, max_length=200)
    contact_name = forms.CharField(label=_("Contact"), required=False, max_length=60)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=30)
    address = forms.CharField(label=_("Service address"), required=False, max_length=200)
    zone = forms.ChoiceField(label=_("Zone"), required=False, choices=[("", _("By address")), *list(Zone.choices)])
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    fault_description = forms.CharField(label=_("Fault description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    requested_time = forms.DateTimeField(
        label=_("Requested time (optional)"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    internal = forms.BooleanField(label=_("Internal administrative work (category D)"), required=False)
    new_model = forms.IntegerField(label=_("New machine: model"), required=False, min_value=1)
    new_invoice_date = forms.DateField(label=_("New machine: invoice date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    new_invoice_photo = forms.FileField(label=_("New machine: photo of the invoice"), required=False)
    job_type = forms.ChoiceField(label=_("Job type"), choices=JobType.choices, initial=JobType.EMERGENCY, required=False)
    fault_code = forms.IntegerField(label=_("Fault code"), required=False, min_value=1)


class OverrideCategoryForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("New category"), choices=Category.choices)
    reason = forms.CharField(label=_("Reason"), max_length=250, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=250, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RegisterFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Number, customer or phone"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), ("open", _("Open")), *list(Status.choices)])
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All")), *list(Category.choices)])
    service_center = IdField(label=_("Service centre"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
