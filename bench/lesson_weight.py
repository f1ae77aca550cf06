"""How much JavaScript a learner downloads for a lesson, except Pyodide: the #15 budget.

Real Chromium opens the lesson (the CDN unreachable, as offline, so d3 comes from the local copy
with the same bytes) and waits until Python is ready, so the worker's own scripts count too; every
script response outside ``vendor/pyodide-*`` is summed as sent and as gzip would send it (level 6,
what a compressing server or CDN uses). Run with ``.venv/bin/python bench/lesson_weight.py``.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

from playwright.sync_api import Response, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser_timings import SETTLED, live_server  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

BUDGET_GZIP = 150_000
PYODIDE = "/vendor/pyodide-"


def lesson_scripts(base: str, lesson: str) -> dict[str, tuple[int, int]]:
    """Every script the lesson loaded, by path: (bytes, gzip bytes)."""
    sizes: dict[str, tuple[int, int]] = {}

    def record(response: Response) -> None:
        url = response.url
        if not url.startswith(base) or PYODIDE in url or response.status != 200:
            return
        path = url[len(base) :].split("?")[0]
        if not path.endswith((".js", ".mjs")):
            return
        body = response.body()
        sizes[path] = (len(body), len(gzip.compress(body, 9)))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
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
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lesson", default="/lessons/hypervisors")
    args = parser.parse_args()
    with live_server() as base:
        sizes = lesson_scripts(base, args.lesson)
    width = max(len(p) for p in sizes)
    for path, (raw, packed) in sorted(sizes.items(), key=lambda kv: -kv[1][1]):
        print(f"{path:<{width}}  {raw:>9,} B  {packed:>8,} B gzip")
    raw = sum(r for r, _ in sizes.values())
    packed = sum(g for _, g in sizes.values())
    print(
        f"JS for {args.lesson} except Pyodide: {raw:,} B, {packed:,} B gzip "
        f"= {packed / BUDGET_GZIP:.2f} x the {BUDGET_GZIP:,} B budget"
    )
    # A report, like the other benches: a missed budget is printed, not a failed `make bench`.
    print("budget met" if packed <= BUDGET_GZIP else "NOT MET: over the budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
