"""Demo data: service centres, staff of every role, customers, equipment, contracts and calls.

Everything is created through the services (so the audit trail and numbering are real) from a
fixed random seed, so two runs on empty databases produce the same archive.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from aftersales.accounts import roles
from aftersales.accounts.models import ServiceCenter, User, Zone, ZoneRule
from aftersales.contracts.services import contract_create
from aftersales.core.models import FaultCode, ProductCategory
from aftersales.customers.services import AddressInput, CustomerInput, customer_create
from aftersales.demo import money
from aftersales.demo.data import (
    CATEGORIES,
    CAUSES,
    CENTERS,
    CLERKS,
    COMPANY_WORDS,
    DEMO_PASSWORD,
    FAULT_CODES,
    FAULTS,
    GIVEN,
    JOB_TYPES,
    MODELS,
    SEED,
    STAFF,
    STREETS,
    SUPERVISORS,
    SURNAMES,
    TECHNICIANS,
    WORK_DONE,
)
from aftersales.equipment.services import equipment_create, product_model_create
from aftersales.servicedesk.services import RequestInput, service_request_cancel, service_request_register


def is_seeded() -> bool:
    return ServiceCenter.objects.filter(code="SH").exists()


class DemoBuilder:
    def __init__(self, *, customers: int, progress: Callable[[str, int, int], None] | None = None) -> None:
        """``progress(stage, done, total)`` is called as each customer and each call is created."""
        self.rng = random.Random(SEED)
        self.job_types = random.Random(SEED + 1)  # its own stream: the other demo choices stay as they were
        self.customers = customers
        self.progress = progress or (lambda stage, done, total: None)
        self.today = timezone.localdate()

    def phone(self) -> str:
        if self.rng.random() < 0.85:
            return f"1{self.rng.choice(['38', '39', '58', '59', '86', '87', '36', '50'])}{self.rng.randrange(10**8):08d}"
        return f"0{self.rng.choice(['21', '512', '571'])}-{self.rng.randrange(2, 9)}{self.rng.randrange(10**6, 10**7)}"

    def build(self) -> dict[str, int]:
        with transaction.atomic():
            centers = self.centers()
            cats = {code: ProductCategory.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in CATEGORIES}
            for category, code, name in FAULT_CODES:
                FaultCode.objects.get_or_create(category=cats[category] if category else None, code=code, defaults={"name": name})
            staff = self.staff(centers, cats)
            models = [
                product_model_create(actor=staff["admin"], brand=b, model_code=m, name=n, category=cats[c], warranty_months=w,
                                     main_part_warranty_months=mp, warranty_basis=basis, main_parts=parts)
                for b, m, n, c, w, mp, basis, parts in MODELS
            ]
            money.setup(staff, models, centers)
        units = []
        for i in range(self.customers):
            with transaction.atomic():
                units.extend(self.customer(i, centers, models, staff))
            self.progress("customers", i + 1, self.customers)
        calls = self.calls(units, staff)
        # What the worker's sweepers would flag within minutes: breaches, carry-overs, late returns.
        from aftersales.servicedesk.services import sla_sweep
        from aftersales.workorders.services import return_overdue_sweep

        sla_sweep()
        return_overdue_sweep()
        # Customer care: what the worker's daily sweepers make of these calls (cards, visits, reminders, contract notices).
        from aftersales.demo import care

        care.build(self.rng, staff, self.today)
        self.progress("care", 1, 1)
        from aftersales.demo import complaints

        complaints.build(self.rng, staff, self.today)
        self.progress("complaints", 1, 1)
        from aftersales.demo import performance

        performance.build(random.Random(SEED + 7), staff, self.today)
        self.progress("performance", 1, 1)
        return {"centers": len(centers), "staff": len(staff), "customers": self.customers, "equipment": len(units), "requests": calls}

    def centers(self) -> list[ServiceCenter]:
        result = []
        for code, name, region, address, urban, suburban in CENTERS:
            center = ServiceCenter.objects.create(code=code, name=name, region=region, address=address, default_zone=Zone.SUBURBAN,
                                                  is_branch="分公司" in name, phone="400-820-8820")
            for district in urban:
                ZoneRule.objects.create(service_center=center, pattern=district, zone=Zone.URBAN, priority=10)
            for district in suburban:
                ZoneRule.objects.create(service_center=center, pattern=district, zone=Zone.SUBURBAN, priority=20)
            result.append(center)
        return result

    def staff(self, centers, cats) -> dict[str, User]:
        by_code = {c.code: c for c in centers}
        users = {}
        for username, full_name, role, center in STAFF:
            user = User.objects.create_user(username=username, password=DEMO_PASSWORD, full_name=full_name,
                                            service_center=by_code.get(center) if center else None,
                                            is_staff=role == roles.ADMINISTRATOR, is_superuser=role == roles.ADMINISTRATOR)
            user.groups.add(Group.objects.get(name=role))
            if role == roles.TECHNICIAN:
                user.grade = self.rng.randint(1, 5)
                user.save(update_fields=["grade"])
                user.skills.set(self.rng.sample(list(cats.values()), 2))
            users[username] = user
        return users

    def customer(self, i: int, centers, models, staff) -> list:
        center = centers[i % len(centers)]
        _code, _name, region, _addr, urban, suburban = CENTERS[i % len(CENTERS)]
        district = self.rng.choice(urban + suburban)
        address = f"{region}{district}{self.rng.choice(STREETS)}{self.rng.randint(1, 999)}号"
        person = self.rng.random() < 0.35
        contact = self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.randint(1, 2)))
        name = contact if person else f"{region[-3:-1] if len(region) > 3 else region[:2]}{self.rng.choice(SURNAMES)}{self.rng.choice(COMPANY_WORDS)}有限公司"
        data = CustomerInput(
            name=name, service_center=center, kind="person" if person else "company", contact_person=contact,
            phones=[self.phone() for _ in range(self.rng.choice([1, 1, 2]))], addresses=[AddressInput(address, region=region)],
            region=region, vip_level=self.rng.choice([0, 0, 0, 1, 2, 3]), customer_class=self.rng.choice("AABBBC"),
            lifecycle=self.rng.choice(["formal", "formal", "formal", "new", "potential", "lost"]),
            birthday=dt.date(1960, 1, 1) + dt.timedelta(days=self.rng.randrange(15000)) if person else None,
        )
        customer = customer_create(actor=staff["admin"], data=data, allow_duplicate_phone=True)
        units = []
        for _ in range(self.rng.choice([1, 1, 2, 3])):
            model = self.rng.choice(models)
            sold = self.today - dt.timedelta(days=self.rng.randrange(30, 1800))
            unit = equipment_create(
                actor=staff["admin"], customer=customer, product_model=model,
                serial_no=f"{model.model_code[:3].upper()}{sold:%y}{self.rng.randrange(10**6):06d}",
                plate_no=f"沪A{self.rng.randrange(10**4, 10**5)}" if model.category.code == "vehicle" else "",
                invoice_date=sold, delivery_date=sold + dt.timedelta(days=3), install_date=sold + dt.timedelta(days=10),
            )
            units.append(unit)
        if self.rng.random() < 0.15:
            start = self.today - dt.timedelta(days=self.rng.randrange(0, 300))
            contract_create(actor=staff["admin"], customer=customer, equipment=units, start_date=start,
                            end_date=start + dt.timedelta(days=364), fee=Decimal(self.rng.choice([3000, 5800, 12000])))
        return units

    # Each demo call follows one of these paths through the service loop (see ``_play``).
    # Most past calls are finished, as in a real register; every state still appears.
    PATHS = ("queue", "completed", "assigned", "completed", "contacted", "returned", "on_site", "completed", "revisit_parts", "completed",
             "revisit_customer", "returned", "escalated", "completed", "taken_back", "completed", "in_repair", "returned", "repaired",
             "completed", "inspected", "completed", "voucher_cancelled", "returned", "call_cancelled", "completed", "queue", "completed")

    def calls(self, units, staff) -> int:
        chosen = self.rng.sample(units, min(len(units), max(len(self.PATHS), len(units) // 5)))
        now = timezone.now()
        calendar = ServiceCenter.objects.get(code="SH").calendar
        for count, unit in enumerate(chosen, start=1):
            path = self.PATHS[(count - 1) % len(self.PATHS)]
            # Waiting and fresh calls are recent (some breach their deadline); finished ones older.
            days_ago = self.rng.randint(0, 1) if path in ("queue", "assigned", "contacted") else self.rng.randint(2, 25)
            with transaction.atomic():
                self._play(path, unit, staff, received=self.office_time(calendar, now, days_ago))
            self.progress("calls", count, len(chosen))
        self.closed_this_month([u for u in units if u not in chosen][: self.RECENT] or chosen[: self.RECENT], staff, now)
        money.after_the_calls(staff)
        self.daily_reports(staff)
        return len(chosen)

    # Calls closed in the current month whatever the day the demo is loaded (even at 00:30 on the 1st): emergency
    # repairs (抢修) that came in during the last hours and were closed minutes ago, so this month's summary, ranking
    # and score sheets are never empty.
    RECENT = 3

    def closed_this_month(self, units, staff, now: dt.datetime) -> None:
        month_start = timezone.make_aware(dt.datetime.combine(timezone.localdate(now).replace(day=1), dt.time.min))
        gap = min(dt.timedelta(minutes=20), (now - month_start) / (self.RECENT + 1))
        spacing = dt.timedelta(minutes=30)
        for number, unit in enumerate(units, start=1):
            finish = now - gap * number  # never before the month began
            with transaction.atomic():
                self._play("completed", unit, staff, received=finish - 4 * spacing, spacing=spacing, job_type="emergency")

    def office_time(self, calendar, now: dt.datetime, days_ago: int) -> dt.datetime:
        """A moment during working hours ``days_ago`` working days back (calls come in office hours)."""
        day = timezone.localtime(now).date() - dt.timedelta(days=days_ago)
        while True:
            if calendar.is_working_day(day):
                moment = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 40)) + dt.timedelta(minutes=self.rng.randint(0, 420)))
                if moment < now - dt.timedelta(hours=1):
                    return moment
            day -= dt.timedelta(days=1)

    def _play(self, path: str, unit, staff, *, received: dt.datetime, spacing: dt.timedelta = dt.timedelta(minutes=40), job_type: str = "") -> None:
        """Register a call for ``unit`` and take it as far along the loop as ``path`` says, through the services,
        one step every ``spacing``."""
        from aftersales.workorders import services as wo

        code = unit.customer.service_center.code
        clerk, supervisor = staff[CLERKS[code]], staff[SUPERVISORS[code]]
        sr = service_request_register(actor=clerk, data=RequestInput(
            customer=unit.customer, equipment=unit, contact_phone=unit.customer.primary_phone.number, contact_name=unit.customer.contact_person,
            fault_description=self.rng.choice(FAULTS[unit.product_model.category.code]), received_at=received,
            job_type=job_type or self.job_types.choice(JOB_TYPES),
        ))
        if path == "queue":
            return
        if path == "call_cancelled":
            service_request_cancel(actor=clerk, request=sr, reason="客户已自行解决")
            return
        tech = staff[self.rng.choice(TECHNICIANS[code])]
        step = iter(received + spacing * i for i in range(1, 40))
        problems = wo.assignment_problems(sr, tech)
        order = wo.work_order_assign(actor=supervisor, request=sr, technician=tech, override_reason="演示：技能相近" if problems else "", now=next(step))
        if path == "voucher_cancelled":
            wo.work_order_cancel(actor=supervisor, work_order=order, reason="客户改约，重新派工")
            return
        if path == "assigned":
            return
        wo.work_order_record_contact(actor=tech, work_order=order, now=next(step))
        if path == "contacted":
            return
        wo.work_order_check_in(actor=tech, work_order=order, latitude=Decimal("31.2304") + Decimal(self.rng.randint(-500, 500)) / 10000,
                               longitude=Decimal("121.4737") + Decimal(self.rng.randint(-500, 500)) / 10000, accuracy=self.rng.randint(5, 80),
                               now=next(step))
        if path == "on_site":
            return
        work = {"work_done": self.rng.choice(WORK_DONE), "fault_cause": self.rng.choice(CAUSES), "labour_minutes": self.rng.choice([30, 45, 60, 90, 120])}
        signed = {"signature": demo_signature(), "signer_name": unit.customer.contact_person or "客户"}
        if path in ("revisit_parts", "revisit_customer", "escalated"):
            result = "escalated" if path == "escalated" else "revisit"
            waiting = {"revisit_parts": "parts", "revisit_customer": "customer"}.get(path, "")
            reason = {"parts": "需订购配件", "customer": "客户临时外出"}.get(waiting, "需厂家技术支持，无法按时完成")
            wo.work_order_end_visit(actor=tech, work_order=order, result=result, reason=reason,
                                    waiting_for=waiting, now=next(step), **work)
            return
        if order.category == "A":
            money.accept_price(order, tech, signed)
        if path == "completed":
            money.use_a_part(order, tech)
            wo.work_order_complete(actor=tech, work_order=order, now=next(step), **work, **signed)
            money.settle(order, staff, pay_on_site=self.rng.random() < 0.5, invoice=self.rng.random() < 0.7)
            return
        wo.work_order_take_back(actor=tech, work_order=order, condition="外观完好，有使用痕迹", accessories="电源线、说明书", now=next(step), **work, **signed)
        money.use_a_part(order, tech)
        for stage, action in (("in_repair", lambda t: wo.work_order_start_repair(actor=tech, work_order=order, now=t)),
                              ("repaired", lambda t: wo.work_order_finish_repair(actor=tech, work_order=order, repair_minutes=self.rng.choice([60, 120, 240]),
                                                                                  work_done="更换损坏部件并调试", parts=[("轴承 6205", 2), ("密封圈", 1)], now=t)),
                              ("inspected", lambda t: wo.work_order_inspect(actor=supervisor, work_order=order, passed=True, note="运转正常", now=t)),
                              ("returned", lambda t: wo.work_order_give_back(actor=tech, work_order=order, receipt_no=order.receipt.number, now=t, **signed))):
            if path == "taken_back":
                return
            action(next(step))
            if path == stage:
                if stage == "returned":
                    money.settle(order, staff, pay_on_site=self.rng.random() < 0.3, invoice=self.rng.random() < 0.7)
                return

    def daily_reports(self, staff) -> None:
        """Yesterday's technician reports (submitted, one reviewed) and the centres' supervisor reports."""
        from aftersales.dailyreports import services as reports

        yesterday = self.today - dt.timedelta(days=1)
        for code, names in TECHNICIANS.items():
            for name in names:
                report = reports.technician_report_open(actor=staff[name], day=yesterday)
                reports.technician_report_add_admin_time(actor=staff[name], report=report, minutes=30, description="工具保养与零件整理")
                reports.technician_report_submit(actor=staff[name], report=report)
                if code != "SZ":
                    reports.technician_report_review(actor=staff[SUPERVISORS[code]], report=report)
        for code in ("SH", "HZ"):
            center = ServiceCenter.objects.get(code=code)
            report = reports.supervisor_report_open(actor=staff[SUPERVISORS[code]], center=center, day=yesterday)
            reports.supervisor_report_submit(actor=staff[SUPERVISORS[code]], report=report)
            if center.is_branch:
                reports.supervisor_report_sign(actor=staff["manager_zheng"], report=report)
            reports.supervisor_report_receive(actor=staff["manager_zhou"], report=report)


def demo_signature() -> str:
    """A scribble as a phone's canvas would send it (PNG data URL)."""
    import base64
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (320, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(20, 80), (60, 30), (100, 90), (150, 25), (200, 85), (280, 40)], fill=(20, 20, 20, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
