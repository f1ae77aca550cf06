"""First visit and return visit: how long until Python + the simulation are ready (#14).

Plain Playwright against the app on a free port, not part of the test suite. Run with
``.venv/bin/python bench/self_study_timings.py [--rounds 5]``; prints one line per round and the
medians. Each round is a new browser context (a new learner): the first visit starts Python
cold and saves the memory snapshot; the return visit is a new tab in the same context, as when
the learner comes back, and restores it. Service workers are allowed, as for a learner.

"Ready" is measured from the page's navigation start (``performance.now()`` in the page) to the
worker's "ready" message; "worker" is from the worker's creation to "ready".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser_timings import READY_TIMES, SETTLED, live_server  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

LESSON = "/lessons/hypervisors"
SNAPSHOT_SAVED = """async () => {
  const cache = await caches.open("virttutor-python-snapshots");
  return (await cache.keys()).length > 0;
}"""


def wait_until_ready(page: Page) -> None:
    # Generous: a cold start on a machine shared by many test runs took over a minute.
    page.wait_for_function(SETTLED, timeout=300_000)
    if page.evaluate("window.virttutor.python.state") != "ready":
        raise SystemExit(f"Python did not load: {page.inner_text('#python-status')}")


def visit(browser_page: Page, base: str) -> tuple[float, float, bool]:
    browser_page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
    browser_page.goto(base + LESSON)
    wait_until_ready(browser_page)
    navigation, worker = browser_page.evaluate(READY_TIMES)
    warm = bool(browser_page.evaluate("window.virttutor.python.warm"))
    return float(navigation), float(worker), warm


def round_trip(browser: Browser, base: str) -> tuple[tuple[float, float, bool], ...]:
    context = browser.new_context()
    try:
        first = context.new_page()
        cold = visit(first, base)
        first.wait_for_function(SNAPSHOT_SAVED, timeout=60_000)
        first.close()
        again = context.new_page()
        warm = visit(again, base)
        again.close()
        return cold, warm
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    colds, warms = [], []
    with live_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            for number in range(1, args.rounds + 1):
                cold, warm = round_trip(browser, base)
                colds.append(cold)
                warms.append(warm)
                print(
                    f"round {number}: first visit {cold[0]:.2f} s (worker {cold[1]:.2f} s), "
                    f"return {warm[0]:.2f} s (worker {warm[1]:.2f} s, "
                    f"{'snapshot' if warm[2] else 'COLD: no snapshot restored'})",
                    flush=True,
                )
        finally:
            browser.close()
    load = os.getloadavg()[0]
    print(f"\nmedian of {args.rounds} (load average {load:.1f} on {os.cpu_count()} cores)")
    print("| visit | navigation → ready | worker start → ready |")
    print("| --- | --- | --- |")
    for name, rows in (("first (cold)", colds), ("return (snapshot)", warms)):
        nav = statistics.median(r[0] for r in rows)
        worker = statistics.median(r[1] for r in rows)
        spread = f"{min(r[0] for r in rows):.2f}–{max(r[0] for r in rows):.2f}"
        print(f"| {name} | {nav:.2f} s ({spread}) | {worker:.2f} s |")


if __name__ == "__main__":
    main()
