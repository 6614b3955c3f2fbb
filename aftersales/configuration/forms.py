"""Forms of the settings pages. They only read input; the services decide and refuse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.holidays.festivals import DayKind, Festival
from aftersales.core.web import StyledFormMixin

NOTICE_MAX_CHARS = 20_000


class NoticeForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2004, max_value=2099,
                              help_text=_("Only needed when the pasted text has no title."))
    text = forms.CharField(label=_("Text of the notice"), max_length=NOTICE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("Paste 《国务院办公厅关于20XX年部分节假日安排的通知》 as published, title included."))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ConfirmForm(StyledFormMixin, forms.Form):
    source = forms.CharField(label=_("Where the days come from"), max_length=200,
                             help_text=_("e.g. the notice number, or “company decision of 2026-12-01”."))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReopenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=300)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DayForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("The day is"), choices=[*DayKind.choices, ("ordinary", _("an ordinary day again"))])
    festival = forms.ChoiceField(label=_("Holiday"), choices=Festival.choices, initial=Festival.OTHER)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RuleForm(StyledFormMixin, forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    value = forms.CharField(label=_("New value"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
