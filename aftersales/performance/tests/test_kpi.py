"""Monthly evaluation (KPI-01..10): the seeds' arithmetic, schemes as data, the review cycle, corrections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from aftersales.core.errors import ConflictError, DomainError
from aftersales.performance.models import Attendance, KpiScheme, ScoreCorrection
from aftersales.performance.services import (
    ItemInput,
    annual_score,
    assessment_open,
    assessment_review,
    assessment_self_report,
    assessment_submit,
    attendance_score,
    composition_pay,
    grade_for,
    item_score_enter,
    month_close,
    monthly_score,
    performance_pay,
    scheme_set_items,
    score_correct,
    streak_raise,
)
from aftersales.testing import factories as f
from conftest import at

pytestmark = pytest.mark.django_db

NOV = dt.date(2026, 11, 1)


@pytest.mark.req("KPI-03")
@pytest.mark.parametrize(("absent", "score"), [("0", 100), ("1", 96), ("0.5", 96), ("1.5", 92), ("3", 88), ("30", 0)])
def test_attendance_is_100_less_4_per_absent_day_a_half_day_counting_full(absent, score):
    assert attendance_score(Decimal(absent)) == score


@pytest.mark.req("KPI-02")
def test_the_monthly_score_is_daily_work_70_percent_and_attendance_30_percent():
    assert monthly_score(Decimal("90"), attendance_score(Decimal("1.5"))) == Decimal("90.60")


@pytest.mark.req("KPI-05")
def test_pay_is_base_50_plan_35_times_completion_and_daily_work_15_times_the_score():
    pay = composition_pay(total_pay=Decimal("10000"), completion=Decimal("80"), score=Decimal("90"), over_plan_bonus=Decimal("500"))
    assert (pay.base, pay.plan, pay.daily, pay.total) == (Decimal("5000.00"), Decimal("2800.00"), Decimal("1350.00"), Decimal("9650.00"))


@pytest.mark.req("KPI-08")
def test_performance_pay_follows_the_score_and_below_60_the_bonus_loses_30_percent():
    assert performance_pay(bonus_base=Decimal("2000"), score=Decimal("80")) == Decimal("1600.00")
    assert performance_pay(bonus_base=Decimal("2000"), score=Decimal("50")) == Decimal("700.00")


@pytest.mark.req("KPI-09")
@pytest.mark.parametrize(("score", "grade", "bonus"), [("100", "A", 5), ("95", "A", 5), ("94.99", "B", 2), ("85", "B", 2), ("84", "C", 0),
                                                        ("75", "C", 0), ("74.5", "D", -50), ("60", "D", -50), ("59.9", "E", -100)])
def test_grade_bands_and_their_bonus_effects(score, grade, bonus):
    band = grade_for(Decimal(score))
    assert (band.code, band.bonus_percent) == (grade, Decimal(bonus))


@pytest.mark.req("KPI-09")
@pytest.mark.parametrize(("grades", "raise_"), [
    ("AAAAABBBBBBB", 5), ("AABAABAABAAB", 5), ("AAAABAAAABAA", 10), ("AAAABBBBBBBB", 0), ("ABABABABBBBB", 0),
])
def test_five_a_in_a_row_or_eight_a_a_year_give_5_percent_ten_give_10(grades, raise_):
    assert streak_raise(list(grades)) == raise_


@pytest.fixture
def admin_ma(db):
    return f.staff("admin_ma", "administrator", None)


def test_a_scheme_whose_weights_do_not_add_up_to_100_is_refused_and_unchanged(admin_ma):
    scheme = KpiScheme.objects.get(code="technician")
    with pytest.raises(DomainError) as exc:
        scheme_set_items(actor=admin_ma, scheme=scheme, items=[ItemInput("日常工作", Decimal("70"), "daily_work"),
                                                               ItemInput("出勤", Decimal("20"), "attendance")])
    assert "90" in " ".join(exc.value.messages)
    assert [i.weight for i in scheme.items.all()] == [Decimal("70.00"), Decimal("30.00")]


@pytest.mark.req("KPI-07")
def test_the_field_service_representative_has_ten_items_worth_100_points():
    items = list(KpiScheme.objects.get(code="field_rep").items.all())
    weighted = [i for i in items if i.weight > 0]
    assert len(weighted) == 10 and sum(i.weight for i in items) == 100
    assert {i.assessor for i in items} >= {"服务部", "客服部", "索赔组", "配件部", "培训部"}


@pytest.fixture
def zhang_in_november(tech_zhang, supervisor_wang):
    Attendance.objects.create(person=tech_zhang, month=NOV, absent_days=Decimal("1.5"))
    return assessment_open(person=tech_zhang, month=NOV)


@pytest.mark.req("KPI-01")
@pytest.mark.req("KPI-02")
def test_a_technicians_month_is_scored_from_his_data_and_his_attendance(zhang_in_november):
    scores = {s.item.name: s for s in zhang_in_november.scores.all()}
    assert scores["出勤"].value == Decimal("92") and scores["出勤"].points == Decimal("27.60")
    assert scores["日常工作"].value is None and scores["日常工作"].points == Decimal("70.00")  # nothing measured: full points
    assert zhang_in_november.total == Decimal("97.60") and zhang_in_november.grade == "A"


@pytest.mark.req("KPI-10")
@pytest.mark.req("KPI-06")
def test_the_monthly_cycle_self_report_review_hr_and_a_late_self_report_costs_10_percent(zhang_in_november, tech_zhang, supervisor_wang, manager_zhou,
                                                                                        admin_ma, tech_wu):
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):  # the 30th has passed
        assessed = assessment_self_report(actor=tech_zhang, assessment=zhang_in_november, text="本月完成维修 42 单")
    assert assessed.late_self_report and assessed.total == Decimal("87.84")
    with pytest.raises(PermissionDenied):
        assessment_review(actor=tech_wu, assessment=assessed)
    assessment_review(actor=supervisor_wang, assessment=assessed, comment="属实")
    assessment_submit(actor=manager_zhou, assessment=assessed)
    assert month_close(actor=admin_ma, month=NOV) == 1


def test_a_score_edited_after_hr_closed_the_month_is_refused_and_a_correction_is_audited(zhang_in_november, admin_ma, supervisor_wang):
    month_close(actor=admin_ma, month=NOV)
    zhang_in_november.refresh_from_db()
    item = zhang_in_november.scheme.items.get(name="日常工作")
    with pytest.raises(ConflictError):
        item_score_enter(actor=supervisor_wang, assessment=zhang_in_november, item=item, points=Decimal("60"), comment="返工")
    score_correct(actor=admin_ma, assessment=zhang_in_november, item=item, new_points=Decimal("60"), reason="漏计返工两次")
    zhang_in_november.refresh_from_db()
    assert zhang_in_november.total == Decimal("87.60")
    correction = ScoreCorrection.objects.get()
    assert (correction.old_points, correction.new_points, correction.by) == (Decimal("70.00"), Decimal("60"), admin_ma)
    with pytest.raises(DomainError):
        score_correct(actor=admin_ma, assessment=zhang_in_november, item=item, new_points=Decimal("50"), reason=" ")


@pytest.fixture
def rep_zhao(shanghai):
    rep = f.staff("rep_zhao", "supervisor", shanghai)
    KpiScheme.objects.get(code="field_rep").members.add(rep)
    return rep


@pytest.mark.req("KPI-07")
def test_manual_items_are_capped_need_a_comment_and_falsified_claims_cost_10_then_30(rep_zhao, manager_zhou):
    assessment = assessment_open(person=rep_zhao, month=NOV)
    scheme = assessment.scheme
    competence = scheme.items.get(name="业务能力")
    with pytest.raises(DomainError) as exc:
        item_score_enter(actor=manager_zhou, assessment=assessment, item=competence, points=Decimal("12"), comment="优秀")
    assert "points" in exc.value.message_dict
    with pytest.raises(DomainError) as exc:
        item_score_enter(actor=manager_zhou, assessment=assessment, item=competence, points=Decimal("8"))
    assert "comment" in exc.value.message_dict
    item_score_enter(actor=manager_zhou, assessment=assessment, item=competence, points=Decimal("8"), comment="基本胜任")
    fake = scheme.items.get(name="虚假索赔")
    item_score_enter(actor=manager_zhou, assessment=assessment, item=fake, occurrences=2, comment="两次虚假索赔")
    training = scheme.items.get(name="培训")
    item_score_enter(actor=manager_zhou, assessment=assessment, item=training, occurrences=2, comment="缺席两次培训")
    assessment.refresh_from_db()
    assert assessment.total == Decimal("100") - 2 - 30 - 6


def test_annual_score_is_the_mean_of_the_months(tech_zhang):
    for month, absent in ((dt.date(2026, 1, 1), "0"), (dt.date(2026, 2, 1), "5")):
        Attendance.objects.create(person=tech_zhang, month=month, absent_days=Decimal(absent))
        assessment_open(person=tech_zhang, month=month)
    assert annual_score(tech_zhang, 2026) == Decimal("97.00")  # (100 + 94) / 2


def test_the_seeds_numbers_are_settings_an_administrator_can_change(settings):
    settings.KPI_ATTENDANCE_POINTS_PER_DAY = 5
    settings.KPI_BONUS_CUT_PERCENT = 50
    settings.KPI_STREAK_RUN = 6
    assert attendance_score(Decimal("1")) == 95
    assert performance_pay(bonus_base=Decimal("2000"), score=Decimal("50")) == Decimal("500.00")
    assert streak_raise(list("AAAAABBBBBBB")) == 0
