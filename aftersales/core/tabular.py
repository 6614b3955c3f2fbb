"""Spreadsheet import and export shared by every module (customers, parts …).

Reading: xlsx, or CSV in UTF-8 or GBK/GB18030 (what Chinese Excel saves). Headers are matched
against each column's accepted names (Chinese first). A cell holding a formula is refused.

Importing runs every row through the module's own ``import_row`` (which calls the same services
the forms use) inside one transaction with a savepoint per row, so a dry run reports exactly what
a real import would do. Unless the user chooses to skip bad rows, an import with any bad row or a
file error writes nothing.

Exporting escapes text that a spreadsheet would run as a formula (CSV/Excel injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from aftersales.core.errors import DomainError
from aftersales.core.uploads import accept_spreadsheet

Columns = dict[str, tuple[str, ...]]


class ImportFileError(DomainError):
    """The file as a whole cannot be read (encoding, format, missing columns)."""


@dataclass
class RowResult:
    line: int
    ok: bool
    messages: list[str] = field(default_factory=list)
    label: str = ""
    action: str = ""


@dataclass
class ImportResult:
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    committed: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if not r.ok]

    def count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1


def decode_text(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is neither UTF-8 nor GBK text. Save it as xlsx or CSV (UTF-8) and try again."))


def read_table(file_name: str, content: bytes) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """Headers and (line number, cells) rows of the first sheet or of the CSV file."""
    name = file_name.lower()
    if name.endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many types for a broken zip
            raise ImportFileError(_("The file is not a readable xlsx workbook.")) from exc
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None) or ()
        return [str(h or "").strip() for h in header], ((i, list(r)) for i, r in enumerate(rows, start=2))
    if name.endswith(".csv") or name.endswith(".txt"):
        reader = csv.reader(io.StringIO(decode_text(content)))
        header = next(reader, [])
        return [h.strip() for h in header], ((i, list(r)) for i, r in enumerate(reader, start=2))
    raise ImportFileError(_("Only .xlsx and .csv files can be imported."))


def map_headers(headers: list[str], columns: Columns, required: tuple[str, ...]) -> dict[str, int]:
    """Column key → position; ``ImportFileError`` naming the missing required columns."""
    index: dict[str, int] = {}
    for key, names in columns.items():
        for pos, header in enumerate(headers):
            if header in names or header.lower() in names:
                index[key] = pos
                break
    missing = [columns[k][0] for k in required if k not in index]
    if missing:
        raise ImportFileError(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})
    return index


class Row:
    """One row's cells, read by column key; text is stripped, formulas are refused."""

    def __init__(self, cells: list, index: dict[str, int], columns: Columns) -> None:
        self.cells, self.index, self.columns = cells, index, columns

    def get(self, key: str):
        pos = self.index.get(key)
        if pos is None or pos >= len(self.cells):
            return None
        value = self.cells[pos]
        if isinstance(value, str):
            if value.startswith("="):
                raise DomainError(_("Column “%(col)s” holds a formula; enter plain values.") % {"col": self.columns[key][0]})
            value = value.strip()
        return value

    def text(self, key: str, default: str = "") -> str:
        value = self.get(key)
        return default if value in (None, "") else str(value)

    def date(self, key: str) -> dt.date | None:
        value = self.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()  # naive: a spreadsheet cell
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).replace("/", "-").replace(".", "-"))
        except ValueError as exc:
            raise DomainError(_("“%(v)s” is not a date (use 2026-03-01).") % {"v": value}) from exc

    def decimal(self, key: str, default: Decimal | None = None) -> Decimal | None:
        value = self.get(key)
        if value in (None, ""):
            return default
        try:
            return Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation as exc:
            raise DomainError(_("Column “%(col)s”: “%(v)s” is not a number.") % {"col": self.columns[key][0], "v": value}) from exc

    def is_blank(self) -> bool:
        return not any(c not in (None, "") for c in self.cells)


def _bounded(rows: Iterator[tuple[int, list]]) -> list[tuple[int, list]]:
    """Read the rows, refusing a file with more than ``IMPORT_MAX_ROWS`` rows or ``IMPORT_MAX_CELLS`` cells before any
    row is imported (a million-row sheet is refused in the time it takes to count past the limit)."""
    table, cells_seen = [], 0
    for line, cells in rows:
        table.append((line, cells))
        cells_seen += len(cells)
        if len(table) > settings.IMPORT_MAX_ROWS:
            raise ImportFileError(_("A file may hold at most %(n)s rows; split it.") % {"n": settings.IMPORT_MAX_ROWS})
        if cells_seen > settings.IMPORT_MAX_CELLS:
            raise ImportFileError(_("A file may hold at most %(n)s cells; split it.") % {"n": settings.IMPORT_MAX_CELLS})
    return table


def run_import(
    *, file_name: str, content: bytes, columns: Columns, required: tuple[str, ...], import_row: Callable[[Row, RowResult, ImportResult], None],
    dry_run: bool = True, skip_bad_rows: bool = False, progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate (and unless ``dry_run``, write) every row; see the module docstring for the rules."""
    result = ImportResult()
    try:
        accept_spreadsheet(file_name, content)
        headers, rows = read_table(file_name, content)
        index = map_headers(headers, columns, required)
        table = _bounded(rows)
    except (ImportFileError, DomainError) as exc:
        result.file_errors = exc.messages
        return result
    with transaction.atomic():
        for count, (line, cells) in enumerate(table, start=1):
            row = Row(cells, index, columns)
            if row.is_blank():
                continue
            outcome = RowResult(line=line, ok=True)
            try:
                with transaction.atomic():
                    import_row(row, outcome, result)
            except DomainError as exc:
                outcome.ok, outcome.messages = False, exc.messages
            except (ValueError, TypeError) as exc:
                outcome.ok, outcome.messages = False, [_("Unreadable value: %(e)s") % {"e": exc}]
            result.rows.append(outcome)
            if progress:
                progress(count)
        keep = not dry_run and not result.file_errors and (skip_bad_rows or not result.bad_rows)
        if not keep:
            transaction.set_rollback(True)
        result.committed = keep
    if not dry_run and not result.committed:
        result.counts = {}  # nothing was written; a dry run's counts say what an import would create
    return result


def spreadsheet_safe(value) -> object:
    """Escape text that a spreadsheet would run as a formula (lazy translations become their text first)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def xlsx_bytes(sheet_title: str, header: list[str], rows) -> bytes:
    """A one-sheet workbook with ``header`` and ``rows`` (each cell escaped)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title)
    ws.append(header)
    for row in rows:
        ws.append([spreadsheet_safe(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_workbook(sheets: list[tuple[str, list[str], list]]) -> bytes:
    """A workbook of several sheets, each ``(title, header, rows)``; cells escaped like ``xlsx_bytes``."""
    wb = Workbook(write_only=True)
    for title, header, rows in sheets:
        ws = wb.create_sheet(str(title)[:31])
        ws.append([str(h) for h in header])
        for row in rows:
            ws.append([spreadsheet_safe(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str):
    """A workbook as a download named ``filename``."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
