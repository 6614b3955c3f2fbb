from django.core.management.base import BaseCommand

from aftersales.servicedesk.services import sla_sweep


class Command(BaseCommand):
    help = "Flag SLA breaches and carry over undispatched calls now (the worker does this every few minutes)."

    def handle(self, *args, **options) -> None:
        result = sla_sweep()
        self.stdout.write(f"arrival breaches {result.arrival_breaches}, contact breaches {result.contact_breaches}, carried over {result.carried_over}")
