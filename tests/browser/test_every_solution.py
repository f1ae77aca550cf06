"""Every exercise's reference solution passes its practice cases in the browser's Pyodide, so the
bundle the browser loads and the exercises on disk cannot drift apart unnoticed."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ._learner import ROOT, block_cdn, expect_all_cases_pass, result, set_code, watch_console

LESSONS = sorted((ROOT / "lessons").glob("*/lesson.toml"))


@pytest.mark.parametrize("manifest", LESSONS, ids=[p.parent.name for p in LESSONS])
def test_reference_solutions_pass_in_the_browser(
    page: Page, live_server: str, manifest: Path
) -> None:
    lesson = tomllib.loads(manifest.read_text())
    exercises = lesson.get("exercises", [])
    assert exercises, f"{manifest} lists no exercises"
    console = watch_console(page)
    block_cdn(page)
    page.goto(f"{live_server}/lessons/{lesson['id']}")
    # Pyodide can take well over 30 s on a loaded two-core machine.
    expect(page.locator("#python-status")).to_have_attribute("data-state", "ready", timeout=120_000)
    for exercise in exercises:
        solution = (manifest.parent / "exercises" / exercise / "solution.py").read_text()
        run = page.locator(f"#exercise-{exercise} button.run")
        set_code(page, solution, exercise)  # scrolled to, as a learner does: Run comes with it
        expect(run).to_be_enabled(timeout=30_000)
        run.click()
        expect(result(page, exercise).locator(".report")).to_be_visible(timeout=10_000)
        expect_all_cases_pass(page, exercise)
    assert console.errors == []
