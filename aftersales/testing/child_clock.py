"""The clock of a process a test starts (``testing.run_manage``): the test's moment plus the time since.

Kept apart from the pytest plugin (``testing.clock``): the child imports this after Django is set up, so that its
settings see an ordinary installation (time-machine imports pytest, which the settings take for a test run).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHILD_ENV = "AFTERSALES_TEST_CLOCK"


def parse_moment(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def travel_from_environment() -> None:
    """In a process started by a test (``manage.py``): move to the test's clock, plus the time elapsed since."""
    spec = os.environ.get(CHILD_ENV, "")
    if not spec:
        return
    import time_machine

    moment_text, _sep, real_text = spec.partition("|")
    elapsed = max(0.0, time.time() - float(real_text or 0))
    time_machine.travel(parse_moment(moment_text) + dt.timedelta(seconds=elapsed), tick=True).start()
