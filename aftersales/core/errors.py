"""Domain errors raised by services. Views and the API translate them into messages / HTTP codes."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """Bad input or a broken business rule: HTTP 400, nothing written.

    ``code`` is kept for field dictionaries too (Django's ``ValidationError`` drops it there),
    so callers and the API can tell refusals apart without reading translated text.
    """

    def __init__(self, message, code: str | None = None, params=None) -> None:
        super().__init__(message, code, params)
        if code is not None:
            self.code = code


class ConflictError(Exception):
    """An illegal state transition or a concurrent change: HTTP 409, nothing written."""

    def __init__(self, message: str, code: str = "conflict") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class RateLimited(Exception):
    """Too many attempts from one address, phone or label: HTTP 429, nothing written."""

    def __init__(self, message: str, code: str = "rate_limited") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def check_fields(instance, *, exclude: tuple[str, ...] = ()) -> None:
    """Refuse a record whose fields break their own limits (a 510-character name for a 120-character column, a value
    outside a field's choices) with the fields' own messages, in the user's language — before it is saved, on every
    database (SQLite would store it; PostgreSQL would fail with a 500)."""
    try:
        instance.clean_fields(exclude=list(exclude))
    except ValidationError as exc:
        raise DomainError(exc.message_dict, code="invalid") from None
