"""Printable forms: HTML templates rendered to PDF by WeasyPrint with Debian's Noto CJK fonts.

The fonts are named explicitly in ``templates/pdf/base.html``; with ``libharfbuzz-subset0``
installed WeasyPrint embeds only the glyphs used, so a one-page voucher stays small and fast.
"""

from __future__ import annotations

import base64
import io

import segno
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation


def qr_data_uri(text: str, *, scale: int = 3) -> str:
    """A QR code of ``text`` as an SVG data URI for an ``<img>`` in a form."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=scale, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def png_data_uri(data: bytes | memoryview | None) -> str:
    """A stored PNG (a signature) as a data URI; empty when there is none."""
    if not data:
        return ""
    return "data:image/png;base64," + base64.b64encode(bytes(data)).decode("ascii")


# The paper forms are Chinese documents, whatever language the person printing them reads.
FORM_LANGUAGE = "zh-hans"


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render ``template_name`` with ``context`` (plus the company name) to PDF bytes, in Chinese."""
    from weasyprint import HTML

    with translation.override(FORM_LANGUAGE):
        html = render_to_string(template_name, {"company_name": settings.COMPANY_NAME, **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(template_name: str, context: dict, *, filename: str) -> HttpResponse:
    """The PDF inline in the browser (print from there), saved as ``filename`` if downloaded."""
    response = HttpResponse(render_pdf(template_name, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
