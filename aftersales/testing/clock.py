"""Run the suite as if it were another moment: the same tests must pass on any date.

Two ways, both with time-machine (the clock advances normally from the chosen moment):

- ``pytest --now 2027-01-04T09:00`` (or ``AFTERSALES_TEST_NOW=...``): the whole session — the database setup and
  every test — runs at that moment; each test starts at exactly that moment, so results do not depend on how long
  the earlier tests took. Processes a test starts (``python -m aftersales.testing.run_manage``) follow the same
  clock: the moment is passed in ``AFTERSALES_TEST_CLOCK`` and the child travels to it.
- ``pytest --at-dates "2027-03-01T00:30,2028-02-29T10:00"``: every selected test runs once at each moment
  (parametrised ``[at-2027-03-01T00:30]`` …), in one session — ``scripts/test`` uses it for the date-sensitive
  tests, so the database is migrated once for all the dates.

Moments without an offset are Shanghai time. Tests that travel themselves (``time_machine.travel``) still do:
their travel nests inside this one.
"""

from __future__ import annotations

import os
import time

import pytest

from aftersales.testing.child_clock import CHILD_ENV, parse_moment


def pytest_addoption(parser) -> None:
    group = parser.getgroup("aftersales clock")
    group.addoption("--now", default=os.environ.get("AFTERSALES_TEST_NOW", ""),
                    help="run the session as if now were this moment (ISO, Shanghai time unless an offset is given)")
    group.addoption("--at-dates", default="", help="comma-separated moments: run every selected test once at each")


def pytest_configure(config) -> None:
    text = config.getoption("--now")
    config._aftersales_now = parse_moment(text) if text else None
    if config._aftersales_now is not None:
        import time_machine

        config._aftersales_session_travel = time_machine.travel(config._aftersales_now, tick=True)
        config._aftersales_session_travel.start()


def pytest_unconfigure(config) -> None:
    travel = getattr(config, "_aftersales_session_travel", None)
    if travel is not None:
        travel.stop()


def pytest_report_header(config) -> str | None:
    moments = config.getoption("--at-dates")
    if config._aftersales_now is not None:
        return f"clock: every test starts at {config._aftersales_now.isoformat()}"
    return f"clock: every test runs at each of {moments}" if moments else None


def pytest_generate_tests(metafunc) -> None:
    moments = [m for m in metafunc.config.getoption("--at-dates").split(",") if m.strip()]
    if moments and "_test_clock" in metafunc.fixturenames:
        metafunc.parametrize("_test_clock", [parse_moment(m) for m in moments], indirect=True, ids=[f"at-{m.strip()}" for m in moments])


# The operating system's wall clock, whatever time-machine pretends: taken at import (before any travel) and carried
# forward by the monotonic clock, which time-machine leaves alone.
_REAL_AT_IMPORT, _MONOTONIC_AT_IMPORT = time.time(), time.monotonic()


def real_time() -> float:
    return _REAL_AT_IMPORT + (time.monotonic() - _MONOTONIC_AT_IMPORT)


@pytest.fixture(autouse=True)
def _test_clock(request):
    """Start each test at the chosen moment (``--now`` or this run of ``--at-dates``), before any other fixture."""
    moment = getattr(request, "param", None) or request.config._aftersales_now
    if moment is None:
        yield None
        return
    import time_machine

    previous = os.environ.get(CHILD_ENV)
    with time_machine.travel(moment, tick=True):
        # The real time at which the fake clock showed ``moment``: a child process adds what has elapsed since.
        os.environ[CHILD_ENV] = f"{moment.isoformat()}|{real_time()}"
        try:
            yield moment
        finally:
            if previous is None:
                os.environ.pop(CHILD_ENV, None)
            else:
                os.environ[CHILD_ENV] = previous
