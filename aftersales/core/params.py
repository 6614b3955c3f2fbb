"""Reading numbers and ids out of a request without letting a bad one reach the database.

A huge integer (``?customer=99999999999999999999``) passes ``str.isdigit()`` and then overflows the database's 64-bit
integers with a 500. Ids in URL paths go through the ``int`` converter registered here (``BoundedIntConverter``: at
most 18 digits, so an id that cannot exist is simply not found); ids in query strings through ``id_param`` or
``IdField``, which refuse anything that is not a positive 64-bit integer with a message in the user's language
(Django answers ``BadRequest`` with our 400 page; the API with a JSON 400).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import BadRequest
from django.urls import converters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_ID = 2**63 - 1


class BoundedIntConverter(converters.IntConverter):
    """``<int:pk>`` that matches at most 18 digits: anything longer cannot be a row and is a plain 404."""

    regex = "[0-9]{1,18}"


def id_param(value, name: str) -> int | None:
    """``value`` (a query parameter) as a positive id, None when empty; ``BadRequest`` naming ``name`` otherwise."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
        return int(text)
    raise BadRequest(_("“%(value)s” is not a valid %(name)s.") % {"value": text[:30], "name": name})


def int_param(value, name: str, *, minimum: int, maximum: int) -> int | None:
    """``value`` as an integer between ``minimum`` and ``maximum`` (a year, a quarter …), None when empty."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is None or not minimum <= number <= maximum:
        raise BadRequest(_("“%(value)s” is not a valid %(name)s (%(min)s–%(max)s).") % {
            "value": text[:30], "name": name, "min": minimum, "max": maximum})
    return number


class IdField(forms.IntegerField):
    """A form field for an id: a positive 64-bit integer (a larger one is refused, not sent to the database)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("error_messages", {"max_value": gettext_lazy("This is not a valid id."),
                                             "min_value": gettext_lazy("This is not a valid id.")})
        super().__init__(*args, **kwargs)
