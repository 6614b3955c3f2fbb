"""Private files: stored under unguessable names, served only by a view that applies the record's permission.

Nothing is reachable under a public media URL in any mode: the storage has no public URL (``url()`` refuses), and
``config/urls.py`` serves no ``MEDIA_URL``. How a permitted file reaches the browser is a deployment setting,
``PRIVATE_FILES_SERVE``:

- ``django`` (the default, and the embedded install): the view streams the file itself;
- ``x-accel``: the view answers with ``X-Accel-Redirect: <PRIVATE_FILES_ACCEL_PREFIX><name>`` and nginx streams the file
  from an ``internal`` location (README, "Security");
- ``redirect``: the view redirects to the storage's own signed, short-lived URL (S3-compatible storage through
  django-storages with ``querystring_auth``: configure ``STORAGES["private"]``).

Images and PDFs open in the browser; anything else is sent as an attachment; always with ``nosniff`` and
``Cache-Control: private, no-store``.
"""

from __future__ import annotations

import mimetypes
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.deconstruct import deconstructible

INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on the server's disk outside any public directory; they have no URL of their own."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("location", settings.PRIVATE_FILES_ROOT)
        kwargs.setdefault("base_url", None)
        super().__init__(**kwargs)

    def url(self, name):
        raise ValueError("private files have no public URL; serve them with core.files.serve_private")


def private_storage():
    """The storage of every private file (a callable, so a deployment may swap it by settings)."""
    return storages["private"]


@deconstructible
class UnguessableName:
    """``upload_to`` for private files: ``<prefix>/<yyyy>/<mm>/<random>.<ext>`` — nothing of the original name, which may
    carry a customer's name or a path, and nothing to guess."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePosixPath(filename or "").suffix.lower()[:8]
        now = timezone.localtime()
        return f"{self.prefix}/{now:%Y}/{now:%m}/{secrets.token_urlsafe(18)}{suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, UnguessableName) and other.prefix == self.prefix


def content_type_of(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def serve_private(field_file, *, download_name: str = "", as_attachment: bool | None = None) -> HttpResponse:
    """The response that delivers ``field_file`` to a user the caller has already checked may see it."""
    name = field_file.name
    content_type = content_type_of(name)
    attachment = content_type not in INLINE_TYPES if as_attachment is None else as_attachment
    filename = download_name or PurePosixPath(name).name
    mode = settings.PRIVATE_FILES_SERVE
    if mode == "redirect":
        response: HttpResponse = HttpResponseRedirect(field_file.storage.url(name))
    elif mode == "x-accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_FILES_ACCEL_PREFIX + name
        disposition = "attachment" if attachment else "inline"
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{_quote(filename)}"
    else:
        response = FileResponse(field_file.open("rb"), as_attachment=attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Opened in a tab, a file is a document of its own: no script runs in it whatever it holds.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


def _quote(filename: str) -> str:
    from urllib.parse import quote

    return quote(filename)


def move_media_to_private(model, field: str) -> int:
    """For a migration: move the files of ``model.field`` that an older version kept under the public media directory
    into the private files' directory (same names). Nothing to do with a remote private storage."""
    import shutil
    from pathlib import Path

    if not isinstance(private_storage(), PrivateFileSystemStorage):
        return 0
    old_root, new_root, moved = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_FILES_ROOT), 0
    for name in model.objects.exclude(**{field: ""}).values_list(field, flat=True).iterator():
        source = old_root / name
        if name and source.is_file():
            target = new_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)
            moved += 1
    return moved
