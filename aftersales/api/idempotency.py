"""``Idempotency-Key`` on every write of the API (POST, PUT, PATCH, DELETE).

A phone on a weak network sends "record ¥474.60 received", the answer is lost, the app sends it again: without a key
that is a second payment. With the same ``Idempotency-Key`` (any unique string up to 100 characters, a UUID) the
retry gets the first answer again, marked ``Idempotent-Replayed: true``, and nothing is done twice. The key is the
client's per user; the request's method, path and body are fingerprinted, and the same key with another request is
refused (422). While the first request still runs, a retry gets 409. Only successful answers are kept (a refused
request can be corrected and sent again); keys are forgotten after ``API_IDEMPOTENCY_HOURS``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from aftersales.core.errors import ConflictError

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
KEY_PATTERN = re.compile(r"[!-~]{1,100}")
HEADER = "Idempotency-Key"


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


class _Replay(Exception):
    def __init__(self, record) -> None:
        self.record = record


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)  # read before DRF parses it; DRF then parses the cached bytes
    return digest.hexdigest()


class IdempotentWrites:
    """Mixed into every API viewset (``api.urls``)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._idempotency_record = None
        if request.method not in WRITES or HEADER not in request.headers or not request.user.is_authenticated:
            return
        if getattr(self, request.method.lower(), None) is None:
            return  # a method this endpoint does not have: DRF answers 405 before anything is recorded
        key = request.headers[HEADER]
        from aftersales.api.models import IdempotencyRecord

        if not KEY_PATTERN.fullmatch(key):
            raise exceptions.ValidationError({HEADER: [_("An Idempotency-Key is 1 to 100 visible ASCII characters.")]})
        fingerprint = _fingerprint(request._request)
        cutoff = timezone.now() - dt.timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
        IdempotencyRecord.objects.filter(user=request.user, created_at__lt=cutoff).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(user=request.user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            record = IdempotencyRecord.objects.get(user=request.user, key=key)
            if record.fingerprint != fingerprint:
                raise KeyReused(_("This Idempotency-Key was used for another request.")) from None
            if record.status is None:
                raise ConflictError(_("The first request with this Idempotency-Key is still running."), code="in_progress") from None
            raise _Replay(record) from None
        self._idempotency_record = record

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            response = Response(exc.record.body, status=exc.record.status)
            response["Idempotent-Replayed"] = "true"
            return response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "_idempotency_record", None)
        if record is not None:
            self._idempotency_record = None
            if 200 <= response.status_code < 300:
                record.status, record.body = response.status_code, getattr(response, "data", None)
                record.save(update_fields=["status", "body"])
            else:
                record.delete()
        return response
