"""Real Chromium (Debian's /usr/bin/chromium, driven by Playwright) against a live server.

The server runs in a thread on a free port with its own temporary database; one browser per
test session. Playwright never downloads a browser of its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tutor import chromium
from tutor.web import create_app
from tutor.web.local_server import served

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# Debian's by default; CHROMIUM_PATH points elsewhere (Ubuntu has no .deb: see tutor.chromium).
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_FLAGS = chromium.FLAGS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each browser test file is one xdist group (``make test`` runs ``-n 2 --dist loadgroup``):
    its tests run on one worker, one after another, with that worker's browser and server. The
    files are handed to whichever worker is free, largest first, and the rest of the suite fills
    in after them, so both workers finish together. (Two fixed halves of the files did not: one
    file alone takes minutes, and the halves differed by as much.)"""
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group(f"browser-{item.path.stem}"))


def close_every_response(app: WSGIApplication) -> WSGIApplication:
    """Werkzeug's dev server skips ``close()`` on a response whose client hung up (a page closed
    while a static file was still loading); the open file then surfaces, as a ResourceWarning and
    so an error, in whatever test runs when it is collected. Buffering each response and closing
    it here makes that impossible. (No page of the site streams, so nothing is lost.)"""

    def buffered(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return buffered


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = Path(tmp_path_factory.mktemp("live")) / "live.db"
    # Graded inside the request (the sandbox still runs learner code); the worker path has
    # its own tests in tests/web/test_grading_queue.py and tests/grading.
    app = create_app(
        {
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db}",
            "QUEUE_URL": "immediate",
            # Every browser test signs up and in from one address, several files to one server
            # (5 sign-ups a minute refused the sixth); the limits have their own tests in
            # tests/web/test_accounts.py.
            "SIGNUP_RATE_LIMIT": "1000 per minute",
            "SIGNIN_RATE_LIMIT": "1000 per minute",
            "JOIN_RATE_LIMIT": "1000 per minute",
        }
    )
    with served(close_every_response(app)) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        try:
            path = chromium.executable()
        except chromium.ChromiumUnavailable as problem:
            pytest.fail(str(problem))
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    # The offline service worker (#14) would cache and answer requests these tests route or
    # hold; its own tests (test_static_copy.py) open contexts that allow it.
    context = browser.new_context(service_workers="block")
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page
