"""What a learner's Run and Submit say, in real Chromium: no verdict claims more than was checked,
feedback does not hand out the answer, printed output is shown, and a failing case's replay marks
where the learner's run left the model's, with the grader's message and the state it checked."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ._learner import (
    ROOT,
    block_cdn,
    open_lesson,
    result,
    run_button,
    section,
    set_code,
    watch_console,
)

IO_PATH = "io-path"
IO_SOLUTION = (ROOT / "lessons/05-hypervisors/exercises/io-path/solution.py").read_text()
# A type 2 path that skips the world switch: right for type 1 and KVM, wrong for type 2.
NO_WORLD_SWITCH = IO_SOLUTION.replace('"world_switch", ', "")
VCPU_IGNORES_PORT = """
def run_vm(vcpu, devices):
    while True:
        exit = vcpu.run()
        if exit.reason == "HLT":
            return
        if exit.reason == "MMIO" and exit.is_write:
            devices.mmio_write(exit.addr, exit.data)
        elif exit.reason == "MMIO":
            vcpu.complete(devices.mmio_read(exit.addr))
        else:
            devices.port_write(0x60, exit.data)
"""


def run(page: Page, code: str, exercise: str = IO_PATH) -> None:
    set_code(page, code, exercise)
    run_button(page, exercise).click()


def test_a_run_says_it_checked_practice_cases_and_counts_them(page: Page, live_server: str) -> None:
    console = watch_console(page)
    open_lesson(page, live_server)
    run(page, NO_WORLD_SWITCH)
    report = result(page, IO_PATH).locator(".report")
    expect(report).to_have_attribute("data-verdict", "failed", timeout=10_000)
    expect(report).to_have_attribute("data-scope", "practice")
    # Counts, not percentages, and the count of what was really checked.
    verdict = report.locator(".verdict")
    expect(verdict).to_contain_text(re.compile(r"^\D*(\d+) of (\d+) practice cases pass\."))
    passed, total = (int(report.get_attribute(a) or 0) for a in ("data-passed", "data-total"))
    assert 0 < passed < total and f"{passed} of {total} practice cases" in verdict.inner_text()
    expect(report.locator(".verdict")).not_to_contain_text("%")
    message = report.locator("p.message").first
    expect(message).to_contain_text("comes too early")
    # The first Runs say what is wrong and why, not which layer belongs there.
    expect(message).not_to_contain_text("world_switch")
    run_button(page, IO_PATH).click()
    expect(report.locator("p.message").first).not_to_contain_text("world_switch")
    run_button(page, IO_PATH).click()
    # After several failed Runs of the same case, the model's step is named.
    run_button(page, IO_PATH).click()
    expect(result(page, IO_PATH).locator("p.message").first).to_contain_text(
        "The model's step 5 is 'world_switch'", timeout=10_000
    )
    assert console.errors == []


def test_an_opened_hint_lets_feedback_name_the_expected_step(page: Page, live_server: str) -> None:
    open_lesson(page, live_server)
    hints = section(page, IO_PATH).locator("[name=hints_opened]")
    expect(hints).to_be_attached()
    hints.evaluate("field => { field.value = '1'; }")
    run(page, NO_WORLD_SWITCH)
    expect(result(page, IO_PATH).locator("p.message").first).to_contain_text(
        "The model's step 5 is 'world_switch'", timeout=10_000
    )


def test_printed_output_is_shown_for_each_case(page: Page, live_server: str) -> None:
    open_lesson(page, live_server)
    code = IO_SOLUTION.replace(
        "def path(kind, operation):\n", "def path(kind, operation):\n    print('asked for', kind)\n"
    )
    run(page, code)
    report = result(page, IO_PATH).locator(".report")
    expect(report).to_have_attribute("data-verdict", "passed", timeout=10_000)
    printed = report.locator("li.case details.printed")
    expect(printed).to_have_count(report.locator("li.case").count())
    printed.first.locator("summary").click()
    expect(printed.first.locator("pre")).to_have_text("asked for type1\n")

    # ...and in the server's report of a Submit.
    section(page, IO_PATH).locator("button.submit").click()
    server = result(page, IO_PATH).locator(".report[data-scope=hidden]")
    expect(server).to_have_attribute("data-verdict", "passed", timeout=20_000)
    expect(server.locator("li.case details.printed pre").first).to_contain_text("asked for")


def test_a_missing_function_is_named_with_its_signature(page: Page, live_server: str) -> None:
    open_lesson(page, live_server)
    run(page, "def paths(kind, operation):\n    return []\n")
    report = result(page, IO_PATH).locator(".report")
    expect(report).to_have_attribute("data-verdict", "failed", timeout=10_000)
    message = report.locator("p.message").first
    expect(message).to_contain_text("define a function named `path(kind, operation)`")
    expect(message).to_contain_text("'paths'")
    # One distinct problem, shown once for the three cases it breaks.
    expect(report.locator("p.message")).to_have_count(1)
    others = report.locator("li.case").count() - 1
    expect(message).to_contain_text(f"the same in {others} more cases")
    expect(report).not_to_contain_text("AttributeError")


def test_a_failing_replay_marks_where_the_run_left_the_model(page: Page, live_server: str) -> None:
    console = watch_console(page)
    open_lesson(page, live_server)
    run(page, NO_WORLD_SWITCH)
    report = result(page, IO_PATH).locator(".report")
    expect(report).to_have_attribute("data-verdict", "failed", timeout=10_000)
    report.locator("li.case.fail button.replay").first.click()
    viz = page.locator(".viz")
    panel = viz.locator(".viz-verdict")
    expect(panel).to_be_visible()
    expect(panel).to_have_class(re.compile(r"\bis-failed\b"))
    expect(panel).to_contain_text("This case fails.")
    expect(panel).to_contain_text("comes too early")
    # The state the grader checked: the learner's own path.
    expect(panel.locator("dl.viz-state dt")).to_have_text(["path"])
    expect(panel.locator("dl.viz-state dd")).to_contain_text("host_vmm_driver")
    # Before the departure nothing is red; at it, the token turns red and the sentence says why.
    expect(viz).not_to_have_class(re.compile(r"\bis-departed\b"))
    panel.locator("button.viz-to-departure").click()
    expect(viz).to_have_class(re.compile(r"\bis-departed\b"))
    expect(viz.locator(".viz-live")).to_contain_text("Here your run leaves the model's")
    expect(viz.locator(".token.is-departed")).to_have_count(1)
    # To the end: a failing run never ends on a ✓.
    forward = viz.locator("button.viz-forward")
    while forward.get_attribute("aria-disabled") != "true":
        forward.click()
    expect(viz.locator(".viz-live")).to_contain_text("it does not match the model's")
    expect(viz.locator(".token .token-arrow")).not_to_have_text("✓")
    # ...and a way back to the exercise.
    panel.locator("a.viz-back-to-exercise").click()
    expect(section(page, IO_PATH)).to_be_in_viewport()
    assert console.errors == []


def test_an_error_in_the_learners_run_is_shown_in_the_replay(page: Page, live_server: str) -> None:
    block_cdn(page)
    open_lesson(page, live_server)
    run(page, VCPU_IGNORES_PORT, "vcpu-run-loop")
    report = result(page, "vcpu-run-loop").locator(".report")
    expect(report).to_have_attribute("data-verdict", "failed", timeout=10_000)
    failing = report.locator("li.case.fail button.replay").first
    failing.click()
    panel = page.locator(".viz .viz-verdict")
    expect(panel).to_contain_text("This case fails.")
    # The model's own error, not a success line.
    expect(panel).to_contain_text(re.compile(r"no device|port", re.I))
