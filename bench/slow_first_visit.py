"""A learner's first visit to a lesson over a phone's slow connection (#15): what the server sends,
and how long from navigation until Python is ready.

    .venv/bin/python bench/slow_first_visit.py [--runs 2] [--lesson hypervisors] [--compare]

Lighthouse's "slow 4G" as Chromium's own network emulation (1.6 Mbps down, 750 kbps up, 150 ms
round trip), a 390 px wide page, a new browser profile per visit, service workers allowed (the
page registers its worker once Python is ready; what that worker's install fetches is counted
too, until nothing has been asked for during ``IDLE_SECONDS``). Bytes are counted as they leave
the WSGI app: compressed, headers left out. The static files' best compressed copies are made
first, as ``make run`` does (``compress_all``; half a minute on two cores the first time).

``--compare`` alternates the standard library as the site sends it (ZIPs with their members
stored, compressed in transit: ``STORED_STDLIB``) with the static copy's (the same split, its
members deflated), visit by visit, so both see the same machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import tools  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS, close_every_response  # noqa: E402
from tutor.web import create_app  # noqa: E402
from tutor.web.local_server import served  # noqa: E402
from tutor.web.static_delivery import compress_all  # noqa: E402

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6e6 / 8,
    "uploadThroughput": 750e3 / 8,
}
IDLE_SECONDS = 5.0
# Chromium may not ask anything off this machine (a CDN's d3: the page falls back to its own).
LOCAL_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


class Wire:
    """Bytes each path's responses carried, and when it was first and anything last asked for."""

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self.first: dict[str, float] = {}
        self.last = time.monotonic()
        self.start = time.monotonic()
        self._lock = threading.Lock()

    def counting(self, app: WSGIApplication) -> WSGIApplication:
        buffered = close_every_response(app)

        def counted(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            body = list(buffered(environ, start_response))
            with self._lock:
                path = environ["PATH_INFO"]
                self.sent[path] += sum(len(chunk) for chunk in body)
                self.first.setdefault(path, time.monotonic() - self.start)
                self.last = time.monotonic()
            return body

        return counted


def visit(chromium: str, lesson: str, stored_stdlib: bool) -> tuple[float, Wire]:
    """One first visit: (navigation → Python ready in s, what went over the wire)."""
    wire = Wire()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db",
                "STORED_STDLIB": stored_stdlib,
            }
        )
        compress_all(app)
        with served(wire.counting(app), quiet=True) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=[*CHROMIUM_FLAGS, LOCAL_ONLY]
            )
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_4G)
            wire.start = time.monotonic()
            page.goto(f"{base}/lessons/{lesson}", wait_until="commit")
            page.wait_for_selector(
                "#python-status[data-state=ready], #python-status[data-state=error]",
                timeout=180_000,
            )
            ready = time.monotonic() - wire.start
            if page.get_attribute("#python-status", "data-state") != "ready":
                raise SystemExit(f"Python did not load: {page.inner_text('#python-status')}")
            deadline = time.monotonic() + 120
            while time.monotonic() - wire.last < IDLE_SECONDS and time.monotonic() < deadline:
                time.sleep(0.5)
            browser.close()
    return ready, wire


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--lesson", default="hypervisors")
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    chromium = tools.chromium("bench/slow_first_visit.py")
    configurations = [True, False] if args.compare else [True]
    results: dict[bool, list[tuple[float, Wire]]] = {stored: [] for stored in configurations}
    for run in range(args.runs):
        for stored in configurations:
            ready, wire = visit(chromium, args.lesson, stored)
            results[stored].append((ready, wire))
            total = sum(wire.sent.values()) / 1e6
            label = "stored" if stored else "deflated"
            print(f"run {run + 1}, {label} stdlib: Python ready {ready:.1f} s, {total:.2f} MB sent")
    print(f"\nFirst visit to /lessons/{args.lesson} over slow 4G (1.6 Mbps, 150 ms), median:")
    print("| standard library | navigation → Python ready | sent in all | sent by Python ready |")
    print("|---|---|---|---|")
    for stored, runs in results.items():
        ready = statistics.median(r for r, _ in runs)
        total = statistics.median(sum(w.sent.values()) for _, w in runs) / 1e6
        early = statistics.median(
            sum(n for path, n in w.sent.items() if w.first[path] <= r) for r, w in runs
        )
        label = "stored, compressed in transit" if stored else "deflated members (static copy)"
        print(f"| {label} | {ready:.1f} s | {total:.2f} MB | {early / 1e6:.2f} MB |")
    _, wire = results[True][-1]
    print("\nThe largest files of the last visit with the stored standard library:")
    print("| file | KB sent | first asked at |")
    print("|---|---|---|")
    for path, sent in wire.sent.most_common(8):
        print(f"| `{path.rsplit('/', 1)[-1]}` | {sent / 1e3:.1f} | {wire.first[path]:.1f} s |")


if __name__ == "__main__":
    main()
