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
