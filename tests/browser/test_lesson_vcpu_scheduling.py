"""Lesson 9 in real Chromium: the credit-gantt animation played to its end in both languages and
checked against the model's own run, a failing round robin replayed, and an exercise solved
through the editor and Run."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tutor.sim import Trace
from tutor.sim.credit_policy import run_against_model, xen_account, xen_pick
from tutor.web.credit_scenes import credit_gantt

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

LESSON = "/lessons/vcpu-scheduling"
FOLDER = ROOT / "lessons/09-vcpu-scheduling/exercises"
DATA = credit_gantt()
SCENES = {scene["id"]: scene["events"] for scene in DATA["scenes"]}
LAST = {
    ("round-robin", "en"): "All jobs are done: average turnaround 22.00, average response 2.00.",
    ("round-robin", "zh"): "所有作业都已完成：平均周转时间 22.00，平均响应时间 2.00。",
}


def shares_said(scene: str, language: str) -> str:
    """The closing "CPU so far" figures, from the model's ticks: each domain's % of one pCPU."""
    events = SCENES[scene]
    domain = {v: e["vcpu"] for e in events if e["kind"] == "sched.add" for v in e["vcpus"]}
    ticks = [e for e in events if e["kind"] == "sched.tick"]
    ran: dict[str, int] = {}
    for tick in ticks:
        for who in tick["running"]:
            if who:
                ran[domain[who]] = ran.get(domain[who], 0) + 1
    parts = [f"{name} {round(100 * n / len(ticks))} %" for name, n in ran.items()]
    if language == "en":
        return "CPU so far, per domain (% of one pCPU): " + ", ".join(parts) + "."
    return "（占一个物理 CPU 的百分比）：" + "、".join(parts) + "。"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_scene_plays_to_its_end_and_draws_the_models_run(
    page: Page, live_server: str, language: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})
    open_animation(page, live_server, LESSON, language)
    for scene in ("round-robin", "per-vcpu", "cap-idle"):
        play_to_end(page, scene, len(SCENES[scene]))
        live = page.locator(".viz-live")
        last = LAST.get((scene, language)) or shares_said(scene, language)
        expect(live).to_contain_text(last)
        expect(live).to_contain_text("End of the animation." if language == "en" else "动画结束")
        if scene == "round-robin":
            # The jobs end where the model ended them, and the average is OSTEP's 22.00.
            expect(page.locator(".cg-done")).to_have_count(3)
            ends = page.locator(".cg-done").evaluate_all("els => els.map(e => e.dataset.end)")
            assert ends == ["13", "23", "30"]
            expect(page.locator(".cg-average")).to_have_attribute("data-turnaround", "22.00")
        else:
            # One block per vCPU tick the model ran, drawn on the pCPU it ran on.
            ticks = [e for e in SCENES[scene] if e["kind"] == "sched.tick"]
            ran = sum(1 for e in ticks for who in e["running"] if who)
            expect(page.locator(".cg-pcpu .cg-block")).to_have_count(ran)
            paid = next(e for e in reversed(SCENES[scene]) if e["kind"] == "sched.account")
            for vcpu in paid["credit"]:
                expect(page.locator(f".cg-credit[data-vcpu='{vcpu}']")).to_have_count(1)
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('svg.credit-gantt text')]
                .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
        )
        assert smallest >= 12
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


def test_a_failing_round_robin_is_replayed_then_the_solution_passes(
    page: Page, live_server: str
) -> None:
    exercise = "round-robin"
    open_lesson(page, live_server, lesson=LESSON, exercise=exercise)
    set_code(page, (FOLDER / exercise / "wrong/full_quantum.py").read_text(), exercise)
    run_button(page, exercise).click()
    viz = replay_first_failure(page, exercise, ("✗", "had only"), timeout=60_000)
    # The replay drew the learner's own schedule: job 0 ran 2 although it needed 1 more.
    expect(viz.locator(".cg-job")).to_have_count(3)
    expect(viz.locator("svg.credit-gantt")).to_have_class(re.compile(r"\bis-failed-run\b"))

    set_code(page, (FOLDER / exercise / "solution.py").read_text(), exercise)
    run_button(page, exercise).click()
    report = result(page, exercise).locator(".report")
    expect(report).to_have_attribute("data-verdict", "passed", timeout=60_000)
    expect(report.locator("li.case.fail")).to_have_count(0)
    expect(report.locator("li.case.pass")).to_have_count(practice_count(FOLDER / exercise))


def _ticks_of(module_path: str, vcpu: str) -> int:
    """Ticks ``vcpu`` ran in practice case 2 (2 vCPUs against 1 on one pCPU) when the credit
    scheduler runs on the program at ``module_path`` (the model's own decisions for None)."""
    namespace: dict[str, object] = {}
    if module_path:
        exec(compile((FOLDER / module_path).read_text(), module_path, "exec"), namespace)
    run = run_against_model(
        1,
        [{"name": "smp", "vcpus": 2}, {"name": "up"}],
        namespace.get("account", xen_account),  # type: ignore[arg-type]
        namespace.get("pick", xen_pick),  # type: ignore[arg-type]
        600,
        Trace(),
    )
    return sum(tick.count(vcpu) for tick in run["ticks"])


def test_a_learners_credit_scheduler_is_replayed_with_its_credit_bars_then_the_solution_passes(
    page: Page, live_server: str
) -> None:
    exercise = "credit-scheduler"
    wrong = "credit-scheduler/wrong/per_domain_weight.py"
    open_lesson(page, live_server, lesson=LESSON, exercise=exercise)
    set_code(page, (FOLDER / wrong).read_text(), exercise)
    run_button(page, exercise).click()
    viz = replay_first_failure(page, exercise, ("✗", "once per active vCPU"), timeout=90_000)
    expect(viz.locator("svg.credit-gantt")).to_have_class(re.compile(r"\bis-failed-run\b"))
    # The Gantt chart is the learner's run, not the model's: with the weight counted once per
    # domain, 'up' ran more ticks than the model gives it; one credit bar per vCPU.
    learner, model = _ticks_of(wrong, "up"), _ticks_of("", "up")
    assert learner != model
    expect(viz.locator(".cg-pcpu .cg-block[data-vcpu='up']")).to_have_count(learner)
    for vcpu in ("smp.0", "smp.1", "up"):
        expect(viz.locator(f".cg-credit[data-vcpu='{vcpu}']")).to_have_count(1)

    set_code(page, (FOLDER / exercise / "solution.py").read_text(), exercise)
    run_button(page, exercise).click()
    report = result(page, exercise).locator(".report")
    expect(report).to_have_attribute("data-verdict", "passed", timeout=90_000)
    expect(report.locator("li.case.fail")).to_have_count(0)
    expect(report.locator("li.case.pass")).to_have_count(practice_count(FOLDER / exercise))
