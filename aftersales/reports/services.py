"""Writes of the reports: the quarterly summary's text (with a version against lost updates) and export jobs run by the worker."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts import roles
from aftersales.core.errors import ConflictError, DomainError
from aftersales.reports.models import ExportJob, JobStatus, QuarterlySummary
from aftersales.reports.summary import Filters

READ_ROLES = (roles.SUPERVISOR, roles.BRANCH_MANAGER, roles.SERVICE_MANAGER, roles.ADMINISTRATOR, roles.GENERAL_MANAGER, roles.VICE_GM,
              roles.ACCOUNTANT, roles.QUALITY)
WRITE_ROLES = (roles.SUPERVISOR, roles.BRANCH_MANAGER, roles.SERVICE_MANAGER, roles.ADMINISTRATOR)
TEXT_FIELDS = ("tasks_and_progress", "problems_and_solutions", "next_tasks")
EXPORT_KINDS = ("calls",)


def may_read(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.has_role(*READ_ROLES))


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise DomainError(_("Choose a quarter between 1 and 4 of a year between 2000 and 2100."))
    start = dt.date(year, 3 * quarter - 2, 1)
    end = (dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - dt.timedelta(days=1)
    return start, end


def quarterly_text(*, year: int, quarter: int, center_id: int | None) -> QuarterlySummary:
    """The quarter's text, or an unsaved blank one."""
    return QuarterlySummary.objects.filter(year=year, quarter=quarter, service_center_id=center_id).first() or QuarterlySummary(
        year=year, quarter=quarter, service_center_id=center_id, version=0)


def quarterly_text_save(*, actor, year: int, quarter: int, center_id: int | None, text: dict[str, str], version: int) -> QuarterlySummary:
    """Save the quarter's three parts. The company's summary is the service department's; a centre's is its supervisor's.
    A page opened before someone else saved is refused (its version is stale) and nothing is overwritten."""
    quarter_bounds(year, quarter)
    if not actor.has_role(*WRITE_ROLES):
        raise PermissionDenied(_("You may not write this summary."))
    if center_id is None and not actor.has_role(roles.SERVICE_MANAGER, roles.ADMINISTRATOR):
        raise PermissionDenied(_("The company's summary is written by the service department."))
    if center_id is not None and not actor.has_global_scope and actor.service_center_id != center_id:
        raise PermissionDenied(_("You may not write this summary."))
    cleaned = {k: (text.get(k) or "").strip() for k in TEXT_FIELDS}
    if any(len(v) > 20000 for v in cleaned.values()):
        raise DomainError(_("Each part holds at most 20,000 characters."))
    with transaction.atomic():
        current = QuarterlySummary.objects.select_for_update().filter(year=year, quarter=quarter, service_center_id=center_id).first()
        if (current.version if current else 0) != version:
            raise ConflictError(_("Someone saved this summary after you opened it; reload the page to see the changes."), code="stale")
        summary = current or QuarterlySummary(year=year, quarter=quarter, service_center_id=center_id, version=0)
        for key, value in cleaned.items():
            setattr(summary, key, value)
        summary.edited_by, summary.version = actor, summary.version + 1
        summary._history_user = actor
        summary.save()
    return summary


def export_request(*, actor, kind: str, filters: Filters) -> ExportJob:
    """Queue an export for the worker; the requester follows its progress and downloads it when ready."""
    if not may_read(actor):
        raise PermissionDenied(_("You may not export reports."))
    if kind not in EXPORT_KINDS:
        raise DomainError(_("Unknown export."))
    job = ExportJob.objects.create(kind=kind, params=filters.params(), requested_by=actor)
    from aftersales.reports.tasks import export_run

    transaction.on_commit(lambda: export_run(job.pk))
    return job


def export_build(job_id: int) -> ExportJob:
    """Build the export (called by the worker); progress is saved as it goes. A failure is recorded on the job."""
    from aftersales.reports.exports import calls_xlsx
    from aftersales.reports.summary import filters_from

    claimed = ExportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING)
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if not claimed:
        return job  # another worker took it, or it is finished

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        filters = filters_from(job.params)
        content, rows = calls_xlsx(filters, job.requested_by, progress=progress)
        name = f"calls-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.xlsx"
        job.refresh_from_db()
        job.file.save(name, ContentFile(content), save=False)
        job.file_name, job.status, job.done, job.total, job.finished_at = name, JobStatus.DONE, rows, rows, timezone.now()
        job.save()
    except Exception as exc:
        ExportJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        job.refresh_from_db()
    return job
