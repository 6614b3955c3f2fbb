"""Declared rules: every business number or switch an administrator may change, with its default and its limits.

An app declares its rules (``declare(RuleSpec(...))``) in a module its ``AppConfig.ready`` imports; the value in
force is read with ``configuration.values.rule(key, center=...)``. The seed's value is the default; a stored
``RuleValue`` row (company-wide, or for one centre where ``per_centre``) replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

BOOL, INT, DECIMAL, CHOICE = "bool", "int", "decimal", "choice"


@dataclass(frozen=True)
class RuleSpec:
    key: str  # "complaints.deadline_moves_to_working_day"
    area: str  # translated area label, for grouping on the rules page
    label: Any  # translated (lazy) name
    description: Any  # translated (lazy) explanation, in the reader's language
    kind: str
    default: Any
    unit: Any = ""
    catalogue: str = ""  # the requirement it implements ("CMP-11")
    minimum: Any = None
    maximum: Any = None
    choices: tuple[tuple[str, Any], ...] = field(default_factory=tuple)
    per_centre: bool = False

    def clean(self, raw: Any) -> Any:
        """The value of ``raw`` (a form's text or a stored JSON value) for this rule; ``DomainError`` when invalid."""
        from aftersales.core.errors import DomainError

        try:
            value = self._convert(raw)
        except (TypeError, ValueError, InvalidOperation):
            raise DomainError({"value": [_("Enter a valid value for “%(rule)s”.") % {"rule": self.label}]}, code="bad_value") from None
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            raise DomainError({"value": [_("“%(rule)s” lies between %(min)s and %(max)s.") % {
                "rule": self.label, "min": self.minimum, "max": self.maximum}]}, code="out_of_range")
        return value

    def _convert(self, raw: Any) -> Any:
        if self.kind == BOOL:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("1", "true", "on", "yes"):
                return True
            if text in ("0", "false", "off", "no", ""):
                return False
            raise ValueError(raw)
        if self.kind == INT:
            if isinstance(raw, bool):
                raise TypeError(raw)
            return int(str(raw).strip())
        if self.kind == DECIMAL:
            return Decimal(str(raw).strip())
        if self.kind == CHOICE:
            if raw not in {value for value, _label in self.choices}:
                raise ValueError(raw)
            return raw
        raise ValueError(self.kind)

    def to_json(self, value: Any) -> Any:
        return str(value) if self.kind == DECIMAL else value


_specs: dict[str, RuleSpec] = {}


def declare(*specs: RuleSpec) -> None:
    for spec in specs:
        _specs[spec.key] = spec


def spec(key: str) -> RuleSpec:
    try:
        return _specs[key]
    except KeyError:
        raise LookupError(f"no rule {key!r} is declared") from None


def all_specs() -> list[RuleSpec]:
    return sorted(_specs.values(), key=lambda s: (str(s.area), s.key))
