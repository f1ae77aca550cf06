"""A phone gets the animation's first frame with the page (drawn at set-up by `flask tutor
draw-posters`) and the drawing code runs when the learner reaches for it (#15): whatever the
learner does on the frame — a press, a key, a choice — reaches the drawn animation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tutor.web import animation_poster, create_app, schema
from tutor.web.local_server import served

from ._learner import LESSON, block_cdn, hold_python, watch_console
from .conftest import close_every_response
from .test_accessibility import Checker, _axe_source

# The width posters are drawn at (Lighthouse's phone), and a smaller one.
PHONE = dict(animation_poster.PHONE)
SMALL_PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1100, "height": 900}
LESSON_ID = LESSON.rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def poster_site(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    where = Path(tmp_path_factory.mktemp("posters"))
    app = create_app(
        {
            "SECRET_KEY": "posters",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{where / 'site.db'}",
            "QUEUE_URL": "immediate",
            "ASSETS_MODE": "local",
            "ANIMATION_POSTERS_DIR": str(where / "posters"),
        }
    )
    schema.upgrade(app)
    with app.app_context():
        lesson = app.extensions["catalog"].lesson(LESSON_ID)
        drawn = list(animation_poster.draw(app, [lesson], ["en", "zh"], where / "posters", browser))
    assert [path.name.split(".")[1] for path in drawn] == ["en", "zh"]
    with served(close_every_response(app)) as base:
        yield base


def open_on(browser: Browser, base: str, viewport: dict[str, int], lang: str = "en") -> Page:
    context = browser.new_context(viewport=viewport, service_workers="block", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    hold_python(page)
    block_cdn(page)
    page.goto(f"{base}{LESSON}?lang={lang}", wait_until="load")
    return page


def viz_state(page: Page) -> dict[str, object]:
    return page.evaluate(
        """() => {
          const viz = document.querySelector(".viz");
          return {
            mounted: viz.dataset.vizMounted ?? null,
            poster: Boolean(viz.querySelector("[data-poster]")),
            height: viz.getBoundingClientRect().height,
            drawn: viz.querySelectorAll(".viz-stage svg *").length,
          };
        }"""
    )


def test_a_phone_shows_the_first_frame_at_once_and_draws_it_when_reached_for(
    browser: Browser, poster_site: str
) -> None:
    page = open_on(browser, poster_site, PHONE)
    console = watch_console(page)
    page.wait_for_timeout(1500)  # the page's start-up is over: still nothing drawn by script
    before = viz_state(page)
    assert before["mounted"] is None and before["poster"] is True
    # Nor was d3 loaded: it is asked for with the drawing.
    assert page.evaluate("() => [typeof window.d3, typeof window.d3Ready]") == [
        "undefined",
        "undefined",
    ]
    assert int(str(before["drawn"])) > 50  # the stacks are there, as the renderer draws them
    expect(page.locator(".viz .viz-progress")).to_have_text(re.compile(r"Step 0 of \d+"))
    poster = page.locator(".viz .viz-stage").inner_html()

    page.locator(".viz .viz-stage").focus()  # as by Tab: reaching for it starts the drawing
    expect(page.locator(".viz")).to_have_attribute("data-viz-mounted", "true")
    after = viz_state(page)
    assert after["poster"] is False
    assert page.evaluate("() => typeof window.d3.select") == "function"
    # At the width it was drawn at, the poster is exactly what the renderer draws: nothing moves.
    assert page.locator(".viz .viz-stage").inner_html() == poster
    assert after["height"] == before["height"]
    expect(page.locator(".viz .viz-stage")).to_be_focused()
    assert console.errors == []
    page.context.close()


def test_play_pressed_on_a_small_phones_first_frame_plays_the_animation(
    browser: Browser, poster_site: str
) -> None:
    page = open_on(browser, poster_site, SMALL_PHONE)
    console = watch_console(page)
    box = page.locator(".viz svg.layer-stacks").bounding_box()
    assert box is not None and box["x"] + box["width"] <= SMALL_PHONE["width"]
    assert viz_state(page)["poster"] is True

    page.locator(".viz button.viz-play").click()
    expect(page.locator(".viz")).to_have_attribute("data-viz-mounted", "true")
    # The press reached the drawn Play: it plays (and is now Pause, with focus).
    expect(page.locator(".viz .viz-progress")).to_have_text(re.compile(r"Step [1-9]\d* of"))
    expect(page.locator(".viz button.viz-play")).to_be_focused()
    assert viz_state(page)["poster"] is False
    assert console.errors == []
    page.context.close()


def test_keys_and_the_scene_menu_on_the_first_frame_reach_the_animation(
    browser: Browser, poster_site: str
) -> None:
    page = open_on(browser, poster_site, PHONE, "zh")
    stage = page.locator(".viz .viz-stage")
    stage.focus()  # as by Tab: focus alone starts the drawing
    page.keyboard.press("ArrowRight")
    expect(page.locator(".viz")).to_have_attribute("data-viz-mounted", "true")
    # The key reached the drawn animation: one step on (step 1, however the language says it).
    expect(page.locator(".viz .viz-progress")).to_have_text(re.compile(r"(^|\D)1(\D)"))
    expect(stage).to_be_focused()

    fresh = open_on(browser, poster_site, PHONE)
    menu = fresh.locator(".viz select.viz-scene")
    options = menu.locator("option").evaluate_all("(all) => all.map((o) => o.value)")
    assert len(options) > 1 and fresh.locator(".viz [data-poster]").count() == 1
    menu.select_option(options[1])
    expect(fresh.locator(".viz")).to_have_attribute("data-viz-mounted", "true")
    expect(fresh.locator(".viz select.viz-scene")).to_have_value(options[1])
    page.context.close()
    fresh.context.close()


def test_a_replay_asked_for_before_the_drawing_starts_it(
    browser: Browser, poster_site: str
) -> None:
    page = open_on(browser, poster_site, PHONE)
    page.evaluate("document.dispatchEvent(new CustomEvent('virttutor:replay', { detail: {} }))")
    expect(page.locator(".viz")).to_have_attribute("data-viz-mounted", "true")
    assert viz_state(page)["poster"] is False
    page.context.close()


def test_a_wide_screen_ignores_the_poster_and_draws_at_load(
    browser: Browser, poster_site: str
) -> None:
    page = open_on(browser, poster_site, WIDE)
    expect(page.locator(".viz")).to_have_attribute("data-viz-mounted", "true")
    state = viz_state(page)
    assert state["poster"] is False and int(str(state["drawn"])) > 50
    # Four stacks side by side here, where the phone's frame shows one with tabs.
    assert page.locator(".viz svg.layer-stacks .stack:not(.is-offscreen)").count() == 4
    page.context.close()


def test_the_first_frame_passes_axe_in_both_languages(browser: Browser, poster_site: str) -> None:
    checker = Checker(_axe_source())
    pages = {lang: open_on(browser, poster_site, PHONE, lang) for lang in ("en", "zh")}
    for page in pages.values():
        assert viz_state(page)["poster"] is True
    checker.check_each(pages, "first frame, not yet drawn", include=[".viz"])
    for page in pages.values():
        page.context.close()
    assert checker.found == []
