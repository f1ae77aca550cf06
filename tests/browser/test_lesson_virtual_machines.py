"""Lesson 1 in real Chromium: the machine-slices animation played to its end in both languages,
checked against the model's own slices, and an exercise solved (after a failing run replayed)
through the editor and Run."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tutor.web.slice_scenes import machine_slices

from ._learner import (
    ROOT,
    block_cdn,
    open_animation,
    play_to_end,
    practice_count,
    result,
    run_button,
    set_code,
)

LESSON = "/lessons/virtual-machines"
EXERCISE = "who-sees-what"
FOLDER = ROOT / "lessons/01-virtual-machines/exercises" / EXERCISE
DATA = machine_slices()
SCENES = {scene["id"]: scene["events"] for scene in DATA["scenes"]}
# The last sentence of each lesson scene, in each language: the model's last event, narrated.
LAST = {
    ("carve", "en"): "big asks for 16 pages of memory, but only 8 are left",
    ("carve", "zh"): "big 申请 16 页内存，但只剩 8",
    ("isolation", "en"): "db reads its page 0, which is host page 24, and sees 0.",
    ("isolation", "zh"): "db 读取自己的第 0 页，也就是宿主机第 24 页，看到的是 0。",
    ("files", "en"): "web reads its block 3, which is host block 3, and sees 33.",
    ("files", "zh"): "web 读取自己的第 3 块，也就是宿主机第 3 块，看到的是 33。",
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_scene_plays_to_its_end_and_draws_the_models_slices(
    page: Page, live_server: str, language: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    open_animation(page, live_server, LESSON, language)
    for scene in ("carve", "isolation", "files"):
        play_to_end(page, scene, len(SCENES[scene]))
        live = page.locator(".viz-live")
        expect(live).to_contain_text(LAST[(scene, language)])
        expect(live).to_contain_text("End of the animation." if language == "en" else "动画结束")
        # Every slice the model carved is drawn where the model put it, page by page.
        for event in SCENES[scene]:
            if event["kind"] != "slice.carve":
                continue
            start, end = event["memory"]
            owned = page.locator(f".ms-memory .ms-cell[data-owner='{event['guest']}']")
            expect(owned).to_have_count(end - start)
            assert owned.first.get_attribute("data-index") == str(start)
            expect(
                page.locator(f".ms-cores .ms-cell[data-owner='{event['guest']}']")
            ).to_have_count(len(event["cores"]))
        # Legible on a phone: no text of the drawing under 12 px, no sideways scroll.
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('svg.machine-slices text')]
                .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
        )
        assert smallest >= 12
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Each write landed in its own guest's slice, and the refused one nowhere.
    written = page.locator(".ms-memory .ms-cell.is-written")
    expect(written).to_have_count(0)  # the files scene: the restart wiped web's memory
    expect(page.locator(".ms-disk .ms-cell.is-written[data-owner='web']")).to_have_count(1)
    assert errors == []


def test_isolation_scene_shows_each_write_in_its_own_slice(page: Page, live_server: str) -> None:
    open_animation(page, live_server, LESSON, "en")
    page.select_option(".viz-scene", "isolation")
    page.locator(".viz-stage").focus()
    for _ in range(5):  # host, two carves, web writes page 2, db writes page 2
        page.keyboard.press("ArrowRight")
    web = page.locator(".ms-memory .ms-cell.is-written[data-owner='web']")
    db = page.locator(".ms-memory .ms-cell.is-written[data-owner='db']")
    expect(web.locator(".ms-value")).to_have_text("7")
    expect(db.locator(".ms-value")).to_have_text("9")
    assert web.get_attribute("data-index") == "10" and db.get_attribute("data-index") == "26"
    for _ in range(5):  # ... up to web's refused write past its last page
        page.keyboard.press("ArrowRight")
    refused = page.locator(".ms-memory .ms-cell.is-refusedAccess")
    expect(refused).to_have_attribute("data-owner", "db")
    expect(refused).not_to_have_class(re.compile(r"\bis-written\b"))
    expect(page.locator(".viz-live")).to_contain_text("bounds check refuses it")


def test_a_failing_run_is_replayed_then_the_solution_passes(page: Page, live_server: str) -> None:
    block_cdn(page)
    page.goto(f"{live_server}{LESSON}")
    # Pyodide can take well over 30 s on a loaded two-core machine.
    expect(page.locator("#python-status")).to_have_attribute("data-state", "ready", timeout=120_000)
    set_code(page, (FOLDER / "wrong/one_shared_memory.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    report = result(page, EXERCISE).locator(".report")
    expect(report).to_have_attribute("data-verdict", "failed", timeout=20_000)
    report.locator("li.case.fail button.replay").first.click()
    viz = page.locator(".viz")
    panel = viz.locator(".viz-verdict")
    expect(panel).to_have_class(re.compile(r"\bis-failed\b"))
    expect(panel).to_contain_text("✗")
    expect(panel).to_contain_text("is a different host frame")
    panel.locator("button.viz-to-departure").click()
    expect(viz).to_have_class(re.compile(r"\bis-departed\b"))
    expect(viz.locator(".viz-live")).to_contain_text("but the model's read saw")
    forward = viz.locator("button.viz-forward")
    while forward.get_attribute("aria-disabled") != "true":
        forward.click()
    expect(viz.locator(".viz-live")).to_contain_text("it does not match the model's")

    set_code(page, (FOLDER / "solution.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    expect(report).to_have_attribute("data-verdict", "passed", timeout=20_000)
    expect(report.locator("li.case.fail")).to_have_count(0)
    expect(report.locator("li.case.pass")).to_have_count(practice_count(FOLDER))
