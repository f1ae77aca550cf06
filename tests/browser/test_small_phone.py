"""A Chinese-speaking learner on a 360 × 740 phone: what they found, checked in real Chromium.

Every animation fits its stage at 320 and 360 px (a 360-unit drawing had a 320 px minimum in a
284 px stage and was cut off at the right), its narration shows code as code (not between
backticks), a replayed case's state starts folded (it was 2,580 px of JSON between the
animation and "Back to the exercise"), the credit scheduler counts its pCPUs from its first
step, stand-alone links and buttons are at least 24 px tall and wide (WCAG 2.5.8), words in
tables stay whole (a line breaks only where a word may), and lesson 7's
panel is no taller than the screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, expect

from ._learner import block_cdn, hold_python

PHONE = {"width": 360, "height": 740}


@contextmanager
def phone(browser: Browser, width: int = 360) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": width, "height": PHONE["height"]},
        is_mobile=True,
        has_touch=True,
        service_workers="block",
        reduced_motion="reduce",
    )
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        block_cdn(page)
        hold_python(page)
        yield page
    finally:
        context.close()


def lessons(page: Page, base: str) -> list[str]:
    found = [item["id"] for item in page.request.get(f"{base}/api/lessons").json()["lessons"]]
    assert len(found) >= 12
    return found


def open_animation(page: Page, base: str, lesson: str, language: str) -> None:
    page.goto(f"{base}/lessons/{lesson}?lang={language}")
    page.wait_for_selector(".viz[data-viz-mounted='true']")


def scenes(page: Page) -> list[str]:
    values: list[str] = page.locator(".viz-scene option").evaluate_all(
        "(os) => os.map((o) => o.value)"
    )
    return values


# Every step of the scene on show, from its first: the narration's text and markup after each.
EVERY_STEP = """(limit) => {
  const viz = document.querySelector('.viz[data-viz-mounted="true"]');
  viz.querySelector('.viz-restart').click();
  const live = viz.querySelector('.viz-live');
  const forward = viz.querySelector('.viz-forward');
  const said = [];
  for (let i = 0; i < limit && forward.getAttribute('aria-disabled') !== 'true'; i += 1) {
    forward.click();
    const code = [...live.querySelectorAll('code')].map((c) => c.textContent);
    said.push({ text: live.textContent, code });
  }
  return said;
}"""

SIDEWAYS = """() => [...document.querySelectorAll('.viz-stage')]
  .filter((s) => s.scrollWidth > s.clientWidth + 1)
  .map((s) => `${s.closest('.viz').dataset.animation}: ${s.scrollWidth} > ${s.clientWidth}`)"""


@pytest.mark.parametrize(("language", "width"), [("zh", 360), ("en", 360), ("en", 320)])
def test_every_animation_fits_its_stage_on_a_small_phone(
    browser: Browser, live_server: str, language: str, width: int
) -> None:
    with phone(browser, width) as page:
        wide: list[str] = []
        for lesson in lessons(page, live_server):
            open_animation(page, live_server, lesson, language)
            stage = page.locator(".viz-stage").first
            stage.scroll_into_view_if_needed()
            for scene in scenes(page):
                page.select_option(".viz-scene", scene)
                stage.focus()
                for key in ("Home", "End"):
                    page.keyboard.press(key)
                    wide += [f"{lesson} {scene} {key}: {s}" for s in page.evaluate(SIDEWAYS)]
            assert page.evaluate("document.documentElement.scrollWidth") <= width, lesson
        assert not wide, wide


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_narration_shows_backticks(browser: Browser, live_server: str, language: str) -> None:
    with phone(browser) as page:
        ticked: list[str] = []
        coded: set[str] = set()
        for lesson in lessons(page, live_server):
            open_animation(page, live_server, lesson, language)
            for scene in scenes(page):
                page.select_option(".viz-scene", scene)
                for step in page.evaluate(EVERY_STEP, 400):
                    if "`" in step["text"]:
                        ticked.append(f"{lesson} {scene}: {step['text'][:90]}")
                    coded.update(step["code"])
        assert not ticked, ticked
        # Lesson 7 names its instructions: as code.
        assert {"cli", "halt"} <= coded, coded


# A learner's run of lesson 9 whose output is a long list (a tick per item, None for idle).
LONG_STATE = [[f"vm{i % 3}", None] for i in range(120)]
REPLAY = """([state, back]) => {
  document.dispatchEvent(new CustomEvent('virttutor:replay', { detail: {
    exerciseId: 'credit-weights', caseName: 'two domains', passed: false, departure: 1,
    message: 'the tick goes to the wrong vCPU', trace: [
      { kind: 'sched.add', t: 0, vcpu: 'web', weight: 256, cap: 0, vcpus: ['web'] },
      { kind: 'sched.dispatch', t: 0, pcpu: 0, vcpu: 'web', prio: 'UNDER' },
    ], state, back } }));
}"""


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_replayed_state_starts_folded_with_back_to_the_exercise_in_reach(
    browser: Browser, live_server: str, language: str
) -> None:
    with phone(browser) as page:
        open_animation(page, live_server, "vcpu-scheduling", language)
        back = page.evaluate("() => document.querySelector('section.exercise')?.id")
        assert back
        page.evaluate(REPLAY, [LONG_STATE, back])
        panel = page.locator(".viz-verdict")
        expect(panel).to_be_visible()
        folded = panel.locator("details.viz-state-box")
        expect(folded).to_have_count(1)
        assert folded.get_attribute("open") is None
        summary = folded.locator("summary")
        if language == "zh":
            expect(summary).to_contain_text("你的代码留下的状态")
            expect(summary).to_contain_text("120 项")
        else:
            expect(summary).to_contain_text("What your code left")
            expect(summary).to_contain_text("120 items")
        # The link back is a few lines under the verdict, not thousands of pixels.
        link = panel.locator("a.viz-back-to-exercise")
        head = panel.locator(".viz-verdict-head").bounding_box()
        below = link.bounding_box()
        assert head and below and below["y"] - head["y"] < 250, (head, below)
        # Opened, the value is written as Python writes it (None, not null), in a bounded box.
        summary.click()
        value = folded.locator(".viz-state-value").first
        expect(value).to_contain_text("['vm0', None]")
        expect(value).not_to_contain_text("null")
        box = value.bounding_box()
        assert box and box["height"] <= 330, box
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


# The scenes of lesson 9's credit scheduler and the pCPUs each runs on (its ticks say so).
PCPUS = {"weights": 1, "per-vcpu": 1, "cap-idle": 4}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_credit_gantt_counts_its_pcpus_from_the_first_step(
    browser: Browser, live_server: str, language: str
) -> None:
    with phone(browser) as page:
        open_animation(page, live_server, "vcpu-scheduling", language)
        header = page.locator(".credit-gantt .cg-header")
        for scene, pcpus in PCPUS.items():
            page.select_option(".viz-scene", scene)
            page.locator(".viz-stage").focus()
            page.keyboard.press("Home")
            for _ in range(3):
                page.keyboard.press("ArrowRight")
                said = f"{pcpus} pCPU" if language == "en" else f"{pcpus} 个物理 CPU"
                expect(header).to_contain_text(said)
                expect(page.locator(".cg-pcpu")).to_have_count(pcpus)


# Every visible link, button and field that does not sit in a paragraph of running text (a
# block with text of its own, on more than one line) is at least 24 × 24 px. A machine without a
# Chinese font draws Han characters as boxes about half as wide as a phone's glyphs: there, the
# width of a target named in Chinese is not measured (its height still is).
SMALL_TARGETS = """() => {
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;font-size:20px;white-space:nowrap';
  probe.textContent = '中文中文中';
  document.body.append(probe);
  const hanDrawn = probe.getBoundingClientRect().width >= 90;
  probe.remove();
  const HAN = /[\u3400-\u9fff]/;
  const TARGET = 'a[href], button, summary, select, textarea, [role=button], '
    + 'input:not([type=hidden])';
  const BLOCK = new RegExp('^(block|flex|grid|list-item|table-cell|table-caption|flow-root|'
    + 'inline-flex|inline-grid)$');
  const blockOf = (el) => {
    let e = el.parentElement;
    while (e && !BLOCK.test(getComputedStyle(e).display)) e = e.parentElement;
    return e;
  };
  const inRunningText = (el) => {
    const block = blockOf(el);
    if (!block) return false;
    let own = '';
    const walk = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.parentElement.closest(TARGET)) own += n.data;
    }
    const style = getComputedStyle(block);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
    return own.trim() !== '' && block.getBoundingClientRect().height > 1.5 * line;
  };
  const small = [];
  for (const el of document.querySelectorAll(TARGET)) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('.CodeMirror, svg, .skip-link')) continue;
    if (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) continue;
    const name = el.textContent || el.value || '';
    const wideEnough = r.width >= 24 || (!hanDrawn && HAN.test(name));
    if (wideEnough && r.height >= 24) continue;
    if (inRunningText(el)) continue;
    const size = `${Math.round(r.width)}×${Math.round(r.height)}`;
    small.push(`${el.tagName.toLowerCase()} "${name.trim().slice(0, 30)}" ${size}`);
  }
  return small;
}"""


@pytest.mark.parametrize("language", ["zh", "en"])
def test_stand_alone_links_and_buttons_are_big_enough_to_tap(
    browser: Browser, live_server: str, language: str
) -> None:
    with phone(browser) as page:
        small: list[str] = []

        def check(path: str) -> None:
            joiner = "&" if "?" in path else "?"
            page.goto(f"{live_server}{path}{joiner}lang={language}")
            small.extend(f"{path}: {target}" for target in page.evaluate(SMALL_TARGETS))

        for path in ("/", "/lessons/hypervisors", "/signup", "/login", "/glossary", "/my-progress"):
            check(path)
        check("/no-such-page")
        # Signed in (one letter of a name is the narrowest link the header can show).
        page.goto(f"{live_server}/signup?lang={language}")
        stamp = re.sub(r"\D", "", page.evaluate("String(performance.timeOrigin)"))
        page.fill("#email", f"phone{stamp}@example.org")
        page.fill("#name", "Q")
        page.fill("#password", "a good password")
        page.fill("#confirm", "a good password")
        page.locator("main button[type=submit]").click()
        expect(page.get_by_role("link", name="Q", exact=True)).to_be_visible()
        for path in ("/courses", "/account", "/me/submissions", "/"):
            check(path)
        assert not small, small


# Lesson 7's panel at every step of the toy ISA's scene: its height, and the span from the top of
# the drawing (the instruction table) to the end of the narration under the controls.
LESSON_7_HEIGHTS = """() => {
  const viz = document.querySelector('.viz');
  const top = () => viz.querySelector('.viz-stage').getBoundingClientRect().top;
  const measure = () => ({
    panel: viz.getBoundingClientRect().height,
    span: viz.querySelector('.viz-live').getBoundingClientRect().bottom - top(),
  });
  viz.querySelector('.viz-restart').click();
  const forward = viz.querySelector('.viz-forward');
  const seen = [measure()];
  while (forward.getAttribute('aria-disabled') !== 'true') {
    forward.click();
    seen.push(measure());
  }
  return seen;
}"""


@pytest.mark.parametrize("language", ["zh", "en"])
def test_lesson_7_table_and_narration_fit_a_phone_screen(
    browser: Browser, live_server: str, language: str
) -> None:
    with phone(browser) as page:
        open_animation(page, live_server, "trap-and-emulate", language)
        page.select_option(".viz-scene", "toy")
        seen = page.evaluate(LESSON_7_HEIGHTS)
        assert len(seen) > 10
        # Under the sticky site header, the instruction table and what the step says are on
        # screen together, at every step.
        header = page.evaluate("document.querySelector('.site-header').offsetHeight")
        spans = [round(s["span"]) for s in seen]
        assert max(spans) <= PHONE["height"] - header, spans
        if language == "zh":
            # The tester's page: the whole panel, with its heading and key help, fits the screen.
            panels = [round(s["panel"]) for s in seen]
            assert max(panels) <= PHONE["height"], panels


@pytest.mark.parametrize(
    ("language", "said"), [("zh", "用例一：路径提前结束"), ("en", "Case one: it stops")]
)
def test_a_run_report_names_its_case_with_the_colon_of_the_pages_language(
    browser: Browser, live_server: str, language: str, said: str
) -> None:
    """A Run's report is drawn by exercise.js, the twin of _report.html (tests/web)."""
    with phone(browser) as page:
        page.goto(f"{live_server}/glossary?lang={language}")
        message = page.evaluate(
            """async () => {
              const { renderReport } = await import('/static/js/exercise.js');
              const report = renderReport({
                verdict: 'failed', scope: 'practice',
                problems: [{ cases: ['c1'], message: { en: 'it stops', zh: '路径提前结束' } }],
                cases: [{ name: 'c1', title: { en: 'Case one', zh: '用例一' }, passed: false }],
              }, 'x');
              return report.querySelector('p.message').textContent;
            }"""
        )
        assert message == said


