"""Serialising writers on a value that has no row yet (a phone number being registered).

A check-then-insert ("is this phone already someone's?", then create the customer) races when two clerks register
the same new number at once: both checks pass before either insert commits. Where there is a row to lock,
``select_for_update`` does it; for a value that is not stored yet we take a lock named after the value for the rest
of the transaction:

- PostgreSQL: ``pg_advisory_xact_lock`` on a stable 64-bit hash of the name (released at commit or rollback);
- SQLite: nothing to do — the database is opened with ``transaction_mode=IMMEDIATE`` (settings), so a writing
  transaction holds the database's write lock from its first statement and writers run one after another.
"""

from __future__ import annotations

import hashlib

from django.db import connection, transaction


def _key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def lock_names(*names: str) -> None:
    """Hold a lock on each of ``names`` until the current transaction ends (in a stable order: no deadlock)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_names() must run inside transaction.atomic()")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted({_key(name) for name in names}):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
