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


class RefuseNulCharactersMiddleware:
    """A NUL character in a query parameter or a form value is refused with a 400 before any view sees it.

    No text a person types contains U+0000, and PostgreSQL refuses it in any string literal ("A string literal cannot
    contain NUL characters"), so a search or filter receiving ``?q=%00`` would answer with a server error there while
    SQLite quietly accepts it. Refusing it here keeps both databases answering alike: our 400 page, or a JSON 400 under
    ``/api/``. Form fields already refuse it (Django's ``ProhibitNullCharactersValidator``); this covers values views
    read straight from ``request.GET`` and ``request.POST``. JSON bodies are left to the API's serializers, whose
    ``CharField`` refuses it too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.core.exceptions import BadRequest
        from django.utils.translation import gettext as _

        values = list(request.GET.lists())
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            values += list(request.POST.lists())
        for key, items in values:
            if "\x00" in key or any("\x00" in item for item in items):
                raise BadRequest(_("The request contains a NUL character, which no field accepts."))
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every answer the application makes (pages, API, files) unless a view
    says otherwise.

    Pages carry customers' names and phones, bills and signatures; a shared PC's browser cache or a proxy must not keep
    them after the user logs out. Static files are served before this middleware (WhiteNoise, with their own
    far-future caching), so only the application's own answers are concerned. ``Vary: Cookie`` is set by the session
    middleware already.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
