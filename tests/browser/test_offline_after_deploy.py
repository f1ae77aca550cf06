"""After a deploy, a returning learner's page runs the files it names, not the offline cache's
older copies (#15).

The page comes from the network first; its scripts are named by content (``?v=``). The offline
worker of the learner's last visit still holds the previous files until the browser has
installed its successor, and used to answer every one of those URLs with its old copy: the new
page ran the old scripts. It now answers from its cache only a copy that is the version the URL
names, and fetches the others, falling back to its copy when offline.

The deploy here: the same server switches its scripts from the minified copies to the readable
sources (``MINIFIED_JS``), which gives each script another version, while it keeps sending the
previous ``sw.js`` (a browser that has not yet noticed the new worker).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.sync_api import Browser

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
CONTROLLED = (
    "async () => { const r = await navigator.serviceWorker.ready;"
    " return r.active !== null && navigator.serviceWorker.controller !== null; }"
)


class Server:
    """Records what it sends; once ``keep_worker`` is called, sends that ``sw.js`` forever."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = close_every_response(app)
        self.sent: list[tuple[str, str]] = []  # (path, query) of each body sent
        self.worker: bytes | None = None
        self._lock = threading.Lock()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ["PATH_INFO"] == "/sw.js" and self.worker is not None:
            start_response(
                "200 OK", [("Content-Type", "text/javascript"), ("Cache-Control", "no-cache")]
            )
            return [self.worker]
        body = list(self.app(environ, start_response))
        if any(body):
            with self._lock:
                self.sent.append((environ["PATH_INFO"], environ.get("QUERY_STRING", "")))
        return body


def test_after_a_deploy_the_page_runs_the_scripts_it_names(
    browser: Browser, tmp_path: Path
) -> None:
    app = create_app(
        {
            "SECRET_KEY": "deploy",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'deploy.db'}",
            "QUEUE_URL": "immediate",
        }
    )
    server = Server(app)
    context = browser.new_context()  # service workers allowed: they are the point
    try:
        with served(server, quiet=True) as base:
            page = context.new_page()
            page.set_default_timeout(60_000)
            block_cdn(page)
            page.goto(base + LESSON)
            wait_for_python_ready(page, EXERCISE)
            page.wait_for_function(CONTROLLED, timeout=120_000)  # its cache filled

            server.worker = app.test_client().get("/sw.js").get_data()  # not noticed yet
            app.config["MINIFIED_JS"] = False  # the deploy: every script another version
            time.sleep(1.1)  # the cached lesson page checks its files' versions once a second
            readable = hashlib.sha256((ROOT / "static/js/lesson.js").read_bytes()).hexdigest()
            server.sent.clear()
            page.reload()
            wait_for_python_ready(page, EXERCISE)
            assert ("/static/js/lesson.js", f"v={readable[:12]}") in server.sent, server.sent
            set_code(page, SOLUTION, EXERCISE)
            run_button(page, EXERCISE).click()
            expect_all_cases_pass(page, EXERCISE)

            # Offline, the page names versions the cache does not hold: its copies still serve.
            context.set_offline(True)
            page.reload()
            wait_for_python_ready(page, EXERCISE)
            set_code(page, SOLUTION, EXERCISE)
            run_button(page, EXERCISE).click()
            expect_all_cases_pass(page, EXERCISE)
    finally:
        context.close()
