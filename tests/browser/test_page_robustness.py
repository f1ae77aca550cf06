"""The lesson page survives a bad network and impatient hands: a CDN that hangs or serves
tampered bytes, a double-clicked Submit, a browser without JavaScript, unknown addresses."""

from __future__ import annotations

import time

from playwright.sync_api import Page, Route, expect

from ._learner import (
    CDN,
    LESSON,
    ROOT,
    SOLUTION,
    expect_all_cases_pass,
    result,
    run_button,
    section,
    set_code,
    wait_for_python_ready,
    watch_console,
)

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
