"""Lesson 3 in real Chromium: the vm-files animation played to its end in both languages (its
figures checked against the model that made them, its text legible on a phone), and a learner
solving an exercise through the editor, then replaying a failing run that is marked as failing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tutor.sim import Guest, storage_blocks
from tutor.web.vm_files_scenes import vm_files

from ._learner import (
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

LESSON = "/lessons/how-virtualization-works"
FOLDER = ROOT / "lessons/03-how-virtualization-works/exercises"
DATA = vm_files()
SCENES = {scene["id"]: scene for scene in DATA["scenes"]}
HAN = re.compile(r"[\u4e00-\u9fff]")


def model_clones() -> tuple[int, int]:
    """What the clones scene stores, and what full copies would, measured on a fresh model run."""
    golden = Guest("golden", memory_pages=8, disk_blocks={"disk0": 32})
    golden.start("host-a")
    guests = [golden]
    for event in SCENES["clones"]["events"]:
        if event["kind"] == "guest.disk_write" and event["guest"] == "golden":
            golden.write_disk("disk0", event["block"], event["value"])
        if event["kind"] == "guest.clone":
            guests.append(golden.linked_clone(event["guest"]))
            guests[-1].start()
        if event["kind"] == "guest.disk_write" and event["guest"] != "golden":
            clone = next(g for g in guests if g.name == event["guest"])
            clone.write_disk("disk0", event["block"], event["value"])
    full = sum(len(g.disks["disk0"].contents()) for g in guests)
    return storage_blocks(guests), full


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_scene_plays_to_its_end_with_the_models_figures(
    page: Page, live_server: str, language: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    open_animation(page, live_server, LESSON, language, "svg.vm-files")
    viz = page.locator(".viz")
    ended = "动画结束。" if language == "zh" else "End of the animation."

    sentences = step_to_end(page, "partition", len(SCENES["partition"]["events"]))
    assert len(set(sentences)) == len(sentences)  # each step says what is new
    expect(viz.locator(".viz-live")).to_contain_text(ended)
    # Three guests carved out of host-a: 7 of its 8 cores given out, all three running there.
    expect(viz.locator(".vf-guest[data-host='host-a'][data-state='running']")).to_have_count(3)
    expect(viz.locator(".vf-host[data-host='host-a'] .vf-host-label")).to_contain_text("7/8")

    sentences = step_to_end(page, "files", len(SCENES["files"]["events"]))
    expect(viz.locator(".viz-live")).to_contain_text(ended)
    events = SCENES["files"]["events"]
    save = next(e for e in events if e["kind"] == "guest.save")
    restore = next(i for i, e in enumerate(events) if e["kind"] == "guest.restore")
    # At the restore, host-b's guest shows the very hash host-a's guest was saved with.
    page.keyboard.press("Home")
    for _ in range(restore + 1):
        page.keyboard.press("ArrowRight")
    saved = viz.locator(".vf-guest[data-host='host-a'][data-state='saved'] .vf-card-hash")
    moved = viz.locator(".vf-guest[data-host='host-b'][data-state='running'] .vf-card-hash")
    expect(saved).to_have_text("#" + save["hash"][:6])
    expect(moved).to_have_text("#" + save["hash"][:6])
    same = "与保存时相同" if language == "zh" else "the same as when it was saved"
    assert same in sentences[restore]
    page.keyboard.press("End")
    copied = viz.locator(".vf-file[data-host='host-b']")
    expect(copied).to_have_text(["web.vmx", "web-disk0.vmdk", "web.vmss"])

    sentences = step_to_end(page, "clones", len(SCENES["clones"]["events"]))
    expect(viz.locator(".viz-live")).to_contain_text(ended)
    stored, full = model_clones()
    total = viz.locator(".vf-total")
    expect(total).to_have_attribute("data-stored", str(stored))
    expect(total).to_have_attribute("data-full", str(full))
    assert stored < full
    expect(viz.locator(".vf-layer.is-frozen")).to_have_count(1)
    if language == "zh":
        assert all(HAN.search(s) for s in sentences)
        expect(total).to_contain_text(f"已存储：{stored} 个块")
    else:
        expect(total).to_contain_text(f"Stored: {stored} blocks")

    # On a 390 px phone no text of the drawing is under 12 px, and nothing scrolls sideways.
    smallest = page.evaluate(
        """() => { const svg = document.querySelector('svg.vm-files');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return Math.min(...[...svg.querySelectorAll('text')].filter((t) => t.textContent)
          .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale)); }"""
    )
    assert smallest >= 12, smallest
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []


def test_a_learner_solves_an_exercise_and_replays_a_failing_run(
    page: Page, live_server: str
) -> None:
    console = watch_console(page)
    block_cdn(page)
    page.goto(live_server + LESSON)
    # Pyodide compiles its WebAssembly on two cores shared with other test runs: allow it time.
    status = page.locator("#python-status")
    expect(status).to_have_attribute("data-state", re.compile("^(ready|error)$"), timeout=120_000)
    assert status.get_attribute("data-state") == "ready", status.inner_text()
    exercise = "move-running-vm"
    set_code(page, (FOLDER / exercise / "solution.py").read_text(), exercise)
    expect(run_button(page, exercise)).to_be_enabled()
    run_button(page, exercise).click()
    expect_all_cases_pass(page, exercise)

    # Copying a running guest's files leaves two copies running: a failing run, replayed.
    set_code(page, (FOLDER / exercise / "wrong/two_copies.py").read_text(), exercise)
    run_button(page, exercise).click()
    viz = replay_first_failure(page, exercise, ("This case fails.", "two copies of"))
    # Both copies are drawn running, and the drawing ends on a ✗, never on a success mark.
    expect(viz.locator(".vf-guest[data-state='running']")).to_have_count(2)
    expect(viz.locator(".vf-failed-mark")).to_have_text("✗")
    assert "✓" not in viz.locator("svg.vm-files").evaluate("(svg) => svg.outerHTML")
    assert console.errors == []
