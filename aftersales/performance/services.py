"""Monthly evaluation: schemes, scoring, the self-report → review → HR cycle (KPI-10), corrections after HR closed
the month, grades and streaks (KPI-09), annual scores (KPI-04) and pay (KPI-05, KPI-08).

The arithmetic lives in small pure functions (``attendance_score``, ``item_points``, ``grade_for``,
``streak_raise``, ``composition_pay``, ``performance_pay``) that the tests check against the seeds' figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts import roles
from aftersales.core.errors import ConflictError, DomainError
from aftersales.performance import scoring
from aftersales.performance.models import (
    Assessment,
    AssessmentStatus,
    Attendance,
    GradeBand,
    ItemScore,
    KpiItem,
    KpiScheme,
    MonthClose,
    ScoreCorrection,
    Source,
)

HUNDRED = Decimal("100")
CENT = Decimal("0.01")
HR_ROLES = (roles.ADMINISTRATOR, roles.GENERAL_MANAGER)
REVIEW_ROLES = (roles.SUPERVISOR, roles.BRANCH_MANAGER, roles.SERVICE_MANAGER, roles.ADMINISTRATOR)


# --- Schemes ----------------------------------------------------------------------------------------
@dataclass
class ItemInput:
    name: str
    weight: Decimal
    source: str
    deduction: Decimal = Decimal("0")
    deduction_cap: Decimal | None = None
    deduction_steps: tuple = ()
    assessor: str = ""
    assessor_role: str = ""
    comment_required: bool = False


def scheme_set_items(*, actor, scheme: KpiScheme, items: list[ItemInput]) -> KpiScheme:
    """Replace a scheme's items; their points must add up to 100 and each lie in 0–100. Nothing changes otherwise."""
    if not actor.has_role(roles.ADMINISTRATOR, roles.SERVICE_MANAGER):
        raise PermissionDenied(_("Only an administrator defines evaluation schemes."))
    errors: list[str] = []
    total = sum((i.weight for i in items), Decimal("0"))
    if total != HUNDRED:
        errors.append(_("The items' points add up to %(t)s; they must add up to 100.") % {"t": total})
    for item in items:
        if not item.name.strip():
            errors.append(_("Every item needs a name."))
        if not Decimal("0") <= item.weight <= HUNDRED or item.deduction < 0:
            errors.append(_("“%(i)s”: points lie between 0 and 100 and deductions are not negative.") % {"i": item.name})
        if item.source not in Source.values:
            errors.append(_("“%(i)s”: unknown source.") % {"i": item.name})
    if errors:
        raise DomainError({"items": errors})
    with transaction.atomic():
        scheme.items.all().delete()
        for position, item in enumerate(items, start=1):
            KpiItem.objects.create(scheme=scheme, position=position, name=item.name.strip(), weight=item.weight, source=item.source,
                                   deduction=item.deduction, deduction_cap=item.deduction_cap, deduction_steps=list(item.deduction_steps),
                                   assessor=item.assessor, assessor_role=item.assessor_role, comment_required=item.comment_required)
    return scheme


def scheme_for(person) -> KpiScheme | None:
    explicit = KpiScheme.objects.filter(active=True, members=person).first()
    return explicit or KpiScheme.objects.filter(active=True, role__in=list(person.role_codes)).order_by("code").first()


# --- Arithmetic ---------------------------------------------------------------------------------------
attendance_score = scoring.attendance_score


def deduction_for(item: KpiItem, occurrences: int) -> Decimal:
    """Per occurrence up to the cap, or by the steps (e.g. falsified claims: once 10, twice 30)."""
    if occurrences <= 0:
        return Decimal("0")
    if item.deduction_steps:
        return Decimal(str(item.deduction_steps[min(occurrences, len(item.deduction_steps)) - 1]))
    amount = item.deduction * occurrences
    return min(amount, item.deduction_cap) if item.deduction_cap is not None else amount


