"""Progress kept in the browser without an account (#14): solve a lesson, reload and see it;
export it, lose the browser's storage, import the file and see it all back."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from ._learner import (
    block_cdn,
    editor_code,
    expect_all_cases_pass,
    run_button,
    set_code,
    wait_for_python_ready,
)

ROOT = Path(__file__).resolve().parents[2]
LESSON = "hypervisors"
EXERCISES = sorted(p.name for p in (ROOT / "lessons/05-hypervisors/exercises").iterdir())


def solution(exercise: str) -> str:
    return (ROOT / "lessons/05-hypervisors/exercises" / exercise / "solution.py").read_text()


def shown(page: Page) -> None:
    """Waits until the page shows what the browser has stored."""
    page.wait_for_function("window.virttutor && window.virttutor.progressShown")
    page.evaluate("window.virttutor.progressShown")


def outline_entry(page: Page, base: str) -> Locator:
    page.goto(base + "/")
    shown(page)
    return page.locator(f"ol.outline li[data-lesson-id={LESSON}]")


def test_solved_lesson_survives_reload_export_and_import(
    page: Page, live_server: str, tmp_path: Path
) -> None:
    block_cdn(page)
    recorded: list[str] = []  # answers sent to the server, one per Check a learner clicks
    page.on(
        "request",
        lambda request: (
            recorded.append(request.url)
            if request.method == "POST" and "/checks/" in request.url
            else None
        ),
    )
    page.goto(f"{live_server}/lessons/{LESSON}")
    shown(page)
    checks = page.locator(".concept-check fieldset.check").all()
    for fieldset in checks:
        answer = fieldset.get_attribute("data-answer")
        fieldset.locator(f"input[value='{answer}']").check()
        fieldset.locator("button.check-answer").click()
    expect(page.locator(".check-feedback.right")).to_have_count(len(checks))
    for _ in range(50):  # each click's POST has gone out
        if len(recorded) >= len(checks):
            break
        page.wait_for_timeout(100)
    assert len(recorded) == len(checks), recorded
    wait_for_python_ready(page)
    for exercise in EXERCISES:
        set_code(page, solution(exercise), exercise)
        run_button(page, exercise).click()
        expect_all_cases_pass(page, exercise)
    # Each Run is written to IndexedDB after the report shows; the lesson's completion follows.
    page.wait_for_function(
        "n => document.querySelectorAll('#main .solved-mark').length === n", arg=len(EXERCISES)
    )

    page.reload()
    shown(page)
    expect(page.locator(".solved-mark")).to_have_count(len(EXERCISES))
    expect(page.locator(".check-feedback.right")).to_have_count(
        page.locator(".concept-check fieldset.check").count()
    )
    # Showing the stored answers again sends none of them (each would count an attempt, and an
    # older answer would replace a newer one from another device).
    page.wait_for_timeout(300)
    assert len(recorded) == len(checks), recorded
    entry = outline_entry(page, live_server)
    expect(entry.locator(".lesson-tick")).to_contain_text("completed")
    expect(entry.locator(".progress")).to_have_text(
        f"{len(EXERCISES)} of {len(EXERCISES)} exercises solved"
    )
    expect(page.locator(".continue-reading a")).to_have_attribute(
        "href", re.compile(f"/lessons/{LESSON}$")
    )

    page.goto(f"{live_server}/my-progress")
    shown(page)
    row = page.locator(f"tr.record-lesson[data-lesson-id={LESSON}]")
    expect(row.locator(".record-status")).to_contain_text("completed")
    with page.expect_download() as download:
        page.click("button.export-progress")
    exported = tmp_path / "progress.json"
    download.value.save_as(exported)
    doc = json.loads(exported.read_text())
    assert doc["code"]["vcpu-run-loop"] == solution("vcpu-run-loop")

    # A damaged file is refused with a reason, and what is stored stays as it was.
    damaged = tmp_path / "damaged.json"
    doc_bad = {**doc, "records": {**doc["records"], "exercise:io-path": {"passed": 9, "total": 1}}}
    damaged.write_text(json.dumps(doc_bad))
    page.set_input_files("input.import-file", damaged)
    expect(page.locator(".progress-message")).to_contain_text("is damaged")
    expect(page.locator(".progress-message")).to_contain_text("Nothing was changed")
    expect(row.locator(".record-status")).to_contain_text("completed")

    # The browser forgets everything: nothing shows as done any more.
    page.evaluate(
        """() => new Promise((resolve, reject) => {
             localStorage.clear();
             const request = indexedDB.deleteDatabase("virttutor");
             request.onsuccess = resolve; request.onerror = reject; request.onblocked = resolve;
           })"""
    )
    page.reload()
    shown(page)
    expect(row.locator(".record-status")).to_have_text("not started")
    expect(row.locator("li[data-solved=true]")).to_have_count(0)

    page.set_input_files("input.import-file", exported)
    expect(page.locator(".progress-message")).to_contain_text("Imported")
    expect(row.locator(".record-status")).to_contain_text("completed")
    expect(row.locator("li[data-solved=true]")).to_have_count(len(EXERCISES))

    entry = outline_entry(page, live_server)
    expect(entry.locator(".lesson-tick")).to_contain_text("completed")
    page.goto(f"{live_server}/lessons/{LESSON}")
    shown(page)
    expect(page.locator(".solved-mark")).to_have_count(len(EXERCISES))
    assert editor_code(page, "vcpu-run-loop") == solution("vcpu-run-loop")

    # Offline, Submit says it needs the network, and the code stays.
    page.context.set_offline(True)
    page.locator("#exercise-vcpu-run-loop button.submit").click()
    expect(page.locator("#result-vcpu-run-loop")).to_contain_text("Submit needs the network")
    assert editor_code(page, "vcpu-run-loop") == solution("vcpu-run-loop")
    page.context.set_offline(False)
