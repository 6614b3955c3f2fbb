"""What an upload may be, decided by its content — never by its name — before anything is stored.

- Images (photos of receipts, returns, parts, claim evidence): JPEG, PNG or WebP as Pillow reads them, at most
  ``UPLOAD_MAX_IMAGE_MB``, at most ``UPLOAD_MAX_IMAGE_PIXELS``; turned upright, shrunk to ``UPLOAD_IMAGE_MAX_SIDE`` and
  **re-encoded**, so nothing but the pixels survives: no script hidden in a comment, no GPS position in the EXIF data
  (unless the field needs it, ``keep_location``).
- Documents (claim evidence): PDF — starts with ``%PDF-``, ends with ``%%EOF``, carries no JavaScript, launch or
  embedded-file actions — at most ``UPLOAD_MAX_DOCUMENT_MB``.
- Imports: an xlsx workbook (a ZIP whose uncompressed size and compression ratio are bounded: no ZIP bomb) or a CSV
  text file, at most ``IMPORT_MAX_MB``; the rows and cells are bounded when the rows are read (``core.tabular``).

Anything else — HTML, SVG (script), EXE, a file renamed to look like a picture — is refused with a message in the
user's language naming what is accepted, and nothing is stored.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from aftersales.core.errors import DomainError

IMAGE_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")


def _read(upload, limit_mb: float, field: str) -> bytes:
    size = getattr(upload, "size", None)
    limit = int(limit_mb * 1024 * 1024)
    if size is not None and size > limit:
        raise DomainError({field: [_("The file is larger than %(mb)s MB.") % {"mb": limit_mb}]}, code="too_large")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise DomainError({field: [_("The file is larger than %(mb)s MB.") % {"mb": limit_mb}]}, code="too_large")
    if not data:
        raise DomainError({field: [_("The file is empty.")]}, code="empty")
    return data


def accept_image(upload, *, field: str = "file", keep_location: bool = False) -> ContentFile:
    """A clean copy of an uploaded photo (JPEG/PNG/WebP, re-encoded), or ``DomainError`` naming ``field``."""
    data = _read(upload, settings.UPLOAD_MAX_IMAGE_MB, field)
    refused = DomainError({field: [_("Upload a photo: JPEG, PNG or WebP.")]}, code="not_an_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                probe.verify()
            if kind not in IMAGE_FORMATS:
                raise refused
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > settings.UPLOAD_MAX_IMAGE_PIXELS:
                    raise DomainError({field: [_("The picture has too many pixels.")]}, code="too_large")
                exif = image.info.get("exif") if keep_location else None
                image = ImageOps.exif_transpose(image)
                image.thumbnail((settings.UPLOAD_IMAGE_MAX_SIDE, settings.UPLOAD_IMAGE_MAX_SIDE))
                out = io.BytesIO()
                save = {"format": kind}
                if kind == "JPEG":
                    image = image.convert("RGB")
                    save.update(quality=85, optimize=True)
                if exif:
                    save["exif"] = exif
                image.save(out, **save)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refused from None
    extension = IMAGE_FORMATS[kind][0]
    return ContentFile(out.getvalue(), name=f"image.{extension}")


def accept_document(upload, *, field: str = "file") -> ContentFile:
    """A PDF without active content, or ``DomainError`` naming ``field``."""
    data = _read(upload, settings.UPLOAD_MAX_DOCUMENT_MB, field)
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise DomainError({field: [_("Upload a PDF document or a photo.")]}, code="not_a_document")
    if PDF_ACTIVE.search(data):
        raise DomainError({field: [_("The PDF contains scripts or embedded files; print it to a plain PDF and upload that.")]},
                          code="active_pdf")
    return ContentFile(data, name="document.pdf")


def accept_evidence(upload, *, field: str = "file") -> ContentFile:
    """Claim evidence: a photo or a PDF (whichever the content is)."""
    head = upload.read(5)
    upload.seek(0)
    return accept_document(upload, field=field) if head == b"%PDF-" else accept_image(upload, field=field)


def accept_spreadsheet(upload_name: str, data: bytes, *, field: str = "file") -> None:
    """An import file is an xlsx workbook of bounded size (no ZIP bomb) or CSV text; ``DomainError`` otherwise."""
    limit = int(settings.IMPORT_MAX_MB * 1024 * 1024)
    if len(data) > limit:
        raise DomainError({field: [_("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_MB}]}, code="too_large")
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                entries = archive.infolist()
                unpacked = sum(e.file_size for e in entries)
                packed = sum(max(e.compress_size, 1) for e in entries)
                names = {e.filename for e in entries}
        except zipfile.BadZipFile:
            raise DomainError({field: [_("The workbook is damaged; save it again as xlsx.")]}, code="bad_file") from None
        if "xl/workbook.xml" not in names:
            raise DomainError({field: [_("Upload an Excel workbook (xlsx) or a CSV file.")]}, code="bad_file")
        if unpacked > limit * 20 or unpacked / packed > 200:
            raise DomainError({field: [_("The workbook unpacks to far more than it weighs; it is refused.")]}, code="zip_bomb")
        return
    # Text from here on: its encoding is judged when it is read (core.tabular); a web page or a program is not text we take.
    if data[:4096].lstrip().lower().startswith((b"<", b"mz", b"\x7felf", b"%pdf")):
        raise DomainError({field: [_("Upload an Excel workbook (xlsx) or a CSV file.")]}, code="bad_file")
