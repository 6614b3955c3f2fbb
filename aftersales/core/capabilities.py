"""Capability links for people who do not log in (the customer reading his e-receipt from a text message).

A link carries a signed, salted, expiring token naming exactly one object; it is checked on every request
(``load``), so nothing is ever served from a guessable or permanent public URL. Changing ``SECRET_KEY``
voids every link.
"""

from __future__ import annotations

from django.core import signing

RECEIPT_SALT = "aftersales.e-receipt"
RECEIPT_DAYS = 90  # a deployment setting in spirit: how long a texted receipt link opens


def receipt_token(work_order_id: int) -> str:
    return signing.dumps(work_order_id, salt=RECEIPT_SALT, compress=False)


def receipt_work_order_id(token: str, *, max_age_days: int = RECEIPT_DAYS) -> int | None:
    """The voucher's id, or None for a forged, altered or expired link."""
    try:
        value = signing.loads(token, salt=RECEIPT_SALT, max_age=max_age_days * 86400)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
