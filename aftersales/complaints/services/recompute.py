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
    calendar = case.service_center.calendar
    notes = []
    new_due = period_end(start=case.accepted_at, days=case.period_days, calendar=calendar, move_to_working_day=True)
    if new_due != case.due_at:
        notes.append(_("closing deadline %(a)s → %(b)s") % {"a": local_minute(case.due_at), "b": local_minute(new_due)})
        change.moved.append(Moved(str(_("Complaint closing deadline")), case.number, reverse("complaints:detail", args=[case.pk]),
                                  local_minute(case.due_at), local_minute(new_due)))
        case.due_at = new_due
        if case.overdue_flagged_at and new_due > (change.now or timezone.now()):
            case.overdue_flagged_at = None
    for step in case.steps.filter(done_at__isnull=True, skipped=False):
        step_due = period_end(start=case.accepted_at, days=step.offset_days, calendar=calendar, move_to_working_day=True)
        if step_due != step.due_at:
            notes.append(_("step “%(step)s” %(a)s → %(b)s") % {"step": step.get_code_display(), "a": local_minute(step.due_at), "b": local_minute(step_due)})
            CaseStep.objects.filter(pk=step.pk).update(due_at=step_due, reminded_at=None if step_due > (change.now or timezone.now()) else step.reminded_at)
    if case.joint_survey and not case.joint_survey_report and case.joint_survey_due_at:
        quality = case.steps.filter(code=StepCode.QUALITY, done_at__isnull=False).first()
        if quality is not None:
            new_survey = survey_due(case, quality.done_at)
            if new_survey != case.joint_survey_due_at:
                notes.append(_("survey report %(a)s → %(b)s") % {"a": local_minute(case.joint_survey_due_at), "b": local_minute(new_survey)})
                case.joint_survey_due_at = new_survey
    if notes:
        case._history_user = change.actor
        case.save()
        CaseEvent.objects.create(case=case, actor=change.actor, kind="deadline_moved", note=f"{change.reason} " + "；".join(notes),
                                 at=change.now or timezone.now())
