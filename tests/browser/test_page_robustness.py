"""The lesson page survives a bad network and impatient hands: a CDN that hangs or serves
tampered bytes, a double-clicked Submit, a browser without JavaScript, unknown addresses."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Route, expect

from tutor.web import create_app
from tutor.web.extensions import db
from tutor.web.local_server import served
from tutor.web.models import Submission

from ._learner import (
    CDN,
    EXERCISE,
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

LOCAL_D3 = ROOT / "static/vendor/d3-selection-3.0.1/dist/d3-selection.min.js"
# d3's modules all arrived: selections, and transitions on them.
D3_WORKS = "window.d3Ready.then(d3 => [typeof d3.select, typeof d3.select('body').transition])"
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
    # Scrolled to, as a learner does: an exercise far below gets its editor when it nears the
    # screen (#15).
    section(page).scroll_into_view_if_needed(timeout=FEW_SECONDS_MS)
    expect(section(page).locator(".CodeMirror")).to_be_visible(timeout=FEW_SECONDS_MS)
    mounted_animation(page)
    assert time.monotonic() - started < FEW_SECONDS_MS / 1000
    assert page.evaluate(D3_WORKS) == ["function", "function"]
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


def test_a_lesson_data_file_that_fails_is_named_and_run_asks_for_it_again(
    page: Page, live_server: str
) -> None:
    """The scenes and expected traces come in a file of their own (#15): when it cannot be had,
    the animation and Run say so, and the next Run, once the network is back, works."""
    refused: list[str] = []
    offline = [True]

    def flaky(route: Route) -> None:
        if offline[0]:
            refused.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/lessons/*/data.json*", flaky)
    open_lesson(page, live_server)
    expect(page.locator(".viz .viz-problem")).to_contain_text("could not load its scenes")
    set_code(page, SOLUTION)
    run_button(page).click()
    expect(result(page)).to_contain_text("Run could not load what it checks your code against")
    expect(run_button(page)).to_be_enabled()
    offline[0] = False
    run_button(page).click()  # asked for again: it comes through now
    expect_all_cases_pass(page)
    assert refused and all("/lessons/hypervisors/data.json?v=" in url for url in refused)


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
        {
            "SECRET_KEY": "robustness",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.db'}",
            "QUEUE_URL": "immediate",  # graded inside the request: this server runs no worker
        }
    )
    with served(close_every_response(app)) as base:
        yield base, app


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
    submit.focus()
    page.keyboard.press("Enter")
    # Disabled for a second press (aria-disabled), yet still focused: a disabled button dropped
    # keyboard focus to <body>, where a screen reader loses its place.
    expect(submit).to_have_attribute("aria-disabled", "true")
    expect(submit).to_be_focused()
    submit.click(force=True)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert len(held) == 1
    held[0].continue_()
    expect(result(page).locator(".report")).to_be_visible(timeout=20_000)
    expect(submit).to_be_enabled()
    expect(submit).to_be_focused()


def test_without_javascript_the_page_says_so_and_submit_still_grades(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server + LESSON)
        note = page.get_by_role("note").filter(has_text="JavaScript")
        expect(note).to_be_visible()
        expect(note).to_contain_text("Python exercises need JavaScript")
        expect(note).to_contain_text("Submit")
        # Nothing that only a script could finish is left spinning or dangling.
        expect(page.locator("#python-status")).to_be_hidden()
        expect(page.locator(".viz")).to_be_hidden()
        expect(run_button(page)).to_be_hidden()

        form = section(page)
        form.locator("textarea").fill(SOLUTION)
        form.get_by_role("button", name="Submit").click()
        expect(page).to_have_url(re.compile(r"/exercises/vcpu-run-loop/submit$"))
        report = page.locator(".report")
        expect(report).to_have_attribute("data-verdict", "passed", timeout=20_000)
        expect(report).to_contain_text("graded")
        expect(page.locator("link[href*='/site.css?v=']")).to_have_count(1)
        page.get_by_role("link", name="Back to the lesson").click()
        expect(page).to_have_url(re.compile(re.escape(LESSON)))

        page.goto(live_server + LESSON + "?lang=zh")
        expect(page.get_by_role("note").filter(has_text="JavaScript")).to_contain_text(
            "Python 练习需要 JavaScript"
        )
    finally:
        context.close()


def test_language_switch_keeps_the_place_and_the_results(page: Page, live_server: str) -> None:
    console = watch_console(page)
    page.set_viewport_size({"width": 1280, "height": 720})
    open_lesson(page, live_server)
    # A Run that fails some practice cases, and a Submit on another exercise.
    set_code(page, "def run_vm(vcpu, devices):\n    return None\n")
    run_button(page).click()
    run_report = result(page).locator(".report")
    expect(run_report).to_have_attribute("data-verdict", re.compile("failed|error"))
    verdict = run_report.get_attribute("data-verdict")
    cases = run_report.locator("li.case").count()
    english_run = run_report.inner_text()

    other = "io-path"
    set_code(page, "def path(kind, operation):\n    return []\n", exercise=other)
    section(page, other).locator("button.submit").click()
    submitted = result(page, other).locator(".report")
    expect(submitted).to_have_attribute("data-verdict", "failed", timeout=20_000)
    english_submit = submitted.inner_text()

    # The learner is reading their Run's result: it sits near the top of the window.
    page.evaluate(
        "id => { const r = document.querySelector(`#result-${id}`);"
        " window.scrollTo(0, r.getBoundingClientRect().top + scrollY - 120); }",
        EXERCISE,
    )
    assert page.evaluate("scrollY") > 1000
    # The header is sticky: the switch is at hand right there (a real click, not Playwright's
    # click, which scrolls its target "into view" first).
    switch = page.get_by_role("link", name="中文").bounding_box()
    assert switch and 0 <= switch["y"] < 100, "the language switch is in view mid-lesson"
    page.mouse.click(switch["x"] + switch["width"] / 2, switch["y"] + switch["height"] / 2)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    run_report = result(page).locator(".report")
    expect(run_report).to_have_attribute("data-verdict", verdict or "")
    expect(run_report.locator("li.case")).to_have_count(cases)
    expect(run_report).to_contain_text(re.compile("[\u4e00-\u9fff]"))
    assert run_report.inner_text() != english_run
    submitted = result(page, other).locator(".report")
    expect(submitted).to_have_attribute("data-verdict", "failed")
    expect(submitted).to_contain_text(re.compile("[\u4e00-\u9fff]"))
    assert submitted.inner_text() != english_submit

    expect(page.locator(".viz")).to_have_attribute("data-viz-mounted", "true")
    top = result(page).evaluate("r => r.getBoundingClientRect().top")
    assert 0 <= top < 720 / 2, f"the Run result should still be where it was, not at {top}"
    assert console.errors == []


def test_a_reload_while_a_submit_is_on_its_way_shows_that_submission(
    page: Page, live_server: str
) -> None:
    """The Submit's answer never reaches a page reloaded (or switched to another language) while
    it was graded: the new page shows the learner's newest submission — pending, then its
    verdict — not the one before it, nor nothing."""
    open_lesson(page, live_server)
    other = "io-path"
    set_code(page, "def path(kind, operation):\n    return []\n", exercise=other)
    section(page, other).locator("button.submit").click()
    first = result(page, other).locator(".report")
    expect(first).to_have_attribute("data-verdict", "failed", timeout=20_000)
    earlier = int(re.findall(r"Submission #(\d+)", first.inner_text())[0])
    # Code the grader takes a moment over, and the page reloaded as soon as it is sent.
    slow = "import time\ndef path(kind, operation):\n    time.sleep(0.3)\n    return ['vm']\n"
    set_code(page, slow, exercise=other)
    with page.expect_request(lambda r: r.url.endswith(f"/exercises/{other}/submit")):
        section(page, other).locator("button.submit").click()
    page.reload()
    report = result(page, other).locator(".report")
    expect(report).to_contain_text(f"Submission #{earlier + 1}", timeout=20_000)
    expect(report).not_to_have_attribute("data-verdict", "pending", timeout=30_000)
    expect(report).to_contain_text(f"Submission #{earlier + 1}")
    page.get_by_role("link", name="中文").click()  # the same after a language switch
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(result(page, other).locator(".report")).to_contain_text(f"{earlier + 1}")


def test_an_unknown_address_gets_the_sites_own_page_in_both_languages(
    page: Page, live_server: str
) -> None:
    response = page.goto(live_server + "/lessons/no-such-lesson")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator(".site-header")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(251, 251, 248)"
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("找不到这个页面")
    page.get_by_role("link", name="前往课程大纲").click()
    expect(page).to_have_url(live_server + "/")
