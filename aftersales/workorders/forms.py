"""Forms of the service loop. They only parse input; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import Zone
from aftersales.core.web import StyledFormMixin
from aftersales.servicedesk.models import Category
from aftersales.workorders.models import ToldVia, VisitResult

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"})
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class VersionedForm(StyledFormMixin, forms.Form):
    """Every action form carries the version the user saw, so a stale page gets a conflict."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class BoardFilterForm(StyledFormMixin, forms.Form):
    zone = forms.ChoiceField(label=_("Zone"), required=False, choices=[("", _("All")), *Zone.choices])
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All")), *Category.choices])
    skill = forms.IntegerField(label=_("Skill"), required=False)


class AssignForm(StyledFormMixin, forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    technician = forms.IntegerField(label=_("Technician"))
    override_reason = forms.CharField(label=_("Reason to assign anyway"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class BatchAssignForm(StyledFormMixin, forms.Form):
    requests = forms.CharField(widget=forms.HiddenInput, required=False)
    technician = forms.IntegerField(label=_("Technician"), required=False)
    use_suggestions = forms.BooleanField(required=False)
    override_reason = forms.CharField(label=_("Reason to assign anyway"), max_length=300, required=False)


class ReassignForm(VersionedForm):
    technician = forms.IntegerField(label=_("Technician"))
    reason = forms.CharField(label=_("Reason for reassigning"), max_length=300, required=False)
    override_reason = forms.CharField(label=_("Reason to assign anyway"), max_length=300, required=False)


class ContactForm(VersionedForm):
    appointment_at = forms.DateTimeField(label=_("Agreed visit time"), required=False, widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CheckInForm(VersionedForm):
    latitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput)
    accuracy = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class WorkForm(VersionedForm):
    """What was done on this visit; shared by every way a visit can end."""

    work_done = forms.CharField(label=_("Work done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False)
    fault_cause = forms.CharField(label=_("Fault cause"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)
    labour_minutes = forms.IntegerField(label=_("Labour (minutes)"), min_value=0, required=False)
    fault_code = forms.IntegerField(label=_("Fault code"), required=False, min_value=1)


class SignatureFields(forms.Form):
    signature = forms.CharField(widget=forms.HiddenInput, required=False)
    signer_name = forms.CharField(label=_("Signed by"), max_length=60, required=False)


class CompleteForm(WorkForm, SignatureFields):
    pass


class TakeBackForm(WorkForm, SignatureFields):
    item_description = forms.CharField(label=_("Item"), max_length=200, required=False)
    condition = forms.CharField(label=_("Condition on intake"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)
    accessories = forms.CharField(label=_("Accessories taken"), max_length=300, required=False)


class EndVisitForm(WorkForm):
    result = forms.ChoiceField(label=_("Result"), choices=[(VisitResult.REVISIT, VisitResult.REVISIT.label),
                                                           (VisitResult.ESCALATED, VisitResult.ESCALATED.label)])
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    waiting_for = forms.ChoiceField(label=_("The call waits for"), required=False,
                                    choices=[("", _("nothing")), ("parts", _("parts")), ("customer", _("the customer"))])


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class CancelForm(ReasonForm):
    cancel_call = forms.BooleanField(label=_("Cancel the call too"), required=False)


class FinishRepairForm(VersionedForm):
    repair_minutes = forms.IntegerField(label=_("Actual repair time (minutes)"), required=False)
    work_done = forms.CharField(label=_("Work done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False)
    parts = forms.CharField(
        label=_("Parts replaced (one per line: name × quantity)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )

    def clean_parts(self) -> list[tuple[str, int]]:
        """``主轴轴承 × 2`` (or ``x 2``, ``*2``; a line without a quantity means 1)."""
        lines = []
        for raw in (self.cleaned_data.get("parts") or "").splitlines():
            text = raw.strip()
            if not text:
                continue
            name, quantity = text, 1
            for sep in ("×", "x", "X", "*"):
                head, found, tail = text.rpartition(sep)
                if found and tail.strip().isdigit() and head.strip():
                    name, quantity = head.strip(), int(tail.strip())
                    break
            lines.append((name, quantity))
        return lines


class InspectForm(VersionedForm):
    passed = forms.TypedChoiceField(label=_("Result"), coerce=lambda v: v == "1", choices=[("1", _("Passed")), ("0", _("Not passed"))])
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class GiveBackForm(VersionedForm, SignatureFields):
    receipt_no = forms.CharField(label=_("Receipt no. handed back by the customer"), max_length=20, required=False)


class DelayForm(VersionedForm):
    reason = forms.CharField(label=_("Reason for the delay"), max_length=300, required=False)
    new_promised_at = forms.DateTimeField(label=_("New return time"), required=False, widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS)
    customer_told_via = forms.ChoiceField(label=_("Customer told via"), choices=[("", "—"), *ToldVia.choices], required=False)


class LocationForm(forms.Form):
    location = forms.CharField(label=_("Shelf / location"), max_length=60, required=False)


class WorkOrderFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Voucher, call or customer"), required=False)
    status = forms.CharField(required=False)
    technician = forms.IntegerField(required=False)
