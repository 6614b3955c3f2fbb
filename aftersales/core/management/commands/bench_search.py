"""Benchmark: how long archive and register searches take on the current database.

Prints, per search, the median and worst wall time over ``--repeat`` runs and the number of SQL
queries (rendering the first page, related rows included). Figures, not assertions: timings on a
shared machine vary; the query counts are asserted in the tests instead.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.accounts.models import User
from aftersales.customers.models import Customer, CustomerPhone
from aftersales.customers.selectors import customer_list
from aftersales.equipment.models import Equipment
from aftersales.servicedesk.selectors import request_list

PAGE = 50


class Command(BaseCommand):
    help = "Time customer and call-register searches on this database (run seed_demo first)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--user", default="manager_zhou", help="whose view is searched (default: head office)")

    def handle(self, *args, repeat: int, user: str, **options) -> None:
        viewer = User.objects.filter(username=user).first()
        if viewer is None or not Customer.objects.exists():
            raise CommandError("No data: run `manage.py seed_demo` first.")
        sample = Customer.objects.order_by("-id").first()
        phone = CustomerPhone.objects.filter(customer=sample).first()
        unit = Equipment.objects.exclude(plate_no="").order_by("-id").first() or Equipment.objects.order_by("-id").first()
        searches = {
            "phone prefix (7 digits)": lambda: customer_list(user=viewer, q=phone.number[3:10]),
            "name contains (2 chars)": lambda: customer_list(user=viewer, q=sample.name[2:4]),
            "name prefix (4 chars)": lambda: customer_list(user=viewer, q=sample.name[:4]),
            "customer ID": lambda: customer_list(user=viewer, q=sample.customer_no),
            "serial / VIN": lambda: customer_list(user=viewer, q=unit.serial_no),
            "plate": lambda: customer_list(user=viewer, plate=unit.plate_no or unit.serial_no),
            "register: open calls": lambda: request_list(user=viewer, status="open"),
            "register: overdue calls": lambda: request_list(user=viewer, overdue=True),
        }
        self.stdout.write(
            f"customers {Customer.objects.count()}, equipment {Equipment.objects.count()}, database {connection.vendor}; "
            f"first page of {PAGE}, {repeat} runs each"
        )
        self.stdout.write(f"{'search':28} {'rows':>6} {'median ms':>10} {'max ms':>8} {'queries':>8}")
        for label, search in searches.items():
            timings, rows, queries = [], 0, 0
            for _ in range(repeat):
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as ctx:
                    page = list(search()[:PAGE])
                    for row in page:  # touch what the list page shows
                        list(getattr(row, "phones", Customer.objects.none()).all()) if isinstance(row, Customer) else None
                timings.append((time.perf_counter() - start) * 1000)
                rows, queries = len(page), len(ctx.captured_queries)
            self.stdout.write(f"{label:28} {rows:>6} {statistics.median(timings):>10.1f} {max(timings):>8.1f} {queries:>8}")
