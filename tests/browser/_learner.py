"""Shared steps for the learner-runtime browser tests: open a lesson, drive the editor, run."""

from __future__ import annotations

import re
import runpy
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Locator, Page, expect

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = "vcpu-run-loop"
LESSON = "/lessons/hypervisors"
SOLUTION = (ROOT / "lessons/05-hypervisors/exercises" / EXERCISE / "solution.py").read_text()
STARTER = (ROOT / "lessons/05-hypervisors/exercises" / EXERCISE / "starter.py").read_text()
CDN = "https://cdn.jsdelivr.net/"
# A wait, not a timing check: a cold Pyodide on a loaded 2-core machine took over a minute.
PYTHON_READY_MS = 120_000
STOPPED = "stopped: your code ran for more than 5 s (infinite loop?)"


@dataclass
class ConsoleLog:
    """Console errors and uncaught exceptions, minus the CDN request this offline machine fails."""

    errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not message.location.get("url", "").startswith(CDN):
            self.errors.append(f"{message.text} ({message.location.get('url')})")

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"uncaught: {error}")


def watch_console(page: Page) -> ConsoleLog:
    log = ConsoleLog()
    page.on("console", log.on_console)
    page.on("pageerror", log.on_page_error)
    return log


def block_cdn(page: Page) -> None:
    """Makes the CDN failure deterministic instead of depending on this machine's network."""
    page.route(f"{CDN}**", lambda route: route.abort())


def hold_python(page: Page) -> None:
    """Serves a Pyodide loader that never finishes: for tests of the page around Python, so the
    two cores are not spent compiling WebAssembly nobody will use. (Only context-level routes see
    a worker's requests.)"""
    page.context.route(
        "**/pyodide.mjs",
        lambda route: route.fulfill(
            content_type="text/javascript",
            body="export function loadPyodide() { return new Promise(() => {}); }",
        ),
    )


def open_lesson(
    page: Page,
    base: str,
    *,
    lesson: str = LESSON,
    exercise: str = EXERCISE,
    wait_for_python: bool = True,
) -> None:
    block_cdn(page)
    page.goto(base + lesson)
    if wait_for_python:
        wait_for_python_ready(page, exercise)


def wait_for_python_ready(page: Page, exercise: str = EXERCISE) -> None:
    status = page.locator("#python-status")
    expect(status).to_have_attribute(
        "data-state", re.compile("^(ready|error)$"), timeout=PYTHON_READY_MS
    )
    assert status.get_attribute("data-state") == "ready", status.inner_text()
    reach_editor(page, exercise)  # Run is wired with the editor, when the learner gets there
    expect(run_button(page, exercise)).to_be_enabled()


def section(page: Page, exercise: str = EXERCISE) -> Locator:
    return page.locator(f"#exercise-{exercise}")


def run_button(page: Page, exercise: str = EXERCISE) -> Locator:
    return section(page, exercise).locator("button.run")


def result(page: Page, exercise: str = EXERCISE) -> Locator:
    return page.locator(f"#result-{exercise}")


def reach_editor(page: Page, exercise: str = EXERCISE) -> Locator:
    """Scrolls to the exercise, as a learner does before typing: an exercise gets its editor when
    it comes near the screen (or its text box is focused), not at load (#15)."""
    section(page, exercise).scroll_into_view_if_needed()
    editor = section(page, exercise).locator(".CodeMirror")
    expect(editor).to_be_attached(timeout=30_000)
    return editor


def set_code(page: Page, code: str, exercise: str = EXERCISE) -> None:
    """Replaces the editor's text through CodeMirror's own API, as a paste would."""
    reach_editor(page, exercise)
    page.evaluate(
        "([id, code]) => document.querySelector(`#exercise-${id} .CodeMirror`).CodeMirror"
        ".setValue(code)",
        [exercise, code],
    )


def editor_code(page: Page, exercise: str = EXERCISE) -> str:
    reach_editor(page, exercise)
    return str(
        page.evaluate(
            "id => document.querySelector(`#exercise-${id} .CodeMirror`).CodeMirror.getValue()",
            exercise,
        )
    )


def focus_editor(page: Page, exercise: str = EXERCISE) -> None:
    reach_editor(page, exercise).locator(".CodeMirror-code").click()


