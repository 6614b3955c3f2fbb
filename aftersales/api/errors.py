"""API errors as ``{"detail", "code", "fields"}`` (domain.md, API conventions)."""

from __future__ import annotations

from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from aftersales.core.errors import ConflictError


def _fields(detail) -> dict:
    if isinstance(detail, dict):
        return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    return {}


def exception_handler(exc, context):
    from django.utils.translation import gettext as _

    if isinstance(exc, BadRequest):  # a query parameter that is not what it should be (core.params)
        return Response({"detail": str(exc), "code": "bad_parameter", "fields": {}}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ConflictError):
        return Response({"detail": exc.message, "code": exc.code, "fields": {}}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ValidationError):  # DomainError from a service
        if hasattr(exc, "error_dict"):
            fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            detail = " ".join(m for v in fields.values() for m in v)
        else:
            fields, detail = {}, " ".join(exc.messages)
        return Response({"detail": detail, "code": getattr(exc, "code", None) or "invalid", "fields": fields}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    fields = _fields(detail) if isinstance(exc, exceptions.ValidationError) else {}
    if isinstance(detail, dict) and "detail" in detail:
        message = str(detail["detail"])
    elif fields:
        message = _("Check the highlighted fields.")
    else:
        message = " ".join(str(d) for d in detail) if isinstance(detail, list) else str(detail)
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else code
    response.data = {"detail": message, "code": code, "fields": fields}
    return response
