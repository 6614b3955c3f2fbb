"""Uploads for tests: real pictures and documents, and the files an attacker would try instead."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def _picture(kind: str, *, size=(64, 48), gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 80, 40))
    out = io.BytesIO()
    options = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "AftersalesPhone"  # Make
        exif[0x8825] = {1: "N", 2: (31.0, 12.0, 30.0), 3: "E", 4: (121.0, 28.0, 20.0)}  # GPS: Shanghai
        options["exif"] = exif
    image.save(out, format=kind, **options)
    return out.getvalue()


def jpeg(name: str = "photo.jpg", *, gps: bool = False, size=(64, 48)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _picture("JPEG", gps=gps, size=size), content_type="image/jpeg")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _picture("PNG"), content_type="image/png")


MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
               b"trailer<</Root 1 0 R>>\n%%EOF\n")


def pdf(name: str = "report.pdf", *, script: bool = False) -> SimpleUploadedFile:
    body = MINIMAL_PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>") if script else MINIMAL_PDF
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def html(name: str = "evidence.html") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"<html><script>fetch('/api/v1/customers/')</script></html>", content_type="text/html")


def svg(name: str = "evidence.svg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
                              content_type="image/svg+xml")


def exe(name: str = "tool.exe") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, content_type="application/octet-stream")


def html_as_png(name: str = "photo.png") -> SimpleUploadedFile:
    """A web page renamed to look like a picture."""
    return SimpleUploadedFile(name, b"<html><script>alert(1)</script></html>", content_type="image/png")


def zip_bomb_xlsx() -> bytes:
    """An "xlsx" whose single sheet unpacks to 200 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (200 * 1024 * 1024))
    return out.getvalue()


def huge_xlsx(rows: int) -> bytes:
    """A real workbook with ``rows`` rows (written fast: write-only mode)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["客户名称", "电话", "服务中心"])
    for n in range(rows):
        sheet.append([f"客户{n}", "13800138000", "SH"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
