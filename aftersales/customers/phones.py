"""Phone parsing with ``phonenumbers``: CN by default, E.164 stored, landlines and 400/800 valid."""

from __future__ import annotations

import re

import phonenumbers
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError

DEFAULT_REGION = "CN"
_DIGITS = re.compile(r"\D+")


def normalize_phone(raw: str) -> str:
    """Return ``raw`` as E.164, or raise ``DomainError`` with a translated message.

    Accepts mobiles (13812345678), landlines with area code (021-12345678, 0571 8888 6666),
    400/800 numbers (400-820-8820) and international numbers with a leading +.
    """
    text = (raw or "").strip()
    if not text:
        raise DomainError(_("Enter a phone number."), code="phone_required")
    try:
        parsed = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise DomainError(_("“%(phone)s” is not a phone number.") % {"phone": text}, code="phone_invalid") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise DomainError(
            _("“%(phone)s” is not a valid phone number (mobile, landline with area code, or 400/800 number).")
            % {"phone": text},
            code="phone_invalid",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """National format for Chinese numbers (138 1234 5678, 021 1234 5678), international otherwise."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    fmt = phonenumbers.PhoneNumberFormat.NATIONAL if parsed.country_code == 86 else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(parsed, fmt)


def phone_search_prefix(raw: str) -> str | None:
    """An E.164 prefix for partial input typed by a clerk ("1381234" → "+861381234"), or None.

    Landline input keeps its national prefix handling: "021" → "+8621".
    """
    digits = _DIGITS.sub("", raw or "")
    if len(digits) < 3:
        return None
    if (raw or "").strip().startswith("+"):
        return "+" + digits
    if digits.startswith("0"):
        return "+86" + digits[1:]
    return "+86" + digits
