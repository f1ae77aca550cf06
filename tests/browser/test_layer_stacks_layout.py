"""The lesson 5 drawing at the sizes people read it: a 390×844 phone and a desktop, English and
Chinese. On a phone one stack is shown at a time with every text at 12 px or more, a tab per
stack switches (and keeps each stack's cycle count), the view follows the token from stack to
stack, and nothing pushes the page sideways; on a desktop the four stacks sit side by side.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tutor.web.scenes import layer_stacks

from ._learner import hold_python
from .test_animation import LESSON, step_forward

DATA = layer_stacks()
KINDS = DATA["kinds"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Rendered size of the smallest visible text of the drawing, whether row labels and owners
# overlap, whether a title is wider than its column, and whether the page scrolls sideways.
MEASURE = """() => {
  const svg = document.querySelector('svg.layer-stacks');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const shown = svg.dataset.shown.split(' ');
  const texts = [...svg.querySelectorAll('.stack text')]
    .filter(t => shown.includes(t.closest('.stack').dataset.hv));
  const overlaps = [...svg.querySelectorAll('.stack .row')]
    .filter(r => shown.includes(r.closest('.stack').dataset.hv))
    .filter(r => {
      const a = r.querySelector('.row-label').getBBox();
      const b = r.querySelector('.row-owner').getBBox();
      return a.x + a.width > b.x - 2;
    })
    .map(r => r.dataset.layer);
  const scene = document.querySelector('.viz-scene').getBoundingClientRect();
  return {
    shown,
    smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
    overlaps,
    pageWidth: document.documentElement.scrollWidth,
    sceneRight: scene.right,
  };
}"""


@pytest.fixture(params=["en", "zh"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def open_at(browser: Browser, live_server: str, viewport: dict[str, int], lang: str) -> Page:
    page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
    page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
    hold_python(page)  # Python is not needed to lay the stacks out
    page.goto(f"{live_server}{LESSON}?lang={lang}")
    page.wait_for_selector(".viz[data-viz-mounted='true']")
    return page


@pytest.fixture
def phone(browser: Browser, live_server: str, lang: str) -> Iterator[Page]:
    page = open_at(browser, live_server, PHONE, lang)
    yield page
    page.close()


def test_a_phone_shows_one_stack_at_twelve_pixels_or_more(phone: Page, lang: str) -> None:
    seen = phone.evaluate(MEASURE)
    assert seen["shown"] == [KINDS[0]]
    assert seen["smallest"] >= 12, seen
    assert seen["overlaps"] == []
    assert seen["pageWidth"] <= PHONE["width"]
    assert seen["sceneRight"] <= PHONE["width"]
    expect(phone.locator(".viz-stack-tab")).to_have_count(len(KINDS))
    expect(phone.locator(".viz-stack-tabs")).to_be_visible()


def test_every_stack_fits_a_phone_at_twelve_pixels(phone: Page, lang: str) -> None:
    for hv in KINDS:
        phone.click(f".viz-stack-tab[data-hv='{hv}']")
        expect(phone.locator(f".viz-stack-tab[data-hv='{hv}']")).to_have_attribute(
            "aria-pressed", "true"
        )
        seen = phone.evaluate(MEASURE)
        assert seen["shown"] == [hv]
        assert seen["smallest"] >= 12 and seen["overlaps"] == [], (hv, seen)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_the_view_follows_the_token_and_the_tabs_keep_the_counts(
    phone: Page, lang: str
) -> None:
    first = next(e for e in DATA["scenes"] if e["id"] == DATA["default"])["events"]
    # Step through the first design's whole run and into the second one's.
    done = next(i for i, e in enumerate(first) if e["kind"] == "op.end")
    phone.focus(".viz-stage")
    step_forward(phone, done + 3)
    assert phone.evaluate(MEASURE)["shown"] == [KINDS[1]]
    total = f"{first[done]['cycles']:,}"
    expect(
        phone.locator(f".viz-stack-tab[data-hv='{KINDS[0]}'] .viz-stack-tab-cycles")
    ).to_have_text(total)


def test_a_desktop_shows_the_four_stacks_side_by_side(
    browser: Browser, live_server: str, lang: str
) -> None:
    page = open_at(browser, live_server, DESKTOP, lang)
    try:
        seen = page.evaluate(MEASURE)
        assert seen["shown"] == KINDS
        assert seen["smallest"] >= 12 * 0.85 and seen["overlaps"] == [], seen
        assert seen["pageWidth"] <= DESKTOP["width"]
        expect(page.locator(".viz-stack-tabs")).to_be_hidden()
    finally:
        page.close()


def test_the_lit_transition_on_the_way_back_is_named_as_the_sentence_names_it(
    browser: Browser, live_server: str
) -> None:
    """Going back up, the VM-exit row is lit while the sentence says a VM entry resumes the
    guest: the row's label says "VM entry" then, and "VM exit" again on the way down."""
    page = open_at(browser, live_server, DESKTOP, "en")
    try:
        events = next(e for e in DATA["scenes"] if e["id"] == "type1/disk_read")["events"]
        page.select_option(".viz-scene", "type1/disk_read")
        page.focus(".viz-stage")
        row = page.locator(".stack[data-hv='type1'] .row[data-layer='vm_exit']")
        down = next(i for i, e in enumerate(events) if e.get("layer") == "vm_exit")
        step_forward(page, down + 1)
        expect(row).to_have_class("row owner-cpu is-current")
        expect(row.locator(".row-label")).to_have_text("VM exit")
        up = next(
            i for i, e in enumerate(events) if e.get("layer") == "vm_exit" and e["dir"] == "up"
        )
        step_forward(page, up - down)
        expect(row).to_have_class("row owner-cpu is-current")
        expect(row.locator(".row-label")).to_have_text("VM entry")
        assert "a VM entry resumes guest mode" in page.inner_text(".viz-live")
    finally:
        page.close()
