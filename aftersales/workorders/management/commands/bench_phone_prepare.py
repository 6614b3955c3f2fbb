"""Prepare the phone benchmark's data (see ``scripts/bench phone``): a technician with ``--jobs`` open jobs, a price
list, van stock, and a bare page as the baseline. Prints the id of one job whose page is measured."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone


class Command(BaseCommand):
    help = "Data for scripts/bench phone: a technician with N open jobs."

    def add_arguments(self, parser):
        parser.add_argument("--jobs", type=int, default=50)

    def handle(self, *args, jobs: int, **options):
        from aftersales.servicedesk.services import RequestInput, service_request_register
        from aftersales.testing import factories as f
        from aftersales.workorders import services as wo

        with transaction.atomic():
            f.ensure_roles()
            f.ensure_national_calendar()
            centre = f.center(code="SH", name="上海服务中心", urban=["浦东新区"])
            clerk = f.staff("bench_clerk", "desk_clerk", centre)
            boss = f.staff("bench_supervisor", "supervisor", centre)
            tech = f.technician("bench_tech", centre, grade=3, skills=["machine-tool"])
            tech.set_password("bench-pass-2026")
            tech.save()
            model = f.product_model()
            first = None
            for n in range(jobs):
                customer = f.customer(name=f"测试客户{n:03d}有限公司", center=centre, address=f"上海市浦东新区张江路{n + 1}号")
                unit = f.equipment(customer=customer, model=model, serial=f"BENCH-{n:04d}", sold=timezone.localdate())
                call = service_request_register(actor=clerk, data=RequestInput(customer=customer, equipment=unit, contact_phone="13800138000",
                                                                               contact_name="王工", fault_description="主轴异响，加工时振动明显"))
                job = wo.work_order_assign(actor=boss, request=call, technician=tech)
                first = first or job
            wo.work_order_check_in(actor=tech, work_order=first)
        self.stdout.write(str(first.pk))
