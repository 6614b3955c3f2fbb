from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.core.web import StyledFormMixin
from aftersales.feedback.models import CRITERIA, AnsweredVia, CommentKind, Level, ReplyVia


class CardForm(forms.Form):
    """The card itself: four criteria as tick-boxes of four levels (SURV-03), then suggestions or complaints."""

    comment_kind = forms.ChoiceField(label=_("Your comment is"), choices=CommentKind.choices, required=False, widget=forms.RadioSelect)
    comments = forms.CharField(label=_("Suggestions or complaints"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code, label in CRITERIA:
            self.fields[code] = forms.TypedChoiceField(label=label, choices=Level.choices, coerce=int, widget=forms.RadioSelect)
        self.order_fields([c for c, _label in CRITERIA] + ["comment_kind", "comments"])

    def criteria(self):
        return [self[c] for c, _label in CRITERIA]


class AgentCardForm(CardForm):
    via = forms.ChoiceField(label=_("Answer given"), choices=[c for c in AnsweredVia.choices if c[0] != AnsweredVia.LINK])


class ReplyForm(StyledFormMixin, forms.Form):
    via = forms.ChoiceField(label=_("Answered by"), choices=ReplyVia.choices)
    text = forms.CharField(label=_("Answer given to the customer"), widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ForwardForm(StyledFormMixin, forms.Form):
    to = forms.IntegerField(label=_("Forward to"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TaskDoneForm(StyledFormMixin, forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))


class TaskAssignForm(StyledFormMixin, forms.Form):
    to = forms.IntegerField(label=_("Designee"))
