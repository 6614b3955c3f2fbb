"""Read a rule's value in force: ``rule(key, center=None)``.

The stored values are a process snapshot (``core.snapshot``): reading a rule is a dictionary lookup; a change made
through ``services.rule_set`` reaches this process at once and every other process (web workers, the Huey worker)
within ``SNAPSHOT_CHECK_SECONDS``, without a restart.
"""

from __future__ import annotations

from typing import Any

from aftersales.configuration.models import RuleValue
from aftersales.configuration.registry import spec
from aftersales.core.snapshot import ProcessSnapshot

SNAPSHOT_NAME = "rules"


def _load() -> dict[tuple[str, int | None], Any]:
    return {(key, center_id): value for key, center_id, value in RuleValue.objects.values_list("key", "service_center_id", "value")}


_snapshot: ProcessSnapshot[dict] = ProcessSnapshot(SNAPSHOT_NAME, _load)


def rule(key: str, center: Any = None) -> Any:
    """The value of rule ``key`` in force for ``center`` (a ``ServiceCenter``, its id, or None for the company):
    the centre's own value where the rule allows one, else the company's, else the declared default."""
    declared = spec(key)
    values = _snapshot.get()
    center_id = getattr(center, "pk", center)
    if declared.per_centre and center_id is not None and (key, center_id) in values:
        return declared.clean(values[(key, center_id)])
    if (key, None) in values:
        return declared.clean(values[(key, None)])
    return declared.default
