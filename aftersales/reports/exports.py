"""The monthly summary as a workbook, its charts, the quarterly summary as a docx, and the call-list export the worker
builds row by row with its progress."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.tabular import spreadsheet_safe, xlsx_workbook
from aftersales.reports.charts import ChartSpec
from aftersales.reports.summary import FIGURES, Summary, pct


def category_label(code: str) -> str:
    from aftersales.servicedesk.models import Category

    return str(Category(code).label) if code in Category.values else code


def channel_label(code: str) -> str:
    from aftersales.servicedesk.models import Channel

    return str(Channel(code).label) if code in Channel.values else code


def chart_specs(s: Summary) -> list[ChartSpec]:
    """The summary's charts, one definition for the page (ECharts), the PDF (SVG) and the docx (PNG)."""
    regions = sorted({m["region"] for m in s.money})
    in_w = [float(sum(m["amount"] for m in s.money if m["region"] == r and m["warranty"])) for r in regions]
    out_w = [float(sum(m["amount"] for m in s.money if m["region"] == r and not m["warranty"])) for r in regions]
    from aftersales.performance.models import CostCategory

    cats = list(CostCategory.choices)
    return [
        ChartSpec("chart-category", _("Calls by category"), [category_label(c) for c in sorted(s.by_category)],
                  [(_("Calls"), [s.by_category[c] for c in sorted(s.by_category)])], kind="pie"),
        ChartSpec("chart-center", _("Calls by service centre"), list(s.by_center), [(_("Calls"), list(s.by_center.values()))]),
        ChartSpec("chart-money", _("Repair value by region"), regions, [(_("Out of warranty (revenue)"), out_w), (_("In warranty (borne by us)"), in_w)],
                  kind="stacked"),
        ChartSpec("chart-costs", _("Costs against the budget"), [str(label) for _c, label in cats],
                  [(_("Quota"), [float(s.budget.get(c, 0)) for c, _l in cats]), (_("Actual"), [float(s.costs.get(c, 0)) for c, _l in cats])]),
        ChartSpec("chart-targets", _("Figures against their targets (%)"), [line.label for line in s.lines if line.actual is not None],
                  [(_("Actual"), [float(line.actual) for line in s.lines if line.actual is not None]),
                   (_("Target"), [float(line.target or 0) for line in s.lines if line.actual is not None])]),
    ]


def summary_sheets(s: Summary) -> list[tuple[str, list[str], list]]:
    f = s.filters
    period = f"{f.start:%Y-%m-%d} – {f.end:%Y-%m-%d}"
    light = {"green": _("met"), "amber": _("close"), "red": _("missed"), "": ""}
    targets = [[line.label, line.actual if line.actual is not None else "", line.target if line.target is not None else "",
                ("≥" if line.direction == "min" else "≤") if line.direction else "", light[line.light]] for line in s.lines]
    calls = [[_("Calls received"), s.requests], [_("Calls closed"), s.closed]]
    calls += [[category_label(c), n] for c, n in sorted(s.by_category.items())]
    calls += [[channel_label(c), n] for c, n in sorted(s.by_channel.items())]
    calls += [[c, n] for c, n in sorted(s.by_center.items())]
    money = [[m["region"], _("in warranty") if m["warranty"] else _("out of warranty"), m["kind_label"], m["amount"], m["cost"]] for m in s.money]
    parts = [[p["part__code"], p["part__name"], p["quantity"], p["cost"]] for p in s.parts_top]
    c = s.cards or {}
    quality = [
        [_("Warranty claims decided"), s.claims.get("n", 0)], [_("Approved"), s.claims.get("approved", 0)],
        [_("Claimed (yuan)"), s.claims.get("claimed", 0)], [_("Granted (yuan)"), s.claims.get("granted", 0)],
        [_("Opinion cards answered"), c.get("n", 0)],
        *[[label, pct(c.get(f"{k}_ok"), c.get(f"{k}_n")) or ""] for k, label in criteria()],
        [_("In-warranty calls closed"), s.visits_due], [_("of them visited"), s.visits_done],
        [_("Complaints accepted"), s.complaints.get("n", 0)], [_("major"), s.complaints.get("major", 0)],
        [_("closed in time"), s.complaints.get("on_time", 0)], [_("Returns"), s.returns.get("n", 0)],
        [_("Quantity returned"), s.returns.get("quantity", 0)], [_("Quantity shipped"), s.shipped],
    ]
    from aftersales.performance.models import CostCategory

    costs = [[label, s.budget.get(code, Decimal("0")), s.costs.get(code, Decimal("0")), s.budget.get(code, Decimal("0")) - s.costs.get(code, Decimal("0"))]
             for code, label in CostCategory.choices]
    return [
        (_("Targets"), [_("Figure") + f" ({period})", _("Actual (%)"), _("Target (%)"), "", _("Result")], targets),
        (_("Calls"), [_("Calls"), _("Count")], calls),
        (_("Revenue and cost"), [_("Region"), _("Coverage"), _("Kind"), _("Amount (yuan)"), _("Cost (yuan)")], money),
        (_("Parts"), [_("Part no."), _("Part"), _("Quantity"), _("Cost (yuan)")], parts),
        (_("Quality"), [_("Figure"), _("Value")], quality),
        (_("Costs"), [_("Category"), _("Quota"), _("Actual"), _("Variance")], costs),
    ]


