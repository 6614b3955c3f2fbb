"""Reminders (催办单) for overdue steps and cases, answers to chase slips (CMP-12)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts import roles
from aftersales.accounts.models import User
from aftersales.complaints.models import CaseStatus, CaseStep, ChaseSlip, ComplaintCase
from aftersales.complaints.services.common import manager_of
from aftersales.core.errors import ConflictError, DomainError
from aftersales.notifications.services import notice_send


def complaint_sweep(now: dt.datetime | None = None) -> int:
    """Once per overdue open step: a reminder slip to its owner, copied to his manager. Once per overdue case:
    the coordinators are told. Returns the number of slips and flags made (0 on a second run)."""
    now = now or timezone.now()
    made = 0
    late_steps = CaseStep.objects.filter(done_at__isnull=True, skipped=False, reminded_at__isnull=True, due_at__lt=now, case__status=CaseStatus.OPEN)
    for step in late_steps.select_related("case", "owner"):
        with transaction.atomic():
            if not CaseStep.objects.filter(pk=step.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            boss = manager_of(step.owner)
            ChaseSlip.objects.get_or_create(step=step, kind=ChaseSlip.Kind.REMINDER, defaults={"to_user": step.owner, "copy_to": boss, "created_at": now})
            notice_send(recipients=[u for u in (step.owner, boss) if u], kind="complaint_reminder",
                        title=_("Reminder (催办单): “%(step)s” of case %(no)s is overdue") % {"step": step.get_code_display(), "no": step.case.number},
                        url=reverse("complaints:detail", args=[step.case_id]), dedupe_key=f"reminder:{step.pk}")
            made += 1
    coordinators = list(User.objects.filter(is_active=True, groups__name=roles.SERVICE_MANAGER))
    made += _survey_reports_late(now)
    _statistics_due(now, coordinators)
    for case in ComplaintCase.objects.filter(status=CaseStatus.OPEN, overdue_flagged_at__isnull=True, due_at__lt=now):
        if ComplaintCase.objects.filter(pk=case.pk, overdue_flagged_at__isnull=True).update(overdue_flagged_at=now):
            notice_send(recipients=coordinators, kind="complaint_overdue", title=_("Case %(no)s passed its closing deadline") % {"no": case.number},
                        url=reverse("complaints:detail", args=[case.pk]), dedupe_key=f"complaint-overdue:{case.pk}")
            made += 1
    return made


def chase_slip_answer(*, actor, slip: ChaseSlip, answer: str) -> ChaseSlip:
    """The person a reminder or an inquiry was sent to gives the reason."""
    if slip.to_user_id != actor.pk:
        raise PermissionDenied(_("This slip was sent to someone else."))
    if not answer.strip():
        raise DomainError({"answer": [_("Give the reason.")]})
    with transaction.atomic():
        current = ChaseSlip.objects.select_for_update().get(pk=slip.pk)
        if current.answered_at is not None:
            raise ConflictError(_("This slip was already answered."), code="answered")
        current.answer, current.answered_at = answer.strip(), timezone.now()
        current.save(update_fields=["answer", "answered_at"])
    return current


def _survey_reports_late(now: dt.datetime) -> int:
    """CMP-04: a joint survey whose report is not in after 3 days — QA and the coordinators are told once."""
    made = 0
    late = ComplaintCase.objects.filter(status=CaseStatus.OPEN, joint_survey=True, joint_survey_report="", joint_survey_due_at__lt=now)
    for case in late:
        quality = case.steps.filter(code="quality").select_related("owner").first()
        recipients = [u for u in (quality.owner if quality else None, manager_of(quality.owner if quality else None)) if u]
        made += notice_send(recipients=recipients, kind="complaint_survey", title=_("The survey report of case %(no)s is overdue") % {"no": case.number},
                            url=reverse("complaints:detail", args=[case.pk]), dedupe_key=f"survey-late:{case.pk}") > 0
    return made


def _statistics_due(now: dt.datetime, coordinators: list) -> None:
    """CMP-13: from the first of the month the coordinators are reminded that last month's statistics are due by the 10th."""
    from django.conf import settings

    from aftersales.complaints.models import StatisticsConfirmation

    today = timezone.localdate(now)
    if today.day > settings.COMPLAINT_STATISTICS_DAY:
        return
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if StatisticsConfirmation.objects.filter(month=last_month).count() >= 3:
        return
    notice_send(recipients=coordinators, kind="complaint_statistics",
                title=_("客户投诉案件统计表 %(m)s is due by the %(d)sth") % {"m": f"{last_month:%Y-%m}", "d": settings.COMPLAINT_STATISTICS_DAY},
                url=reverse("complaints:statistics") + f"?month={last_month:%Y-%m}", dedupe_key=f"statistics-due:{last_month:%Y-%m}")