def item_points(item: KpiItem, *, value: Decimal | None, occurrences: int) -> Decimal:
    """Points of a measured item: the weight × the measured share (nothing measured: full points), less its deductions.
    A weight-0 item only deducts (it lowers the total)."""
    base = item.weight if value is None else item.weight * value / HUNDRED
    return (base - deduction_for(item, occurrences)).quantize(CENT, rounding=ROUND_HALF_UP)


def monthly_score(daily_work: Decimal, attendance: Decimal) -> Decimal:
    """KPI-02: daily work × 70 % + attendance × 30 % (the technician scheme's weights)."""
    return (daily_work * Decimal("0.7") + attendance * Decimal("0.3")).quantize(CENT, rounding=ROUND_HALF_UP)


def grade_for(score: Decimal) -> GradeBand | None:
    return GradeBand.objects.filter(min_score__lte=score).order_by("-min_score").first()


def streak_raise(grades: list[str]) -> Decimal:
    """KPI-09: next year's raise from a year's monthly grades — 10 A's → +10 %; 8 A's or 5 in a row → +5 %; else 0.
    Every number is a setting (``KPI_STREAK_*``)."""
    count = grades.count("A")
    longest = run = 0
    for grade in grades:
        run = run + 1 if grade == "A" else 0
        longest = max(longest, run)
    if count >= settings.KPI_STREAK_TOP_COUNT:
        return Decimal(settings.KPI_STREAK_TOP_RAISE)
    if count >= settings.KPI_STREAK_COUNT or longest >= settings.KPI_STREAK_RUN:
        return Decimal(settings.KPI_STREAK_RAISE)
    return Decimal("0")


@dataclass
class Pay:
    base: Decimal
    plan: Decimal
    daily: Decimal
    over_plan: Decimal
    total: Decimal


def composition_pay(*, total_pay: Decimal, completion: Decimal, score: Decimal, over_plan_bonus: Decimal = Decimal("0")) -> Pay:
    """KPI-05: base = total × 50 %; plan pay = total × 35 % × completion; daily-work pay = total × 15 % × score rate; + over-plan bonus.
    The three shares are settings (``KPI_PAY_BASE_PERCENT``, ``KPI_PAY_PLAN_PERCENT``, ``KPI_PAY_DAILY_PERCENT``)."""
    base = total_pay * Decimal(settings.KPI_PAY_BASE_PERCENT) / HUNDRED
    plan = total_pay * Decimal(settings.KPI_PAY_PLAN_PERCENT) / HUNDRED * completion / HUNDRED
    daily = total_pay * Decimal(settings.KPI_PAY_DAILY_PERCENT) / HUNDRED * score / HUNDRED
    parts = [p.quantize(CENT, rounding=ROUND_HALF_UP) for p in (base, plan, daily)]
    return Pay(*parts, over_plan_bonus, sum(parts, Decimal("0")) + over_plan_bonus)


def performance_pay(*, bonus_base: Decimal, score: Decimal) -> Decimal:
    """KPI-08: bonus base × score / 100; below 60 the bonus loses 30 % (the base wage is not touched).
    The threshold and the cut are settings (``KPI_BONUS_CUT_BELOW``, ``KPI_BONUS_CUT_PERCENT``)."""
    pay = bonus_base * score / HUNDRED
    if score < settings.KPI_BONUS_CUT_BELOW:
        pay = pay * (HUNDRED - Decimal(settings.KPI_BONUS_CUT_PERCENT)) / HUNDRED
    return pay.quantize(CENT, rounding=ROUND_HALF_UP)


