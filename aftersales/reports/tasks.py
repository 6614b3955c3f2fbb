"""Exports run by the worker."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def export_run(job_id: int) -> None:
    from aftersales.reports.services import export_build

    export_build(job_id)
