"""Template filters shared by every page."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from aftersales.customers.phones import display_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """An E.164 number as people write it (138 0013 8000, 021 6234 5678)."""
    return display_phone(value) if value else ""


@register.simple_tag
def field_error(errors, name: str) -> str:
    """The messages of field ``name`` from a failed form's ``errors`` (a dict of lists), under its box."""
    messages = errors.get(name) if isinstance(errors, dict) else None
    if not messages:
        return ""
    return format_html('<div class="invalid-feedback d-block" data-error-for="{}">{}</div>', name, " ".join(str(m) for m in messages))


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or "" (a failed form's values and errors are keyed by action)."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""
