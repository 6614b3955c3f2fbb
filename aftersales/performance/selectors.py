"""Reads for the performance pages: who may see which score sheet, the month's overview, one score sheet with its pay."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from aftersales.accounts import roles
from aftersales.performance import scoring
from aftersales.performance.models import Assessment, GradeBand, ItemScore, MonthClose, PayRule, PayTerms
from aftersales.performance.services import (
    CENT,
    Pay,
    composition_pay,
    hr_due,
    penalties_this_month,
    performance_pay,
    review_due,
    self_report_due,
)

WIDE_ROLES = (roles.SERVICE_MANAGER, roles.ADMINISTRATOR, roles.GENERAL_MANAGER, roles.VICE_GM)
CENTER_ROLES = (roles.SUPERVISOR, roles.BRANCH_MANAGER)


def assessments_visible(user) -> QuerySet[Assessment]:
    """Everyone sees his own sheets; a supervisor or branch manager his centre's; the service department and HR all."""
    qs = Assessment.objects.select_related("person", "person__service_center", "scheme")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.has_role(*WIDE_ROLES):
        return qs
    if user.has_role(*CENTER_ROLES) and user.service_center_id:
        return qs.filter(person__service_center_id=user.service_center_id) | qs.filter(person=user)
    return qs.filter(person=user)


def assessment_get(user, pk: int) -> Assessment:
    return get_object_or_404(assessments_visible(user), pk=pk)


def may_oversee(user) -> bool:
    return user.has_role(*WIDE_ROLES, *CENTER_ROLES)


def month_assessments(user, month: dt.date) -> list[Assessment]:
    return list(assessments_visible(user).filter(month=month.replace(day=1)).order_by("person__service_center__code", "-total", "person__username"))


def grade_counts(assessments: list[Assessment]) -> list[tuple[str, int]]:
    codes = list(GradeBand.objects.order_by("-min_score").values_list("code", flat=True))
    return [(code, sum(1 for a in assessments if a.grade == code)) for code in codes]


def month_closed(month: dt.date) -> bool:
    return MonthClose.objects.filter(month=month.replace(day=1)).exists()


@dataclass
class SheetLine:
    score: ItemScore
    corrected: Decimal | None = None

    @property
    def final(self) -> Decimal:
        return self.corrected if self.corrected is not None else self.score.points


@dataclass
class ScoreSheet:
    assessment: Assessment
    lines: list[SheetLine]
    corrections: list
    composition: Pay | None
    performance: Decimal | None
    penalties: Decimal
    net_pay: Decimal | None
    check_ins: int
    due: dict[str, dt.date] = field(default_factory=dict)
    history: list = field(default_factory=list)


def due_days(month: dt.date) -> dict[str, dt.date]:
    """The month's deadlines as the last day each step may be done (the stored deadlines are exclusive midnights)."""
    from django.utils import timezone

    last = lambda moment: timezone.localtime(moment - dt.timedelta(seconds=1)).date()  # noqa: E731
    return {"self_report": last(self_report_due(month)), "review": last(review_due(month)), "hr": last(hr_due(month))}


def score_sheet(assessment: Assessment) -> ScoreSheet:
    """One person's month: every item with its measured value, points and comment; corrections; pay (KPI-05 or KPI-08)
    less the complaint penalties of the month; the check-ins with a position as attendance evidence."""
    scores = list(ItemScore.objects.filter(assessment=assessment).select_related("item", "entered_by").order_by("item__position"))
    corrections = list(assessment.corrections.select_related("item", "by").order_by("at", "id"))
    latest = {c.item_id: c.new_points for c in corrections}
    lines = [SheetLine(score=s, corrected=latest.get(s.item_id)) for s in scores]
    terms = PayTerms.objects.filter(person_id=assessment.person_id).first()
    composition = performance = net = None
    penalties = penalties_this_month(assessment.person, assessment.month)
    if terms is not None:
        if assessment.scheme.pay_rule == PayRule.COMPOSITION:
            composition = composition_pay(total_pay=terms.monthly_pay, completion=assessment.plan_completion, score=assessment.total,
                                          over_plan_bonus=assessment.over_plan_bonus)
            net = composition.total - penalties
        else:
            performance = performance_pay(bonus_base=terms.bonus_base, score=assessment.total)
            net = terms.monthly_pay + performance - penalties
        net = max(Decimal("0"), net).quantize(CENT)
    start, end = scoring.month_bounds(assessment.month)
    history = list(assessment.history.select_related("history_user").order_by("-history_date")[:20])
    return ScoreSheet(assessment=assessment, lines=lines, corrections=corrections, composition=composition, performance=performance,
                      penalties=penalties, net_pay=net, check_ins=scoring.check_ins_with_position(assessment.person, start, end),
                      due=due_days(assessment.month),
                      history=history)


def people_with_schemes(user) -> list:
    """The people whose month the reader may open: his centre's (or everyone, for the service department) with a scheme."""
    from aftersales.accounts.models import User
    from aftersales.performance.models import KpiScheme

    role_codes = list(KpiScheme.objects.filter(active=True).values_list("role", flat=True))
    qs = User.objects.filter(is_active=True).filter(groups__name__in=role_codes) | User.objects.filter(is_active=True, kpi_schemes__active=True)
    if not user.has_role(*WIDE_ROLES):
        qs = qs.filter(service_center_id=user.service_center_id) if user.service_center_id else qs.none()
    return list(qs.distinct().order_by("service_center__code", "username"))


def grade_trend(person, year: int) -> list[tuple[str, Decimal, str]]:
    rows = Assessment.objects.filter(person=person, month__year=year).order_by("month").values_list("month", "total", "grade")
    return [(f"{m:%m}", t, g) for m, t, g in rows]
