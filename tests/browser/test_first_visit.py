"""The offline copy a learner's visits make (#15): a first visit downloads Python once, and a
return visit after a deploy runs the files its page names.

The page's worker loads Pyodide by its plain paths; the service worker that keeps the course
offline lists the same files by their ``?v=`` URLs. It used to download every one of them again
as soon as the page had loaded: 11.2 MB sent for a first visit on a slow connection, 5.2 MB of it
Pyodide a second time. The offline copy is now made after Python is ready, from the copies the
page has just loaded (checked against their sha256), and still works with the network off.

After a deploy the page comes from the network first, naming its scripts' new versions, while the
service worker of the learner's last visit still holds the previous files until the browser has
installed its successor. It used to answer every one of those URLs with its old copy: the new
page ran the old scripts. It now answers from its cache only a copy that is the version the URL
names, and fetches the others, falling back to its copy when offline.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tutor import bundle
from tutor.assets import STDLIB_REST, pinned
from tutor.web import create_app
from tutor.web.local_server import served

from ._learner import (
    CDN,
    ROOT,
    block_cdn,
    expect_all_cases_pass,
    result,
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
CONTROLLED = (
    "async () => { const r = await navigator.serviceWorker.ready;"
    " return r.active !== null && navigator.serviceWorker.controller !== null; }"
)
SNAPSHOT_SAVED = "() => window.virttutor.python.snapshot?.saved === true"
# The files that make Python start: the bulk of a first visit's bytes.
PYTHON_FILES = ("pyodide.asm.wasm", "python_stdlib.zip", "pyodide.asm.js", "pyodide.mjs")


class Server:
    """The app, recording the path and query of each body it sends (a 304 sends none); once
    ``worker`` is set, it sends that ``sw.js`` instead of the current one."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = close_every_response(app)  # one bytes object per response, closed
        self.sent: list[tuple[str, str]] = []
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


def lesson_site(tmp_path: Path) -> Flask:
    return create_app(
        {
            "SECRET_KEY": "offline-copy",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'offline.db'}",
            "QUEUE_URL": "immediate",
        }
    )


def open_until_kept_offline(context: BrowserContext, base: str) -> Page:
    """The lesson, once Python is ready and the service worker it registers controls the page
    (its install, the offline copy, done)."""
    page = context.new_page()
    page.set_default_timeout(60_000)
    block_cdn(page)
    page.goto(base + LESSON)
    wait_for_python_ready(page, EXERCISE)
    page.wait_for_function(CONTROLLED, timeout=120_000)
    return page


# Modules of the standard library's rest (tutor/stdlib_core.py): no lesson needs them to start.
LATER_MODULES = ("argparse", "csv", "xml.dom.minidom")
# The solution, importing them first: it passes only if they import.
IMPORTING = "".join(f"import {name}\n" for name in LATER_MODULES) + SOLUTION


def solves(page: Page, code: str = SOLUTION) -> None:
    """``code`` (the exercise's solution) passes every case in this page's Python."""
    wait_for_python_ready(page, EXERCISE)
    set_code(page, code, EXERCISE)
    run_button(page, EXERCISE).click()
    expect_all_cases_pass(page, EXERCISE)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Server]]:
    server = Server(lesson_site(tmp_path))
    with served(server, quiet=True) as base:
        yield base, server


def test_a_first_visit_downloads_python_once_and_still_works_offline(
    browser: Browser, site: tuple[str, Server]
) -> None:
    base, server = site
    context = browser.new_context()  # service workers allowed: they are the point
    try:
        page = open_until_kept_offline(context, base)
        built = bundle.current()
        assert built is not None, "no bundle: run `make bundle`"
        sent = Counter(path for path, _query in server.sent)  # ``?v=`` or not: the same file
        for name in (*PYTHON_FILES, built.wheel.name):
            assert sent[PYODIDE + name] == 1, (name, dict(sent))

        # The copies the offline cache took from the page's loading are whole and usable, the
        # standard library's rest among them (the worker listed it; no page had loaded it).
        assert sent[PYODIDE + STDLIB_REST] == 1, dict(sent)
        context.set_offline(True)
        page.reload()
        solves(page, IMPORTING)
    finally:
        context.close()


def test_the_rest_of_the_standard_library_comes_with_the_first_import_of_one_of_its_modules(
    browser: Browser, site: tuple[str, Server]
) -> None:
    """Python starts with the core of its standard library; a program that imports a module of
    the rest gets it, fetched once, on a cold start and on a start from the memory snapshot."""
    base, server = site
    context = browser.new_context(service_workers="block")  # only the page's own requests
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        block_cdn(page)
        page.goto(base + LESSON)
        wait_for_python_ready(page, EXERCISE)
        sent = Counter(path for path, _query in server.sent)
        assert sent[PYODIDE + "python_stdlib.zip"] == 1 and not sent[PYODIDE + STDLIB_REST]
        solves(page)  # nothing of the rest needed
        assert not Counter(path for path, _query in server.sent)[PYODIDE + STDLIB_REST]

        # Offline, with no offline copy: the import fails saying why, and Python carries on.
        context.set_offline(True)
        set_code(page, IMPORTING, EXERCISE)
        run_button(page, EXERCISE).click()
        expect(result(page, EXERCISE)).to_contain_text("is downloaded the first time")
        context.set_offline(False)

        # A slow download does not count against the program's time limit (5 s).
        delayed: list[str] = []

        def slowly(route: Route) -> None:
            delayed.append(route.request.url)
            time.sleep(7)
            route.continue_()

        page.route(f"**{PYODIDE}{STDLIB_REST}*", slowly)
        solves(page, IMPORTING)
        assert delayed, "the delay never applied: the test tested nothing"
        page.unroute(f"**{PYODIDE}{STDLIB_REST}*")
        solves(page, IMPORTING)
        assert Counter(path for path, _query in server.sent)[PYODIDE + STDLIB_REST] == 1

        # A return visit restores Python from its memory snapshot, made before any import of
        # the rest: the first program that needs it fetches it again, once (a learner's browser
        # revalidates its copy; this test's routes keep the browser from caching at all).
        page.wait_for_function(SNAPSHOT_SAVED, timeout=120_000)
        page.reload()
        wait_for_python_ready(page, EXERCISE)
        assert page.evaluate("window.virttutor.python.warm") is True
        solves(page, IMPORTING)
        solves(page, IMPORTING)
        assert Counter(path for path, _query in server.sent)[PYODIDE + STDLIB_REST] == 2
    finally:
        context.close()


