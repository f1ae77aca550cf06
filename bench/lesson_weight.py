"""How much JavaScript a learner downloads for a lesson, except Pyodide: the #15 budget.

Real Chromium opens the lesson (the CDN unreachable, as offline, so d3 comes from the local copy
with the same bytes) and waits until Python is ready, so the worker's own scripts count too; every
script response outside ``vendor/pyodide-*`` is summed three ways: decoded, as sent (the body as it
came over the wire, in the encoding the server chose for Chromium: brotli when it has a copy), and
as gzip: the bytes the server sends for the same URL to a client that takes only gzip (the #15
budget is "≤ 150 KB gzip"; a file too small to gain is sent as it is). Run with
``.venv/bin/python bench/lesson_weight.py``; without Chromium it exits with status 1 before
starting anything (bench/tools.py).
"""

from __future__ import annotations

import argparse
import sys
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Response, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import tools  # noqa: E402
from bench.browser_timings import SETTLED, live_server  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS  # noqa: E402

BUDGET_GZIP = 150_000
PYODIDE = "/vendor/pyodide-"


@dataclass
class Script:
    raw: int  # decoded
    sent: int  # the body as Chromium received it, still encoded
    encoding: str  # its Content-Encoding
    gzip: int = 0  # the body sent to a client that takes only gzip


def lesson_scripts(chromium: str, base: str, lesson: str) -> dict[str, Script]:
    """Every script the lesson loaded, by path (the first response of each)."""
    sizes: dict[str, Script] = {}

    def record(response: Response) -> None:
        url = response.url
        if not url.startswith(base) or PYODIDE in url or response.status != 200:
            return
        path = url[len(base) :].split("?")[0]
        if not path.endswith((".js", ".mjs")) or path in sizes:
            return
        body = response.body()  # decoded
        # Chromium's encoded body size; 0 for a worker's own fetch, whose Content-Length says it.
        sent = response.request.sizes()["responseBodySize"]
        sent = sent or int(response.headers.get("content-length", len(body)))
        encoding = response.headers.get("content-encoding", "identity")
        sizes[path] = Script(len(body), sent, encoding)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        context = browser.new_context(service_workers="block")
        context.on("response", record)
        page = context.new_page()
        page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
        page.goto(base + lesson)
        page.wait_for_function(SETTLED, timeout=180_000)
        page.wait_for_selector(".viz[data-viz-mounted='true']")
        # A learner's first key brings every exercise's editor (and CodeMirror's scripts).
        page.keyboard.press("Shift")
        page.wait_for_function(
            "() => [...document.querySelectorAll('section.exercise')]"
            ".every((s) => s.querySelector('.CodeMirror'))",
            timeout=60_000,
        )
        browser.close()
    for path, script in sizes.items():
        script.gzip = sent_with_gzip(base + path)
    return sizes


def sent_with_gzip(url: str) -> int:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:  # not decoded
        return len(response.read())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lesson", default="/lessons/hypervisors")
    args = parser.parse_args()
    chromium = tools.chromium("bench/lesson_weight.py")
    with live_server() as base:
        sizes = lesson_scripts(chromium, base, args.lesson)
    width = max(len(p) for p in sizes)
    print(f"{'script':<{width}}  {'decoded':>11}  {'as sent':>20}  {'gzip':>10}")
    for path, script in sorted(sizes.items(), key=lambda kv: -kv[1].gzip):
        wire = f"{script.sent:,} B {script.encoding}"
        print(f"{path:<{width}}  {script.raw:>9,} B  {wire:>20}  {script.gzip:>8,} B")
    raw = sum(s.raw for s in sizes.values())
    sent = sum(s.sent for s in sizes.values())
    packed = sum(s.gzip for s in sizes.values())
    encodings = Counter(s.encoding for s in sizes.values())
    print(
        f"JS for {args.lesson} except Pyodide: {raw:,} B decoded, {sent:,} B as sent to Chromium "
        f"({', '.join(f'{name} x{count}' for name, count in encodings.most_common())}), "
        f"{packed:,} B gzip = {packed / BUDGET_GZIP:.2f} x the {BUDGET_GZIP:,} B gzip budget"
    )
    # A report, like the other benches: a missed budget is printed, not a failed `make bench`.
    print("budget met" if packed <= BUDGET_GZIP else "NOT MET: over the budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
