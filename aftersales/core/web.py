"""Small helpers shared by the server-rendered views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from aftersales.core.params import MAX_ID


def apply_domain_errors(form: forms.Form, exc: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Copy a service's ``DomainError`` onto ``form``: known fields get their messages, the rest go on top."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for key, messages in exc.message_dict.items():
            name = field_map.get(key, key)
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


class StyledFormMixin:
    """Give every widget Tabler's classes so templates can render ``{{ form.field }}`` directly, and keep every
    integer within the database's 64 bits (an id or version typed or forged beyond it is a form error, not a 500)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField) and not any(isinstance(v, MaxValueValidator) for v in field.validators):
                field.validators += [MaxValueValidator(MAX_ID), MinValueValidator(-MAX_ID)]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class Outcome:
    """What ``perform`` returns: truthy when the action went through, with its return value."""

    def __init__(self, ok: bool, value=None) -> None:
        self.ok, self.value = ok, value

    def __bool__(self) -> bool:
        return self.ok


def perform(request, action, *, success: str | None = None, form: forms.Form | None = None, errors: dict | None = None) -> Outcome:
    """Run a service ``action()`` for a page; report refusals as messages (and on ``form``).

    Returns a truthy ``Outcome`` holding the action's result when it went through. A ``DomainError`` (bad input), ``ConflictError``
    (illegal step or stale page) or ``PermissionDenied`` changes nothing and is shown to the user
    in his language; the page is then shown again rather than failing. ``errors`` (a dict) receives a
    ``DomainError``'s messages by field, for pages whose boxes are not a Django form.
    """
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from aftersales.core.errors import ConflictError, DomainError

    try:
        value = action()
    except DomainError as exc:
        if form is not None:
            apply_domain_errors(form, exc)
        if errors is not None:
            errors.update(exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages})
        messages.error(request, " ".join(exc.messages))
    except ConflictError as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You are not allowed to do this."))
    else:
        if success != "":
            messages.success(request, success or _("Saved."))
        return Outcome(True, value)
    return Outcome(False)


def redirect_back(request, fallback, *args, **kwargs):
    """Redirect to the page the form came from (``next``) when it is on this site, else to ``fallback``:
    a ``next`` pointing elsewhere is ignored (an open redirect would lend our address to a phishing link)."""
    from django.shortcuts import redirect
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback, *args, **kwargs)


def filter_form(request, form_class) -> tuple[forms.Form, dict, int]:
    """A list page's filter form from the query string: (form, its clean data, the status to answer with).
    An invalid filter shows its message on the form and filters nothing — 400, never a guess or a 500."""
    form = form_class(request.GET or None)
    if not request.GET:
        return form, {}, 200
    if form.is_valid():
        return form, form.cleaned_data, 200
    return form, {}, 400


def form_errors_message(form: forms.Form) -> str:
    """All of a form's errors as one line, for a message at the top of the page, each named by its
    field's label ("工时（分钟）：请输入整数。"), so that the user knows which box to correct."""
    from django.utils.translation import gettext as _

    parts = []
    for name, messages in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else ""
        for m in messages:
            parts.append(_("%(field)s: %(message)s") % {"field": label, "message": m} if label else str(m))
    return "; ".join(parts)
