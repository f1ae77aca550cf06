"""First visit and return visits: how long until Python + the simulation are ready (#14).

Plain Playwright against the app on a free port, not part of the test suite. Run with
``.venv/bin/python bench/self_study_timings.py [--rounds 5] [--profile both]``; prints one line
per visit, then the medians and where the time went.

Each round is a new learner: the first visit starts Python cold and saves the memory snapshot;
two return visits follow, each in a new tab of the same browser, as when the learner comes back,
and restore it. Service workers are allowed, as for a learner. ``--profile`` chooses the
browser profile: ``persistent`` (a profile on disk, as a learner's browser has: Chromium keeps
compiled JavaScript and WebAssembly there between visits), ``incognito`` (Playwright's default
context, kept in memory: no code cache), or ``both``, alternating, so the two are compared under
the same machine load.

"Ready" is measured from the page's navigation start to the worker's "ready" message; the
breakdown places each step of the page and of the worker (python-worker.js ``timings``) on the
page's clock, in ms from navigation start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import tools  # noqa: E402
from bench.browser_timings import SETTLED, live_server  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS  # noqa: E402

LESSON = "/lessons/hypervisors"
VISITS = ("first", "return", "return again")
SNAPSHOT_SAVED = "() => window.virttutor.python.snapshot"
# Playwright's wait_for_function does not wait for a promise: plain conditions only.
OFFLINE_READY = "() => navigator.serviceWorker.controller !== null"
# Every step on the page's clock (ms from navigation start); the worker's steps are shifted by
# the difference between its time origin and the page's.
BREAKDOWN = """() => {
  const python = window.virttutor.python;
  const t = python.timings ?? {};
  const shift = (t.origin ?? performance.timeOrigin) - performance.timeOrigin;
  const at = (name) => (t[name] === undefined ? null : shift + t[name]);
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    ready_s: python.startedAt / 1000 + python.readySeconds,
    worker_s: python.readySeconds,
    warm: Boolean(python.warm),
    html: nav.responseEnd,
    worker_created: python.startedAt,
    worker_running: at("evaluated"),
    loader_imported: at("loaderImported"),
    runtime_imported: at("runtimeImported"),
    snapshot_read: at("snapshotRead"),
    lock_read: at("lockRead"),
    wasm_start: at("wasmStart"),
    wasm_ms: t.wasmMs ?? null,
    wasm_done: t.wasmMs === undefined ? null : at("wasmStart") + t.wasmMs,
    files_written: at("fsInit"),
    pyodide_loaded: at("pyodideLoaded"),
    bundle_done: at("bundleFiles") ?? at("bundleImported"),
    ready: at("ready"),
    dom_content_loaded: nav.domContentLoadedEventEnd,
  };
}"""
# (label, key) of the breakdown columns, in the order they happen.
STEPS = (
    ("HTML received", "html"),
    ("worker created", "worker_created"),
    ("worker running", "worker_running"),
    ("snapshot read (OPFS)", "snapshot_read"),
    ("pyodide.mjs imported", "loader_imported"),
    ("lock file read", "lock_read"),
    ("pyodide.asm.js imported", "runtime_imported"),
    ("wasm compile+instantiate (ms)", "wasm_ms"),
    ("wasm instantiated", "wasm_done"),
    ("bundle files written (fsInit)", "files_written"),
    ("loadPyodide done", "pyodide_loaded"),
    ("bundle files / imports done", "bundle_done"),
    ("ready", "ready"),
    ("page DOMContentLoaded", "dom_content_loaded"),
)

Timing = dict[str, Any]


def wait_until_ready(page: Page) -> None:
    # Generous: a cold start on a machine shared by many test runs took over a minute.
    page.wait_for_function(SETTLED, timeout=300_000)
    if page.evaluate("window.virttutor.python.state") != "ready":
        raise SystemExit(f"Python did not load: {page.inner_text('#python-status')}")


def visit(context: BrowserContext, base: str, *, wait_for_snapshot: bool) -> Timing:
    page = context.new_page()
    try:
        page.goto(base + LESSON, wait_until="commit")
        wait_until_ready(page)
        timing: Timing = page.evaluate(BREAKDOWN)
        if wait_for_snapshot:
            # The learner comes back later: the snapshot is saved and the offline copy installed.
            page.wait_for_function(SNAPSHOT_SAVED, timeout=120_000)
            saved = page.evaluate("window.virttutor.python.snapshot")
            if not saved["saved"]:
                raise SystemExit(f"the snapshot was not saved: {saved['message']}")
            page.wait_for_function(OFFLINE_READY, timeout=300_000)
        return timing
    finally:
        page.close()


@contextmanager
def learner_browser(
    playwright: Playwright, chromium: str, profile: str
) -> Iterator[BrowserContext]:
    """A new learner's browser: a fresh profile on disk, or an in-memory (incognito) context."""
    if profile == "persistent":
        with tempfile.TemporaryDirectory(prefix="virttutor-profile-") as folder:
            context = playwright.chromium.launch_persistent_context(
                folder, executable_path=chromium, args=CHROMIUM_FLAGS
            )
            try:
                yield context
            finally:
                context.close()
        return
    browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
    try:
        context = browser.new_context()
        try:
            yield context
        finally:
            context.close()
    finally:
        browser.close()