def criteria() -> list[tuple[str, str]]:
    return [("attitude", _("Satisfied with the attitude (%)")), ("skill", _("Satisfied with the skill (%)")),
            ("arrival", _("Satisfied with the arrival time (%)")), ("follow_through", _("Satisfied with the follow-through (%)"))]


def card_rows(s: Summary) -> list[tuple[str, object, Decimal | None]]:
    """Per opinion-card criterion: its label, the mean (4 = very satisfied) and the share satisfied (3 or 4)."""
    c = s.cards or {}
    return [(label, c.get(f"{k}_avg"), pct(c.get(f"{k}_ok"), c.get(f"{k}_n"))) for k, label in criteria()]


def summary_xlsx(s: Summary) -> bytes:
    return xlsx_workbook(summary_sheets(s))


def quarterly_docx(*, title: str, summary: Summary, text, charts: list[ChartSpec]) -> bytes:
    """The quarterly summary in Word's format (seed 000's three parts), with the quarter's figures and charts."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from aftersales.reports.charts import png

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Noto Sans CJK SC", Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
    doc.add_heading(title, level=0)
    for heading, body in ((_("1. Last quarter's tasks and progress"), text.tasks_and_progress),
                          (_("2. Problems this quarter and their solutions"), text.problems_and_solutions),
                          (_("3. Next quarter's tasks"), text.next_tasks)):
        doc.add_heading(heading, level=1)
        for paragraph in (body or "").splitlines() or [""]:
            doc.add_paragraph(paragraph)
    doc.add_heading(_("The quarter's figures"), level=1)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text_ in zip(table.rows[0].cells, (_("Figure"), _("Actual (%)"), _("Target (%)")), strict=True):
        cell.text = text_
    for line in summary.lines:
        row = table.add_row().cells
        row[0].text, row[1].text = line.label, "" if line.actual is None else f"{line.actual}"
        row[2].text = "" if line.target is None else f"{'≥' if line.direction == 'min' else '≤'} {line.target}"
    for spec in charts:
        if not spec.empty:
            doc.add_picture(io.BytesIO(png(spec)), width=Cm(15))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- The call list, built by the worker ----------------------------------------------------------------
CALL_COLUMNS = ("id", "number", "received_at", "category", "channel", "service_center__name", "customer__name", "job_type", "status", "closed_at",
                "arrival_sla_met", "arrival_used_minutes", "fault_description", "chase_count")


def calls_queryset(f, user):
    from django.db.models import Exists, OuterRef

    from aftersales.reports.summary import narrow
    from aftersales.servicedesk.models import ServiceRequest
    from aftersales.workorders.models import WorkOrder

    qs = narrow(ServiceRequest.objects.filter(received_at__gte=f.start_at, received_at__lt=f.end_at), f, user, center="service_center", category="category")
    if f.technician:
        qs = qs.filter(Exists(WorkOrder.objects.filter(request=OuterRef("pk"), technician_id=f.technician)))
    return qs.order_by("received_at", "id")


def _chunk_extras(ids: list[int]) -> tuple[dict[int, str], dict[int, Decimal], dict[int, Decimal]]:
    """For a chunk of calls (two queries): the technician of each call's latest voucher, what the customer is charged
    (the payable lines' totals, each rounded as on the invoice) and what the company bears."""
    from aftersales.billing.models import COMPANY_BEARS, PAYABLE_NOW, ChargeLine
    from aftersales.workorders.models import WorkOrder

    technicians: dict[int, str] = {}
    for request_id, full_name, username in (WorkOrder.objects.filter(request_id__in=ids).order_by("request_id", "assigned_at", "id")
                                            .values_list("request_id", "technician__full_name", "technician__username")):
        technicians[request_id] = full_name or username
    charged: dict[int, Decimal] = {}
    borne: dict[int, Decimal] = {}
    for line in ChargeLine.objects.filter(work_order__request_id__in=ids).select_related("work_order").only(
            "quantity", "unit_price", "tax_rate", "discount", "coverage", "cost", "work_order__request_id"):
        key = line.work_order.request_id
        if line.coverage in PAYABLE_NOW:
            charged[key] = charged.get(key, Decimal("0")) + line.amounts.total
        elif line.coverage in COMPANY_BEARS:
            borne[key] = borne.get(key, Decimal("0")) + line.cost
    return technicians, charged, borne


def calls_xlsx(f, user, *, progress=None, every: int = 500) -> tuple[bytes, int]:
    """Every call of the period with its figures, streamed into a write-only workbook (memory stays flat): labels in the
    reader's language, never codes; the technician, the fault and the money of each call (two queries per 2,000 calls)."""
    from openpyxl import Workbook

    from aftersales.servicedesk.models import Category, Channel, JobType, Status

    labels = {"category": dict(Category.choices), "channel": dict(Channel.choices), "job_type": dict(JobType.choices), "status": dict(Status.choices)}
    qs = calls_queryset(f, user)
    total = qs.count()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Calls"))
    ws.append([_("Number"), _("Received"), _("Category"), _("Channel"), _("Service centre"), _("Customer"), _("Job type"), _("Status"), _("Closed"),
               _("Arrival deadline met"), _("Working minutes to arrival"), _("Fault"), _("Technician"), _("Charged to the customer (yuan)"),
               _("Borne by the company (yuan)"), _("Chases (催修)")])
    done = 0

    def flush(rows: list[tuple]) -> None:
        nonlocal done
        technicians, charged, borne = _chunk_extras([r[0] for r in rows])
        for row in rows:
            (pk, number, received, category, channel, centre, customer, job_type, status, closed, sla_met, minutes, fault, chases) = row
            ws.append([spreadsheet_safe(v) for v in (
                number, timezone.localtime(received).replace(tzinfo=None) if received else None, str(labels["category"].get(category, category)),
                str(labels["channel"].get(channel, channel)), centre, customer, str(labels["job_type"].get(job_type, job_type)),
                str(labels["status"].get(status, status)), timezone.localtime(closed).replace(tzinfo=None) if closed else None,
                "" if sla_met is None else (_("yes") if sla_met else _("no")), minutes, fault, technicians.get(pk, ""),
                charged.get(pk, Decimal("0")), borne.get(pk, Decimal("0")), chases)])
            done += 1
            if progress and done % every == 0:
                progress(done, total)

    chunk: list[tuple] = []
    for row in qs.values_list(*CALL_COLUMNS).iterator(chunk_size=2000):
        chunk.append(row)
        if len(chunk) == 2000:
            flush(chunk)
            chunk = []
    if chunk:
        flush(chunk)
    if progress:
        progress(done, total)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), done


FIGURE_KEYS = tuple(FIGURES)
