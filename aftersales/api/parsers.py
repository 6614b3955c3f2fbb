"""The API's JSON parser: text must be text.

JSON may carry ``"\\ud800"`` — half of a UTF-16 surrogate pair, which is no character at all. Python's ``json`` accepts
it, and the string then cannot be written to the database (UTF-8) or printed: a 500 deep in a service. Such a body is
refused here with a 400 before any view reads it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _has_lone_surrogate(value) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


class TextJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if _has_lone_surrogate(data):
            raise ParseError(_("The body holds a broken character (an unpaired UTF-16 surrogate)."))
        return data
