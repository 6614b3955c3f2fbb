"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


FAKE_CAMERA_LABEL = "part:BRG-6205"


def fake_camera_video(text: str) -> str:
    """A short Y4M video (what Chromium's fake camera plays) of a QR label holding ``text`` on a white card."""
    import io
    from pathlib import Path

    import segno
    from PIL import Image

    path = Path("var/fake-camera.y4m")
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=8, border=4)  # a full QR code: phones and jsQR do not read Micro QR
    label = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    frame = Image.new("RGB", (640, 480), (235, 235, 230))
    frame.paste(label, ((640 - label.width) // 2, (480 - label.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    planes = y.tobytes() + cb.resize((320, 240)).tobytes() + cr.resize((320, 240)).tobytes()
    with path.open("wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            out.write(b"FRAME\n" + planes)
    return str(path.resolve())


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread for the whole session; the
    # ORM work of the tests and of the database teardown is still synchronous, so Django's
    # async-safety guard is lifted while the browser is open (e2e tests run last, see testpaths).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; scripts/test installs Debian's chromium when run as root")
    camera = fake_camera_video(FAKE_CAMERA_LABEL)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            # The phone's camera, faked: it films a part's QR label (see fake_camera_video).
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={camera}",
        ])
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(autouse=True)
def roles_exist(transactional_db):
    """Browser tests run in transactions that are flushed afterwards, which also removes the role
    groups and the calendar years the migrations created; put them back for each test."""
    from aftersales.testing.factories import ensure_national_calendar, ensure_roles

    ensure_roles()
    ensure_national_calendar()


@pytest.fixture(autouse=True)
def browser_session_cookies(settings):
    """The browser keeps the real clock while the server may run at another moment (``--now``): a cookie that
    expires by the server's clock could be stale by the browser's. The login lasts the browser session here;
    the server still checks the session's age by its own clock."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(username, phone=False)``: a new browser context logged in as that user.

    ``phone=True`` gives a phone-sized, touch-enabled viewport with a granted geolocation
    (a technician in Pudong), as the technician's phone would have.
    """
    contexts = []

    def open_(username: str, *, phone: bool = False):
        options = {"base_url": live_server.url, "locale": "zh-CN"}
        if phone:
            options.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                           geolocation={"latitude": 31.2034, "longitude": 121.5872, "accuracy": 25}, permissions=["geolocation"])
        else:
            options.update(viewport={"width": 1400, "height": 900})
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "pw-" + username)
        page.click("button[type=submit]")
        page.wait_for_url("**/")
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A customer's phone (390×844, touch), not logged in."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
