"""The two-step spreadsheet import every module offers: upload and preview (dry run), then import.

The uploaded file is kept server-side, in the private storage, under a random key between the two steps (the user
never posts the file twice), only the user who uploaded it can commit it, and it is deleted once imported — or by
``import_files_sweep`` after ``IMPORT_KEEP_HOURS`` when nobody does.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core.files import private_storage
from aftersales.core.tabular import ImportResult
from aftersales.core.web import StyledFormMixin


class ImportUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("File (xlsx or CSV, UTF-8 or GBK)"))


@dataclass
class ImportFlow:
    """``run(actor=, file_name=, content=, dry_run=, skip_bad_rows=)`` is the module's import service."""

    name: str
    perm: str
    run: Callable[..., ImportResult]
    title: str
    help_text: str
    commit_url_name: str
    done_url_name: str
    done_message: Callable[[ImportResult], str]
    count_labels: dict[str, str] | None = None  # what the import's counters mean, for the preview

    @staticmethod
    def _name(key: str) -> str:
        return f"{IMPORT_DIR}/{key}"

    def _render(self, request, form, result=None, key=None):
        return render(request, "import.html", {
            "form": form, "result": result, "key": key, "title": self.title, "help_text": self.help_text,
            "commit_url": reverse(self.commit_url_name, args=[key]) if key else "",
            "counts": [(str((self.count_labels or {}).get(k, k)), v) for k, v in (result.counts.items() if result else [])],
        })

    def upload(self, request):
        """Step 1: upload and preview (dry run)."""
        if not request.user.has_perm(self.perm):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            result = self.run(actor=request.user, file_name=upload.name, content=content, dry_run=True)
            key = secrets.token_hex(16)
            private_storage().save(self._name(key), ContentFile(content))
            request.session[f"import-{self.name}-{key}"] = upload.name
            return self._render(request, form, result, key)
        return self._render(request, form)

    def commit(self, request, key: str):
        """Step 2: import for real; with bad rows only if the user ticked "skip bad rows"."""
        if not request.user.has_perm(self.perm) or request.method != "POST":
            raise PermissionDenied
        name = request.session.get(f"import-{self.name}-{key}")
        storage = private_storage()
        if not name or not key.isalnum() or not storage.exists(self._name(key)):
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return redirect(request.path.rsplit("/", 3)[0] + "/")
        with storage.open(self._name(key), "rb") as stored:
            content = stored.read()
        result = self.run(actor=request.user, file_name=name, content=content, dry_run=False,
                          skip_bad_rows=bool(request.POST.get("skip_bad_rows")))
        if result.committed:
            storage.delete(self._name(key))
            request.session.pop(f"import-{self.name}-{key}", None)
            messages.success(request, self.done_message(result))
            return redirect(self.done_url_name)
        messages.error(request, _("Nothing was imported: the file has bad rows. Fix them, or tick “skip bad rows”."))
        return self._render(request, ImportUploadForm(), result, key)


IMPORT_DIR = "imports"


def import_files_sweep(now=None) -> int:
    """Delete uploaded import files older than ``IMPORT_KEEP_HOURS`` (previewed and never imported); returns how many."""
    import datetime as dt

    from django.utils import timezone

    storage, removed = private_storage(), 0
    now = now or timezone.now()
    try:
        _dirs, files = storage.listdir(IMPORT_DIR)
    except FileNotFoundError:
        return 0
    for name in files:
        path = f"{IMPORT_DIR}/{name}"
        if now - storage.get_modified_time(path) > dt.timedelta(hours=settings.IMPORT_KEEP_HOURS):
            storage.delete(path)
            removed += 1
    return removed
