"""Template filters shared by every page."""

from __future__ import annotations

from django import template

from aftersales.customers.phones import display_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """An E.164 number as people write it (138 0013 8000, 021 6234 5678)."""
    return display_phone(value) if value else ""
