"""A learner's whole visit: Python loads, a correct answer passes in the browser, the code survives
a reload, the server grades a Submit, and the lesson reads in Chinese."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from playwright.sync_api import Page, expect

from ._learner import (
    EXERCISE,
    LESSON,
    SOLUTION,
    block_cdn,
    editor_code,
    expect_all_cases_pass,
    open_lesson,
    result,
    run_button,
    run_via_keyboard,
    section,
    set_code,
    stored_code,
    wait_for_python_ready,
    watch_console,
)


def test_practice_run_reload_and_submit(page: Page, live_server: str) -> None:
    console = watch_console(page)
    open_lesson(page, live_server, wait_for_python=False)
    status = page.locator("#python-status")
    # Run stays off until Python and the bundle are in: a click before then would do nothing.
    expect(run_button(page)).to_be_disabled()
    expect(status).to_contain_text(re.compile(r"Loading (Python|the simulation)…"))
    expect(status.locator("progress")).to_be_visible()

    set_code(page, SOLUTION)
    page.evaluate(
        "() => { window.replays = []; document.addEventListener('virttutor:replay',"
        " e => window.replays.push(e.detail)); }"
    )
    # Ctrl+Enter before Python is ready is not lost: it runs as soon as Python is.
    run_via_keyboard(page)
    expect(result(page)).to_contain_text("Python is still loading")
    wait_for_python_ready(page)
    expect_all_cases_pass(page)
    expect(status).to_have_attribute("data-state", "ready")
    expect(status).to_contain_text(re.compile(r"Python is ready \(\d+\.\d s\)"))
    expect(status.locator("progress")).to_be_hidden()
    assert page.evaluate("crossOriginIsolated") is True
    report = result(page).locator(".report")
    # A Run checks the practice cases only, and says so: it never claims the grade.
    expect(report.locator(".verdict")).to_contain_text(
        "All 3 practice cases pass. Submit to be graded on your hidden cases."
    )
    expect(report.locator("li.case.pass .mark").first).to_have_text("✓")

    report.locator("button.replay").first.click()
    replay = page.evaluate("window.replays[0]")
    assert replay["exerciseId"] == EXERCISE
    assert replay["caseName"] == report.locator("li.case strong").first.inner_text()
    assert replay["trace"], "the replay event carries the model trace of the learner's run"
    # ...and the lesson's animation takes it: the learner's run becomes the selected scene.
    scene = page.locator(".viz select.viz-scene")
    expect(scene).to_be_attached()
    chosen = scene.evaluate("select => select.selectedOptions[0].textContent")
    assert chosen == f"Your run: {replay['caseName']}"

    assert stored_code(page) == SOLUTION
    page.reload()
    expect(section(page).locator(".CodeMirror")).to_be_visible()
    assert editor_code(page) == SOLUTION

    with page.expect_request(lambda r: r.method == "POST" and "/submit" in r.url) as sent:
        section(page).locator("button.submit").click()
    assert parse_qs(sent.value.post_data or "")["code"] == [SOLUTION]
    server_report = result(page).locator(".report")
    expect(server_report).to_have_attribute("data-verdict", "passed", timeout=20_000)
    expect(server_report.locator(".verdict")).to_contain_text(
        re.compile(r"Passed: all \d+ cases are correct\.")
    )
    expect(server_report).to_contain_text("graded on your hidden cases on the server")
    # Its own hidden cases carry no traces (each could hold the model's answer): every case's
    # verdict, no replay.
    expect(server_report.locator("li.case").first).to_be_visible()
    expect(server_report.locator("li.case button.replay")).to_have_count(0)
    assert console.errors == []


def test_chinese_interface(page: Page, live_server: str) -> None:
    console = watch_console(page)
    open_lesson(page, live_server, wait_for_python=False)
    page.get_by_role("link", name="中文").click()
    expect(page).to_have_url(re.compile(re.escape(LESSON) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h1")).to_have_text("虚拟机监控程序：类型 1 与类型 2")
    wait_for_python_ready(page)
    expect(page.locator("#python-status")).to_contain_text("Python 已就绪")

    set_code(page, SOLUTION)
    run_via_keyboard(page)
    expect_all_cases_pass(page)
    report = result(page).locator(".report")
    expect(report.locator(".verdict")).to_contain_text("3 个练习用例全部通过。")
    expect(report.locator("button.replay").first).to_have_text("在动画中回放")
    expect(report.locator("li.case .sr-only").first).to_have_text("通过")
    assert console.errors == []


def test_practice_feedback_in_chinese(page: Page, live_server: str) -> None:
    """The harness's feedback comes in both languages; the Chinese page shows the Chinese."""
    console = watch_console(page)
    block_cdn(page)
    page.goto(live_server + LESSON + "?lang=zh")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    wait_for_python_ready(page)
    io_path = "io-path"
    set_code(page, "def path(kind, operation):\n    return ['guest_app']\n", io_path)
    run_button(page, io_path).click()
    report = result(page, io_path).locator(".report")
    expect(report).to_have_attribute("data-verdict", "failed", timeout=10_000)
    expect(report.locator("p.message").first).to_contain_text("在 'guest_app'（第 1 步）就停下了")
    expect(report.locator(".verdict")).to_contain_text(re.compile(r"\d+ 个练习用例中有 0 个通过"))
    expect(report).not_to_contain_text("the path stops after")
    # A program that cannot be compiled: the harness's own message, in Chinese.
    set_code(page, "def path(:\n", io_path)
    run_button(page, io_path).click()
    expect(report).to_have_attribute("data-verdict", "error", timeout=10_000)
    expect(report.locator("p.message")).to_contain_text("语法错误 SyntaxError（第 1 行）")
    assert console.errors == []
