"""Customer signatures drawn on the technician's screen: a canvas exported as PNG.

Accepted as a ``data:image/png;base64,…`` URL or bare base64. Refused with a message: anything
that is not a PNG image, an image too large or too small to be a signature, and an empty canvas
(no stroke darker than the background), because an empty signature proves nothing.
"""

from __future__ import annotations

import base64
import binascii
import io

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from aftersales.core.errors import DomainError

MIN_SIDE, MAX_SIDE = 40, 4000
# A pixel counts as ink when it is visible and darker than this (0–255 grey).
INK_THRESHOLD = 160
# A signature has at least this many ink pixels (a dot or a stray tap has fewer).
MIN_INK_PIXELS = 40


def decode_signature(data: str, *, field: str = "signature") -> bytes:
    """Return the PNG bytes of a drawn signature, or raise ``DomainError`` keyed by ``field``."""
    raw = (data or "").strip()
    if not raw:
        raise DomainError({field: [_("The customer's signature is missing.")]}, code="signature_missing")
    if raw.startswith("data:"):
        header, _sep, raw = raw.partition(",")
        if header.split(";")[0] != "data:image/png":
            raise DomainError({field: [_("The signature must be a PNG image.")]}, code="signature_invalid")
    try:
        png = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DomainError({field: [_("The signature is not an image.")]}, code="signature_invalid") from exc
    if len(png) > settings.SIGNATURE_MAX_BYTES:
        raise DomainError({field: [_("The signature image is too large.")]}, code="signature_invalid")
    _check_image(png, field)
    return png


def _check_image(png: bytes, field: str) -> None:
    try:
        with Image.open(io.BytesIO(png)) as image:
            if image.format != "PNG":
                raise DomainError({field: [_("The signature must be a PNG image.")]}, code="signature_invalid")
            if not (MIN_SIDE <= image.width <= MAX_SIDE and MIN_SIDE <= image.height <= MAX_SIDE):
                raise DomainError({field: [_("The signature image has an unusable size.")]}, code="signature_invalid")
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError) as exc:
        raise DomainError({field: [_("The signature is not an image.")]}, code="signature_invalid") from exc
    grey = rgba.convert("L").point(lambda v: 255 if v < INK_THRESHOLD else 0)
    visible = rgba.getchannel("A").point(lambda a: 255 if a > 0 else 0)
    ink = Image.composite(grey, Image.new("L", rgba.size, 0), visible)
    if ink.histogram()[255] < MIN_INK_PIXELS:
        raise DomainError({field: [_("The signature is empty: ask the customer to sign.")]}, code="signature_empty")
