"""Lesson 2 in real Chromium: the resource-pool animation played to its end in both languages
(its figures checked against the model run that made them, its text legible on a phone), and a
learner solving an exercise through the editor, then replaying a failing run marked as failing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tutor.sim import PAGE_SIZE
from tutor.web.scenes import resource_pool

from ._learner import (
    PYTHON_READY_MS,
    ROOT,
    block_cdn,
    expect_all_cases_pass,
    open_animation,
    replay_first_failure,
    run_button,
    set_code,
    step_to_end,
    watch_console,
)

LESSON = "/lessons/resource-pooling"
FOLDER = ROOT / "lessons/02-resource-pooling/exercises"
DATA = resource_pool()
SCENES = {scene["id"]: scene for scene in DATA["scenes"]}
HAN = re.compile(r"[\u4e00-\u9fff]")
GIB = 2**30 // PAGE_SIZE


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_scene_plays_to_its_end_with_the_models_figures(
    page: Page, live_server: str, language: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    open_animation(page, live_server, LESSON, language, "svg.resource-pool")
    viz = page.locator(".viz")
    svg = viz.locator("svg.resource-pool")
    ended = "动画结束。" if language == "zh" else "End of the animation."

    sentences = step_to_end(page, "story", len(SCENES["story"]["events"]))
    assert len(set(sentences)) == len(sentences)  # each step says what is new
    expect(viz.locator(".viz-live")).to_contain_text(ended)
    figures = SCENES["story"]["figures"]
    expect(svg).to_have_attribute("data-capacity", " ".join(map(str, figures["capacity"])))
    expect(svg).to_have_attribute("data-reserved", " ".join(map(str, figures["reserved"])))
    expect(svg).to_have_attribute("data-hosts-on", str(figures["hosts_on"]))
    for host in figures["failed"]:
        expect(svg.locator(f".rp-host[data-host='{host}']")).to_have_attribute(
            "data-state", "failed"
        )
    # The refusals say why, in the page's language, with the model's figures.
    events = SCENES["story"]["events"]
    fragmented = next(i for i, e in enumerate(events) if e.get("reason") == "fragmented")
    free = f"{events[fragmented]['free_pages'] // GIB} GiB"
    assert free in sentences[fragmented]
    span = "客户机不能跨宿主机运行" if language == "zh" else "A guest cannot span hosts"
    assert span in sentences[fragmented]
    failure = next(i for i, e in enumerate(events) if e["kind"] == "host.fail")
    restart = next(e for e in events if e["kind"] == "pool.restart")
    assert restart["vm"] in sentences[failure]
    if language == "zh":
        assert all(HAN.search(s) for s in sentences)

    sentences = step_to_end(page, "refusals", len(SCENES["refusals"]["events"]))
    reasons = [e["reason"] for e in SCENES["refusals"]["events"] if e["kind"] == "pool.refuse"]
    assert reasons == ["too_big", "pool_full", "fragmented"]
    expect(viz.locator(".rp-card")).to_have_attribute("data-tone", "refused")

    sentences = step_to_end(page, "no-headroom", len(SCENES["no-headroom"]["events"]))
    stopped = "保持停止" if language == "zh" else "stays stopped"
    assert stopped in sentences[-1]

    # On a 390 px phone no text of the drawing is under 12 px, none leaves its host's column,
    # and nothing scrolls sideways.
    smallest = page.evaluate(
        """() => { const svg = document.querySelector('svg.resource-pool');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return Math.min(...[...svg.querySelectorAll('text')].filter((t) => t.textContent)
          .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale)); }"""
    )
    assert smallest >= 12, smallest
    spilled = page.evaluate(
        """() => [...document.querySelectorAll('svg.resource-pool .rp-host')].flatMap((host) => {
          const box = host.querySelector('.rp-host-box').getBoundingClientRect();
          return [...host.querySelectorAll('text')].filter((t) => {
            const r = t.getBoundingClientRect();
            return r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5);
          }).map((t) => t.textContent); })"""
    )
    assert spilled == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []


def test_a_learner_solves_an_exercise_and_replays_a_failing_run(
    page: Page, live_server: str
) -> None:
    console = watch_console(page)
    block_cdn(page)
    page.goto(live_server + LESSON)
    exercise = "pool-admission"
    status = page.locator("#python-status")
    # Pyodide may take well over 30 s on a loaded machine.
    expect(status).to_have_attribute("data-state", "ready", timeout=3 * PYTHON_READY_MS)
    set_code(page, (FOLDER / exercise / "solution.py").read_text(), exercise)
    expect(run_button(page, exercise)).to_be_enabled()
    run_button(page, exercise).click()
    expect_all_cases_pass(page, exercise)

    # Treating the pool as one big machine admits a guest no single host can hold.
    set_code(page, (FOLDER / exercise / "wrong/total_only.py").read_text(), exercise)
    run_button(page, exercise).click()
    viz = replay_first_failure(page, exercise, ("This case fails.", "cannot span hosts"))
    # The drawing ends on the ✗ of a run that left the model's, never on a success.
    expect(viz.locator(".rp-card")).to_have_attribute("data-tone", "refused")
    expect(viz.locator(".rp-card-verdict")).to_contain_text("✗")
    assert "✓" not in viz.locator("svg.resource-pool").evaluate("(svg) => svg.outerHTML")
    assert console.errors == []
