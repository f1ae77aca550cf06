"""Progress made in a browser without an account is offered once at sign-up / sign-in (#14):
accepting sends each solved exercise's code to the server, which grades it like any Submit (a
Run the browser calls solved is not trusted) and records the concept-check answers, so another
device signed in to the account sees them; declining keeps the progress in this browser only.

The progress gets into the browser through the progress page's import (what a learner does to
carry it from another browser), so no test here waits for Pyodide."""

from __future__ import annotations

import json
import time
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from ._learner import ROOT, block_cdn

EXERCISES = ROOT / "lessons/05-hypervisors/exercises"
LESSON = "hypervisors"
PASSWORD = "a good password"


def progress_file(tmp_path: Path) -> Path:
    """io-path solved with its solution; vcpu-run-loop *claimed* solved with its starter code,
    which the server's grading fails; one concept-check answer."""
    at = "2026-11-20T10:00:00.000Z"
    solved = {
        "lesson": LESSON,
        "passed": 4,
        "total": 4,
        "solved": True,
        "solvedAt": at,
        "updatedAt": at,
    }
    doc = {
        "format": "virttutor-progress",
        "version": 1,
        "exportedAt": at,
        "records": {
            "exercise:io-path": solved,
            "exercise:vcpu-run-loop": solved,
            f"check:{LESSON}:0": {"choice": "1", "right": True, "at": at},
            f"lesson:{LESSON}": {"visitedAt": at},
        },
        "code": {
            "io-path": (EXERCISES / "io-path/solution.py").read_text(),
            "vcpu-run-loop": (EXERCISES / "vcpu-run-loop/starter.py").read_text(),
        },
    }
    path = tmp_path / "progress.json"
    path.write_text(json.dumps(doc))
    return path


def new_page(context: BrowserContext) -> Page:
    page = context.new_page()
    page.set_default_timeout(60_000)
    block_cdn(page)
    return page


def progress_shown(page: Page) -> None:
    page.wait_for_function("window.virttutor && window.virttutor.progressShown")
    page.evaluate("window.virttutor.progressShown")


def study_without_account(page: Page, base: str, file: Path) -> None:
    page.goto(f"{base}/my-progress")
    progress_shown(page)
    page.get_by_label("Import progress file").set_input_files(file)
    expect(page.locator(".progress-message")).to_contain_text("Imported")


def sign_up(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Your name").fill("Self Studier")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("link", name="Self Studier")).to_be_visible()


def sign_in_elsewhere(browser: Browser, base: str, email: str) -> tuple[BrowserContext, Page]:
    """Another device: a new browser with nothing stored, signed in to the account."""
    context = browser.new_context(service_workers="block")
    page = new_page(context)
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Self Studier")).to_be_visible()
    return context, page


def outline_count(page: Page, base: str) -> str:
    page.goto(f"{base}/")
    progress_shown(page)
    return page.locator(f"ol.outline li[data-lesson-id={LESSON}] .progress").inner_text()


def offer(page: Page) -> Locator:
    return page.get_by_role("region", name="Progress from this browser")


def test_progress_is_offered_once_and_graded_on_the_server(
    browser: Browser, context: BrowserContext, live_server: str, tmp_path: Path
) -> None:
    email = f"offer{time.time_ns()}@example.org"
    page = new_page(context)
    study_without_account(page, live_server, progress_file(tmp_path))

    sign_up(page, live_server, email)
    expect(offer(page)).to_contain_text("exercises solved: 2; concept checks answered: 1")
    offer(page).get_by_role("button", name="Bring it into my account").click()
    status = offer(page).get_by_role("status")
    # Both were graded by the server; only the real solution passed.
    expect(status).to_contain_text(
        "solutions graded on the server: 2 (1 passed; already solved there: 0); "
        "concept-check answers recorded: 1",
        timeout=120_000,
    )
    expect(offer(page).get_by_role("button")).to_have_count(0)

    # Offered once: the next pages of this browser do not ask again.
    page.goto(f"{live_server}/my-progress")
    progress_shown(page)
    expect(offer(page)).to_have_count(0)
    # This browser keeps its own record as it was.
    expect(page.locator("li[data-exercise-id=io-path] .record-result")).to_contain_text("solved")

    # Another device signed in to the account sees what the server graded, and is offered nothing.
    other, elsewhere = sign_in_elsewhere(browser, live_server, email)
    try:
        assert outline_count(elsewhere, live_server).startswith("1 of 4")
        expect(offer(elsewhere)).to_have_count(0)
    finally:
        other.close()


def test_declining_keeps_the_progress_in_the_browser_only(
    browser: Browser, context: BrowserContext, live_server: str, tmp_path: Path
) -> None:
    email = f"decline{time.time_ns()}@example.org"
    page = new_page(context)
    study_without_account(page, live_server, progress_file(tmp_path))

    sign_up(page, live_server, email)
    offer(page).get_by_role("button", name="No, keep it in this browser only").click()
    expect(offer(page).get_by_role("status")).to_contain_text("Kept in this browser only")
    expect(offer(page).get_by_role("button")).to_have_count(0)

    page.reload()
    progress_shown(page)
    expect(offer(page)).to_have_count(0)
    page.goto(f"{live_server}/my-progress")
    progress_shown(page)
    expect(page.locator("li[data-exercise-id=io-path] .record-result")).to_contain_text("solved")
    # This browser's own record: both exercises its Runs called solved.
    assert outline_count(page, live_server).startswith("2 of 4")

    other, elsewhere = sign_in_elsewhere(browser, live_server, email)
    try:
        assert outline_count(elsewhere, live_server).startswith("0 of 4")  # nothing was sent
    finally:
        other.close()
