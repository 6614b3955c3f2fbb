"""A real Huey worker process builds a call-list export and records its progress and file."""

from __future__ import annotations

import os
import signal

import pytest

from aftersales.notifications.tests.test_worker import _manage, _start_worker, _wait

SETUP = """
from django.db import transaction
from django.utils import timezone
from aftersales.reports.services import export_request
from aftersales.reports.summary import Filters
from aftersales.servicedesk.services import RequestInput, service_request_register
from aftersales.testing import factories as f
f.ensure_roles()
center = f.center(code="SH", name="上海服务中心")
clerk = f.staff("clerk", "desk_clerk", center)
manager = f.staff("manager", "service_manager", None)
customer = f.customer(name="上海艾克美", center=center)
for n in range(7):
    service_request_register(actor=clerk, data=RequestInput(customer=customer, contact_phone="13800138000", fault_description=f"故障 {n}"))
today = timezone.localdate()
with transaction.atomic():
    job = export_request(actor=manager, kind="calls", filters=Filters(start=today.replace(day=1), end=today))
print(job.pk)
"""

STATUS = """
from aftersales.reports.models import ExportJob
job = ExportJob.objects.get()
print(f"{job.status};{job.done};{job.total};{bool(job.file)}")
"""


@pytest.mark.worker
@pytest.mark.req("RPT-02")
def test_the_worker_builds_the_export_and_records_its_progress(tmp_path):
    env = {**os.environ, "AFTERSALES_VAR_DIR": str(tmp_path), "DATABASE_URL": "", "AFTERSALES_ENV": "development", "DEBUG": "0",
           "SECRET_KEY": "export-test-only", "HUEY_IMMEDIATE": "0"}
    _manage(env, "migrate", "--noinput")
    _manage(env, "shell", "-c", SETUP)
    assert _manage(env, "shell", "-c", STATUS).stdout.strip().splitlines()[-1] == "queued;0;0;False"  # nothing runs without the worker
    worker = _start_worker(env)
    try:
        _wait(lambda: _manage(env, "shell", "-c", STATUS).stdout.strip().splitlines()[-1].startswith("done"), 120, "the export")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    assert _manage(env, "shell", "-c", STATUS).stdout.strip().splitlines()[-1] == "done;7;7;True"
