"""Lesson 6 in real Chromium: the consolidation animation played to its end in both languages
and checked against the model's own run, and an exercise solved (after a failing run replayed)
through the editor and Run."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tutor.web.consolidation_scenes import consolidation

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

LESSON = "/lessons/why-virtual-machines"
EXERCISE = "snapshot-rollback"
FOLDER = ROOT / "lessons/06-why-virtual-machines/exercises" / EXERCISE
DATA = consolidation()
SCENES = {scene["id"]: scene["events"] for scene in DATA["scenes"]}
CONSOLIDATE = "consolidate/10x15"
# The last sentence of each lesson scene, in each language: the model's last event, narrated.
LAST = {
    (CONSOLIDATE, "en"): "Done: 2 hosts instead of 10; 1,150 W became 350 W, 70 % less.",
    (CONSOLIDATE, "zh"): "完成：10 台宿主机变成 2 台；1,150 W 降到 350 W，减少 70 %。",
    ("snapshot", "en"): "The smoke test passes",
    ("snapshot", "zh"): "冒烟测试通过",
    ("architecture", "en"): "QEMU TCG on x86-a translates its arm64 instructions",
    ("architecture", "zh"): "x86-a 上的 QEMU TCG 把它的 arm64 指令",
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_scene_plays_to_its_end_and_draws_the_models_run(
    page: Page, live_server: str, language: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    open_animation(page, live_server, LESSON, language)
    for scene in (CONSOLIDATE, "snapshot", "architecture"):
        play_to_end(page, scene, len(SCENES[scene]))
        live = page.locator(".viz-live")
        expect(live).to_contain_text(LAST[(scene, language)])
        expect(live).to_contain_text("End of the animation." if language == "en" else "动画结束")
        if scene == CONSOLIDATE:
            # The hosts the model switched off are drawn off, and the meter reads its watts.
            done = next(e for e in SCENES[scene] if e["kind"] == "fleet.consolidated")
            off = int(done["hosts_before"]) - int(done["hosts_after"])
            expect(page.locator(".cons-host[data-on='false']")).to_have_count(off)
            expect(page.locator(".cons-host[data-on='true']")).to_have_count(2)
            expect(page.locator(".cons-watts")).to_have_text("350 W")
        if scene == "snapshot":
            # The rollback's hash is the snapshot's: said in words, in green, on a lesson scene.
            expect(page.locator(".cons-snapshot .is-good")).to_contain_text(
                "identical" if language == "en" else "完全相同"
            )
        # Legible on a phone: no text of the drawing under 12 px, no sideways scroll.
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('svg.consolidation text')]
                .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
        )
        assert smallest >= 12
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


def test_a_move_leaves_the_meter_unchanged_and_a_power_off_lowers_it(
    page: Page, live_server: str
) -> None:
    open_animation(page, live_server, LESSON, "en")
    page.select_option(".viz-scene", CONSOLIDATE)
    page.locator(".viz-stage").focus()
    events = SCENES[CONSOLIDATE]
    first_move = next(i for i, e in enumerate(events) if e["kind"] == "pool.move")
    for _ in range(first_move + 1):
        page.keyboard.press("ArrowRight")
    expect(page.locator(".cons-watts")).to_have_text("1,150 W")
    expect(page.locator(".viz-live")).to_contain_text("The meter does not change")
    page.keyboard.press("ArrowRight")  # the emptied host powers off
    expect(page.locator(".viz-live")).to_contain_text("drops by its idle power, 100 W")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".cons-watts")).to_have_text("1,050 W")


def test_a_failing_run_is_replayed_then_the_solution_passes(page: Page, live_server: str) -> None:
    open_lesson(page, live_server, lesson=LESSON, exercise=EXERCISE)
    set_code(page, (FOLDER / "wrong/no_rollback.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    viz = replay_first_failure(page, EXERCISE, ("✗", "was not rolled back"), timeout=60_000)
    # The replay drew the learner's failed smoke test and never a success mark.
    expect(viz.locator(".cons-snapshot .is-bad")).to_contain_text("failed")
    expect(viz.locator(".cons-snapshot .is-good")).to_have_count(0)

    set_code(page, (FOLDER / "solution.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    report = result(page, EXERCISE).locator(".report")
    expect(report).to_have_attribute("data-verdict", "passed", timeout=60_000)
    expect(report.locator("li.case.fail")).to_have_count(0)
    expect(report.locator("li.case.pass")).to_have_count(practice_count(FOLDER))
