"""Process-wide copies of small, read-mostly data sets (the national calendar, the rules), kept current everywhere.

Each data set has a ``CacheRevision`` row. A service that changes the data calls ``bump(name)`` inside its
transaction; that raises the row's counter and drops this process's copy at once (so the rest of the same
transaction already computes with the new data). Other processes — more web workers, the Huey worker — compare
their copy's revision with the row at most every ``SNAPSHOT_CHECK_SECONDS`` (a deployment setting, 2 s by default)
and reload when it moved: a change reaches every process within that time, without a restart.

A copy loaded inside a transaction that later rolls back would hold data that never existed; so after a bump the
copy is trusted only while the row still says the revision it was loaded at (checked on every read until the
transaction commits).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from aftersales.core.models import CacheRevision

T = TypeVar("T")
_registry: dict[str, ProcessSnapshot] = {}


def _revision(name: str) -> int:
    return CacheRevision.objects.filter(name=name).values_list("value", flat=True).first() or 0


class ProcessSnapshot(Generic[T]):
    """``get()`` returns this process's copy of the data ``loader()`` builds, reloaded when its revision moved."""

    def __init__(self, name: str, loader: Callable[[], T]) -> None:
        self.name = name
        self.loader = loader
        self._lock = threading.Lock()
        self._value: T | None = None
        self._revision = -1
        self._checked = 0.0
        self._unsettled = False  # bumped in a transaction that has not committed yet
        _registry[name] = self

    def get(self) -> T:
        if self._unsettled and not connection.in_atomic_block:
            # The transaction that bumped is over: committed (``settled`` ran) or rolled back (it never will).
            self._unsettled = False
            self.forget()
        now = time.monotonic()
        interval = getattr(settings, "SNAPSHOT_CHECK_SECONDS", 2)
        stale = self._value is None or self._unsettled or (interval is not None and now - self._checked >= interval)
        if stale:
            with self._lock:
                revision = _revision(self.name)
                if self._value is None or revision != self._revision:
                    self._value, self._revision = self.loader(), revision
                self._checked = now
        return self._value  # type: ignore[return-value]

    def forget(self) -> None:
        """Drop this process's copy (tests start each case with none; a bump drops it)."""
        with self._lock:
            self._value, self._revision = None, -1


def bump(name: str) -> None:
    """Record that data set ``name`` changed. Call inside the transaction that changes it."""
    with transaction.atomic():
        updated = CacheRevision.objects.filter(name=name).update(value=F("value") + 1)
        if not updated:
            CacheRevision.objects.create(name=name, value=1)
    snapshot = _registry.get(name)
    if snapshot is not None:
        snapshot.forget()
        snapshot._unsettled = True

        def settled() -> None:
            snapshot._unsettled = False
            snapshot.forget()

        transaction.on_commit(settled)


def forget_all() -> None:
    """Drop every process copy (used between tests, whose transactions roll back)."""
    for snapshot in _registry.values():
        snapshot.forget()
        snapshot._unsettled = False
