"""A real Huey worker process, killed in the middle of a batch, loses no message and sends none twice."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from aftersales.testing.fakes import FakeSmsGateway

ROOT = Path(settings.BASE_DIR)
MESSAGES = 12
LEASE_SECONDS = 2

ENQUEUE = f"""
from django.db import transaction
from aftersales.notifications.outbox import enqueue
for n in range({MESSAGES}):
    with transaction.atomic():
        enqueue(key=f"batch:{{n}}", channel="sms", purpose="service", body=f"消息 {{n}}", address="+8613800138000")
"""

STATUSES = """
from aftersales.notifications.models import Message
print(";".join(f"{m.key}={m.status}" for m in Message.objects.order_by("id")))
"""


# manage.py as a test's process: it keeps the test's clock when the suite runs at another moment (testing.run_manage).
MANAGE = [sys.executable, "-m", "aftersales.testing.run_manage"]


def _manage(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*MANAGE, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=240, **kwargs)


def _statuses(env: dict) -> dict[str, str]:
    out = _manage(env, "shell", "-c", STATUSES).stdout.strip().splitlines()[-1]
    return dict(item.split("=") for item in out.split(";") if item)


def _start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([*MANAGE, "run_huey", "--workers", "1"], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def worker_env(tmp_path):
    """An embedded installation of its own (SQLite + Huey on SQLite in ``tmp_path``) talking to a fake gateway."""
    with FakeSmsGateway(secret="kill-test") as gateway:
        env = {**os.environ, "AFTERSALES_VAR_DIR": str(tmp_path), "DATABASE_URL": "", "AFTERSALES_ENV": "development", "DEBUG": "0",
               "SECRET_KEY": "kill-test-only", "SMS_BACKEND": "http", "SMS_API_URL": gateway.url, "SMS_ACCESS_SECRET": "kill-test",
               "SMS_TIMEOUT": "10", "MESSAGE_LEASE_SECONDS": str(LEASE_SECONDS), "QUIET_HOURS": "", "HUEY_IMMEDIATE": "0"}
        _manage(env, "migrate", "--noinput")
        yield env, gateway


@pytest.mark.worker
def test_killing_the_worker_mid_batch_loses_no_message_and_sends_none_twice(worker_env):
    env, gateway = worker_env
    gateway.behaviour.delay = 0.3  # the gateway accepts, then answers slowly: the kill lands between the two
    _manage(env, "shell", "-c", ENQUEUE)

    worker = _start_worker(env)
    try:
        _wait(lambda: len(gateway.inbox) >= 4, 120, "the first sends")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    accepted_before_kill = {sms.out_id for sms in gateway.inbox}
    statuses = _statuses(env)
    in_flight = [key for key, status in statuses.items() if status == "sending"]
    # The hard case happened: the gateway accepted a message the outbox had not yet recorded as sent.
    assert set(in_flight) & accepted_before_kill
    assert any(status != "sent" for status in statuses.values())

    time.sleep(LEASE_SECONDS + 0.5)  # the dead worker's lease runs out
    gateway.behaviour.delay = 0
    worker = _start_worker(env)
    try:
        _wait(lambda: set(_statuses(env).values()) == {"sent"}, 120, "every message to be sent")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)

    sends = collections.Counter(sms.out_id for sms in gateway.inbox)
    assert set(sends) == {f"batch:{n}" for n in range(MESSAGES)}
    assert set(sends.values()) == {1}
