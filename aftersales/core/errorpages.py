"""The pages (and, under /api/, the JSON) a user gets when something is wrong: 400, 403, 404 and 500.

A 500 shows a short reference, never a traceback; the same reference is in the log next to the traceback
(``ErrorReferenceMiddleware``), so a user can quote it to the administrator. Under /api/ every error is
``{"detail", "code", "fields"}`` like the API's own errors — a malformed id in a path is a JSON 404 too.
"""

from __future__ import annotations

import logging
import secrets

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger("aftersales.errors")


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _answer(request, status: int, code: str, message: str, template: str, **context):
    if _is_api(request):
        return JsonResponse({"detail": message, "code": code, "fields": {}}, status=status)
    return render(request, template, {"message": message, "status": status, **context}, status=status)


def bad_request(request, exception=None):
    # Our own BadRequest messages are written for the user (core.params); anything else gets the general one.
    message = str(exception) if isinstance(exception, BadRequest) and str(exception) else _("The request was not understood. Check the address.")
    return _answer(request, 400, "bad_request", message, "errors/400.html")


def permission_denied(request, exception=None):
    message = str(exception) if exception is not None and str(exception) else _("You are not allowed to see this page.")
    return _answer(request, 403, "permission_denied", message, "errors/403.html")


def page_not_found(request, exception=None):
    return _answer(request, 404, "not_found", _("Not found, or not visible to you."), "errors/404.html")


def server_error(request):
    reference = getattr(request, "error_reference", "") or secrets.token_hex(4)
    message = _("Something went wrong on our side. Please try again; if it happens again, tell the administrator the reference %(ref)s.") % {
        "ref": reference}
    if _is_api(request):
        return JsonResponse({"detail": message, "code": "server_error", "fields": {}, "reference": reference}, status=500)
    # A plain page rendered without the request's context: the database or a context processor may be what failed.
    return HttpResponseServerError(loader.render_to_string("errors/500.html", {"message": message, "reference": reference}))


ANSWERED_EXCEPTIONS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)


class ErrorReferenceMiddleware:
    """Give an unhandled exception a short reference, and log the traceback with it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception) -> None:
        if isinstance(exception, ANSWERED_EXCEPTIONS):
            return  # a 400, 403 or 404 the user is told about: not an error of ours
        request.error_reference = secrets.token_hex(4)
        logger.error("unhandled error, reference %s, %s %s", request.error_reference, request.method, request.path, exc_info=exception)