def test_after_a_deploy_the_page_runs_the_scripts_it_names(
    browser: Browser, tmp_path: Path
) -> None:
    app = lesson_site(tmp_path)
    server = Server(app)
    context = browser.new_context()  # service workers allowed: they are the point
    try:
        with served(server, quiet=True) as base:
            page = open_until_kept_offline(context, base)

            server.worker = app.test_client().get("/sw.js").get_data()  # not noticed yet
            app.config["MINIFIED_JS"] = False  # the deploy: every script another version
            time.sleep(1.1)  # the cached lesson page checks its files' versions once a second
            readable = hashlib.sha256((ROOT / "static/js/lesson.js").read_bytes()).hexdigest()
            server.sent.clear()
            page.reload()
            solves(page)
            assert ("/static/js/lesson.js", f"v={readable[:12]}") in server.sent, server.sent

            # Offline, the page names versions the cache does not hold: its copies still serve.
            context.set_offline(True)
            page.reload()
            solves(page)
    finally:
        context.close()


def test_offline_pages_come_in_the_language_the_learner_reads_and_the_switch_works(
    browser: Browser, site: tuple[str, Server]
) -> None:
    """#14: the live site's offline copy keeps every page in both languages; offline, a page
    opens in the language its address asks for, else the one the learner last read, and the
    language switch (a server redirect online) works without the network."""
    base, _server = site
    context = browser.new_context(locale="en-US")
    try:
        page = open_until_kept_offline(context, base)
        context.set_offline(True)
        page.goto(base + "/lessons/virtual-machines?lang=zh")
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        page.goto(base + "/lessons/hypervisors?lang=en")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.goto(base + "/lessons/why-virtual-machines")  # the learner reads English
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.locator(".lang-switch a[lang=zh-CN]").click()
        expect(page).to_have_url(base + "/lessons/why-virtual-machines")
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        # The choice holds for the next pages too, and for the server once back online.
        page.goto(base + "/")
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        assert any(c["name"] == "lang" and c["value"] == "zh" for c in context.cookies())
        context.set_offline(False)
        page.goto(base + "/lessons/resource-pooling")
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    finally:
        context.close()


def test_a_cdn_that_never_answers_does_not_stop_the_offline_copy(
    browser: Browser, live_server: str
) -> None:
    """A filtered CDN that neither answers nor fails holds the page's ``load`` back until the
    connection times out: the offline copy was registered only at ``load``."""
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        page.route(f"{CDN}**", lambda route: None)  # never answered
        page.goto(live_server + LESSON, wait_until="domcontentloaded")
        wait_for_python_ready(page, EXERCISE)
        page.wait_for_function(CONTROLLED, timeout=60_000)
        assert page.evaluate("document.readyState") != "complete"  # the CDN still hangs
        # The learner is told when losing the network is safe.
        expect(page.locator(".offline-status")).to_have_text(
            "The whole course works offline in this browser.", timeout=10_000
        )
        page.reload(wait_until="domcontentloaded")
        expect(page.locator(".offline-status")).to_have_text(
            "The whole course works offline in this browser.", timeout=60_000
        )
    finally:
        context.close()


def test_the_offline_copy_never_keeps_an_account_s_page(
    browser: Browser, site: tuple[str, Server]
) -> None:
    """The offline copy is shared by everyone who uses this browser and outlives signing out:
    it keeps pages as a visitor without an account sees them. Someone signs up (and so in),
    the copy is made and pages are read while signed in, they sign out; offline, the next
    person reads no page of theirs — no name, no Sign out."""
    base, _server = site
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        block_cdn(page)
        page.goto(f"{base}/signup")
        page.get_by_label("Email").fill("shared-pc@example.org")
        page.get_by_label("Your name").fill("Ada Sharedpc")
        page.get_by_label("Password", exact=True).fill("a good password")
        page.get_by_label("Password again").fill("a good password")
        page.get_by_role("button", name="Create my account").click()
        expect(page.get_by_role("link", name="Ada Sharedpc")).to_be_visible()
        page.goto(base + LESSON)
        wait_for_python_ready(page, EXERCISE)
        page.wait_for_function(CONTROLLED, timeout=120_000)
        for path in (LESSON, "/lessons/live-migration", "/"):  # read again, signed in
            page.goto(base + path)
            expect(page.get_by_role("link", name="Ada Sharedpc")).to_be_visible()
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("link", name="Ada Sharedpc")).to_have_count(0)
        context.set_offline(True)
        for path in (LESSON, "/lessons/live-migration", "/"):
            page.goto(base + path)
            expect(page.locator("h1")).to_be_visible()
            assert "Ada Sharedpc" not in page.content(), path
            expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    finally:
        context.close()
