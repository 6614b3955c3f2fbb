"""No bad parameter gives a 500: every page and API list of the URL configuration, asked with nonsense.

On a demo database (every kind of record exists), each URL pattern is requested as the head-office manager and as a
technician with every common query parameter set to each of a handful of bad values at once (a huge integer, a word,
a negative number, an impossible month, a NUL), with each id-like parameter alone set to an integer beyond 64 bits
(pages, as the manager), and with an id in its path beyond 64 bits. The answer may be a 200, a 302, a 400, 403 or 404 — never a 500. A new page
is covered by this test the day it is added to a urls.py.
"""

from __future__ import annotations

import re

from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from aftersales.accounts.models import User

HUGE = "99999999999999999999999"
BAD_VALUES = [HUGE, "abc", "-1", "2026-13", "%00"]
PARAMS = ["customer", "service_center", "technician", "center", "page", "month", "year", "quarter", "day", "date_from", "date_to",
          "from", "to", "start", "end", "status", "warehouse", "work_order", "card", "visit", "change", "format", "q", "phone",
          "category", "type", "family", "all", "open", "mine", "overdue", "answered", "severity", "state", "channel", "serial",
          "plate", "customer_no", "region", "equipment", "next"]
ID_PARAMS = ["customer", "service_center", "technician", "center", "warehouse", "work_order", "card", "visit", "change", "equipment"]
SKIPPED = ("admin/", "api/schema", "api/docs", "static/", "i18n/", "logout/")


def url_patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def concrete(route: str, ident: str) -> str | None:
    """A URL for ``route`` with ``ident`` for every id and a word for every other argument; None for regex routes
    the API router expands (covered by their plain form)."""
    if "(?P<format>" in route or "<drf_format_suffix" in route:
        return None  # the same view as the plain route, with a format suffix
    url = re.sub(r"<(?:id|int):\w+>", ident, route)
    url = re.sub(r"\(\?P<\w+>\[0-9\]\{1,18\}\)", ident, url)  # the API's ids
    url = re.sub(r"<(?:str|slug):\w+>", "x", url)
    url = url.replace("^", "").replace("$", "")
    return None if "(?P" in url or "<" in url else "/" + url


def test_no_page_answers_a_bad_parameter_with_a_server_error(db):
    call_command("seed_demo", customers=40, quiet=True)
    routes = sorted({r for r in url_patterns() if not r.startswith(SKIPPED)})
    assert len(routes) > 250  # the whole URL configuration is walked
    failures = []
    for username in ("manager_zhou", "tech_zhang"):  # head office, and a technician who sees his own jobs only
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        for route in routes:
            url = concrete(route, "1")
            if url is None:
                continue
            requests = [url + "?" + "&".join(f"{k}={bad}" for k in PARAMS) for bad in BAD_VALUES]
            if username == "manager_zhou" and not re.search(r"(pdf|xlsx|docx|png)", route):  # files are slow: once is enough
                requests += [f"{url}?{k}={HUGE}" for k in ID_PARAMS]
            if url != concrete(route, HUGE):
                requests.append(concrete(route, HUGE))
            failures += [(username, target[:120]) for target in requests if client.get(target).status_code >= 500]
    assert failures == []
