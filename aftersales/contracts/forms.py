from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.accounts import roles
from aftersales.accounts.models import User
from aftersales.contracts.models import SlaLevel
from aftersales.core.web import StyledFormMixin
from aftersales.equipment.models import Equipment


class ContractForm(StyledFormMixin, forms.Form):
    equipment = forms.ModelMultipleChoiceField(label=_("Equipment covered"), queryset=Equipment.objects.none(), widget=forms.CheckboxSelectMultiple)
    start_date = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))
    fee = forms.DecimalField(label=_("Fee (yuan)"), max_digits=12, decimal_places=2, min_value=0)
    covers_labour = forms.BooleanField(label=_("Covers labour"), required=False, initial=True)
    covers_travel = forms.BooleanField(label=_("Covers travel"), required=False, initial=True)
    covers_parts = forms.BooleanField(label=_("Covers parts"), required=False)
    coverage_notes = forms.CharField(label=_("Coverage details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    visits_per_year = forms.IntegerField(label=_("Planned visits per year"), min_value=0, max_value=52, initial=2)
    sla_level = forms.ModelChoiceField(label=_("SLA level"), queryset=SlaLevel.objects.all(), required=False)
    salesperson = forms.ModelChoiceField(label=_("Salesperson"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, customer=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if customer is not None:
            self.fields["equipment"].queryset = Equipment.objects.filter(customer=customer).select_related("product_model")
        self.fields["salesperson"].queryset = User.objects.filter(is_active=True, groups__name__in=[roles.SALES, roles.SUPERVISOR]).distinct()


class RenewForm(StyledFormMixin, forms.Form):
    start_date = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))
    fee = forms.DecimalField(label=_("Fee (yuan)"), max_digits=12, decimal_places=2, min_value=0)
