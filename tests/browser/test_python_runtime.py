"""Learner code that never ends, recurses forever or crashes Python must never freeze the page or
lose work; and the browser must refuse a bundle whose bytes do not match the lock file."""

from __future__ import annotations

import time

from playwright.sync_api import BrowserContext, Page, Route, expect

from ._learner import (
    LESSON,
    PYTHON_READY_MS,
    SOLUTION,
    STOPPED,
    editor_code,
    expect_all_cases_pass,
    focus_editor,
    open_lesson,
    result,
    run_button,
    run_via_keyboard,
    section,
    set_code,
    wait_for_python_ready,
    watch_console,
)

INFINITE_LOOP = "while True: pass\n"
# A loop inside one C call never returns to the interpreter, so SIGINT cannot land there.
C_LOOP = "def run_vm(vcpu, devices):\n    sum(range(10**15))\n"
RECURSION = "def run_vm(vcpu, devices):\n    return run_vm(vcpu, devices)\n"
# Raising the limit lets the recursion overflow the WebAssembly stack and kill the interpreter.
DEEP_RECURSION = "import sys\nsys.setrecursionlimit(100_000)\n" + RECURSION


def restarts(page: Page) -> int:
    return int(page.evaluate("window.virttutor.python.restarts"))


def assert_page_responds(page: Page) -> None:
    """The main thread answers and the editor still takes typing while Python is busy."""
    started = time.monotonic()
    assert page.evaluate("1 + 1") == 2
    focus_editor(page)
    page.keyboard.press("Control+End")
    page.keyboard.type("# still typing")
    assert editor_code(page).endswith("# still typing")
    assert time.monotonic() - started < 2


def test_infinite_loop_is_interrupted_and_page_stays_usable(page: Page, live_server: str) -> None:
    console = watch_console(page)
    open_lesson(page, live_server)
    assert page.evaluate("crossOriginIsolated") is True
    stop = section(page).locator("button.stop")

    set_code(page, INFINITE_LOOP)
    run_button(page).click()
    expect(stop).to_be_visible()
    expect(stop).to_be_focused()  # Run had focus and disappeared: focus must not fall to <body>
    stop.click()
    expect(result(page)).to_contain_text("stopped: you pressed Stop.", timeout=3_000)
    expect(run_button(page)).to_be_enabled()

    result(page).evaluate("node => node.replaceChildren()")
    set_code(page, INFINITE_LOOP)
    started = time.monotonic()
    run_via_keyboard(page)
    expect(stop).to_be_visible()
    assert_page_responds(page)
    expect(result(page).locator(".report")).to_have_attribute(
        "data-verdict", "stopped", timeout=10_000
    )
    expect(result(page)).to_contain_text(STOPPED)
    assert time.monotonic() - started < 10
    expect(stop).to_be_hidden()
    # SharedArrayBuffer interrupts landed: the same worker (and its warm Python) carries on.
    assert restarts(page) == 0

    set_code(page, SOLUTION)
    run_via_keyboard(page)
    expect_all_cases_pass(page)
    assert console.errors == []


# The worker tells the page "waiting for the rest of the standard library" with this message,
# which learner code in the worker can post too: a loop of them switched the Run's limit off.
FAKE_DOWNLOADS = (
    "import js, time\n"
    "while True:\n"
    '    js.postMessage(js.JSON.parse(\'{"type": "download", "done": false}\'))\n'
    '    js.postMessage(js.JSON.parse(\'{"type": "download", "done": true}\'))\n'
    "    time.sleep(0.5)\n"
)


def test_a_program_cannot_switch_its_own_time_limit_off(page: Page, live_server: str) -> None:
    open_lesson(page, live_server)
    wait_for_python_ready(page)
    set_code(page, FAKE_DOWNLOADS)
    started = time.monotonic()
    run_button(page).click()
    expect(result(page).locator(".report")).to_have_attribute(
        "data-verdict", "stopped", timeout=15_000
    )
    assert time.monotonic() - started < 15


def test_uninterruptible_code_gets_a_fresh_worker(page: Page, live_server: str) -> None:
    console = watch_console(page)
    open_lesson(page, live_server)
    # What the status line showed, every change (a restore from the snapshot can make
    # "restarting" too short for polling to see).
    page.evaluate(
        """() => {
          const status = document.querySelector("#python-status");
          window.statusSeen = [];
          new MutationObserver(() =>
            window.statusSeen.push([status.dataset.state, status.textContent])
          ).observe(status, {
            attributes: true, childList: true, subtree: true, characterData: true
          });
        }"""
    )
    set_code(page, C_LOOP)
    run_button(page).click()
    # Stop only once the worker is inside the C call: a Stop that arrives before the run starts
    # is an ordinary interrupt (a busy machine delays the run's start by seconds).
    page.wait_for_function("window.virttutor.python.state === 'running'")
    page.wait_for_timeout(1_000)
    section(page).locator("button.stop").click()
    # SIGINT cannot land inside one C call: after its ~1 s grace the worker is replaced.
    expect(result(page)).to_contain_text("stopped: you pressed Stop.", timeout=10_000)
    page.wait_for_function("window.virttutor.python.restarts === 1")
    seen = page.evaluate("window.statusSeen")
    assert any(state == "restarting" and "Restarting Python" in text for state, text in seen), seen
    assert restarts(page) == 1
    wait_for_python_ready(page)
    set_code(page, SOLUTION)
    run_via_keyboard(page)
    expect_all_cases_pass(page)
    assert console.errors == []


