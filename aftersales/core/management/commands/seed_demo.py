"""Load the demo data set (idempotent: does nothing when the demo centres exist)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from aftersales.demo import DEMO_PASSWORD, STAFF, DemoBuilder, is_seeded


class Command(BaseCommand):
    help = "Load demo service centres, staff, customers, equipment, contracts and calls."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--customers", type=int, default=300, help="number of demo customers (default 300)")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, customers: int, quiet: bool, **options) -> None:
        if customers < 1:
            self.stderr.write("--customers must be at least 1")
            raise SystemExit(2)
        if is_seeded():
            self.stdout.write("Demo data already present; nothing to do.")
        else:
            bars: dict[str, tqdm] = {}

            def progress(stage: str, done: int, total: int) -> None:
                bar = bars.get(stage) or bars.setdefault(stage, tqdm(total=total, desc=stage, disable=quiet))
                bar.update(done - bar.n)
                if done >= total:
                    bar.close()

            counts = DemoBuilder(customers=customers, progress=progress).build()
            self.stdout.write("Loaded: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, full_name, role, center in STAFF:
            self.stdout.write(f"  {role:16} {username:16} {full_name} {center or 'HQ'}")
