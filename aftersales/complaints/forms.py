from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.complaints.models import ComplaintKind, LossBasis, Market, Origin, PenaltyCause, Settlement
from aftersales.core.web import StyledFormMixin


class ComplaintForm(StyledFormMixin, forms.Form):
    customer = forms.IntegerField(widget=forms.HiddenInput)
    origin = forms.ChoiceField(label=_("Came by"), choices=Origin.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=ComplaintKind.choices)
    market = forms.ChoiceField(label=_("Market"), choices=Market.choices)
    major = forms.BooleanField(label=_("Major complaint"), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=120)
    description = forms.CharField(label=_("What the customer says"), widget=forms.Textarea(attrs={"rows": 3}))
    customer_demand = forms.CharField(label=_("Customer's demand"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lot_no = forms.CharField(label=_("Lot no."), max_length=40, required=False)
    part_no = forms.CharField(label=_("Part no. (料号)"), max_length=40, required=False)
    ship_date = forms.DateField(label=_("Ship date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    quantity = forms.DecimalField(label=_("Quantity shipped"), required=False, max_digits=12, decimal_places=2)
    defective_quantity = forms.DecimalField(label=_("Defective quantity"), required=False, max_digits=12, decimal_places=2)
    quantity_undetermined = forms.BooleanField(label=_("客户加工中未确定 (the customer is still processing)"), required=False)
    human_cause = forms.ChoiceField(label=_("Human cause"), choices=[("", "—"), *PenaltyCause.choices], required=False)


class StepForm(StyledFormMixin, forms.Form):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *ComplaintKind.choices], required=False)
    cause_finding = forms.CharField(label=_("Cause"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=80, required=False)
    human_cause = forms.ChoiceField(label=_("Human cause"), choices=[("", "—"), *PenaltyCause.choices], required=False)
    needs_rnd = forms.BooleanField(label=_("R&D needed"), required=False)
    joint_survey = forms.BooleanField(label=_("Joint on-site survey needed (report within 3 days)"), required=False)
    major = forms.BooleanField(label=_("Major complaint"), required=False)
    countermeasure = forms.CharField(label=_("Countermeasure"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    human_negligence = forms.BooleanField(label=_("Human negligence (no improvement tracked)"), required=False)
    settlement = forms.ChoiceField(label=_("Settlement"), choices=[("", "—"), *Settlement.choices], required=False)
    amount = forms.DecimalField(label=_("Amount (yuan)"), required=False, min_value=0, max_digits=12, decimal_places=2)
    customer_answer = forms.CharField(label=_("Answer given to the customer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    customer_accepted = forms.TypedChoiceField(label=_("The customer"), required=False, coerce=lambda v: v == "yes", empty_value=None,
                                               choices=[("", "—"), ("yes", _("accepts the decision")), ("no", _("rejects the decision"))])
    handling_satisfaction = forms.TypedChoiceField(label=_("Satisfaction with the handling"), required=False, coerce=int, empty_value=None,
                                                   choices=[("", "—"), (4, "4"), (3, "3"), (2, "2"), (1, "1")])


class LossForm(StyledFormMixin, forms.Form):
    basis = forms.ChoiceField(label=_("Loss basis"), choices=LossBasis.choices, required=False)
    a_grade_price = forms.DecimalField(label=_("A-grade unit price"), required=False, max_digits=12, decimal_places=2)
    resale_price = forms.DecimalField(label=_("Resale unit price"), required=False, max_digits=12, decimal_places=2)
    quantity = forms.DecimalField(label=_("Quantity"), required=False, max_digits=12, decimal_places=2)
    actual_loss = forms.DecimalField(label=_("Actual loss (yuan)"), required=False, max_digits=12, decimal_places=2)
