"""Structural accessibility checks of every page a learner reaches, in both languages.

No axe-core package is reachable from this machine's registries, so these check the rules that
matter most here directly in the rendered DOM: a named control for every button and field, the
page language, one h1 and no skipped heading levels, text alternatives for the animation, and
live regions where the page speaks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from ._learner import block_cdn, hold_python

AUDIT = (Path(__file__).parent / "audit.js").read_text()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/my-progress",
        "/lessons/hypervisors",
        "/lessons/virtual-machines",
        "/lessons/resource-pooling",
        "/lessons/types-of-virtualization",
        "/lessons/how-virtualization-works",
        "/lessons/why-virtual-machines",
        "/lessons/trap-and-emulate",
        "/lessons/bt-vs-hardware-assist",
        "/lessons/vcpu-scheduling",
        "/lessons/memory-virtualization",
        "/lessons/live-migration",
        "/lessons/placement-at-scale",
    ],
)
@pytest.mark.parametrize("language", ["en", "zh"])
def test_pages_have_named_controls_headings_and_language(
    page: Page, live_server: str, path: str, language: str
) -> None:
    hold_python(page)
    block_cdn(page)
    page.goto(f"{live_server}{path}?lang={language}")
    if path.startswith("/lessons"):
        page.wait_for_selector(".viz svg")
    audit = page.evaluate(AUDIT)
    assert audit["problems"] == []
    assert audit["lang"] == ("zh-CN" if language == "zh" else "en")
    if path.startswith("/lessons"):
        assert audit["live"] >= 3  # Python status, the animation's description, each result


def test_the_audit_itself_catches_problems(page: Page, live_server: str) -> None:
    hold_python(page)
    block_cdn(page)
    page.goto(f"{live_server}/")
    page.evaluate(
        """() => {
        document.body.append(document.createElement("button"));
        const h4 = document.createElement("h4"); h4.textContent = "deep"; document.body.append(h4);
        document.documentElement.removeAttribute("lang");
    }"""
    )
    problems = page.evaluate(AUDIT)["problems"]
    assert any(p.startswith("unnamed button") for p in problems)
    assert any("heading jumps" in p for p in problems)
    assert "no lang on <html>" in problems
