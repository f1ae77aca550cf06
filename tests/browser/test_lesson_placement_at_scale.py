"""Lesson 12 in real Chromium: the bin-packing animation played to its end in both languages and
checked against the model's packings (hosts lit, pages per host, the overload relieved), legible
on a phone, and an exercise solved (after a failing run replayed) through the editor and Run."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tutor.web.placement_scenes import bin_packing, fixture_vms

from ._learner import (
    ROOT,
    expect_all_cases_pass,
    open_animation,
    open_lesson,
    play_to_end,
    replay_first_failure,
    run_button,
    set_code,
)

LESSON = "/lessons/placement-at-scale"
EXERCISE = "ffd-placement"
FOLDER = ROOT / "lessons/12-placement-at-scale/exercises" / EXERCISE
DATA = bin_packing()
SCENES = {scene["id"]: scene["events"] for scene in DATA["scenes"]}
LAST = {
    ("ffd", "en"): "h10 is now 92 % full",
    ("ffd", "zh"): "h10 现在已用 92 %",
    ("optimum", "en"): "h8 is now 100 % full",
    ("optimum", "zh"): "h8 现在已用 100 %",
    ("overload", "en"): "h0 is no longer overloaded",
    ("overload", "zh"): "h0 不再过载",
}
HOSTS_ON = {"ffd": 11, "optimum": 9, "overload": 3}


def pages_per_host(scene: str) -> dict[str, int]:
    size = {vm.name: vm.memory_pages for vm in fixture_vms()}
    used: dict[str, int] = {}
    for e in SCENES[scene]:
        if e["kind"] == "pool.place":
            used[e["host"]] = used.get(e["host"], 0) + size.get(e["vm"], 0)
    return used


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_scene_plays_to_its_end_and_draws_the_models_packing(
    page: Page, live_server: str, language: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    open_animation(page, live_server, LESSON, language)
    for scene in SCENES:
        play_to_end(page, scene, len(SCENES[scene]))
        live = page.locator(".viz-live")
        expect(live).to_contain_text(LAST[(scene, language)])
        expect(live).to_contain_text("End of the animation." if language == "en" else "动画结束")
        expect(page.locator(".bp-host[data-on='true']")).to_have_count(HOSTS_ON[scene])
        if scene in ("ffd", "optimum"):
            for host, pages in pages_per_host(scene).items():
                expect(page.locator(f".bp-host[data-host='{host}']")).to_have_attribute(
                    "data-pages-used", str(pages)
                )
        else:
            # Relieved: no CPU bar over the threshold, web and cache where the model moved them.
            expect(page.locator(".bp-cpu.is-hot")).to_have_count(0)
            expect(page.locator(".bp-guest[data-vm='web']")).to_have_attribute("data-host", "h2")
            expect(page.locator(".bp-guest[data-vm='cache']")).to_have_attribute("data-host", "h1")
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('svg.bin-packing text')]
                .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
        )
        assert smallest >= 12
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


def test_stepping_the_overload_narrates_why_the_smallest_guest_is_not_enough(
    page: Page, live_server: str
) -> None:
    open_animation(page, live_server, LESSON, "en")
    page.select_option(".viz-scene", "overload")
    page.locator(".viz-stage").focus()
    events = SCENES["overload"]
    first_move = next(i for i, e in enumerate(events) if e["kind"] == "pool.move")
    for _ in range(first_move):
        page.keyboard.press("ArrowRight")
    expect(page.locator(".viz-live")).to_contain_text("Overloaded: h0 (76 %)")
    expect(page.locator(".bp-cpu.is-hot")).to_have_count(1)
    page.keyboard.press("ArrowRight")
    expect(page.locator(".viz-live")).to_contain_text("h0 falls from 76 % to 75 % CPU")
    expect(page.locator(".viz-live")).to_contain_text("the next smallest guest goes too")


def test_a_failing_run_is_replayed_then_the_solution_passes(page: Page, live_server: str) -> None:
    open_lesson(page, live_server, lesson=LESSON, exercise=EXERCISE)
    set_code(page, (FOLDER / "wrong/unsorted.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    viz = replay_first_failure(page, EXERCISE, ("✗", "too early or too late"))
    # The replay drew the learner's own packing on the practice case's four hosts.
    expect(viz.locator(".bp-host")).to_have_count(4)

    set_code(page, (FOLDER / "solution.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    expect_all_cases_pass(page, EXERCISE)
