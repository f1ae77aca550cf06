"""The lesson page survives a bad network and impatient hands: a CDN that hangs or serves
tampered bytes, a double-clicked Submit, a browser without JavaScript, unknown addresses."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, Route, expect
from werkzeug.serving import make_server

from tutor.web import create_app
from tutor.web.extensions import db
from tutor.web.models import Submission

from ._learner import (
    CDN,
    LESSON,
    ROOT,
    SOLUTION,
    expect_all_cases_pass,
    hold_python,
    open_lesson,
    result,
    run_button,
    section,
    set_code,
    wait_for_python_ready,
    watch_console,
)
from .conftest import close_every_response

LOCAL_D3 = ROOT / "static/vendor/d3-7.9.2/dist/d3.min.js"
# What the page may take before the editor and the animation are up when the CDN never answers:
# the loader's 2 s patience plus the local copy. About 4 s was measured with this 2-core machine
# under a load of 4; the margin is for a busier one. A blocking CDN script would take forever.
FEW_SECONDS_MS = 12_000


def mounted_animation(page: Page) -> None:
    expect(page.locator(".viz")).to_have_attribute(
        "data-viz-mounted", "true", timeout=FEW_SECONDS_MS
    )
    expect(page.locator(".viz svg").first).to_be_visible()


def lesson_works_without_the_cdn(page: Page, base: str) -> None:
    """Editor, animation and Python all come up, and a Run grades the reference solution."""
    started = time.monotonic()
    page.goto(base + LESSON, wait_until="commit")
    expect(section(page).locator(".CodeMirror")).to_be_visible(timeout=FEW_SECONDS_MS)
    mounted_animation(page)
    assert time.monotonic() - started < FEW_SECONDS_MS / 1000
    assert page.evaluate("window.d3Ready.then(d3 => d3.version)") == "7.9.2"
    wait_for_python_ready(page)
    set_code(page, SOLUTION)
    run_button(page).click()
    expect_all_cases_pass(page)


def test_a_cdn_that_never_answers_does_not_freeze_the_lesson(page: Page, live_server: str) -> None:
    console = watch_console(page)
    held: list[Route] = []
    # The route is never fulfilled: the request stays open, as with a CDN that hangs.
    page.route(f"{CDN}**", lambda route: held.append(route))
    lesson_works_without_the_cdn(page, live_server)
    assert held, "the page must still try the CDN first"
    assert page.evaluate("!!document.querySelector('script#d3-local')")
    assert console.errors == []


def test_tampered_cdn_bytes_are_refused_and_the_local_copy_is_used(
    page: Page, live_server: str
) -> None:
    tampered = LOCAL_D3.read_bytes() + b"\nwindow.tampered = true;\n"

    def serve_tampered(route: Route) -> None:
        route.fulfill(
            status=200,
            body=tampered,
            headers={"Content-Type": "text/javascript", "Access-Control-Allow-Origin": "*"},
        )

    page.route(f"{CDN}**", serve_tampered)
    lesson_works_without_the_cdn(page, live_server)
    assert page.evaluate("window.tampered") is None, "bytes failing SRI must never run"
    assert page.evaluate("!!document.querySelector('script#d3-local')")


@pytest.fixture
def server_and_app(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """A live server whose database this test can count rows in."""
    app = create_app(
        {"SECRET_KEY": "robustness", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.db'}"}
    )
    server = make_server("127.0.0.1", 0, close_every_response(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()


def stored_submissions(app: Flask) -> int:
    with app.app_context():
        return len(db.session.execute(db.select(Submission)).scalars().all())


def test_double_clicking_submit_stores_one_submission(
    page: Page, server_and_app: tuple[str, Flask]
) -> None:
    base, app = server_and_app
    hold_python(page)
    open_lesson(page, base, wait_for_python=False)
    set_code(page, SOLUTION)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    submit = section(page).locator("button.submit")

    submit.dblclick()
    expect(result(page).locator(".report")).to_have_attribute(
        "data-verdict", "passed", timeout=20_000
    )
    expect(submit).to_be_enabled()  # given back once the verdict is in
    page.wait_for_timeout(500)  # room for a second request, had one been sent
    assert len(posts) == 1, posts
    assert stored_submissions(app) == 1

    set_code(page, SOLUTION + "\n# tidied\n")
    submit.click()  # a deliberate Submit of changed code is a new submission
    expect(result(page).locator(".report .meta")).to_contain_text("#2", timeout=20_000)
    assert stored_submissions(app) == 2


def test_submit_is_disabled_while_grading(page: Page, live_server: str) -> None:
    hold_python(page)
    open_lesson(page, live_server, wait_for_python=False)
    held: list[Route] = []
    page.route("**/exercises/*/submit", lambda route: held.append(route))
    submit = section(page).locator("button.submit")
    submit.click()
    expect(submit).to_be_disabled()
    submit.click(force=True)
    page.wait_for_timeout(300)
    assert len(held) == 1
    held[0].continue_()
    expect(result(page).locator(".report")).to_be_visible(timeout=20_000)
    expect(submit).to_be_enabled()
