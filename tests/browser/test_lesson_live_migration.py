"""Lesson 11 in real Chromium: the migration-rounds animation played to its end in both languages
and checked against the model's own migrations (rounds drawn, downtime), legible on a phone, and
an exercise solved (after a failing run replayed) through the editor and Run."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tutor.web.migration_scenes import migration_rounds

from ._learner import (
    ROOT,
    expect_all_cases_pass,
    open_animation,
    open_lesson,
    play_to_end,
    replay_first_failure,
    run_button,
    set_code,
    step_to_end,
)

LESSON = "/lessons/live-migration"
EXERCISE = "precopy-loop"
FOLDER = ROOT / "lessons/11-live-migration/exercises" / EXERCISE
DATA = migration_rounds()
SCENES = {scene["id"]: scene["events"] for scene in DATA["scenes"]}
# The last sentence of each scene names the total the model sent and the pause it measured.
LAST = {
    ("converges", "en"): ("1,138 MB were sent", "paused for 0.082 ms"),
    ("converges", "zh"): ("发送了 1,138 MB", "暂停了 0.082 毫秒"),
    ("never-converges", "en"): ("6,144 MB were sent", "paused for 8,192 ms"),
    ("never-converges", "zh"): ("发送了 6,144 MB", "暂停了 8,192 毫秒"),
    ("legacy", "en"): ("5,120 MB were sent", "5× its memory"),
    ("legacy", "zh"): ("发送了 5,120 MB", "是其内存的 5 倍"),
    ("working-set", "en"): ("280 MB were sent", "paused for 0.819 ms"),
    ("working-set", "zh"): ("发送了 280 MB", "暂停了 0.819 毫秒"),
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_scene_plays_to_its_end_and_draws_the_models_rounds(
    page: Page, live_server: str, language: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    open_animation(page, live_server, LESSON, language)
    for scene in SCENES:
        play_to_end(page, scene, len(SCENES[scene]))
        live = page.locator(".viz-live")
        for words in LAST[(scene, language)]:
            expect(live).to_contain_text(words)
        expect(live).to_contain_text("End of the animation." if language == "en" else "动画结束")
        # One bar per live round, each as long as the model's round, and the model's pause.
        rounds = [e for e in SCENES[scene] if e["kind"] == "migrate.round"]
        bars = page.locator(".mr-round")
        expect(bars).to_have_count(len(rounds))
        for i, event in enumerate(rounds):
            assert float(bars.nth(i).get_attribute("data-sent-mb") or "nan") == pytest.approx(
                event["sent_mb"]
            )
        pause = next(e for e in SCENES[scene] if e["kind"] == "migrate.stop_copy")
        drawn = page.locator(".mr-copy").get_attribute("data-downtime-ms")
        assert float(drawn or "nan") == pytest.approx(pause["downtime_ms"])
        stop = next(e for e in SCENES[scene] if e["kind"] == "migrate.stop")
        expect(page.locator(".mr-stop")).to_have_attribute("data-reason", stop["reason"])
        # Legible on a phone: no text of the drawing under 12 px, no sideways scroll.
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('svg.migration-rounds text')]
                .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
        )
        assert smallest >= 12
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


def test_stepping_narrates_each_round_and_the_stop_rule(page: Page, live_server: str) -> None:
    open_animation(page, live_server, LESSON, "en")
    page.select_option(".viz-scene", "never-converges")
    page.locator(".viz-stage").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(".viz-live")).to_contain_text("stop rules xen-v2 (Xen ≥ 4.6)")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # round 1 resends all of memory
    expect(page.locator(".viz-live")).to_contain_text("The round did not shrink")
    for _ in range(4):  # rounds 2-4, then the stop
        page.keyboard.press("ArrowRight")
    expect(page.locator(".viz-live")).to_contain_text("5 live rounds is the limit of xen-v2")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_only_rounds_that_follow_the_series_are_said_to(
    page: Page, live_server: str, language: str
) -> None:
    """The fluid model's rounds are the series V_i = M·(d/B)^i; the working set's, whose share
    grows every round (hot pages rewritten), are told as what they are."""
    series = ": the series V_i" if language == "en" else "这就是级数 V_i"
    open_animation(page, live_server, LESSON, language)
    converges = step_to_end(page, "converges", len(SCENES["converges"]))
    assert [series in s for s in converges[2:6]] == [False, True, True, True]  # rounds 1-4
    working_set = step_to_end(page, "working-set", len(SCENES["working-set"]))
    assert not any(series in s for s in working_set)
    less = "the rounds shrink less and less" if language == "en" else "各轮缩小得越来越慢"
    assert less in working_set[3] and "0.172" in working_set[3]
    if language == "zh":  # the limit of xen-v2 (Xen ≥ 4.6), with no space before 的
        never = step_to_end(page, "never-converges", len(SCENES["never-converges"]))
        assert "是 xen-v2（Xen ≥ 4.6）的上限" in never[6]


def test_a_failing_run_is_replayed_then_the_solution_passes(page: Page, live_server: str) -> None:
    open_lesson(page, live_server, lesson=LESSON, exercise=EXERCISE)
    set_code(page, (FOLDER / "wrong/judges_next_round.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    viz = replay_first_failure(page, EXERCISE, ("✗", "stopped the live rounds too early"))
    # The replay drew the learner's own rounds, one fewer than the model's first practice case.
    expect(viz.locator(".mr-round")).to_have_count(4)

    set_code(page, (FOLDER / "solution.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    expect_all_cases_pass(page, EXERCISE)
