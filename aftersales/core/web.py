"""Small helpers shared by the server-rendered views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


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
    """Give every widget Tabler's classes so templates can render ``{{ form.field }}`` directly."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
