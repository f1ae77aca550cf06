"""Lesson 4 in real Chromium: the five-types animation played to its end on a phone in both
languages and checked against the model's runs, and the learning-switch exercise solved through
the editor and Run after a failing run is replayed and marked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tutor.web.virtualization_scenes import DESKTOPS, virtualization_types

from ._learner import (
    ROOT,
    block_cdn,
    open_animation,
    play_to_end,
    practice_count,
    result,
    run_button,
    set_code,
    step_to_end,
)

LESSON = "/lessons/types-of-virtualization"
EXERCISE = "vlan-switch"
FOLDER = ROOT / "lessons/04-types-of-virtualization/exercises" / EXERCISE
SCENES = {scene["id"]: scene["events"] for scene in virtualization_types()["scenes"]}
# The last sentence of each scene, narrating the model's last event.
LAST = {
    # The second check is of the patch's block: it says so, not that the setting is back.
    ("desktop", "en"): f"over all {DESKTOPS} desktops at once, of block 7, which the patch wrote",
    ("desktop", "zh"): f"覆盖全部 {DESKTOPS} 台桌面，检查的是补丁写入的第 7 块：每一台都有这个补丁",
    ("operating_system", "en"): "the one physical disk they all share",
    ("operating_system", "zh"): "它们共用的那一块物理磁盘",
    ("server", "en"): "180 W instead of 880 W",
    ("server", "zh"): "功耗从 880 W 降到 180 W",
    ("data", "en"): "shop has a new row already",
    ("data", "zh"): "shop 里已经多了一行新数据",
    (
        "network_function",
        "en",
    ): "passes tenant-b-load_balancer-1: now from 198.51.100.9 to 10.0.0.10",
    ("network_function", "zh"): "经过 tenant-b-load_balancer-1：现在从 198.51.100.9 发往 10.0.0.10",
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_scene_plays_to_its_end_legibly_on_a_phone(
    page: Page, live_server: str, language: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    open_animation(page, live_server, LESSON, language)
    svg = page.locator("svg.virtualization-types")
    for scene in SCENES:
        play_to_end(page, scene, len(SCENES[scene]))
        live = page.locator(".viz-live")
        expect(live).to_contain_text(LAST[(scene, language)])
        expect(live).to_contain_text("End of the animation." if language == "en" else "动画结束")
        expect(svg).to_have_attribute("data-type", scene)
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('svg.virtualization-types text')]
                .filter(t => t.textContent.trim())
                .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
        )
        assert smallest >= 12, (scene, smallest)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # No label runs past the drawing's right edge.
        overflow = page.evaluate(
            """() => { const s = document.querySelector('svg.virtualization-types');
                const right = s.getBoundingClientRect().right + 1;
                return [...s.querySelectorAll('text')]
                  .filter(t => t.getBoundingClientRect().right > right)
                  .map(t => t.textContent); }"""
        )
        assert overflow == [], (scene, overflow)
        if scene == "desktop":  # every desktop carries the patch; none is marked failing
            expect(svg.locator("rect.vt-desk.is-patched")).to_have_count(DESKTOPS)
            expect(svg.locator("rect.vt-desk.is-failing")).to_have_count(0)
        if scene == "server":  # one server carries all the applications; the rest are off
            expect(svg.locator("rect.vt-server.is-on")).to_have_count(1)
            expect(svg.locator("rect.vt-app")).to_have_count(8)
        if scene == "network_function":  # the three MANO layers and both services' VNFs
            expect(svg.locator("rect.vt-mano")).to_have_count(3)
            expect(svg.locator("rect.vt-vnf")).to_have_count(4)
    assert errors == []


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_switch_scene_floods_for_the_right_reason_and_lists_in_the_pages_language(
    page: Page, live_server: str, language: str
) -> None:
    """A broadcast is flooded because it is a broadcast, an unknown unicast because the switch
    has not learned its address; the Chinese lists what the switch learned with 、."""
    open_animation(page, live_server, LESSON, language)
    events = SCENES["network_function"]
    sentences = step_to_end(page, "network_function", len(events))
    for event, sentence in zip(events, sentences, strict=True):
        if event["kind"] != "net.forward" or not event["flooded"]:
            continue
        if event["dst"] == "ff:ff:ff:ff:ff:ff":
            reason = (
                "whatever the switch has learned" if language == "en" else "无论交换机学到了什么"
            )
            assert reason in sentence
            assert "unknown" not in sentence and "未知" not in sentence
        else:
            assert ("has not learned" if language == "en" else "这个地址") in sentence
    learned = page.locator("svg.virtualization-types text", has_text=re.compile("Learned|已学到"))
    table = {"en": "Learned: a-web→0, a-db→1, b-web→2", "zh": "已学到：a-web→0、a-db→1、b-web→2"}
    expect(learned).to_have_text(table[language])


def test_a_failing_switch_is_replayed_then_the_solution_passes(
    page: Page, live_server: str
) -> None:
    block_cdn(page)
    page.goto(f"{live_server}{LESSON}")
    # Pyodide can take well over 30 s on a loaded two-core machine.
    expect(page.locator("#python-status")).to_have_attribute("data-state", "ready", timeout=120_000)
    set_code(page, (FOLDER / "wrong/flood_everywhere.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    report = result(page, EXERCISE).locator(".report")
    expect(report).to_have_attribute("data-verdict", "failed", timeout=20_000)
    report.locator("li.case.fail button.replay").first.click()
    viz = page.locator(".viz")
    panel = viz.locator(".viz-verdict")
    expect(panel).to_have_class(re.compile(r"\bis-failed\b"))
    expect(panel).to_contain_text("✗")
    expect(panel).to_contain_text("which is on another VLAN")
    expect(page.locator("svg.virtualization-types")).to_have_attribute(
        "data-type", "network_function"
    )
    panel.locator("button.viz-to-departure").click()
    expect(viz).to_have_class(re.compile(r"\bis-departed\b"))
    expect(viz.locator(".viz-live")).to_contain_text("Here your run leaves the model's")
    forward = viz.locator("button.viz-forward")
    while forward.get_attribute("aria-disabled") != "true":
        forward.click()
    expect(viz.locator(".viz-live")).to_contain_text("it does not match the model's")
    expect(viz.locator("svg .vt-failed")).to_have_text(re.compile("✗"))

    set_code(page, (FOLDER / "solution.py").read_text(), EXERCISE)
    run_button(page, EXERCISE).click()
    expect(report).to_have_attribute("data-verdict", "passed", timeout=20_000)
    expect(report.locator("li.case.fail")).to_have_count(0)
    expect(report.locator("li.case.pass")).to_have_count(practice_count(FOLDER))
