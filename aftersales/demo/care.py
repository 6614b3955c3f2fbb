"""Demo customer care: SLA levels, contracts to renew, opinion cards answered and waiting, return
visits due and done, reminders queued — all through the services and the sweepers the worker runs."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from aftersales.care.models import ReturnVisit, VisitStatus
from aftersales.care.services import VisitRecord, reminder_sweep, return_visit_record, visit_plan_sweep
from aftersales.contracts.models import MaintenanceContract, SlaLevel
from aftersales.contracts.services import contract_create, contract_notice_sweep, contract_renew, contract_visit_sweep
from aftersales.customers.models import Customer
from aftersales.equipment.models import Equipment
from aftersales.feedback.models import FeedbackItem, OpinionCard
from aftersales.feedback.services import feedback_reply, opinion_card_answer, opinion_card_sweep

ANSWERS = [
    ({"attitude": 4, "skill": 4, "arrival": 4, "follow_through": 4}, "", ""),
    ({"attitude": 1, "skill": 3, "arrival": 2, "follow_through": 1}, "complaint", "工程师态度恶劣，答应寄的配件至今未到"),
    ({"attitude": 4, "skill": 3, "arrival": 3, "follow_through": 4}, "suggestion", "希望能在微信上预约上门时间"),
    ({"attitude": 3, "skill": 3, "arrival": 2, "follow_through": 3}, "complaint", "工程师比约定时间晚到了一个多小时"),
    ({"attitude": 4, "skill": 4, "arrival": 3, "follow_through": 4}, "", ""),
]


def setup_sla_levels() -> list[SlaLevel]:
    return [SlaLevel.objects.get_or_create(code=code, defaults={"name": name, "arrival_hours_urban": u, "arrival_hours_suburban": s})[0]
            for code, name, u, s in (("premium", "尊享合同（市区4小时/郊区5小时）", 4, 5), ("key", "重点客户（市区5小时/郊区6小时）", 5, 6))]


def contracts(rng: random.Random, staff, today: dt.date) -> None:
    """Contracts with SLA levels; one ending in 25 days (its notice and renewal task are due), one already renewed."""
    premium, key = setup_sla_levels()
    customers = list(Customer.objects.filter(contracts__isnull=True, equipment__isnull=False, service_center__code="SH").distinct().order_by("id")[:3])
    if len(customers) < 3:
        return
    ending, renewed_one, key_customer = customers
    start = today - dt.timedelta(days=340)
    contract_create(actor=staff["sales_ma"], customer=ending, equipment=list(ending.equipment.all()), start_date=start,
                    end_date=today + dt.timedelta(days=25), fee=Decimal("36500.00"), sla_level=premium, salesperson=staff["sales_ma"],
                    coverage_notes="含每季度一次预防性保养，人工和差旅全免，配件八折")
    old = contract_create(actor=staff["sales_ma"], customer=renewed_one, equipment=list(renewed_one.equipment.all()),
                          start_date=today - dt.timedelta(days=400), end_date=today - dt.timedelta(days=36), fee=Decimal("12000.00"),
                          salesperson=staff["sales_ma"])
    contract_renew(actor=staff["sales_ma"], contract=old, start_date=today - dt.timedelta(days=35), end_date=today + dt.timedelta(days=329))
    key_customer.sla_level = key
    key_customer.save(update_fields=["sla_level"])
    for contract in MaintenanceContract.objects.filter(sla_level__isnull=True).order_by("id")[::3]:
        contract.sla_level = premium
        contract.save(update_fields=["sla_level"])


def reminders_data(rng: random.Random, today: dt.date) -> None:
    """A few birthdays, vehicle inspections and insurance renewals falling due, and some contact preferences."""
    people = list(Customer.objects.filter(kind="person").order_by("id")[:6])
    for n, customer in enumerate(people):
        customer.birthday = customer.birthday.replace(year=1980, month=(today + dt.timedelta(days=3)).month, day=(today + dt.timedelta(days=3)).day) \
            if n < 2 and customer.birthday else customer.birthday
        if n == 2:
            customer.opt_out_reminders = True
        if n == 3:
            customer.preferred_channel, customer.email = "email", "customer3@example.com"
        if n == 4:
            customer.quiet_hours = "12:00-14:00"
        customer.save()
    for n, unit in enumerate(Equipment.objects.filter(product_model__category__code="vehicle").order_by("id")[:4]):
        if n % 2:
            unit.insurance_due = today + dt.timedelta(days=7)
        else:
            unit.inspection_due = today + dt.timedelta(days=7)
        unit.save()


def cards(rng: random.Random, staff) -> None:
    """Cards for the calls closed before today; about half answered, one serious complaint answered by letter.

    The demo loads a month of history at once, so its first sweep looks back over the month (a real installation's
    first run looks back ``OPINION_CARD_LOOKBACK_DAYS``): a week of holidays before today leaves cards all the same."""
    opinion_card_sweep(lookback_days=31)
    waiting = list(OpinionCard.objects.filter(answered_at__isnull=True).order_by("id"))
    answered = min(max(2, len(waiting) * 2 // 3), len(waiting) - 1)  # most, never all: some cards still wait for an answer
    for n, card in enumerate(waiting[:answered]):
        ratings, kind, text = ANSWERS[n % len(ANSWERS)]
        via = "link" if n % 3 else "phone"
        with transaction.atomic():
            opinion_card_answer(card=card, ratings=ratings, comment_kind=kind, comments=text, via=via,
                                actor=staff["agent_he"] if via == "phone" and card.service_center.code == "SH" else (
                                    staff["manager_zhou"] if via == "phone" else None))
    serious = FeedbackItem.objects.filter(severity="serious").order_by("id").first()
    if serious is not None:
        feedback_reply(actor=staff["vice_gm_feng"], item=serious, via="letter",
                       text="经调查情况属实，已对该工程师进行批评教育，配件已于今日顺丰寄出，并赠送一次免费保养。")


def visits(rng: random.Random, staff) -> None:
    """Plan today's due list and record a few visits, one of them with a dissatisfied customer."""
    visit_plan_sweep()
    due = list(ReturnVisit.objects.filter(status=VisitStatus.DUE, service_center__code="SH").select_related("visit_type").order_by("id")[:3])
    for n, visit in enumerate(due):
        items = visit.visit_type.items
        unhappy = n == 2
        record = VisitRecord(outcome="reached", satisfaction=2 if unhappy else 4, scores={i: (2 if unhappy else 4) for i in items},
                             content="客户表示设备运行正常" if not unhappy else "客户反映修后仍有异响", reasons="修后仍有异响" if unhappy else "",
                             actions="安排工程师复查" if unhappy else "", promised_by=timezone.localdate() + dt.timedelta(days=3) if unhappy else None)
        with transaction.atomic():
            return_visit_record(actor=staff["agent_he"], visit=visit, record=record)


def build(rng: random.Random, staff, today: dt.date) -> None:
    contracts(rng, staff, today)
    reminders_data(rng, today)
    cards(rng, staff)
    visits(rng, staff)
    reminder_sweep()
    contract_notice_sweep()
    contract_visit_sweep()
