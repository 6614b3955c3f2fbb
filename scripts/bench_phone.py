"""The technician's phone pages in Chromium at 390×844 (see ``scripts/bench phone``): bytes transferred and requests on a
first and a repeated visit, and server time, next to a bare page (the login form) as the baseline. Figures, not
assertions. Target: a repeated visit under 60 KB and 10 requests."""

from __future__ import annotations

import os
import shutil
import sys
import time

from playwright.sync_api import sync_playwright

BASE, JOB = sys.argv[1], sys.argv[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def visit(page, url: str) -> dict:
    seen = []
    def listener(request):
        seen.append(request)

    page.on("requestfinished", listener)
    started = time.perf_counter()
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    elapsed = time.perf_counter() - started
    page.remove_listener("requestfinished", listener)
    transferred, network = 0, 0
    for request in seen:
        sizes = request.sizes()
        transferred += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        network += sizes["responseHeadersSize"] > 0  # a file from the browser's cache has no response headers on the wire
    return {"requests": len(seen), "network": network, "bytes": transferred, "wall_ms": elapsed * 1000}


def server_ms(page, url: str, repeat: int = 10) -> float:
    """Median time to the page's HTML (no assets), from the browser's own request, over ``repeat`` tries."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        page.request.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
    context = browser.new_context(base_url=BASE, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    baseline = server_ms(page, "/login/")
    page.goto("/login/")
    page.fill("#id_username", "bench_tech")
    page.fill("#id_password", "bench-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    rows = []
    for name, url in (("my jobs (50)", "/m/"), ("a job", f"/m/jobs/{JOB}/")):
        fresh = context.browser.new_context(base_url=BASE, viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN",
                                            storage_state=context.storage_state())
        tab = fresh.new_page()
        first = visit(tab, url)
        again = visit(tab, url)
        rows.append((name, first, again, server_ms(tab, url)))
        fresh.close()
    print(f"{'page':<14} {'1st KB':>8} {'1st req':>8} {'again KB':>9} {'again req':>10} {'on the wire':>12} {'server ms':>10} {'× bare page':>12}")
    for name, first, again, ms in rows:
        print(f"{name:<14} {first['bytes'] / 1024:>8.1f} {first['requests']:>8} {again['bytes'] / 1024:>9.1f} {again['requests']:>10} "
              f"{again['network']:>12} {ms:>10.1f} {ms / baseline:>12.1f}")
    print(f"{'bare page':<14} {'':>8} {'':>8} {'':>9} {'':>10} {'':>12} {baseline:>10.1f} {1:>12.1f}")
    print("target: a repeated visit under 60 KB and 10 requests")
    browser.close()
