"""Two administrators confirming the same year at the same moment: one confirms it, the other is told (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from aftersales.core.errors import ConflictError
from aftersales.core.models import HolidayYear, HolidayYearChange
from aftersales.testing import factories as f
from aftersales.testing.calendar import confirm_2027


@pytest.mark.postgres
def test_two_confirmations_of_a_year_at_once_confirm_it_once(transactional_db):
    f.ensure_roles()
    f.ensure_national_calendar()  # an earlier transactional test may have flushed what the migrations put there
    admins = [f.staff(f"admin_{n}", "administrator", None) for n in range(2)]
    outcomes, start = [], threading.Barrier(2)

    def confirm(admin):
        try:
            start.wait()
            confirm_2027(admin)
            outcomes.append("confirmed")
        except ConflictError:
            outcomes.append("conflict")
        except Exception as exc:  # reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(admin,)) for admin in admins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["confirmed", "conflict"]
    assert HolidayYear.objects.get(year=2027).status == "confirmed" and HolidayYearChange.objects.filter(action="confirmed").count() == 1