def one_learner(playwright: Playwright, chromium: str, base: str, profile: str) -> list[Timing]:
    with learner_browser(playwright, chromium, profile) as context:
        context.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
        timings = [visit(context, base, wait_for_snapshot=True)]
        for _ in VISITS[1:]:
            timings.append(visit(context, base, wait_for_snapshot=False))
        return timings


def median(rows: list[Timing], key: str) -> float | None:
    values = [row[key] for row in rows if row.get(key) is not None]
    return statistics.median(values) if values else None


def show(value: float | None, seconds: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:.2f} s" if seconds else f"{value:.0f}"


def report(results: dict[str, list[list[Timing]]], rounds: int, loads: list[float]) -> None:
    print(
        f"\nmedian of {rounds} learner(s) per profile; load average {min(loads):.1f}–"
        f"{max(loads):.1f} on {os.cpu_count()} cores during the run"
    )
    print("| profile | visit | navigation → ready (range) | worker start → ready | ÷ first |")
    print("| --- | --- | --- | --- | --- |")
    for profile, learners in results.items():
        first = median([learner[0] for learner in learners], "ready_s")
        for index, name in enumerate(VISITS):
            rows = [learner[index] for learner in learners]
            ready = median(rows, "ready_s")
            spread = f"{min(r['ready_s'] for r in rows):.2f}–{max(r['ready_s'] for r in rows):.2f}"
            cold = [r for r in rows if index and not r["warm"]]
            note = f" ({len(cold)} cold!)" if cold else ""
            ratio = f"{ready / first:.0%}" if ready and first and index else "–"
            print(
                f"| {profile} | {name}{note} | {show(ready, True)} ({spread}) | "
                f"{show(median(rows, 'worker_s'), True)} | {ratio} |"
            )
    print("\nwhere the time went: ms from navigation start (median); wasm: its own duration")
    columns = [(profile, name, index) for profile in results for index, name in enumerate(VISITS)]
    print("| step | " + " | ".join(f"{p} {n}" for p, n, _ in columns) + " |")
    print("| --- |" + " --- |" * len(columns))
    for label, key in STEPS:
        cells = [
            show(median([learner[index] for learner in results[profile]], key))
            for profile, _, index in columns
        ]
        print(f"| {label} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", choices=("persistent", "incognito", "both"), default="both")
    args = parser.parse_args()
    chromium = tools.chromium("bench/self_study_timings.py")
    profiles = ["persistent", "incognito"] if args.profile == "both" else [args.profile]
    results: dict[str, list[list[Timing]]] = {profile: [] for profile in profiles}
    loads = [os.getloadavg()[0]]
    with live_server() as base, sync_playwright() as playwright:
        for number in range(1, args.rounds + 1):
            for profile in profiles:
                timings = one_learner(playwright, chromium, base, profile)
                results[profile].append(timings)
                loads.append(os.getloadavg()[0])
                line = ", ".join(
                    f"{name} {t['ready_s']:.2f} s (worker {t['worker_s']:.2f} s"
                    f"{'' if not index or t['warm'] else ', COLD: no snapshot restored'})"
                    for index, (name, t) in enumerate(zip(VISITS, timings, strict=True))
                )
                print(f"round {number} {profile}: {line}; load {loads[-1]:.1f}", flush=True)
    report(results, args.rounds, loads)


if __name__ == "__main__":
    main()
