"""Loss, responsibility, deductions and penalties with the monthly cap and carry-over (CMP-13..21)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.complaints.models import Penalty, PenaltyInstalment, Responsibility
from aftersales.complaints.selectors import monthly_statistics
from aftersales.complaints.services import (
    ShareInput,
    allocate,
    complaint_close,
    complaint_set_loss,
    complaint_set_responsibility,
    penalties_approve,
    penalty_instalments_run,
    proposed_penalties,
    statistics_confirm,
)
from aftersales.complaints.services.penalties import outstanding_for
from aftersales.complaints.tests.conftest import walk
from aftersales.core.errors import ConflictError, DomainError
from aftersales.testing.pdf import pdf_text
from conftest import at

pytestmark = pytest.mark.django_db


@pytest.mark.req("CMP-15")
def test_goods_resold_within_a_month_carry_the_loss_against_the_a_grade_price(case, team):
    complaint_set_loss(actor=team["coordinator"], case=case, basis="resold", a_grade_price=Decimal("1200"), resale_price=Decimal("800"),
                       quantity=Decimal("5"))
    case.refresh_from_db()
    assert case.loss == Decimal("2000.00")
    complaint_set_loss(actor=team["coordinator"], case=case, basis="unsold", actual_loss=Decimal("6000"))
    case.refresh_from_db()
    assert case.loss == Decimal("6000")


def test_a_resale_above_the_a_grade_price_is_refused(case, team):
    with pytest.raises(DomainError):
        complaint_set_loss(actor=team["coordinator"], case=case, basis="resold", a_grade_price=Decimal("800"), resale_price=Decimal("1200"),
                           quantity=Decimal("1"))


@pytest.mark.req("CMP-16")
def test_responsibility_shares_must_add_up_to_100_and_nothing_changes_otherwise(case, team):
    complaint_set_responsibility(actor=team["coordinator"], case=case, shares=[ShareInput(percent=Decimal("100"), cause="materials_off_spec",
                                                                                          person=team["production"])])
    with pytest.raises(DomainError) as exc:
        complaint_set_responsibility(actor=team["coordinator"], case=case, shares=[
            ShareInput(percent=Decimal("60"), cause="late_delivery", person=team["production"]),
            ShareInput(percent=Decimal("30"), cause="wrong_shipment", person=team["sales"])])
    assert "90" in " ".join(exc.value.messages)
    assert list(Responsibility.objects.values_list("percent", flat=True)) == [Decimal("100.00")]


def test_a_case_with_a_loss_cannot_close_before_responsibility_is_attributed(case, team):
    walk(case)
    complaint_set_loss(actor=team["coordinator"], case=case, basis="unsold", actual_loss=Decimal("1000"))
    with pytest.raises(DomainError) as exc:
        complaint_close(actor=team["coordinator"], case=case)
    assert exc.value.code == "responsibility_incomplete"


@pytest.mark.req("CMP-20")
@pytest.mark.req("CMP-16")
def test_a_departments_share_is_divided_among_its_people_by_base_points(case, team, production_section):
    section, (_a, _b, _c) = production_section
    complaint_set_loss(actor=team["coordinator"], case=case, basis="unsold", actual_loss=Decimal("8000"))
    complaint_set_responsibility(actor=team["coordinator"], case=case, shares=[
        ShareInput(percent=Decimal("50"), cause="materials_off_spec", department=section),
        ShareInput(percent=Decimal("50"), cause="wrong_shipment", person=team["sales"])])
    case.refresh_from_db()
    amounts = {p.person.username: p.amount for p in proposed_penalties(case)}
    # 4,000 ÷ 4 base points: 1,000 per point
    assert amounts == {"worker_a": Decimal("1000.00"), "worker_b": Decimal("2000.00"), "worker_c": Decimal("1000.00"), "sales_ma": Decimal("4000.00")}


@pytest.mark.req("CMP-18")
def test_the_penalty_grade_follows_the_amount_per_base_unit(case, team, production_section):
    section, (_a, _b, _c) = production_section
    complaint_set_loss(actor=team["coordinator"], case=case, basis="unsold", actual_loss=Decimal("2000"))
    complaint_set_responsibility(actor=team["coordinator"], case=case, shares=[ShareInput(percent=Decimal("100"), cause="late_delivery", department=section)])
    case.refresh_from_db()
    kinds = {p.person.username: p.kind for p in proposed_penalties(case)}
    # worker_b: 1,000 on 2 points = 500 per point → warning; worker_a: 500 on 1 point → warning; 800+ per point → minor demerit
    assert kinds == {"worker_a": "warning", "worker_b": "warning", "worker_c": "warning"}
    complaint_set_loss(actor=team["coordinator"], case=case, basis="unsold", actual_loss=Decimal("4000"))
    case.refresh_from_db()
    kinds = {p.person.username: p.kind for p in proposed_penalties(case)}
    assert kinds == {"worker_a": "minor_demerit", "worker_b": "minor_demerit", "worker_c": "minor_demerit"}


CLOSED_ON = at(2026, 11, 30, 10, 0)  # six days after the case came in (24 November): closed in time


@pytest.fixture
def closed_with_loss(case, team, production_section):
    _section, people = production_section
    with time_machine.travel(CLOSED_ON, tick=False):
        walk(case)
        complaint_set_loss(actor=team["coordinator"], case=case, basis="unsold", actual_loss=Decimal("4000"))
        complaint_set_responsibility(actor=team["coordinator"], case=case, shares=[ShareInput(percent=Decimal("100"), cause="rejects_mixed",
                                                                                              person=people[0])])
        complaint_close(actor=team["coordinator"], case=case)
    case.refresh_from_db()
    return case, people[0]


@pytest.mark.req("CMP-21")
@pytest.mark.req("CMP-14")
def test_a_penalty_beyond_half_the_bonus_is_carried_into_later_months_never_lost(closed_with_loss, team):
    case, worker = closed_with_loss  # bonus 2,000 → at most 1,000 a month
    with pytest.raises(PermissionDenied):
        penalties_approve(actor=team["coordinator"], case=case)
    with time_machine.travel(CLOSED_ON + dt.timedelta(hours=2), tick=False):
        (penalty,) = penalties_approve(actor=team["gm"], case=case)
    assert (penalty.amount, penalty.kind) == (Decimal("4000.00"), "minor_demerit")
    for month in (dt.date(2026, 12, 1), dt.date(2027, 1, 1), dt.date(2027, 1, 15), dt.date(2027, 2, 1), dt.date(2027, 3, 1), dt.date(2027, 4, 1)):
        penalty_instalments_run(month=month)
    by_month = list(PenaltyInstalment.objects.order_by("month").values_list("month", "amount"))
    assert by_month == [(dt.date(2026, 12, 1), Decimal("1000.00")), (dt.date(2027, 1, 1), Decimal("1000.00")), (dt.date(2027, 2, 1), Decimal("1000.00")),
                        (dt.date(2027, 3, 1), Decimal("1000.00"))]
    assert outstanding_for(worker) == 0
    with pytest.raises(ConflictError):
        penalties_approve(actor=team["gm"], case=case)


@pytest.mark.req("CMP-18")
def test_a_major_demerit_costs_the_whole_months_bonus(closed_with_loss, team):
    case, worker = closed_with_loss
    (penalty,) = penalties_approve(actor=team["gm"], case=case, major_demerit=[worker])
    assert penalty.kind == "major_demerit" and penalty.amount == Decimal("4000.00")  # the larger of the share and the bonus


@pytest.mark.req("CMP-13")
@pytest.mark.req("CMP-14")
def test_the_penalty_notice_and_the_personnel_notice_print(client, closed_with_loss, team):
    case, _worker = closed_with_loss
    penalties_approve(actor=team["gm"], case=case)
    client.force_login(team["coordinator"])
    text = pdf_text(client.get(reverse("complaints:penalty_pdf", args=[case.pk])).content)
    assert text.count("奖罚通知单") >= 3 and "人事公布单" in text and "4000" in text


@given(amounts=st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2), max_size=8),
       capacity=st.decimals(min_value=Decimal("0"), max_value=Decimal("50000"), places=2))
@settings(max_examples=200, deadline=None)
def test_allocation_never_exceeds_the_cap_and_never_loses_or_invents_money(amounts, capacity):
    taken = allocate(amounts, capacity)
    assert sum(taken, Decimal("0")) <= capacity
    assert all(Decimal("0") <= t <= a for t, a in zip(taken, amounts, strict=True))
    assert sum(taken, Decimal("0")) == min(capacity, sum(amounts, Decimal("0")))  # as much as allowed is taken, oldest first
    first_short = next((i for i, (t, a) in enumerate(zip(taken, amounts, strict=True)) if t < a), len(amounts))
    assert all(t == 0 for t in taken[first_short + 1:])


@given(bonus=st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2),
       penalty=st.decimals(min_value=Decimal("1"), max_value=Decimal("20000"), places=2))
@settings(max_examples=60, deadline=None)
def test_a_year_of_instalments_pays_the_cap_each_month_and_carries_exactly_the_rest(bonus, penalty):
    cap = (bonus * Decimal("0.5")).quantize(Decimal("0.01"))
    left = penalty
    for _month in range(12):
        (part,) = allocate([left], cap)
        assert part <= cap
        left -= part
    assert left == max(Decimal("0"), penalty - 12 * cap)


@pytest.mark.req("CMP-13")
@pytest.mark.req("CMP-26")
def test_last_months_statistics_count_causes_units_rates_and_confirmations(client, closed_with_loss, team):
    case, _worker = closed_with_loss
    month = timezone.localdate(case.closed_at).replace(day=1)
    stats = monthly_statistics(user=team["coordinator"], month=month)
    assert [c.number for c in stats.closed] == [case.number]
    assert stats.by_unit[0][1] == Decimal("100.00")
    assert stats.within_deadline_percent == 100 and stats.satisfaction == Decimal("4.00")
    assert stats.due_by == (month + dt.timedelta(days=32)).replace(day=10)
    statistics_confirm(actor=team["quality"], month=month)
    with pytest.raises(ConflictError):
        statistics_confirm(actor=team["quality"], month=month)
    with pytest.raises(PermissionDenied):
        statistics_confirm(actor=team["sales"], month=month)
    client.force_login(team["coordinator"])
    page = client.get(reverse("complaints:statistics") + f"?month={month:%Y-%m}").content.decode()
    assert case.number in page and 'id="cause-chart"' in page


def test_penalties_exist_only_after_closing(case, team):
    with pytest.raises(ConflictError):
        penalties_approve(actor=team["gm"], case=case)
    assert not Penalty.objects.exists()


@pytest.mark.req("CMP-13")
@pytest.mark.req("RET-15")
def test_the_countermeasures_result_is_recorded_and_the_allowance_certificate_prints(client, closed_with_loss, team):
    from aftersales.complaints.services import complaint_record_improvement

    case, _worker = closed_with_loss
    with pytest.raises(DomainError):
        complaint_record_improvement(actor=team["coordinator"], case=case, result=" ")
    complaint_record_improvement(actor=team["coordinator"], case=case, result="连续三批进料游隙合格")
    client.force_login(team["coordinator"])
    month = timezone.localdate(case.closed_at).replace(day=1)
    assert "连续三批进料游隙合格" in client.get(reverse("complaints:statistics") + f"?month={month:%Y-%m}").content.decode()
    text = pdf_text(client.get(reverse("complaints:allowance_pdf", args=[case.pk])).content)
    assert text.count("销货折让证明单") >= 2 and "3000" in text