def stored_code(page: Page, exercise: str = EXERCISE, suffix: str = "") -> str | None:
    value = page.evaluate("key => localStorage.getItem(key)", f"virttutor:code:{exercise}{suffix}")
    return None if value is None else str(value)


def run_via_keyboard(page: Page, exercise: str = EXERCISE) -> None:
    focus_editor(page, exercise)
    page.keyboard.press("Control+Enter")


def expect_all_cases_pass(page: Page, exercise: str = EXERCISE) -> None:
    report = result(page, exercise).locator(".report")
    expect(report).to_have_attribute("data-verdict", "passed", timeout=10_000)
    cases = report.locator("li.case")
    expect(cases.first).to_be_visible()
    assert cases.count() == report.locator("li.case.pass").count() > 0
    expect(report.locator("li.case.fail")).to_have_count(0)


def replay_first_failure(
    page: Page, exercise: str, says: tuple[str, ...], timeout: int = 10_000
) -> Locator:
    """Replay the first failing case of the last Run and play it to its end: the verdict panel is
    a failing one saying each of ``says``, and the last sentence says the run left the model's.
    Returns the animation, for the lesson's own checks of what it drew."""
    report = result(page, exercise).locator(".report")
    expect(report).to_have_attribute("data-verdict", "failed", timeout=timeout)
    report.locator("li.case.fail button.replay").first.click()
    viz = page.locator(".viz")
    panel = viz.locator(".viz-verdict")
    expect(panel).to_have_class(re.compile(r"\bis-failed\b"))
    for text in says:
        expect(panel).to_contain_text(text)
    forward = viz.locator("button.viz-forward")
    while forward.get_attribute("aria-disabled") != "true":
        forward.click()
    expect(viz.locator(".viz-live")).to_contain_text("it does not match the model's")
    return viz


def open_animation(
    page: Page, live_server: str, lesson: str, language: str, drawn: str = ""
) -> None:
    """Open ``lesson`` in ``language`` for its animation alone (no CDN, Python held back: it is
    not needed to animate) and wait until the animation is mounted (and ``drawn``, a selector of
    what it draws inside, is there)."""
    block_cdn(page)
    hold_python(page)
    page.goto(f"{live_server}{lesson}?lang={language}")
    page.wait_for_selector(f".viz[data-viz-mounted='true'] {drawn}".strip())


# The steps of a scene play_to_end leaves to the Play button: its timer is the same code for
# every step, and each played step costs 400 ms even at the fastest speed (a long scene, 30 s).
PLAYED_STEPS = 3


def _progress(steps: int, at: int) -> re.Pattern[str]:
    return re.compile(rf"(Step {at} of {steps}|第 {at} 步，共 {steps} 步)")


def play_to_end(page: Page, scene: str, steps: int) -> None:
    """Bring ``scene`` (of ``steps`` steps) to its end as a learner can: step through it with the
    keyboard (each step drawn, animated, as Play draws it), then play its last ``PLAYED_STEPS``
    with the Play button at the fastest speed until the progress says its last step."""
    page.select_option(".viz-scene", scene)
    page.select_option(".viz-speed", "4")
    stepped = max(steps - PLAYED_STEPS, 0)
    if stepped:
        page.locator(".viz-stage").focus()
        for _ in range(stepped):
            page.keyboard.press("ArrowRight")
        expect(page.locator(".viz-progress")).to_have_text(_progress(steps, stepped))
    page.locator(".viz button.viz-play").click()
    expect(page.locator(".viz-progress")).to_have_text(
        _progress(steps, steps), timeout=(steps - stepped) * 1000 + 5000
    )


def step_to_end(page: Page, scene: str, steps: int) -> list[str]:
    """Every step's sentence of ``scene``, read by stepping with the keyboard from the first to
    the last."""
    page.select_option(".viz-scene", scene)
    page.locator(".viz-stage").focus()
    page.keyboard.press("Home")
    sentences = []
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
        sentences.append(page.inner_text(".viz-live"))
    return sentences


def practice_count(exercise_folder: Path) -> int:
    """How many practice cases the page runs for an exercise: its own ``PRACTICE``, never a
    number copied into a test (a new practice case made those wrong)."""
    return len(runpy.run_path(str(exercise_folder / "cases.py"))["PRACTICE"])