# --- The month ---------------------------------------------------------------------------------------
def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def self_report_due(month: dt.date) -> dt.datetime:
    """KPI-10: by the 30th (the last day in a shorter month), end of day."""
    last = (month_start(month) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    day = min(last, month_start(month).replace(day=min(30, last.day)))
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def review_due(month: dt.date) -> dt.datetime:
    nxt = (month_start(month) + dt.timedelta(days=32)).replace(day=1)
    return timezone.make_aware(dt.datetime.combine(nxt.replace(day=settings.KPI_REVIEW_DAY) + dt.timedelta(days=1), dt.time.min))


def hr_due(month: dt.date) -> dt.datetime:
    nxt = (month_start(month) + dt.timedelta(days=32)).replace(day=1)
    return timezone.make_aware(dt.datetime.combine(nxt.replace(day=settings.KPI_HR_DAY), dt.time.min))


def _closed(month: dt.date) -> bool:
    return MonthClose.objects.filter(month=month_start(month)).exists()


def _measure(person, item: KpiItem, month: dt.date) -> scoring.Measure:
    start, end = scoring.month_bounds(month)
    if item.source == Source.ATTENDANCE:
        row = Attendance.objects.filter(person=person, month=month_start(month)).first()
        return scoring.Measure(attendance_score(row.absent_days if row else Decimal("0")))
    if item.source in scoring.MEASURES:
        measure = scoring.MEASURES[item.source](person, start, end)
        if item.source != Source.COMPLAINTS and item.deduction == 0:
            measure.occurrences = 0  # a measured share is not also deducted per occurrence
        return measure
    return scoring.Measure()


def _recompute(assessment: Assessment) -> Assessment:
    points = {s.item_id: s.points for s in assessment.scores.all()}
    for correction in assessment.corrections.order_by("at", "id"):
        points[correction.item_id] = correction.new_points
    total = min(HUNDRED, max(Decimal("0"), sum(points.values(), Decimal("0"))))
    if assessment.late_self_report:
        total = total * (HUNDRED - settings.KPI_LATE_SELF_REPORT_PERCENT) / HUNDRED  # KPI-10: late self-report −10 %
    assessment.total = total.quantize(CENT, rounding=ROUND_HALF_UP)
    band = grade_for(assessment.total)
    assessment.grade = band.code if band else ""
    return assessment


def assessment_open(*, person, month: dt.date) -> Assessment:
    """The person's assessment of ``month`` (made once), with every measured item scored from the data."""
    month = month_start(month)
    scheme = scheme_for(person)
    if scheme is None:
        raise DomainError(_("No evaluation scheme applies to %(p)s.") % {"p": person}, code="no_scheme")
    with transaction.atomic():
        assessment, created = Assessment.objects.get_or_create(person=person, month=month, defaults={"scheme": scheme})
        if created or assessment.status == AssessmentStatus.OPEN:
            assessment_measure(assessment)
    return assessment


def assessment_measure(assessment: Assessment) -> Assessment:
    """Score the measured items again from the data (only while nobody has signed the month)."""
    if assessment.status not in (AssessmentStatus.OPEN, AssessmentStatus.SELF_REPORTED):
        return assessment
    with transaction.atomic():
        for item in assessment.scheme.items.all():
            score, _created = ItemScore.objects.get_or_create(assessment=assessment, item=item)
            if item.source == Source.MANUAL:
                if _created:
                    score.points = item.weight
                    score.save()
                continue
            measure = _measure(assessment.person, item, assessment.month)
            occurrences = score.occurrences if item.source == Source.OCCURRENCES else measure.occurrences
            fresh = (measure.value, occurrences, item_points(item, value=measure.value, occurrences=occurrences))
            if _created or (score.value, score.occurrences, score.points) != fresh:  # unchanged figures write nothing (no audit noise)
                score.value, score.occurrences, score.points = fresh
                score.save()
        before = (assessment.total, assessment.grade)
        _recompute(assessment)
        if (assessment.total, assessment.grade) != before:
            assessment.save()
    return assessment


def _editable(assessment: Assessment) -> None:
    if assessment.status == AssessmentStatus.CLOSED or _closed(assessment.month):
        raise ConflictError(_("HR has closed %(m)s; enter a correction instead.") % {"m": f"{assessment.month:%Y-%m}"}, code="month_closed")


def item_score_enter(*, actor, assessment: Assessment, item: KpiItem, points: Decimal | None = None, occurrences: int | None = None,
                     comment: str = "") -> ItemScore:
    """The assessing group scores a manual item or counts occurrences. Above the item's points, or without a required
    comment, it is refused and nothing changes."""
    if not (actor.has_role(item.assessor_role) if item.assessor_role else False) and not actor.has_role(*REVIEW_ROLES):
        raise PermissionDenied(_("“%(i)s” is scored by %(g)s.") % {"i": item.name, "g": item.assessor or item.assessor_role})
    _editable(assessment)
    errors: dict[str, list[str]] = {}
    if points is not None and not Decimal("0") <= points <= item.weight:
        errors["points"] = [_("“%(i)s” is worth at most %(w)s points.") % {"i": item.name, "w": item.weight}]
    if occurrences is not None and occurrences < 0:
        errors["occurrences"] = [_("Enter 0 or more.")]
    takes_off = (points is not None and points < item.weight) or bool(occurrences)
    if (item.comment_required or takes_off) and not comment.strip():
        errors["comment"] = [_("Say why (the assessing group's comment is required).")]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _editable(current)
        score, _created = ItemScore.objects.get_or_create(assessment=current, item=item)
        if occurrences is not None:
            score.occurrences = occurrences
        if points is not None:
            score.points = (points - deduction_for(item, score.occurrences)).quantize(CENT)
        elif occurrences is not None:
            score.points = item_points(item, value=score.value, occurrences=score.occurrences)
        score.comment, score.entered_by = comment.strip(), actor
        score._history_user = actor
        score.save()
        _recompute(current).save()
    return score


def _step(assessment: Assessment, expected: tuple, target: str) -> Assessment:
    current = Assessment.objects.select_for_update().select_related("person").get(pk=assessment.pk)
    if current.status not in expected:
        raise ConflictError(_("This assessment is “%(s)s”; the step is not possible now.") % {"s": current.get_status_display()}, code="illegal_transition")
    current.status = target
    return current


def assessment_self_report(*, actor, assessment: Assessment, text: str, now: dt.datetime | None = None) -> Assessment:
    """KPI-10: the person's self-report, due by the 30th; a late one costs 10 % of the score."""
    if actor.pk != assessment.person_id:
        raise PermissionDenied(_("Only %(p)s writes his own self-report.") % {"p": assessment.person})
    if not text.strip():
        raise DomainError({"text": [_("Write your self-report.")]})
    now = now or timezone.now()
    with transaction.atomic():
        current = _step(assessment, (AssessmentStatus.OPEN,), AssessmentStatus.SELF_REPORTED)
        current.self_report, current.self_reported_at = text.strip(), now
        current.late_self_report = now > self_report_due(current.month)
        current._history_user = actor
        _recompute(current).save()
    return current


def reviewer_may(actor, assessment: Assessment) -> bool:
    person = assessment.person
    if actor.pk == person.pk:
        return False
    if actor.has_role(roles.SERVICE_MANAGER, roles.ADMINISTRATOR):
        return True
    return actor.has_role(roles.SUPERVISOR, roles.BRANCH_MANAGER) and actor.service_center_id == person.service_center_id


def assessment_review(*, actor, assessment: Assessment, comment: str = "", now: dt.datetime | None = None) -> Assessment:
    """KPI-06: the superior reviews, level by level (by the 3rd of the next month)."""
    if not reviewer_may(actor, assessment):
        raise PermissionDenied(_("Only %(p)s's superior reviews this assessment.") % {"p": assessment.person})
    with transaction.atomic():
        current = _step(assessment, (AssessmentStatus.SELF_REPORTED,), AssessmentStatus.REVIEWED)
        current.reviewer, current.reviewed_at, current.review_comment = actor, now or timezone.now(), comment.strip()
        current._history_user = actor
        current.save()
    return current


def assessment_submit(*, actor, assessment: Assessment, now: dt.datetime | None = None) -> Assessment:
    """The service department sends the reviewed score sheet to HR (before the 8th)."""
    if not actor.has_role(roles.SERVICE_MANAGER, roles.ADMINISTRATOR):
        raise PermissionDenied(_("The service department sends score sheets to HR."))
    with transaction.atomic():
        current = _step(assessment, (AssessmentStatus.REVIEWED,), AssessmentStatus.SUBMITTED)
        current.submitted_at = now or timezone.now()
        current._history_user = actor
        current.save()
    return current


def month_close(*, actor, month: dt.date, now: dt.datetime | None = None) -> int:
    """HR closes the month: every assessment of it is final; later changes are corrections."""
    if not actor.has_role(*HR_ROLES):
        raise PermissionDenied(_("Only HR closes the month."))
    now = now or timezone.now()
    month = month_start(month)
    with transaction.atomic():
        _row, created = MonthClose.objects.get_or_create(month=month, defaults={"closed_by": actor, "closed_at": now})
        if not created:
            raise ConflictError(_("%(m)s is already closed.") % {"m": f"{month:%Y-%m}"}, code="month_closed")
        return Assessment.objects.filter(month=month).update(status=AssessmentStatus.CLOSED, closed_at=now)


def score_correct(*, actor, assessment: Assessment, item: KpiItem, new_points: Decimal, reason: str, now: dt.datetime | None = None) -> ScoreCorrection:
    """After HR closed the month: a correction is a new audited entry (the original score stays)."""
    if not actor.has_role(*HR_ROLES):
        raise PermissionDenied(_("Only HR corrects a closed month."))
    if assessment.status != AssessmentStatus.CLOSED:
        raise ConflictError(_("The month is still open: change the score itself."), code="not_closed")
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Give the reason for the correction.")]
    if not Decimal("-100") <= new_points <= item.weight:
        errors["new_points"] = [_("“%(i)s” is worth at most %(w)s points.") % {"i": item.name, "w": item.weight}]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment.pk)
        previous = current.corrections.filter(item=item).order_by("-at", "-id").first()
        old = previous.new_points if previous else ItemScore.objects.get(assessment=current, item=item).points
        correction = ScoreCorrection.objects.create(assessment=current, item=item, old_points=old, new_points=new_points, reason=reason.strip(),
                                                    by=actor, at=now or timezone.now())
        _recompute(current).save()
    return correction


