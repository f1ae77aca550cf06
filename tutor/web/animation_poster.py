"""The animation's first frame in the lesson page itself, for phones (#15).

Drawing an animation was the longest work of a lesson page's start-up on a phone: the d3 drawing
and the layout of its few hundred SVG elements took ≈ 1.5 s of a 4×-throttled CPU on the
hypervisors lesson and held Lighthouse's mobile score near 80. So the frame is drawn once, at
set-up time (``flask tutor draw-posters``, run by ``make run``), by the page's own renderer in
headless Chromium at a phone's width, and stored under the instance folder, named by everything
the drawing depends on (the lesson's scenes, the drawing's scripts and stylesheets, the
language). A phone gets it with the page's first paint, and the page starts the real animation
when the learner reaches for it (static/js/animation-poster.js). A wider screen ignores it and
draws at load, as does a page without a current frame (no Chromium, or drawing code changed
since): nothing is ever drawn from a stale frame.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from markupsafe import Markup

from tutor.content import Lesson

from .cli import tutor_cli
from .lesson_data import data_of
from .local_server import served
from .static_delivery import static_version

FORMAT = "1"
# The width a poster is drawn at: Lighthouse's phone (Moto G Power). The page shows it on screens
# up to 30 rem wide (static/js/animation-poster.js and viz.css say the same) and draws at load on
# anything wider, where the drawing takes another shape.
PHONE: ViewportSize = {"width": 412, "height": 823}
# What the drawing depends on besides the lesson's data: these scripts and stylesheets (their
# content versions, static_delivery), under static/.
DRAWN_BY = ("js/viz", "js/lesson-data.js", "js/main-thread.js", "css/viz.css", "css/site.css")
MOUNT_TIMEOUT_MS = 30_000
SETTLE_MS = 300

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ViewportSize


@dataclass(frozen=True)
class Poster:
    lesson_id: str
    lang: str
    version: str

    @property
    def name(self) -> str:
        return f"{self.lesson_id}.{self.lang}.{self.version}.html"


def folder(app: Flask) -> Path | None:
    """``ANIMATION_POSTERS_DIR``; empty turns posters off (every page draws at load)."""
    chosen = app.config.get("ANIMATION_POSTERS_DIR")
    if chosen is None:
        return Path(app.instance_path) / "animation-posters"
    return Path(chosen) if str(chosen) else None


def _drawing_files(app: Flask) -> list[str]:
    static = Path(str(app.static_folder))
    names: list[str] = []
    for entry in DRAWN_BY:
        path = static / entry
        if path.is_dir():
            names.extend(str(p.relative_to(static)) for p in sorted(path.rglob("*.js")))
        else:
            names.append(entry)
    return names


# The drawing files' versions as last looked at, per static folder: (when, versions). Looking is
# ≈ 30 files' stat calls and paths (≈ 20 ms here), and every cached lesson page looks once per
# ``ASSET_CHECK_SECONDS`` — two dozen pages would each pay it, every second, in every process.
_drawing_seen: dict[str, tuple[float, str]] = {}


def _drawing_versions(app: Flask) -> str:
    """The drawing files and their content versions, looked at again at most once per
    ``lesson_page.ASSET_CHECK_SECONDS`` (how often a cached page checks its poster anyway)."""
    from .lesson_page import ASSET_CHECK_SECONDS  # at call time: lesson_page imports this

    folder = str(app.static_folder)
    seen = _drawing_seen.get(folder)
    now = time.monotonic()
    if seen is not None and now - seen[0] < ASSET_CHECK_SECONDS:
        return seen[1]
    versions = "".join(f"\0{name}\0{static_version(name)}" for name in _drawing_files(app))
    _drawing_seen[folder] = (now, versions)
    return versions


def poster_of(lesson: Lesson, lang: str) -> Poster:
    """Named by everything its drawing depends on: a change to any gives another name."""
    digest = hashlib.blake2b(digest_size=10)
    digest.update(f"{FORMAT}\0{lesson.animation}\0{data_of(lesson).version}".encode())
    digest.update(_drawing_versions(current_app).encode())
    return Poster(lesson.id, lang, digest.hexdigest())


def stored_path(lesson: Lesson, lang: str) -> Path | None:
    """Where this lesson's poster in this language is, or would be, stored (None: no animation,
    or posters turned off)."""
    where = folder(current_app)
    if not lesson.animation or where is None:
        return None
    return where / poster_of(lesson, lang).name


def read(path: Path | None) -> Markup | None:
    """The first frame stored at ``path`` (``stored_path``), if it is there: read when the
    shared lesson page is rendered, which is then cached."""
    if path is None:
        return None
    try:
        return Markup(path.read_text(encoding="utf-8"))
    except OSError:
        return None


# -- drawing them (flask tutor draw-posters) ------------------------------------------------------

# Run in the page: what the renderer and the player drew (the stage, then the controls, the
# narration and the key help after it), as it is after the first scene, marked as a poster. A
# form control's state is a property, not an attribute: written into the copy's attributes.
CAPTURE = """(root) => {
  const parts = [...root.children].filter((child) => child.tagName !== "H2");
  return parts.map((part) => {
    const copy = part.cloneNode(true);
    const live = part.querySelectorAll("select, input");
    copy.querySelectorAll("select, input").forEach((control, index) => {
      const original = live[index];
      if (control.tagName === "INPUT") control.setAttribute("value", original.value);
      else [...control.options].forEach((option, at) => {
        option.toggleAttribute("selected", at === original.selectedIndex);
      });
    });
    const mark = part.classList.contains("viz-stage") ? "data-poster" : "data-poster-part";
    copy.setAttribute(mark, "");
    return copy.outerHTML;
  }).join("\\n");
}"""


def draw(
    app: Flask,
    lessons: Iterable[Lesson],
    languages: Iterable[str],
    out: Path,
    browser: Browser | None = None,
) -> Iterator[Path]:
    """Opens each lesson in headless Chromium (``browser``, or one started here) at a phone's
    width, on this app served from a thread with posters turned off (the page draws at load),
    and stores what it drew. A poster already stored under its current name is kept."""
    wanted = [
        (lesson, lang, out / poster_of(lesson, lang).name)
        for lesson in lessons
        if lesson.animation
        for lang in languages
    ]
    missing = [item for item in wanted if not item[2].exists()]
    if missing:
        out.mkdir(parents=True, exist_ok=True)
        with _served_without_posters(app) as base, _chromium(browser) as chromium:
            # Reduced motion: no step is caught halfway through a fade.
            context = chromium.new_context(
                viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce"
            )
            try:
                for lesson, lang, path in missing:
                    _draw_one(context, f"{base}/lessons/{lesson.id}?lang={lang}", path)
                    for older in out.glob(f"{lesson.id}.{lang}.*.html"):
                        if older != path:
                            older.unlink(missing_ok=True)
            finally:
                context.close()
    yield from (path for _lesson, _lang, path in wanted)


def _draw_one(context: BrowserContext, url: str, path: Path) -> None:
    page = context.new_page()
    try:
        page.goto(url, wait_until="load")
        page.wait_for_selector(".viz[data-viz-mounted=true]", timeout=MOUNT_TIMEOUT_MS)
        page.wait_for_timeout(SETTLE_MS)
        markup = page.locator(".viz").evaluate(CAPTURE)
    finally:
        page.close()
    path.write_text(markup + "\n", encoding="utf-8")


@contextmanager
def _chromium(browser: Browser | None) -> Iterator[Browser]:
    if browser is not None:
        yield browser
        return
    from playwright.sync_api import sync_playwright

    from tutor.chromium import FLAGS, executable

    with sync_playwright() as playwright:
        started = playwright.chromium.launch(executable_path=executable(), args=FLAGS)
        try:
            yield started
        finally:
            started.close()


@contextmanager
def _served_without_posters(app: Flask) -> Iterator[str]:
    before = app.config.get("ANIMATION_POSTERS_DIR")
    app.config["ANIMATION_POSTERS_DIR"] = ""
    try:
        with served(app, quiet=True) as base:
            yield base
    finally:
        app.config["ANIMATION_POSTERS_DIR"] = before


@tutor_cli.command("draw-posters")
@click.option("--lesson", "lesson_ids", multiple=True, help="only this lesson (repeatable)")
def draw_posters(lesson_ids: tuple[str, ...]) -> None:
    """Draw each animation's first frame at a phone's width, for the lesson pages to show before
    their drawing code runs (tutor/web/animation_poster.py). Without Chromium it says so and
    changes nothing: the pages then draw at load. A running server's cached pages take new ones
    up within ASSET_CHECK_SECONDS (lesson_page.py)."""
    from tutor.chromium import ChromiumUnavailable, executable

    from .extensions import LANGUAGES

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    out = folder(app)
    if out is None:  # `make run` goes on: the pages draw at load
        click.echo("no posters drawn: ANIMATION_POSTERS_DIR is empty (posters turned off)")
        return
    lessons = [lesson for lesson in app.extensions["catalog"].lessons if lesson.animation]
    if lesson_ids:
        unknown = sorted(set(lesson_ids) - {lesson.id for lesson in lessons})
        if unknown:
            raise click.UsageError(f"no lesson with an animation: {', '.join(unknown)}")
        lessons = [lesson for lesson in lessons if lesson.id in lesson_ids]
    try:
        executable()
    except ChromiumUnavailable as exc:
        click.echo(f"no posters drawn: {exc}", err=True)
        return
    for path in draw(app, lessons, LANGUAGES, out):
        click.echo(f"  {path.name} ({path.stat().st_size:,} bytes)")
