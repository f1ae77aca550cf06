"""Lesson 10 in real Chromium: the page-map animation played to its end in both languages and
checked against the model's own run, a failing prediction replayed, and an exercise solved
through the editor and Run."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tutor.web.memory_scenes import page_map

from ._learner import (
    ROOT,
    open_animation,
    open_lesson,
    play_to_end,
    practice_count,
    replay_first_failure,
    result,
    run_button,
    set_code,
)

LESSON = "/lessons/memory-virtualization"
FOLDER = ROOT / "lessons/10-memory-virtualization/exercises"
DATA = page_map()
SCENES = {scene["id"]: scene["events"] for scene in DATA["scenes"]}
LAST = {
    ("share", "en"): "Guest B writes 9 to its page 0, in frame 1.",
    ("share", "zh"): "客户机 B 把 9 写入它的页 0，位于页框 1。",
    ("balloon", "en"): "Guest B writes 22 to its page 2, in frame 4.",
    ("balloon", "zh"): "客户机 B 把 22 写入它的页 2，位于页框 4。",
    ("belady", "en"): "More frames, more misses: Belady's anomaly (9 with 3 frames, 10 with 4).",
    ("belady", "zh"): "这就是 Belady 异常（3 个页框 9 次，4 个页框 10 次）。",
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_scene_plays_to_its_end_and_draws_the_models_run(
    page: Page, live_server: str, language: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    open_animation(page, live_server, LESSON, language)
    for scene in ("share", "balloon", "belady"):
        play_to_end(page, scene, len(SCENES[scene]))
        live = page.locator(".viz-live")
        expect(live).to_contain_text(LAST[(scene, language)])
        expect(live).to_contain_text("End of the animation." if language == "en" else "动画结束")
        if scene == "share":
            # After the write: one frame still shared by five pages, four frames in use.
            expect(page.locator(".pm-cell[data-state='shared'][data-mpn]")).to_have_count(1)
            expect(page.locator(".pm-cell[data-mpn][data-owners='5']")).to_have_count(1)
            expect(page.locator(".pm-cell[data-mpn]:not([data-state='free'])")).to_have_count(4)
        if scene == "balloon":
            expect(page.locator(".pm-cell[data-guest='A'][data-state='balloon']")).to_have_count(3)
            expect(page.locator(".pm-cell[data-mpn][data-state='free']")).to_have_count(1)
        if scene == "belady":
            misses = page.locator(".pm-run").evaluate_all(
                "els => els.map(e => [e.dataset.frames, e.dataset.misses])"
            )
            assert misses == [["3", "9"], ["4", "10"]]
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('svg.page-map text')]
                .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
        )
        assert smallest >= 12
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


def test_a_failing_prediction_is_replayed_then_the_solution_passes(
    page: Page, live_server: str
) -> None:
    exercise = "page-sharing"
    open_lesson(page, live_server, lesson=LESSON, exercise=exercise)
    set_code(page, (FOLDER / exercise / "wrong/writes_are_free.py").read_text(), exercise)
    run_button(page, exercise).click()
    viz = replay_first_failure(page, exercise, ("✗", "copy-on-write"), timeout=60_000)
    # The replay drew the model's run of the learner's case, ending after the writes.
    expect(viz.locator("svg.page-map")).to_have_class(re.compile(r"\bis-failed-run\b"))
    expect(viz.locator(".pm-cell[data-mpn]").first).to_be_visible()

    set_code(page, (FOLDER / exercise / "solution.py").read_text(), exercise)
    run_button(page, exercise).click()
    report = result(page, exercise).locator(".report")
    expect(report).to_have_attribute("data-verdict", "passed", timeout=60_000)
    expect(report.locator("li.case.fail")).to_have_count(0)
    expect(report.locator("li.case.pass")).to_have_count(practice_count(FOLDER / exercise))
