"""Lesson 8 in real Chromium: the technique-costs animation played to its end in both languages
and checked against the model's totals, and the break-even exercise solved through the editor
and Run after a failing prediction is replayed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tutor.web.isa_scenes import technique_costs

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

LESSON = "/lessons/bt-vs-hardware-assist"
EXERCISE = "break-even"
FOLDER = ROOT / "lessons/08-bt-vs-hardware-assist/exercises" / EXERCISE
DATA = technique_costs()
SCENES = {scene["id"]: scene["events"] for scene in DATA["scenes"]}


def totals(scene: str) -> dict[str, int]:
    return SCENES[scene][-1]["cycles"]


def grouped(n: int, language: str) -> str:
    return f"{n:,}"  # en-US and zh-CN both group thousands with commas


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_scenes_play_to_their_end_with_the_models_totals(
    page: Page, live_server: str, language: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    open_animation(page, live_server, LESSON, language)
    # 2006: BT wins the page-table-heavy build; with nested paging hardware assist does.
    for scene, winner in (("compile-2006", "bt"), ("compile-nested", "hw")):
        play_to_end(page, scene, len(SCENES[scene]))
        assert SCENES[scene][-1]["cheaper"] == winner
        live = page.locator(".viz-live")
        expect(live).to_contain_text(grouped(totals(scene)["hw"], language))
        expect(live).to_contain_text("End of the animation." if language == "en" else "动画结束")
        expect(page.locator(".tc-verdict")).to_have_attribute("data-cheaper", winner)
        for technique, cycles in totals(scene).items():
            expect(
                page.locator(f".tc-bar[data-technique='{technique}'] .tc-bar-label")
            ).to_contain_text(grouped(cycles, language))
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('svg.technique-costs text')]
                .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
        )
        assert smallest >= 12
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


def test_the_pte_write_step_names_the_operation_that_decides(page: Page, live_server: str) -> None:
    open_animation(page, live_server, LESSON, "en")
    page.select_option(".viz-scene", "compile-2006")
    page.locator(".viz-stage").focus()
    events = SCENES["compile-2006"]
    at = next(i for i, e in enumerate(events) if e.get("op") == "pte_write")
    for _ in range(at + 1):
        page.keyboard.press("ArrowRight")
    gap = events[at]["cycles"]["hw"] - events[at]["cycles"]["bt"]
    live = page.locator(".viz-live")
    expect(live).to_contain_text("2,000 PTE writes")
    expect(live).to_contain_text(f"puts BT ahead by {gap:,} cycles")


def test_a_wrong_prediction_is_replayed_then_the_solution_passes(
    page: Page, live_server: str
) -> None:
    open_lesson(page, live_server, lesson=LESSON, exercise=EXERCISE)
    set_code(page, (FOLDER / "wrong/off_by_one.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    viz = replay_first_failure(
        page, EXERCISE, ("✗", "still finds hardware assist no slower"), 60_000
    )
    # The replay drew the model's own check of the learner's number: hardware assist still won.
    expect(viz.locator(".tc-verdict")).to_have_attribute("data-cheaper", "hw")

    set_code(page, (FOLDER / "solution.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    report = result(page, EXERCISE).locator(".report")
    expect(report).to_have_attribute("data-verdict", "passed", timeout=60_000)
    expect(report.locator("li.case.fail")).to_have_count(0)
    expect(report.locator("li.case.pass")).to_have_count(practice_count(FOLDER))
