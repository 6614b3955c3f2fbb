"""Language choice: Chinese first on pages, the client's Accept-Language on the API."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"


class ChineseFirstLocaleMiddleware:
    """Pages open in Simplified Chinese whatever the browser asks for; the language switch wins.

    Service desks often run on PCs imaged with an English Windows/Chrome; Django's stock
    negotiation would then show English to a Chinese clerk. So for pages the browser's
    ``Accept-Language`` is ignored: the default ``LANGUAGE_CODE`` (zh-hans) applies until the user
    picks another language with the switch (stored in the language cookie, which
    ``LocaleMiddleware`` still honours). API clients are programs that say what they want, so
    under ``/api/`` their ``Accept-Language`` is kept. Must come before ``LocaleMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
