"""A learner's first visit to a lesson downloads Python once (#15).

The page's worker loads Pyodide by its plain paths; the service worker that keeps the course
offline lists the same files by their ``?v=`` URLs. It used to download every one of them again
as soon as the page had loaded: 11.2 MB sent for a first visit on a slow connection, 5.2 MB of it
Pyodide a second time. The offline copy is now made after Python is ready, from the copies the
page has just loaded (checked against their sha256), and still works with the network off.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser

from tutor import bundle
from tutor.assets import pinned
from tutor.web import create_app
from tutor.web.local_server import served

from ._learner import (
    ROOT,
    block_cdn,
    expect_all_cases_pass,
    run_button,
    set_code,
    wait_for_python_ready,
)
from .conftest import close_every_response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

LESSON = "/lessons/hypervisors"
EXERCISE = "vcpu-run-loop"
SOLUTION = (ROOT / "lessons/05-hypervisors/exercises" / EXERCISE / "solution.py").read_text()
PYODIDE = f"/static/vendor/{pinned()['pyodide'].folder.name}/"
# The files that make Python start: the bulk of a first visit's bytes.
PYTHON_FILES = ("pyodide.asm.wasm", "python_stdlib.zip", "pyodide.asm.js", "pyodide.mjs")


class Bodies:
    """How many times the server sent each path's body (``?v=`` or not: the same file)."""

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self._lock = threading.Lock()

    def counting(self, app: WSGIApplication) -> WSGIApplication:
        buffered = close_every_response(app)  # one bytes object per response, closed

        def counted(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
            body = list(buffered(environ, start_response))
            if any(body):  # a 304 sends none
                with self._lock:
                    self.sent[environ["PATH_INFO"]] += 1
            return body

        return counted


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Bodies]]:
    app = create_app(
        {
            "SECRET_KEY": "first-visit",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'first.db'}",
            "QUEUE_URL": "immediate",
        }
    )
    bodies = Bodies()
    with served(bodies.counting(app), quiet=True) as base:
        yield base, bodies


def test_a_first_visit_downloads_python_once_and_still_works_offline(
    browser: Browser, site: tuple[str, Bodies]
) -> None:
    base, bodies = site
    context = browser.new_context()  # service workers allowed: they are the point
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        block_cdn(page)
        page.goto(base + LESSON)
        wait_for_python_ready(page, EXERCISE)
        page.wait_for_function(
            "async () => { const r = await navigator.serviceWorker.ready;"
            " return r.active !== null && navigator.serviceWorker.controller !== null; }",
            timeout=120_000,
        )
        built = bundle.current()
        assert built is not None, "no bundle: run `make bundle`"
        for name in (*PYTHON_FILES, built.wheel.name):
            assert bodies.sent[PYODIDE + name] == 1, (name, dict(bodies.sent))

        # The copies the offline cache took from the page's loading are whole and usable.
        context.set_offline(True)
        page.reload()
        wait_for_python_ready(page, EXERCISE)
        set_code(page, SOLUTION, EXERCISE)
        run_button(page, EXERCISE).click()
        expect_all_cases_pass(page, EXERCISE)
    finally:
        context.close()
