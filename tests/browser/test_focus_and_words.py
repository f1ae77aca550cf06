"""What a keyboard or screen-reader user found (#8, #15): focus never lands out of sight (after
"Back to the exercise", or under a sticky header that large text made tall), nothing scrolls
sideways with large text on a phone, and the animations say nothing in code or in the other
language."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..conftest import ROOT
from ._learner import block_cdn, open_animation, reach_editor, result, run_button, set_code

IN_VIEW = """() => { const r = document.activeElement.getBoundingClientRect();
  const header = document.querySelector('.site-header').getBoundingClientRect();
  const sticky = getComputedStyle(document.querySelector('.site-header')).position === 'sticky';
  return r.bottom > 0 && r.top < innerHeight && (!sticky || r.top >= header.bottom - 1); }"""

CUT_TEXT = """[...document.querySelectorAll('main *')].filter((e) =>
  getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1
).map((e) => e.className + ': ' + e.textContent)"""


def _wrong(lesson_folder: str, exercise: str) -> str:
    return sorted(
        (ROOT / "lessons" / lesson_folder / "exercises" / exercise / "wrong").glob("*.py")
    )[0].read_text()


def test_back_to_the_exercise_leaves_focus_in_view(page: Page, live_server: str) -> None:
    block_cdn(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/lessons/virtual-machines")
    exercise = "vm-spec"
    reach_editor(page, exercise)
    expect(page.locator("#python-status")).to_have_attribute("data-state", "ready", timeout=60_000)
    set_code(page, _wrong("01-virtual-machines", exercise), exercise)
    run_button(page, exercise).click()
    expect(result(page, exercise).locator(".report")).to_have_attribute(
        "data-verdict", "failed", timeout=30_000
    )
    result(page, exercise).locator("button.replay").first.focus()
    page.keyboard.press("Enter")
    back = page.locator(".viz-back-to-exercise")
    expect(back).to_be_visible()
    back.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('button.replay')")
    try:  # a smooth scroll ends when it ends: 600 ms was not enough on a loaded machine
        page.wait_for_function(IN_VIEW, timeout=5_000)
    except PlaywrightTimeout:
        raise AssertionError("the focused Replay button is out of sight") from None


def test_large_text_on_a_phone_keeps_focus_visible_and_nothing_sideways(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, service_workers="block", is_mobile=True
    )
    try:
        page = context.new_page()
        block_cdn(page)
        page.goto(f"{live_server}/lessons/resource-pooling")
        page.add_style_tag(content="html { font-size: 200% !important; }")  # large text
        page.wait_for_timeout(300)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways: {width} px"
        try:  # nothing cut off behind an ellipsis (the Python status line was)
            page.wait_for_function(f"({CUT_TEXT}).length === 0", timeout=5_000)
        except PlaywrightTimeout:
            raise AssertionError(f"text cut off: {page.evaluate(CUT_TEXT)}") from None
        hidden = []
        page.locator("main a, main button, main input, main [tabindex='0']").last.focus()
        for _ in range(40):  # Shift+Tab upwards: each control the browser scrolls to
            page.keyboard.press("Shift+Tab")
            if not page.evaluate(IN_VIEW):
                hidden.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        assert not hidden, hidden
    finally:
        context.close()


def _sentences(page: Page, scene: str) -> list[str]:
    """Every step's sentence of ``scene``, stepped with the keyboard to its end."""
    page.select_option(".viz-scene", scene)
    page.locator(".viz-stage").focus()
    page.keyboard.press("Home")
    said = []
    forward = page.locator(".viz button.viz-forward")
    while forward.get_attribute("aria-disabled") != "true" and len(said) < 400:
        page.keyboard.press("ArrowRight")
        said.append(page.inner_text(".viz-live"))
    return said


def test_the_animations_say_nothing_in_code_or_in_the_other_language(
    page: Page, live_server: str
) -> None:
    open_animation(page, live_server, "/lessons/placement-at-scale", "zh")
    assert page.locator(".viz-stage").get_attribute("aria-roledescription") == "动画"
    said = _sentences(page, "overload")
    assert not [s for s in said if "lambda" in s or "<" in s], said
    assert any("手工" in s for s in said), said
    open_animation(page, live_server, "/lessons/live-migration", "zh")
    _sentences(page, "converges")
    expect(page.locator(".viz .mr-stop")).to_have_text("■ 停止：已收敛")
    open_animation(page, live_server, "/lessons/bt-vs-hardware-assist", "zh")
    page.select_option(".viz-scene", "compile-nested")
    page.locator(".viz-stage").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(".viz .tc-title")).to_have_text("硬件")
    expect(page.locator(".viz .tc-subtitle").first).to_have_text("带嵌套分页（EPT/NPT）的硬件辅助")


def test_a_phone_zoomed_to_200_percent_never_scrolls_any_page_sideways(
    browser: Browser, live_server: str
) -> None:
    """A 390 px phone at 200 % zoom lays pages out 195 px wide: "Your progress" was 265 px (its
    file chooser did not wrap)."""
    context = browser.new_context(
        viewport={"width": 195, "height": 422}, is_mobile=True, service_workers="block"
    )
    try:
        page = context.new_page()
        block_cdn(page)
        wide = []
        for language in ("en", "zh"):
            for path in (
                "/",
                "/glossary",
                "/my-progress",
                "/login",
                "/signup",
                "/lessons/hypervisors",
            ):
                page.goto(f"{live_server}{path}?lang={language}")
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 195:
                    wide.append(f"{path} ({language}): {width} px")
        assert not wide, wide
    finally:
        context.close()
