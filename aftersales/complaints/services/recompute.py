"""A change of the working calendar moves the deadlines of open complaint cases that depend on the changed days."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.complaints.deadlines import period_end, survey_due
from aftersales.complaints.models import CaseEvent, CaseStatus, CaseStep, ComplaintCase, StepCode
from aftersales.core.holidays.changes import CalendarChange, Moved, local_minute


def recompute_deadlines(change: CalendarChange) -> None:
    """Open cases registered before the changed days end, whose deadline (or a step's) lies in or after them:
    recompute from the acceptance time, the case's own period and rule; record each move on the case's timeline.
    Only cases whose deadline moves to the next working day can be affected: the others count calendar days."""
    start, end = change.bounds()
    cases = (ComplaintCase.objects.filter(status=CaseStatus.OPEN, deadline_moves_to_working_day=True, accepted_at__lt=end)
             .filter(due_at__gte=start - dt.timedelta(days=1)).select_related("service_center"))
    if change.service_center_id is not None:
        cases = cases.filter(service_center_id=change.service_center_id)
    for case in cases:
        _recompute_case(case, change)


def _recompute_case(case: ComplaintCase, change: CalendarChange) -> None:
    calendar = change.calendar_of(case.service_center)
    now = change.now or timezone.now()
    notes = []
    new = period_end(start=case.accepted_at, days=case.period_days, calendar=calendar, move_to_working_day=True)
    changed = new.confirmed != case.due_confirmed
    if new.at != case.due_at:
        notes.append(_("closing deadline %(a)s → %(b)s") % {"a": local_minute(case.due_at), "b": local_minute(new.at)})
        change.moved.append(Moved(str(_("Complaint closing deadline")), case.number, reverse("complaints:detail", args=[case.pk]),
                                  local_minute(case.due_at), local_minute(new.at)))
        case.due_at = new.at
        if case.overdue_flagged_at and new.at > now:
            case.overdue_flagged_at = None
    case.due_confirmed = new.confirmed
    for step in case.steps.filter(done_at__isnull=True, skipped=False):
        due = period_end(start=case.accepted_at, days=step.offset_days, calendar=calendar, move_to_working_day=True)
        if due.at != step.due_at:
            notes.append(_("step “%(step)s” %(a)s → %(b)s") % {"step": step.get_code_display(), "a": local_minute(step.due_at), "b": local_minute(due.at)})
        if due.at != step.due_at or due.confirmed != step.due_confirmed:
            CaseStep.objects.filter(pk=step.pk).update(due_at=due.at, due_confirmed=due.confirmed,
                                                       reminded_at=None if due.at > now else step.reminded_at)
    if case.joint_survey and not case.joint_survey_report and case.joint_survey_due_at:
        quality = case.steps.filter(code=StepCode.QUALITY, done_at__isnull=False).first()
        if quality is not None:
            survey = survey_due(case, quality.done_at).at
            if survey != case.joint_survey_due_at:
                notes.append(_("survey report %(a)s → %(b)s") % {"a": local_minute(case.joint_survey_due_at), "b": local_minute(survey)})
                case.joint_survey_due_at = survey
    if notes or changed:
        case._history_user = change.actor
        case.save()
    if notes:
        CaseEvent.objects.create(case=case, actor=change.actor, kind="deadline_moved", note=f"{change.reason} " + "；".join(notes), at=now)