# Each place inside a table cell's text where a line ends between two letters or digits of one
# word ("arg|um|ent", "Micro|soft"), and each table wider than its box that a keyboard cannot
# reach to scroll. A line may end after "-", ".", "_", "(", "," or "/" (the renderer marks those
# in code), and between Chinese characters, as Chinese text always breaks.
TABLE_WORDS = """() => {
  const broken = [], unreachable = [];
  for (const table of document.querySelectorAll('main table')) {
    if (table.scrollWidth > table.clientWidth + 1 && table.tabIndex !== 0) {
      unreachable.push(table.textContent.trim().slice(0, 40));
    }
    const walk = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      let top = null;
      for (let i = 0; i < n.data.length; i += 1) {
        const range = document.createRange();
        range.setStart(n, i);
        range.setEnd(n, i + 1);
        const box = range.getClientRects()[0];
        if (!box) continue;
        const here = Math.round(box.top);
        const between = /[A-Za-z0-9]/.test(n.data[i - 1] || '') && /[A-Za-z0-9]/.test(n.data[i]);
        if (top !== null && here > top + 2 && between) {
          broken.push(n.data.slice(Math.max(0, i - 12), i) + '|' + n.data.slice(i, i + 12));
        }
        top = here;
      }
    }
  }
  return { broken, unreachable };
}"""


@pytest.mark.parametrize("language", ["en", "zh"])
def test_words_in_tables_stay_whole_on_a_phone(
    browser: Browser, live_server: str, language: str
) -> None:
    """Table cells broke words anywhere, so a phone's table squeezed a column to three letters
    a line ("arg|um|ent" in every exercise's argument table, "Micro|soft"): a word now breaks
    only where it may, and a table too wide for whole words scrolls in its own box, a tab stop,
    while the page itself never scrolls sideways."""
    with phone(browser) as page:
        for lesson in lessons(page, live_server):
            page.goto(f"{live_server}/lessons/{lesson}?lang={language}")
            found = page.evaluate(TABLE_WORDS)
            assert found == {"broken": [], "unreachable": []}, lesson
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{lesson}: the page scrolls sideways ({width} px)"
