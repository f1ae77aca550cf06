"""The Chinese page as a Chinese learner meets it: a Chinese starter that Reset brings back, and an
animation whose component names and sentences follow the glossary, spaced from Latin text."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tutor.content.glossary import load_glossary

from ._learner import (
    EXERCISE,
    LESSON,
    ROOT,
    block_cdn,
    editor_code,
    hold_python,
    section,
    set_code,
)

STARTER_ZH = (ROOT / "lessons/05-hypervisors/exercises" / EXERCISE / "starter.zh.py").read_text()
HAN_LATIN = re.compile(r"[\u4e00-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u4e00-\u9fff]")


def test_chinese_editor_starts_from_and_resets_to_the_chinese_starter(
    page: Page, live_server: str
) -> None:
    hold_python(page)
    block_cdn(page)
    page.goto(live_server + LESSON + "?lang=zh")
    assert editor_code(page) == STARTER_ZH
    assert "在这里分别处理每一种" in editor_code(page)
    set_code(page, "def run_vm(vcpu, devices):\n    return 42\n")
    page.once("dialog", lambda dialog: dialog.accept())
    section(page).locator("button.reset").click()
    assert editor_code(page) == STARTER_ZH


def test_a_lesson_reached_by_a_chinese_link_gets_its_verdict_in_chinese(
    page: Page, live_server: str
) -> None:
    """The link carries ?lang=zh; the browser asks for English; nobody used the language switch."""
    page.context.set_extra_http_headers({"Accept-Language": "en-US,en;q=0.9"})
    hold_python(page)
    block_cdn(page)
    page.goto(live_server + LESSON + "?lang=zh")
    set_code(page, "def run_vm(vcpu, devices):\n    return 42\n")
    section(page).locator("button.submit").click()
    verdict = section(page).locator(".result .report .verdict")
    # Graded on the server: the first Submit starts the sandbox's zygotes (seconds when busy).
    expect(verdict).to_contain_text("个用例中有", timeout=20_000)
    expect(verdict).not_to_contain_text("cases pass")


def test_chinese_animation_names_components_by_the_glossary(page: Page, live_server: str) -> None:
    page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
    page.route("**/pyodide.asm.wasm", lambda route: route.abort())
    page.goto(f"{live_server}{LESSON}?lang=zh")
    page.wait_for_selector(".viz[data-viz-mounted='true']")
    glossary = load_glossary()
    chips = page.locator(".stack[data-hv='type1'] .chip text").all_text_contents()
    expected = [
        "memory-manager",
        "process-scheduler",
        "io-stack",
        "device-drivers",
        "security-manager",
        "network-stack",
    ]
    assert sorted(chips) == sorted(glossary.term(t).zh for t in expected)
    # Step through the default scene: every sentence read out is spaced from Latin text.
    page.focus(".viz-stage")
    total = int(re.findall(r"\d+", page.inner_text(".viz-progress"))[-1])
    sentences = []
    for _ in range(total):
        page.keyboard.press("ArrowRight")
        sentences.append(page.inner_text(".viz-live"))
    expect(page.locator(".viz-live")).not_to_be_empty()
    unspaced = [s for s in sentences if HAN_LATIN.search(s)]
    assert not unspaced, unspaced
    assert any(" VM 退出" in s for s in sentences), sentences
