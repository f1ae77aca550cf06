"""Lesson 7 in real Chromium: the trap-and-emulate animation played to its end in both languages
and checked against the model's own runs, and the trap handler solved through the editor and Run
after a failing run is replayed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tutor.web.isa_scenes import trap_and_emulate

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

LESSON = "/lessons/trap-and-emulate"
EXERCISE = "trap-handler"
FOLDER = ROOT / "lessons/07-trap-and-emulate/exercises" / EXERCISE
DATA = trap_and_emulate()
SCENES = {scene["id"]: scene["events"] for scene in DATA["scenes"]}
TOY_TRAPS = SCENES["toy"][-1]["traps"]
# The last sentence of each scene, in each language: the model's verdict, narrated.
LAST = {
    ("toy", "en"): f"Both runs end in the same state after {TOY_TRAPS} traps",
    ("toy", "zh"): f"两次运行结束时状态相同，其间陷入了 {TOY_TRAPS} 次",
    ("popf", "en"): "The runs end differently (interrupt flag)",
    ("popf", "zh"): "两次运行的结果不同（中断标志）",
    ("sgdt", "en"): "The runs end differently (registers, output)",
    ("sgdt", "zh"): "两次运行的结果不同（寄存器、输出）",
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_scenes_play_to_their_end_and_draw_the_models_verdict(
    page: Page, live_server: str, language: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    open_animation(page, live_server, LESSON, language)
    for scene in ("toy", "popf", "sgdt"):
        play_to_end(page, scene, len(SCENES[scene]))
        live = page.locator(".viz-live")
        expect(live).to_contain_text(LAST[(scene, language)])
        expect(live).to_contain_text("End of the animation." if language == "en" else "动画结束")
        verdict = page.locator(".te-verdict")
        # Every instruction that trapped in the model's run is marked as a trap in the list.
        trapped = {e["pc"] for e in SCENES[scene] if e["kind"] == "isa.trap"}
        expect(page.locator(".te-trap")).to_have_count(len(trapped))
        if scene == "toy":
            expect(verdict).to_have_class(re.compile(r"\bis-good\b"))
            expect(page.locator(".te-line.is-diff")).to_have_count(0)
        else:
            expect(verdict).to_have_class(re.compile(r"\bis-bad\b"))
            differences = SCENES[scene][-1]["differences"]
            for field in differences:
                expect(
                    page.locator(f".te-card[data-run='vmm'] [data-field='{field}']")
                ).to_have_class(re.compile(r"\bis-diff\b"))
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('svg.trap-and-emulate text')]
                .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
        )
        assert smallest >= 12
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


def test_stepping_shows_the_sgdt_style_read_leak_as_it_happens(
    page: Page, live_server: str
) -> None:
    open_animation(page, live_server, LESSON, "en")
    page.select_option(".viz-scene", "sgdt")
    page.locator(".viz-stage").focus()
    events = SCENES["sgdt"]
    first_vmm = next(i for i, e in enumerate(events) if e.get("run") == "vmm")
    for _ in range(first_vmm + 1):
        page.keyboard.press("ArrowRight")
    live = page.locator(".viz-live")
    expect(live).to_contain_text("runs directly on the real CPU, no trap")
    expect(live).to_contain_text("The VMM never saw it")
    expect(page.locator(".te-card[data-run='vmm'] [data-field='regs']")).to_contain_text("a = 32")
    expect(page.locator(".te-card[data-run='native'] [data-field='regs']")).to_contain_text("a = 0")


def test_a_failing_handler_is_replayed_then_the_solution_passes(
    page: Page, live_server: str
) -> None:
    open_lesson(page, live_server, lesson=LESSON, exercise=EXERCISE)
    set_code(page, (FOLDER / "wrong/popf_whole_register.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    viz = replay_first_failure(page, EXERCISE, ("✗", "bit 0"), timeout=60_000)
    # The replayed run diverged: the verdict is drawn as a failure, never as a success.
    expect(viz.locator(".te-verdict.is-bad")).to_contain_text("interrupt flag")
    expect(viz.locator(".te-verdict.is-good")).to_have_count(0)

    set_code(page, (FOLDER / "solution.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    report = result(page, EXERCISE).locator(".report")
    expect(report).to_have_attribute("data-verdict", "passed", timeout=60_000)
    expect(report.locator("li.case.fail")).to_have_count(0)
    expect(report.locator("li.case.pass")).to_have_count(practice_count(FOLDER))
