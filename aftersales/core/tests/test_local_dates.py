"""Dates people see are local dates: no ``.date()`` on an aware (UTC) datetime, no clock read in the server's zone.

``created_at.date()`` on a time stored in UTC gives the UTC date: a discount asked at 07:30 on 1 March in Shanghai
is dated 28 February. Product code must use ``timezone.localdate(moment)`` (or ``timezone.localtime(moment).date()``).
This test reads the source: ``X.date()`` is allowed only where ``X`` is itself local — a call to ``localtime`` or
``astimezone``, or a variable whose name says so (``local…``) — or on a line marked ``# naive`` (a spreadsheet cell).
``date.today()``, ``datetime.now()`` without a zone and ``utcnow()`` read the server's clock zone and are refused.
A stored time (``…_at``) formatted straight into text (``f"{created_at:%Y-%m-%d}"``) prints its UTC date and is refused
too, unless the line says it is not shown (``# utc: a key``).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LOCAL_CALLS = {"localtime", "astimezone"}


def sources(root: Path) -> list[Path]:
    """Product code and tests alike: a test that dates things in UTC fails on some hours of the day."""
    files = [p for folder in ("aftersales", "config", "tests") for p in (root / folder).rglob("*.py") if "migrations" not in p.parts]
    return [*files, root / "conftest.py"]


def _is_local(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in LOCAL_CALLS
    return isinstance(node, ast.Name) and node.id.startswith("local")


def _formats_a_stored_time(node: ast.FormattedValue) -> bool:
    """``{x.created_at:%Y-%m-%d}``: a stored (UTC) time with a date format, not wrapped in ``localtime``."""
    spec = ast.unparse(node.format_spec) if node.format_spec is not None else ""
    name = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", "")
    return "%" in spec and name.endswith("_at")


def offences(path: Path, root: Path = ROOT) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        line = lines[node.lineno - 1] if hasattr(node, "lineno") else ""
        if isinstance(node, ast.FormattedValue) and _formats_a_stored_time(node) and "# utc" not in line and "# naive" not in line:
            found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node.value)} formatted as text in UTC: use timezone.localtime(x)")
            continue
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)) or "# naive" in line:
            continue
        attr, receiver, where = node.func.attr, node.func.value, f"{path.relative_to(root)}:{node.lineno}"
        owner = ast.unparse(receiver).split(".")[-1]
        if attr == "date" and not node.args and not node.keywords and not _is_local(receiver):
            found.append(f"{where}: .date() on a datetime that may be aware: use timezone.localdate(x)")
        elif attr == "today" and owner in ("date", "datetime"):
            found.append(f"{where}: {ast.unparse(node)} reads the server's zone: use timezone.localdate()")
        elif attr in ("now", "utcnow") and owner == "datetime" and not node.args and not node.keywords:
            found.append(f"{where}: {ast.unparse(node)}: use timezone.now()")
    return found


def test_no_code_takes_the_utc_date_of_an_aware_time_or_reads_the_servers_zone():
    assert [problem for path in sources(ROOT) for problem in offences(path)] == []


def test_the_check_catches_the_mistakes_it_is_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime as dt\nday = created_at.date()\nx = dt.date.today()\ny = dt.datetime.now()\n"
                      "ok = timezone.localtime(created_at).date()\nok2 = local.date()\nok3 = cell.date()  # naive: xlsx\n"
                      "text = f'{obj.created_at:%Y-%m-%d}'\nok4 = f'{timezone.localtime(obj.created_at):%Y-%m-%d}'\n", encoding="utf-8")
    assert [p.split(": ")[0] for p in offences(sample, tmp_path)] == ["sample.py:2", "sample.py:3", "sample.py:4", "sample.py:8"]
