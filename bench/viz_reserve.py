"""The room each animation takes once drawn, for static/css/viz.css's ``--viz-reserve`` (#15).

The lesson page reserves the animation's box before d3 draws it, so nothing below moves (layout
shift). This opens every lesson in real Chromium at Lighthouse's phone and desktop widths, in
both languages, once with the page's script held back (the empty stage) and once drawn, and
prints one CSS rule per animation: the growth as ``calc(a px + b %)`` of the stage's width,
through the two measured widths (the language average). Run it again after changing an
animation's layout: ``.venv/bin/python bench/viz_reserve.py``, and paste its output.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import tools  # noqa: E402
from bench.browser_timings import live_server  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS  # noqa: E402
from tutor.content.loader import load_catalog  # noqa: E402

WIDTHS = (412, 1350)  # Lighthouse's mobile and desktop viewports
HOLD = "export function loadPyodide() { return new Promise(() => {}); }"
STAGE_PADDING_PX = 8  # .viz-stage's own bottom padding, kept
HEIGHT = "() => document.querySelector('.viz').getBoundingClientRect().height"
STAGE = "() => document.querySelector('.viz-stage').offsetWidth"


def main() -> int:
    chromium = tools.chromium("bench/viz_reserve.py")
    lessons = {
        lesson.animation: lesson.id
        for lesson in load_catalog(ROOT / "lessons").lessons
        if lesson.animation
    }
    growth: dict[str, dict[int, list[float]]] = {}
    stage_width: dict[int, float] = {}
    with live_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        for width in WIDTHS:
            context = browser.new_context(
                service_workers="block", viewport={"width": width, "height": 900}
            )
            context.route("**/pyodide.mjs", lambda r: r.fulfill(body=HOLD))
            context.route("https://cdn.jsdelivr.net/**", lambda r: r.abort())
            page = context.new_page()
            for animation, lesson in lessons.items():
                for language in ("en", "zh"):
                    url = f"{base}/lessons/{lesson}?lang={language}"
                    page.route("**/js/lesson.js*", lambda r: r.fulfill(body=""))
                    page.goto(url)
                    before = page.evaluate(HEIGHT)
                    stage_width[width] = page.evaluate(STAGE)
                    page.unroute("**/js/lesson.js*")
                    page.goto(url)
                    page.wait_for_selector(".viz[data-viz-mounted='true']")
                    page.wait_for_timeout(300)
                    grown = page.evaluate(HEIGHT) - before
                    growth.setdefault(animation, {}).setdefault(width, []).append(grown)
            context.close()
        browser.close()
    narrow, wide = WIDTHS
    for animation, by_width in growth.items():
        small = sum(by_width[narrow]) / len(by_width[narrow])
        large = sum(by_width[wide]) / len(by_width[wide])
        slope = (large - small) / (stage_width[wide] - stage_width[narrow])
        base_px = small - slope * stage_width[narrow] + STAGE_PADDING_PX
        print(
            f'.viz[data-animation="{animation}"] '
            f"{{ --viz-reserve: calc({base_px:.0f}px + {slope * 100:.1f}%); }}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
