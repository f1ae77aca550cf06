"""A phone and a keyboard: nothing clipped at 390 px, the editor in view when tabbed into, the
animation's keys where they are advertised, hints one at a time, and legible buttons in every
state (hover, focus, disabled, pressed)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from ._learner import (
    EXERCISE,
    LESSON,
    block_cdn,
    hold_python,
    open_lesson,
    reach_editor,
    result,
    run_button,
    section,
    set_code,
    wait_for_python_ready,
    watch_console,
)

PHONE: ViewportSize = {"width": 390, "height": 844}
AA = 4.5

# WCAG contrast of an element's text against what is painted behind it: its own background over
# its ancestors', with every opacity on the way folded in.
CONTRAST_JS = """
el => {
  const parse = (c) => {
    const p = c.match(/[\\d.]+/g).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) =>
    [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const chain = [];
  let opacity = 1;
  for (let n = el; n; n = n.parentElement) {
    const s = getComputedStyle(n);
    chain.push(parse(s.backgroundColor));
    opacity *= Number(s.opacity);
  }
  let behind = [255, 255, 255, 1];
  for (const layer of chain.slice(1).reverse()) behind = over(layer, behind);
  const own = over(chain[0], behind);
  const text = over(parse(getComputedStyle(el).color), own);
  const shown = (c) => over([...c.slice(0, 3), opacity], behind);
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(shown(text)), lum(shown(own))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def contrast(button: Locator) -> float:
    return float(button.evaluate(CONTRAST_JS))


def name_of(button: Locator) -> str:
    return str(button.evaluate("b => `${b.className} «${b.textContent.trim()}»`"))


def test_nothing_is_clipped_on_a_phone(phone: Page, live_server: str) -> None:
    hold_python(phone)
    block_cdn(phone)
    for lang in ("en", "zh"):
        phone.goto(f"{live_server}{LESSON}?lang={lang}")
        # Scrolled through, as a learner does: an exercise gets its editor near the screen (#15).
        exercises = phone.locator("section.exercise")
        for exercise in exercises.all():
            exercise.scroll_into_view_if_needed()
        expect(phone.locator("section.exercise .CodeMirror")).to_have_count(
            exercises.count(), timeout=30_000
        )
        width = PHONE["width"]
        assert phone.evaluate("document.documentElement.scrollWidth") <= width, (
            "page scrolls sideways"
        )
        tables = phone.locator("main table")
        assert tables.count() > 0
        # A cell or a listing never hides its own text; a table wider than the screen (five
        # hypervisors compared, with whole words) scrolls in its own box, a tab stop
        # (test_small_phone.py), and its box ends inside the screen.
        clipped = phone.evaluate(
            """w => [...document.querySelectorAll('main table, main th, main td, main pre')]
                 .filter(e => (e.tagName !== 'TABLE' && e.scrollWidth > e.clientWidth + 1)
                              || (/^(TABLE|PRE)$/.test(e.tagName)
                                  && e.getBoundingClientRect().right > w + 0.5))
                 .map(e => `${e.tagName}: ${e.textContent.trim().slice(0, 40)}`)""",
            width,
        )
        assert clipped == [], f"{lang}: content hidden past the edge: {clipped}"
        # Every character of every editor line lies inside the editor's visible box.
        cut = phone.evaluate(
            """() => [...document.querySelectorAll('.CodeMirror')].flatMap(cm => {
                 const box = cm.getBoundingClientRect();
                 return [...cm.querySelectorAll('.CodeMirror-line')].filter(line => {
                   const range = document.createRange();
                   range.selectNodeContents(line);
                   return [...range.getClientRects()].some(r => r.right > box.right + 0.5);
                 }).map(line => line.textContent.slice(0, 50));
               })"""
        )
        assert cut == [], f"{lang}: editor lines cut off: {cut}"
        longest = phone.evaluate(
            "() => Math.max(...[...document.querySelectorAll('.CodeMirror')]"
            ".map(cm => Math.max(...cm.CodeMirror.getValue().split('\\n').map(l => l.length))))"
        )
        assert longest > 40, "the starters must have a line long enough to need wrapping"


def test_tabbing_into_the_editor_brings_it_into_view(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    hold_python(page)
    open_lesson(page, live_server, wait_for_python=False)
    editor = reach_editor(page)
    # A focusable stop just before the editor, then the page scrolled back to the top.
    page.evaluate(
        """id => {
             const probe = document.createElement('button');
             probe.textContent = 'a stop just before the editor';
             document.querySelector(`#exercise-${id} label[for^=code-]`).before(probe);
             probe.focus({preventScroll: true});
             window.scrollTo(0, 0);
           }""",
        EXERCISE,
    )
    top = editor.evaluate("cm => cm.getBoundingClientRect().top")
    assert top > 720, "the editor starts off-screen"
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('.CodeMirror')")
    box = editor.evaluate(
        "cm => { const r = cm.getBoundingClientRect(); return [r.top, r.bottom]; }"
    )
    assert 0 <= box[0] < 720 and box[1] <= 720, f"editor at {box}, window 720 px high"


def test_animation_keys_work_once_it_has_focus_and_say_so(page: Page, live_server: str) -> None:
    console = watch_console(page)
    hold_python(page)
    open_lesson(page, live_server, wait_for_python=False)
    viz = page.locator(".viz")
    expect(viz).to_have_attribute("data-viz-mounted", "true")
    expect(viz.locator(".viz-keys")).to_contain_text(re.compile(r"focus.*click", re.I))

    viz.locator(".viz-live").scroll_into_view_if_needed()
    scrolled = page.evaluate("scrollY")
    # A click on the narration (not a control) hands the keys to the animation.
    viz.locator(".viz-live").click()
    assert page.evaluate("document.activeElement === document.querySelector('.viz-stage')")
    page.keyboard.press("ArrowRight")
    expect(viz).to_have_attribute("data-step", "1")
    page.keyboard.press("Space")
    expect(viz).to_have_class(re.compile(r"\bis-playing\b"))
    page.keyboard.press("Space")
    expect(viz).not_to_have_class(re.compile(r"\bis-playing\b"))
    assert page.evaluate("scrollY") == scrolled, "the keys must not scroll the page"

    # A click on a control keeps focus there: Space presses the button once, never twice.
    play = viz.locator("button.viz-play")
    play.click()
    expect(play).to_be_focused()
    expect(viz).to_have_class(re.compile(r"\bis-playing\b"))
    page.keyboard.press("Space")
    expect(viz).not_to_have_class(re.compile(r"\bis-playing\b"))
    assert console.errors == []


def test_hints_open_one_at_a_time_and_are_remembered(page: Page, live_server: str) -> None:
    hold_python(page)
    open_lesson(page, live_server, wait_for_python=False)
    hints = section(page).locator(".hints")
    items = hints.locator("li")
    total = items.count()
    assert total >= 2
    field = section(page).locator("input[name=hints_opened]")
    button = hints.get_by_role("button", name="Show a hint")
    for i in range(total):
        expect(items.nth(i)).to_be_hidden()
    expect(field).to_have_value("0")

    button.click()
    expect(items.nth(0)).to_be_visible()
    expect(items.nth(0)).to_be_focused()
    for i in range(1, total):
        expect(items.nth(i)).to_be_hidden()
    expect(field).to_have_value("1")
    expect(hints).to_contain_text(f"1 of {total} hints shown")

    page.reload()
    expect(items.nth(0)).to_be_visible()
    expect(items.nth(1)).to_be_hidden()
    expect(field).to_have_value("1")
    other = page.locator("section.exercise").first
    if other.get_attribute("id") != f"exercise-{EXERCISE}":
        expect(other.locator("input[name=hints_opened]")).to_have_value("0")  # counted per exercise

    next_hint = hints.get_by_role("button", name="Show the next hint")
    for opened in range(2, total + 1):
        next_hint.click()
        expect(items.nth(opened - 1)).to_be_visible()
        expect(field).to_have_value(str(opened))
    expect(hints.locator("button.show-hint")).to_be_hidden()
    expect(items.nth(total - 1)).to_be_focused()  # focus never falls to <body>

    with page.expect_request(lambda r: r.method == "POST" and "/submit" in r.url) as sent:
        section(page).locator("button.submit").click()
    assert parse_qs(sent.value.post_data or "")["hints_opened"] == [str(total)]


def test_every_button_is_legible_in_every_state(page: Page, live_server: str) -> None:
    hold_python(page)
    open_lesson(page, live_server, wait_for_python=False)
    expect(page.locator(".viz")).to_have_attribute("data-viz-mounted", "true")
    # Stop shows only while code runs; show it to measure it (its colours are what matter).
    page.evaluate("document.querySelectorAll('button.stop').forEach(b => b.hidden = false)")
    failures: list[str] = []

    def measure(button: Locator, state: str) -> None:
        ratio = contrast(button)
        if ratio < AA:
            failures.append(f"{name_of(button)} {state}: {ratio:.2f}:1")

    buttons = page.locator("main button:visible")
    assert buttons.count() > 10
    for i in range(buttons.count()):
        button = buttons.nth(i)
        button.scroll_into_view_if_needed()
        measure(button, "at rest")
        button.hover()
        measure(button, "hovered")
        button.evaluate("b => b.focus()")
        measure(button, "focused")
    page.mouse.move(0, 0)

    # States that only happen in use: a disabled Run, a disabled step-back at step 0, a pressed
    # Play (the Pause button) under the pointer, a Submit disabled while grading.
    run = run_button(page)
    expect(run).to_be_disabled()
    run.hover(force=True)
    measure(run, "disabled, hovered")
    back = page.locator(".viz button.viz-back")
    expect(back).to_have_attribute("aria-disabled", "true")
    back.hover()
    measure(back, "aria-disabled, hovered")
    play = page.locator(".viz button.viz-play")
    play.click()
    expect(play).to_have_attribute("aria-pressed", "true")
    play.hover()
    measure(play, "pressed, hovered")
    play.click()
    page.route("**/exercises/*/submit", lambda route: None)  # grading never answers
    submit = section(page).locator("button.submit")
    submit.click()
    expect(submit).to_be_disabled()
    submit.hover(force=True)
    measure(submit, "disabled while grading, hovered")
    assert failures == [], failures


def test_status_says_code_is_running_and_stop_stays_legible(page: Page, live_server: str) -> None:
    open_lesson(page, live_server)
    status = page.locator("#python-status")
    set_code(page, "while True:\n    pass\n")
    run_button(page).click()
    stop = section(page).locator("button.stop")
    expect(stop).to_be_visible()
    expect(status).to_contain_text("running your code")
    expect(status).not_to_contain_text("ready")
    stop.hover()
    assert contrast(stop) >= AA, f"Stop under the pointer: {contrast(stop):.2f}:1"
    stop.click()
    expect(result(page)).to_contain_text("you pressed Stop")
    wait_for_python_ready(page)
    expect(status).to_contain_text(re.compile(r"Python is ready \(\d+\.\d s\)"))
