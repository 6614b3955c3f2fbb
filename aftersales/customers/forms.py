from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import ServiceCenter, Zone
from aftersales.core.web import StyledFormMixin
from aftersales.customers.models import ContactChannel, CustomerClass, CustomerKind, Lifecycle
from aftersales.equipment.models import ProductModel


class CustomerSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Name, phone, customer ID, serial/VIN or plate"), required=False)
    created_from = forms.DateField(label=_("Filed from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    created_to = forms.DateField(label=_("Filed to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class CustomerForm(StyledFormMixin, forms.Form):
    """New customer (also the base of the edit form)."""

    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=CustomerKind.choices, initial=CustomerKind.COMPANY)
    contact_person = forms.CharField(label=_("Contact person"), max_length=60, required=False)
    phones = forms.CharField(label=_("Phones (several separated by ;)"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    region = forms.CharField(label=_("Region"), max_length=80, required=False)
    birthday = forms.DateField(label=_("Birthday"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    vip_level = forms.IntegerField(label=_("VIP level"), min_value=0, max_value=9, initial=0)
    customer_class = forms.ChoiceField(label=_("Customer class"), choices=CustomerClass.choices, initial=CustomerClass.B)
    lifecycle = forms.ChoiceField(label=_("Lifecycle"), choices=Lifecycle.choices, initial=Lifecycle.NEW)
    tags = forms.CharField(label=_("Tags (separated by ;)"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    email = forms.EmailField(label=_("E-mail"), required=False)
    preferred_channel = forms.ChoiceField(label=_("Preferred channel"), choices=ContactChannel.choices, initial=ContactChannel.SMS, required=False)

    quiet_hours = forms.CharField(label=_("Rest hours (no calls or SMS)"), max_length=60, required=False,
                                  help_text=_("e.g. 12:00-14:00; the night quiet hours apply to everyone"))
    opt_out_reminders = forms.BooleanField(label=_("No greetings or reminders"), required=False)
    service_center = forms.ModelChoiceField(label=_("Service centre"), queryset=ServiceCenter.objects.none(), required=False)
    allow_duplicate_phone = forms.BooleanField(label=_("The phone belongs to another customer: create anyway and flag for merge"), required=False)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and user.has_global_scope:
            self.fields["service_center"].queryset = ServiceCenter.objects.filter(is_active=True)
            self.fields["service_center"].required = True
        else:
            del self.fields["service_center"]

    def clean_preferred_channel(self) -> str:
        return self.cleaned_data.get("preferred_channel") or ContactChannel.SMS


class CustomerEditForm(CustomerForm):
    updated_at = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("phones", "address", "allow_duplicate_phone", "service_center"):
            self.fields.pop(name, None)


class PhoneForm(StyledFormMixin, forms.Form):
    phone = forms.CharField(label=_("Phone"), max_length=30)
    label = forms.CharField(label=_("Label"), max_length=20, required=False)


class AddressForm(StyledFormMixin, forms.Form):
    address = forms.CharField(label=_("Address"), max_length=200)
    zone = forms.ChoiceField(label=_("Zone"), required=False, choices=[("", _("By address")), *Zone.choices])
    make_default = forms.BooleanField(label=_("Default address"), required=False)


class EquipmentForm(StyledFormMixin, forms.Form):
    product_model = forms.ModelChoiceField(label=_("Product model"), queryset=ProductModel.objects.select_related("category"))
    serial_no = forms.CharField(label=_("Serial / VIN / IMEI"), max_length=60)
    plate_no = forms.CharField(label=_("Plate or asset no."), max_length=40, required=False)
    invoice_date = forms.DateField(label=_("Invoice date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    delivery_date = forms.DateField(label=_("Delivery date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    install_date = forms.DateField(label=_("Installation date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    site_address = forms.CharField(label=_("Site address"), max_length=200, required=False)
    zone = forms.ChoiceField(label=_("Zone"), required=False, choices=[("", _("By address")), *Zone.choices])
