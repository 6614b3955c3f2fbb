"""Benchmark: how long each report takes on a large synthetic history, next to hand-written SQL for the same figures.

``manage.py bench_reports --calls 1000000`` builds (once; a second run reuses it) six regional centres, 60 technicians,
a machine for every ten calls (100,000) owned by a third as many customers, and over the past twelve months ``--calls`` calls, each with its work order and a
visit (one in ten needed two), a charge line on every third job, parts used on every fifth and an opinion card on every
fourth — with a progress bar per table. Then it times, ``--repeat`` times each, the monthly summary (one month and
the whole year), the regional ranking, the dashboard and the streamed call-list export, and the equivalent
hand-written SQL, and prints median milliseconds and query counts. Figures, not assertions (the query counts are
asserted in the tests).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tqdm import tqdm

REGIONS = ["华东", "东北", "新疆", "华北", "西北", "西南"]
BATCH = 5000


def _adapt(field, value):
    ops = connection.ops
    internal = field.get_internal_type()
    if value is None:
        return None
    if internal == "DateTimeField":
        return ops.adapt_datetimefield_value(value)
    if internal == "DateField":
        return ops.adapt_datefield_value(value)
    if internal == "DecimalField":
        return ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return value


def insert(model, columns: list[str], rows, total: int, label: str) -> None:
    """Insert ``rows`` (tuples for ``columns``) in batches, filling every other column with its default once."""
    now = timezone.now()
    fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
    fixed = {}
    for name, f in fields.items():
        if name in columns:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        else:
            value = ""
        fixed[name] = f.get_db_prep_save(value, connection)
    given = [fields[c] for c in columns]
    names = [*columns, *fixed]
    qn = connection.ops.quote_name
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(n) for n in names)}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608 - names from the model
    tail = tuple(fixed.values())
    batch = []
    with tqdm(total=total, desc=label, unit=" rows", mininterval=1) as bar, connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(_adapt(f, v) for f, v in zip(given, row, strict=True)) + tail)
            if len(batch) >= BATCH:
                with transaction.atomic():
                    cursor.executemany(sql, batch)
                bar.update(len(batch))
                batch = []
        if batch:
            with transaction.atomic():
                cursor.executemany(sql, batch)
            bar.update(len(batch))


def build(calls: int, stdout) -> None:
    from aftersales.billing.models import ChargeLine
    from aftersales.customers.models import Customer
    from aftersales.equipment.models import Equipment
    from aftersales.feedback.models import OpinionCard
    from aftersales.parts.models import WorkOrderPart
    from aftersales.servicedesk.models import ServiceRequest
    from aftersales.testing import factories as f
    from aftersales.workorders.models import Visit, WorkOrder

    rnd = random.Random(7)  # noqa: S311 - synthetic data, not secrets
    f.ensure_roles()
    centers = [f.center(code=f"BR{n}", name=f"{region}服务中心（基准）", region=region) for n, region in enumerate(REGIONS)]
    f.staff("bench_manager", "service_manager", None)
    supervisor = f.staff("bench_supervisor", "supervisor", centers[0])
    techs = {c.pk: [f.technician(f"bench_t{c.code}_{n}", c) for n in range(10)] for c in centers}
    model = f.product_model(brand="基准", model_code="BM-1")
    n_units = max(3000, calls // 10)  # about ten calls a machine a year
    customers = [Customer(name=f"基准客户{n:06d}", customer_no=f"B{n:07d}", service_center=centers[n % 6]) for n in range(max(1000, n_units // 3))]
    Customer.objects.bulk_create(customers, batch_size=2000)
    customers = list(Customer.objects.filter(customer_no__startswith="B").order_by("id"))
    Equipment.objects.bulk_create([Equipment(customer=customers[n % len(customers)], product_model=model, serial_no=f"BSN{n:07d}",
                                             qr_token=f"bench{n:07d}") for n in range(n_units)], batch_size=2000)
    units = list(Equipment.objects.filter(serial_no__startswith="BSN").select_related("customer").order_by("id"))
    from aftersales.parts.models import Part
    from aftersales.parts.services import stock

    part = Part.objects.create(code="BENCH-1", name="基准配件", sale_price=Decimal("120"), cost=Decimal("80"))
    warehouse = stock.center_warehouse(centers[0])
    now = timezone.now()
    start = now - dt.timedelta(days=365)
    plan = []
    for _n in range(calls):
        c = rnd.randrange(len(units))
        received = start + dt.timedelta(seconds=rnd.randrange(365 * 86400))
        closed = received + dt.timedelta(hours=rnd.randrange(2, 72)) if rnd.random() < 0.9 and received < now - dt.timedelta(days=3) else None
        plan.append((c, received, closed, rnd.choice("AACCCCBBD"), rnd.random() < 0.8, rnd.random() < 0.1))
    first_sr = (ServiceRequest.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    first_wo = (WorkOrder.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    customer_center = [u.customer.service_center_id for u in units]
    channels = ["phone", "phone", "phone", "qr", "portal", "walk_in"]
    job_types = ["emergency", "emergency", "maintenance", "receipt", "acceptance", "commissioning", "assembly"]

    def requests():
        for n, (c, received, closed, category, met, _twice) in enumerate(plan):
            yield (f"BR{n:09d}", received, channels[n % 6], job_types[n % 7], customer_center[c], units[c].customer_id, units[c].pk, model.pk, "故障",
                   category, "bench", "urban", received + dt.timedelta(hours=6), 6, received + dt.timedelta(hours=8),
                   "closed" if closed else "registered", closed, (met if closed else None), "-", "-", "-", "-")

    insert(ServiceRequest, ["number", "received_at", "channel", "job_type", "service_center_id", "customer_id", "equipment_id", "product_model_id",
                            "fault_description", "category", "category_code", "zone", "arrival_due_at", "arrival_hours", "carry_over_at", "status",
                            "closed_at", "arrival_sla_met", "category_reason", "contact_name", "contact_phone", "address"], requests(), calls, "calls")

    def orders():
        for n, (c, received, closed, category, _met, _twice) in enumerate(plan):
            center = customer_center[c]
            yield (f"BW{n:09d}", first_sr + n, center, techs[center][n % 10].pk, supervisor.pk, received + dt.timedelta(minutes=20), category, "-",
                   "completed" if closed else "assigned", closed)

    insert(WorkOrder, ["number", "request_id", "service_center_id", "technician_id", "assigned_by_id", "assigned_at", "category", "category_reason",
                       "status", "completed_at"], orders(), calls, "work orders")

    def visits():
        for n, (c, received, closed, _cat, _met, twice) in enumerate(plan):
            tech = techs[customer_center[c]][n % 10].pk
            yield (first_wo + n, tech, received + dt.timedelta(hours=2), "completed" if closed else "")
            if twice:
                yield (first_wo + n, tech, received + dt.timedelta(hours=26), "completed" if closed else "")

    insert(Visit, ["work_order_id", "technician_id", "arrived_at", "result"], visits(), calls + calls // 10, "visits")

    def charges():
        for n in range(0, calls, 3):
            _c, received, _closed, category, _met, _twice = plan[n]
            yield (first_wo + n, "labour", "工时", Decimal("2"), Decimal("150"), Decimal("0.13"), "paid" if category == "A" else "warranty", "-",
                   Decimal("0") if category == "A" else Decimal("200"), received + dt.timedelta(hours=3))

    insert(ChargeLine, ["work_order_id", "kind", "description", "quantity", "unit_price", "tax_rate", "coverage", "coverage_reason", "cost",
                        "created_at"], charges(), (calls + 2) // 3, "charge lines")

    def parts_used():
        for n in range(0, calls, 5):
            yield (first_wo + n, part.pk, warehouse.pk, Decimal("1"), Decimal("80"), plan[n][1] + dt.timedelta(hours=3), supervisor.pk)

    insert(WorkOrderPart, ["work_order_id", "part_id", "warehouse_id", "quantity", "unit_cost", "issued_at", "issued_by_id"], parts_used(),
           (calls + 4) // 5, "parts used")

    def cards():
        for n in range(0, calls, 4):
            c, _received, closed, _cat, _met, _twice = plan[n]
            if closed:
                yield (f"BC{n:09d}", first_sr + n, first_wo + n, techs[customer_center[c]][n % 10].pk, units[c].customer_id, customer_center[c],
                       f"bench{n:012d}", timezone.localdate(closed), closed + dt.timedelta(days=2), "portal", 4, 4 - (n % 3 == 0), 3 + (n % 2), 4)

    insert(OpinionCard, ["number", "request_id", "work_order_id", "technician_id", "customer_id", "service_center_id", "token", "closed_on",
                         "answered_at", "answered_via", "attitude", "skill", "arrival", "follow_through"], cards(), calls // 4, "opinion cards")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    stdout.write("built.")


# --- Hand-written SQL for the same figures ---------------------------------------------------------------
def _plus_days(column: str, days: int) -> str:
    return f"datetime({column}, '+{days} days')" if connection.vendor == "sqlite" else f"{column} + interval '{days} days'"


def sql_summary(start, end) -> list:
    """The monthly summary's call-related figures in plain SQL: requests by category/channel/centre, closed calls (arrival
    and rework), first-visit fixes, money by region and coverage, parts used, opinion cards."""
    a, b = connection.ops.adapt_datetimefield_value(start), connection.ops.adapt_datetimefield_value(end)
    statements = [
        ("SELECT r.category, r.channel, c.name, COUNT(*) FROM servicedesk_servicerequest r JOIN accounts_servicecenter c ON c.id = r.service_center_id "
         "WHERE r.received_at >= %s AND r.received_at < %s GROUP BY r.category, r.channel, c.name", [a, b]),
        ("SELECT COUNT(*), COUNT(r.arrival_sla_met), SUM(CASE WHEN r.arrival_sla_met THEN 1 ELSE 0 END), COUNT(r.equipment_id), "  # noqa: S608
         "SUM(CASE WHEN r.equipment_id IS NOT NULL AND EXISTS (SELECT 1 FROM servicedesk_servicerequest x WHERE x.equipment_id = r.equipment_id "
         f"AND x.received_at > r.closed_at AND x.received_at <= {_plus_days('r.closed_at', 30)}) THEN 1 ELSE 0 END) "
         "FROM servicedesk_servicerequest r WHERE r.status = 'closed' AND r.closed_at >= %s AND r.closed_at < %s", [a, b]),
        ("SELECT COUNT(*), SUM(CASE WHEN v.c = 1 THEN 1 ELSE 0 END) FROM workorders_workorder w LEFT JOIN "
         "(SELECT work_order_id, COUNT(*) AS c FROM workorders_visit GROUP BY work_order_id) v ON v.work_order_id = w.id "
         "WHERE w.completed_at >= %s AND w.completed_at < %s", [a, b]),
        ("SELECT c.region, l.coverage IN ('paid', 'agreement'), l.kind, SUM(l.quantity * l.unit_price - l.discount), SUM(l.cost) "
         "FROM billing_chargeline l JOIN workorders_workorder w ON w.id = l.work_order_id JOIN accounts_servicecenter c ON c.id = w.service_center_id "
         "WHERE l.created_at >= %s AND l.created_at < %s GROUP BY c.region, l.coverage IN ('paid', 'agreement'), l.kind", [a, b]),
        ("SELECT p.code, p.name, SUM(u.quantity - u.returned_quantity), SUM((u.quantity - u.returned_quantity) * u.unit_cost) AS cost "
         "FROM parts_workorderpart u JOIN parts_part p ON p.id = u.part_id WHERE u.issued_at >= %s AND u.issued_at < %s "
         "GROUP BY p.code, p.name ORDER BY cost DESC", [a, b]),
        ("SELECT COUNT(*), AVG(attitude), AVG(skill), AVG(arrival), AVG(follow_through), SUM(CASE WHEN attitude >= 3 THEN 1 ELSE 0 END) "
         "FROM feedback_opinioncard WHERE answered_at >= %s AND answered_at < %s", [a, b]),
    ]
    out = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            out.append(cursor.fetchall())
    return out


def sql_ranking(start, end) -> list:
    """The month's and the year-to-date's points by region and job type (as the ranking computes both)."""
    year_start = start.replace(month=1, day=1)
    out = []
    with connection.cursor() as cursor:
        for a, b in ((start, end), (year_start, end)):
            cursor.execute("SELECT c.region, r.job_type, COUNT(*) FROM servicedesk_servicerequest r JOIN accounts_servicecenter c "
                           "ON c.id = r.service_center_id WHERE r.status = 'closed' AND r.closed_at >= %s AND r.closed_at < %s GROUP BY c.region, r.job_type",
                           [connection.ops.adapt_datetimefield_value(a), connection.ops.adapt_datetimefield_value(b)])
            out.append(cursor.fetchall())
    return out


def sql_open_calls() -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT service_center_id, COUNT(*), SUM(CASE WHEN arrival_due_at < %s THEN 1 ELSE 0 END) FROM servicedesk_servicerequest "
                       "WHERE status IN ('registered', 'dispatched', 'in_service', 'waiting_customer', 'waiting_parts') GROUP BY service_center_id",
                       [connection.ops.adapt_datetimefield_value(timezone.now())])
        return cursor.fetchall()


class Command(BaseCommand):
    help = "Time every report on a large synthetic history (built once) next to hand-written SQL."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--calls", type=int, default=1_000_000)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, calls: int, repeat: int, **options) -> None:
        from aftersales.accounts.models import User
        from aftersales.performance.regions import regional_ranking
        from aftersales.reports.dashboard import dashboard
        from aftersales.reports.exports import calls_xlsx
        from aftersales.reports.summary import Filters, month_range, monthly_summary
        from aftersales.servicedesk.models import ServiceRequest
        from aftersales.workorders.models import WorkOrder

        have = ServiceRequest.objects.filter(number__startswith="BR").count()
        if have < calls:
            if have:
                self.stdout.write(f"A smaller history ({have:,} calls) is here; use a fresh database for {calls:,}.")
                calls = have
            else:
                build(calls, self.stdout)
        manager = User.objects.get(username="bench_manager")
        today = timezone.localdate()
        month = month_range(today.replace(day=1) - dt.timedelta(days=1))
        m_filters = Filters(start=month[0], end=month[1])
        y_filters = Filters(start=today - dt.timedelta(days=365), end=today)
        m_start, m_end = m_filters.start_at, m_filters.end_at
        y_start, y_end = y_filters.start_at, y_filters.end_at
        cases = [
            ("monthly summary, last month", lambda: monthly_summary(user=manager, filters=m_filters), lambda: sql_summary(m_start, m_end)),
            ("monthly summary, 12 months", lambda: monthly_summary(user=manager, filters=y_filters), lambda: sql_summary(y_start, y_end)),
            ("regional ranking (month + YTD)", lambda: regional_ranking(user=manager, month=month[0]), lambda: sql_ranking(m_start, m_end)),
            ("dashboard", lambda: dashboard(user=manager), sql_open_calls),
            ("call list xlsx, last month", lambda: calls_xlsx(m_filters, manager), None),
        ]
        self.stdout.write(f"database {connection.vendor}; {ServiceRequest.objects.count():,} calls, {WorkOrder.objects.count():,} work orders; "
                          f"median of {repeat} runs")
        self.stdout.write(f"{'report':34} {'ORM ms':>9} {'queries':>8} {'SQL ms':>9}")
        for label, orm, sql in cases:
            orm_times, sql_times, queries = [], [], 0
            for _ in range(repeat):
                t0 = time.perf_counter()
                with CaptureQueriesContext(connection) as ctx:
                    orm()
                orm_times.append((time.perf_counter() - t0) * 1000)
                queries = len(ctx.captured_queries)
                if sql:
                    t0 = time.perf_counter()
                    sql()
                    sql_times.append((time.perf_counter() - t0) * 1000)
            sql_ms = f"{statistics.median(sql_times):>9.0f}" if sql_times else f"{'-':>9}"
            self.stdout.write(f"{label:34} {statistics.median(orm_times):>9.0f} {queries:>8} {sql_ms}")
