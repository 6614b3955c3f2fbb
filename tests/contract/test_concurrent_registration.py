"""Two clerks register the same new phone at the same moment: one customer is created, the other clerk is told.

Runs on PostgreSQL, where two transactions really run side by side (on SQLite the database's single writer
serialises them by construction: ``transaction_mode=IMMEDIATE``). Each round starts the registrations on separate
threads with their own connections, released together by a barrier; the check of the phone and the insert happen
under one lock named after the number (``core.locks``), so the second registration sees the first one's phone.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from aftersales.customers.models import Customer
from aftersales.customers.services import CustomerInput, customer_create

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="two writers at once need PostgreSQL")]

ROUNDS, CLERKS = 4, 3


def test_parallel_registrations_of_one_new_phone_create_one_customer(clerk_li, shanghai):
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need PostgreSQL")
    for round_no in range(ROUNDS):
        phone = f"1370000{round_no:04d}"
        barrier = threading.Barrier(CLERKS)
        outcomes: list[str] = []

        def register(n: int, phone=phone, barrier=barrier, outcomes=outcomes) -> None:
            try:
                barrier.wait()
                customer_create(actor=clerk_li, data=CustomerInput(name=f"同时登记{n}", service_center=shanghai, phones=[phone]))
                outcomes.append("created")
            except ValidationError:
                outcomes.append("refused")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=register, args=(n,)) for n in range(CLERKS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["created"] + ["refused"] * (CLERKS - 1)
        assert Customer.objects.filter(phones__number=f"+86{phone}").count() == 1
