"""Who is asking: the client's address behind a known number of trusted proxies, and the limits on guessing.

``TRUSTED_PROXY_COUNT`` says how many reverse proxies of our own stand in front of the application (0: the browser
talks to us directly; 1: nginx …). Each proxy appends the address it saw to ``X-Forwarded-For``; the client is the
address the outermost of *our* proxies saw — never the first entry, which the client itself may have written.

Logins (staff, admin, API token) are locked per account by django-axes after ``LOGIN_FAILURE_LIMIT`` wrong passwords
for ``LOGIN_LOCKOUT_MINUTES``; ``AddressThrottleBackend`` refuses every login from a client address that has failed
``LOGIN_FAILURES_PER_ADDRESS`` times in that period (many accounts tried from one place). Both count in the database,
shared by every process; a forged ``X-Forwarded-For`` changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def client_ip(request) -> str:
    """The client's address as our outermost trusted proxy saw it (``REMOTE_ADDR`` without proxies)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()] + [remote]
    return chain[-(count + 1)] if len(chain) > count else chain[0]


def address_failures(ip: str, now: dt.datetime | None = None) -> int:
    """Wrong logins from ``ip`` within the lockout period, over every account (axes' records)."""
    from axes.models import AccessAttempt

    since = (now or timezone.now()) - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(n=Sum("failures_since_start"))["n"] or 0


class AddressThrottleBackend:
    """First of the authentication backends: refuses (PermissionDenied stops the others) a login from an address that
    failed too often, whatever account it now tries. It never authenticates anyone itself, and has no ``get_user`` so a
    session is never bound to it."""

    def authenticate(self, request, **credentials):
        if request is not None and address_failures(client_ip(request)) >= settings.LOGIN_FAILURES_PER_ADDRESS:
            request.login_address_blocked = True
            raise PermissionDenied(_("Too many wrong logins from this address. Try again later."))
        return None


def lockout_response(request, credentials=None, *args, **kwargs):
    """What a locked-out login gets: 429 with a message in the user's language (JSON under /api/)."""
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    message = _("Too many wrong passwords. This account is locked for %(minutes)s minutes; ask an administrator if you forgot the password.") % {
        "minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out", "fields": {}}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)


class AddressBlockedMiddleware:
    """A login refused because its address failed too often answers 429 with that reason (not "wrong password")."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "login_address_blocked", False):
            message = _("Too many wrong logins from this address. Try again in %(minutes)s minutes.") % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "address_locked_out", "fields": {}}, status=429)
            return render(request, "registration/locked_out.html", {"message": message}, status=429)
        return response
