"""Reading generated PDFs in tests: the text a person would see, and the fonts it is drawn with."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_fonts(content: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        resources = page["/Resources"].get("/Font") or {}
        fonts |= {str(resources[key].get_object()["/BaseFont"]) for key in resources}
    return fonts