def annual_score(person, year: int) -> Decimal | None:
    """KPI-04: the mean of the year's monthly scores (Σ ÷ 12 when all twelve exist; ÷ the months assessed otherwise)."""
    totals = list(Assessment.objects.filter(person=person, month__year=year).values_list("total", flat=True))
    return (sum(totals, Decimal("0")) / len(totals)).quantize(CENT) if totals else None


def penalties_this_month(person, month: dt.date) -> Decimal:
    """Complaint penalties deducted this month, after the cap and carry-over of the complaints module."""
    from aftersales.complaints.models import PenaltyInstalment

    return PenaltyInstalment.objects.filter(person=person, month=month_start(month)).aggregate(s=Sum("amount"))["s"] or Decimal("0")


def assessment_plan_set(*, actor, assessment: Assessment, completion: Decimal, over_plan_bonus: Decimal) -> Assessment:
    """KPI-05's inputs for a representative's month: plan completion (%) and the over-plan bonus (yuan)."""
    if not reviewer_may(actor, assessment):
        raise PermissionDenied(_("Only %(p)s's superior reviews this assessment.") % {"p": assessment.person})
    errors: dict[str, list[str]] = {}
    if completion is None or completion < 0:
        errors["plan_completion"] = [_("Enter 0 or more.")]
    if over_plan_bonus is None or over_plan_bonus < 0:
        errors["over_plan_bonus"] = [_("Enter 0 or more.")]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _editable(current)
        current.plan_completion, current.over_plan_bonus = completion, over_plan_bonus
        current._history_user = actor
        current.save()
    return current


def month_open(*, actor, month: dt.date, people: list) -> int:
    """Open (and measure) the month's score sheet of every person given; returns how many were opened or re-measured."""
    if not actor.has_role(*REVIEW_ROLES):
        raise PermissionDenied(_("Only supervisors and the service department open score sheets."))
    if _closed(month):
        raise ConflictError(_("HR has closed %(m)s; enter a correction instead.") % {"m": f"{month_start(month):%Y-%m}"}, code="month_closed")
    count = 0
    for person in people:
        if scheme_for(person) is not None:
            assessment_open(person=person, month=month)
            count += 1
    return count
