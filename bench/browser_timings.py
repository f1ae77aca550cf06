"""How long a learner waits in real Chromium: Python + bundle ready (cold), and Run latency.

Plain Playwright against the app on a free port, not part of the test suite. Run with
``.venv/bin/python bench/browser_timings.py [--loads 3] [--runs 20]``; prints a table.

"Cold" means a new browser context each time: empty HTTP cache and no compiled-WebAssembly cache,
as on a learner's first visit. Run latency is measured in the page, from the Run click to the
report in the DOM, for the vcpu-run-loop practice cases with the reference solution.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from tutor.web.local_server import served

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import tools  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS  # noqa: E402
from tutor.web import create_app  # noqa: E402

EXERCISE = "vcpu-run-loop"
LESSON = "/lessons/hypervisors"
SOLUTION = (ROOT / "lessons/05-hypervisors/exercises" / EXERCISE / "solution.py").read_text()

SETTLED = "() => ['ready', 'error'].includes(window.virttutor?.python.state)"
# Seconds from navigation start / from worker creation to "ready".
READY_TIMES = """() => {
  const python = window.virttutor.python;
  return [python.startedAt / 1000 + python.readySeconds, python.readySeconds];
}"""
RUN_ONCE = """async (id) => {
  const section = document.getElementById(`exercise-${id}`);
  const result = document.getElementById(`result-${id}`);
  result.replaceChildren();
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const report = result.querySelector(".report");
      if (report) { observer.disconnect(); resolve(report.dataset.verdict); }
    });
    observer.observe(result, { childList: true, subtree: true });
  });
  const started = performance.now();
  section.querySelector("button.run").click();
  const verdict = await done;
  return [performance.now() - started, verdict];
}"""


@contextmanager
def live_server(**config: object) -> Iterator[str]:
    """The app on a free port with a throw-away database; ``config`` adds settings."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db", **config}
        )
        with served(app) as base:
            yield base


def open_lesson(page: Page, base: str) -> tuple[float, float]:
    page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
    page.goto(base + LESSON)
    wait_until_ready(page)
    since_navigation, since_worker = page.evaluate(READY_TIMES)
    return float(since_navigation), float(since_worker)


def wait_until_ready(page: Page) -> None:
    page.wait_for_function(SETTLED, timeout=60_000)
    if page.evaluate("window.virttutor.python.state") != "ready":
        raise SystemExit(f"Python did not load: {page.inner_text('#python-status')}")


def cold_loads(browser: Browser, base: str, count: int) -> list[tuple[float, float]]:
    timings = []
    for _ in range(count):
        context = browser.new_context()
        timings.append(open_lesson(context.new_page(), base))
        context.close()
    return timings


def runs(browser: Browser, base: str, count: int) -> tuple[float, list[float], float]:
    """First Run, the following Runs, and a warm reload (HTTP + WebAssembly caches filled)."""
    context = browser.new_context()
    page = context.new_page()
    open_lesson(page, base)
    page.locator(f"#exercise-{EXERCISE}").scroll_into_view_if_needed()  # its editor comes near
    page.locator(f"#exercise-{EXERCISE} .CodeMirror").wait_for(state="attached")
    page.evaluate(
        "([id, code]) => document.querySelector(`#exercise-${id} .CodeMirror`).CodeMirror"
        ".setValue(code)",
        [EXERCISE, SOLUTION],
    )
    latencies = []
    for _ in range(count + 1):
        milliseconds, verdict = page.evaluate(RUN_ONCE, EXERCISE)
        if verdict != "passed":
            raise SystemExit(f"the reference solution did not pass in the browser: {verdict}")
        latencies.append(float(milliseconds))
    page.reload()
    wait_until_ready(page)
    warm = float(page.evaluate(READY_TIMES)[0])
    context.close()
    return latencies[0], latencies[1:], warm


def row(name: str, values: list[float], unit: str) -> str:
    digits = 2 if unit == "s" else 1
    median, low, high = (f"{v:.{digits}f}" for v in (statistics.median(values), *minmax(values)))
    return f"| {name:<46} | {median:>8} {unit:<2} | {low:>8} | {high:>8} | {len(values):>3} |"


def minmax(values: list[float]) -> tuple[float, float]:
    return min(values), max(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=3, help="cold page loads")
    parser.add_argument("--runs", type=int, default=20, help="Runs after the first")
    args = parser.parse_args()
    chromium = tools.chromium("bench/browser_timings.py")
    with live_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        # The server's first lesson render computes the practice cases' expected outputs;
        # that is a server cost, paid once per process, so keep it out of the browser numbers.
        urllib.request.urlopen(base + LESSON).read()
        cold = cold_loads(browser, base, args.loads)
        first, following, warm = runs(browser, base, args.runs)
        browser.close()
    print(f"| {'measure':<46} | {'median':>11} | {'min':>8} | {'max':>8} | {'n':>3} |")
    print(f"|{'-' * 48}|{'-' * 13}|{'-' * 10}|{'-' * 10}|{'-' * 5}|")
    print(row("ready, cold: navigation → Python + bundle", [c[0] for c in cold], "s"))
    print(row("ready, cold: worker start → Python + bundle", [c[1] for c in cold], "s"))
    print(row("ready, warm reload: navigation → ready", [warm], "s"))
    print(row("first Run (3 practice cases), click → report", [first], "ms"))
    print(row("later Runs (3 practice cases), click → report", following, "ms"))


if __name__ == "__main__":
    main()