def test_without_cross_origin_isolation_stop_replaces_the_worker(
    page: Page, live_server: str
) -> None:
    def strip_isolation(route: Route) -> None:
        response = route.fetch()
        headers = {
            k: v for k, v in response.headers.items() if not k.lower().startswith("cross-origin")
        }
        route.fulfill(response=response, headers=headers)

    page.context.route(live_server + LESSON, strip_isolation)
    open_lesson(page, live_server)
    assert page.evaluate("crossOriginIsolated") is False
    set_code(page, INFINITE_LOOP)
    run_via_keyboard(page)
    expect(result(page)).to_contain_text(STOPPED, timeout=10_000)
    assert restarts(page) == 1
    wait_for_python_ready(page)
    set_code(page, SOLUTION)
    run_via_keyboard(page)
    expect_all_cases_pass(page)


def test_runaway_recursion_gets_a_clear_message(page: Page, live_server: str) -> None:
    open_lesson(page, live_server)
    clear = "RecursionError: your code recursed too deeply (does it ever stop?)"

    set_code(page, RECURSION)
    run_via_keyboard(page)
    report = result(page).locator(".report")
    expect(report).to_have_attribute("data-verdict", "failed", timeout=10_000)
    expect(report.locator("p.message").first).to_contain_text(clear)

    result(page).evaluate("node => node.replaceChildren()")
    set_code(page, DEEP_RECURSION)
    run_via_keyboard(page)
    expect(result(page)).to_contain_text(clear, timeout=10_000)
    # The overflow may have killed the interpreter; either way Python comes back by itself.
    wait_for_python_ready(page)
    set_code(page, SOLUTION)
    run_via_keyboard(page)
    expect_all_cases_pass(page)


def test_code_that_breaks_the_harness_is_told_so_without_our_traceback(
    page: Page, live_server: str
) -> None:
    """Replacing a builtin breaks the harness that runs in the same Python: the learner is told
    so, as Submit tells them, and the next Run gets a Python the code has not touched."""
    open_lesson(page, live_server)
    touched = page.evaluate_handle("window.virttutor.python.worker")
    set_code(page, "import builtins\nbuiltins.isinstance = lambda *a: True\n" + RECURSION)
    run_via_keyboard(page)
    expect(result(page)).to_contain_text("your code broke the grader", timeout=10_000)
    expect(result(page)).not_to_contain_text("Traceback")
    expect(result(page)).not_to_contain_text("stopped unexpectedly")
    wait_for_python_ready(page)
    assert page.evaluate("worker => worker !== window.virttutor.python.worker", touched)
    set_code(page, SOLUTION)
    run_via_keyboard(page)
    expect_all_cases_pass(page)


def test_input_and_exit_on_run_are_told_as_submit_tells_them(page: Page, live_server: str) -> None:
    console = watch_console(page)
    open_lesson(page, live_server, lesson=LESSON + "?lang=zh")
    set_code(page, "answer = input()\n" + RECURSION)
    run_via_keyboard(page)
    expect(result(page)).to_contain_text("EOFError", timeout=10_000)  # as in the sandbox
    set_code(page, "import os\nos._exit(0)\n" + RECURSION)
    run_via_keyboard(page)
    expect(result(page)).to_contain_text("你的代码调用了 exit()", timeout=10_000)
    expect(result(page)).not_to_contain_text("Program terminated")
    wait_for_python_ready(page)
    set_code(page, SOLUTION)
    run_via_keyboard(page)
    expect(result(page).locator(".report")).to_have_attribute("data-verdict", "passed")
    assert not [e for e in console.errors if "prompt" in e], console.errors


def test_tampered_bundle_is_refused(context: BrowserContext, page: Page, live_server: str) -> None:
    """Pyodide turns the lock file's sha256 into fetch() Subresource Integrity; prove it bites."""

    def tamper(route: Route) -> None:
        response = route.fetch()
        body = bytearray(response.body())
        body[-100] ^= 0xFF
        route.fulfill(response=response, body=bytes(body))

    # context.route: page.route does not reliably see a module worker's requests.
    context.route("**/virttutor_core-*.whl", tamper)
    open_lesson(page, live_server, wait_for_python=False)
    status = page.locator("#python-status")
    # The error comes once Pyodide has loaded (a cold start) and checked the wheel.
    expect(status).to_have_attribute("data-state", "error", timeout=PYTHON_READY_MS)
    expect(status).to_contain_text("Python could not be loaded")
    expect(status).to_contain_text("does not match its sha256 in virttutor-lock.json")
    expect(run_button(page)).to_be_disabled()
