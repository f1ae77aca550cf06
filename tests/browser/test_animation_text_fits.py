"""No words of an animation are cut off at the edge of its drawing on a phone (#15). SVG text never
wraps by itself: a sentence wider than the 360-unit drawing, shown 320 px wide, was clipped on
both sides ("ss Play: a running guest starts moving to another h"), and so were lesson 11's
header and pause figures and lesson 8's verdict. Every scene of every lesson, both languages, at
its first step and its last."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from ._learner import block_cdn, hold_python

CUT_OFF = """() => {
  const cut = [];
  for (const svg of document.querySelectorAll('.viz svg')) {
    const box = svg.getBoundingClientRect();
    if (!box.width) continue;
    for (const text of svg.querySelectorAll('text')) {
      const r = text.getBoundingClientRect();
      if (!text.textContent.trim() || !r.width) continue;
      if (r.left < box.left - 2 || r.right > box.right + 2) cut.push(text.textContent.slice(0, 70));
    }
  }
  return cut;
}"""


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_animation_words_are_cut_off_on_a_phone(
    browser: Browser, live_server: str, language: str
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        service_workers="block",
        reduced_motion="reduce",
    )
    try:
        page = context.new_page()
        block_cdn(page)
        hold_python(page)
        lessons = [
            item["id"] for item in page.request.get(f"{live_server}/api/lessons").json()["lessons"]
        ]
        assert len(lessons) >= 12
        cut: set[str] = set()
        for lesson in lessons:
            page.goto(f"{live_server}/lessons/{lesson}?lang={language}")
            page.wait_for_selector(".viz[data-viz-mounted='true']")
            vizes = page.locator(".viz[data-viz-mounted='true']")
            for v in range(vizes.count()):
                viz = vizes.nth(v)
                viz.scroll_into_view_if_needed()
                menu = viz.locator(".viz-scene option")
                for value in menu.evaluate_all("(options) => options.map((o) => o.value)"):
                    viz.locator(".viz-scene").select_option(value)
                    viz.locator(".viz-stage").focus()
                    for key in ("Home", "End"):
                        page.keyboard.press(key)
                        page.wait_for_timeout(120)
                        cut.update(f"{lesson} {value} {key}: {t}" for t in page.evaluate(CUT_OFF))
        assert not cut, sorted(cut)
    finally:
        context.close()
