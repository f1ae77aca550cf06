"""``flask tutor export-static DIR``: the self-study site as plain files for any web host.

Frozen-Flask renders every page of a copy of the app configured with ``SELF_STUDY_ONLY`` (no
Submit, no accounts or courses: the templates leave them out) and copies ``static/``. Pages live
at ``<lang>/…/index.html`` for both languages, because a static host has no cookie to choose a
language with, and every URL in them is relative to the page, so the copy works from the root of
a host as well as from any sub-path (``https://host/course/virt/``). Exercises are graded in the
browser by Pyodide, progress is kept in the browser, and the service worker (``sw.js`` at the
copy's root) makes the whole course available offline after one visit.
"""

from __future__ import annotations

import json
import os
import posixpath
import secrets
import shutil
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
from flask import Blueprint, Flask, current_app, g, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale

from tutor.assets import d3_modules, pinned, sri
from tutor.content import Catalog

from .cli import tutor_cli
from .extensions import LANGUAGES

bp = Blueprint("static_copy", __name__)
# Written at the copy's root: marks a folder this command may empty and write again.
MARKER = "virttutor-static.json"
# Pages the self-study site has, by the live site's endpoint; anything else a page links to
# (Submit, sign-in, courses) must be left out of the templates when ``self_study_only``.
PAGES = {
    "learn.index": "static_copy.outline",
    "learn.lesson": "static_copy.lesson",
    "progress.glossary": "static_copy.glossary",
    "self_study.record": "static_copy.record",
}
# The lesson data files (``lesson_data``) are written once, shared by both languages' pages.
PASS_THROUGH = {"static", "self_study.service_worker", "learn.lesson_data", *PAGES.values()}


class StaticCopyError(click.ClickException):
    pass


def _catalog() -> Catalog:
    catalog: Catalog = current_app.extensions["catalog"]
    return catalog


def _in(lang: str, view: Callable[..., ResponseReturnValue], **values: Any) -> ResponseReturnValue:
    if lang not in LANGUAGES:
        return "no such language", 404
    g.static_lang = lang
    with force_locale(lang):
        return view(**values)


@bp.route("/<lang>/")
def outline(lang: str) -> ResponseReturnValue:
    from . import learn

    return _in(lang, learn.index)


@bp.route("/<lang>/lessons/<lesson_id>/")
def lesson(lang: str, lesson_id: str) -> ResponseReturnValue:
    from . import learn

    return _in(lang, learn.lesson, lesson_id=lesson_id)


@bp.route("/<lang>/glossary/")
def glossary(lang: str) -> ResponseReturnValue:
    from . import progress

    return _in(lang, progress.glossary)


@bp.route("/<lang>/my-progress/")
def record(lang: str) -> ResponseReturnValue:
    from . import self_study

    return _in(lang, self_study.record)


def page_urls() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every page of the copy, as (endpoint, values)."""
    yield "learn.index", {}  # the copy's root: the outline in English, with the language switch
    for lang in LANGUAGES:
        yield "static_copy.outline", {"lang": lang}
        yield "static_copy.glossary", {"lang": lang}
        yield "static_copy.record", {"lang": lang}
        for found in _catalog().lessons:
            yield "static_copy.lesson", {"lang": lang, "lesson_id": found.id}


def data_urls() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every lesson's data file (scenes and expected traces), as (endpoint, values)."""
    from .lesson_data import needs_data

    for found in _catalog().lessons:
        if needs_data(found):
            yield "learn.lesson_data", {"lesson_id": found.id}


def relative(url: str) -> str:
    """``url`` (a path on this site) relative to the page being rendered; folders keep their
    trailing slash, so a static host serves their index.html."""
    if not url.startswith("/"):
        return url
    url, hash_sep, fragment = url.partition("#")
    path, query_sep, query = url.partition("?")
    here = request.path if request.path.endswith("/") else posixpath.dirname(request.path)
    target = posixpath.relpath(path, here)
    if path.endswith("/"):
        target = "./" if target == "." else target + "/"
    return target + query_sep + query + hash_sep + fragment


def static_url_for(endpoint: str, **values: Any) -> str:
    """``url_for`` in the copy's templates: the live site's pages become the copy's pages in the
    page's language, the language switch goes to this page in the other language."""
    if endpoint in PAGES:
        values.setdefault("lang", g.get("static_lang", "en"))
        return relative(url_for(PAGES[endpoint], **values))
    if endpoint == "learn.set_language":
        here = dict(request.view_args or {})
        if "lang" not in here:  # the language chooser: each language's outline
            return relative(url_for("static_copy.outline", lang=values["code"]))
        return relative(url_for(str(request.endpoint), **{**here, "lang": values["code"]}))
    if endpoint in PASS_THROUGH:
        return relative(url_for(endpoint, **values))
    raise StaticCopyError(
        f"{request.path} links to {endpoint!r}, which the static copy has no page for: "
        "leave it out of the template when self_study_only is set"
    )


def _vendor_url(package: str, file: str) -> str:
    return static_url_for("static", filename=f"vendor/{pinned()[package].folder.name}/{file}")


def _d3_sources() -> dict[str, str | None]:
    """The local d3 modules only (see learn._d3_sources): a static copy must work offline."""
    modules = d3_modules(pinned())
    local = " ".join(_vendor_url(asset.package, asset.files[0]) for asset in modules)
    installed = all(asset.installed() for asset in modules)
    integrity = (
        " ".join(sri(asset.folder / asset.files[0]) for asset in modules) if installed else None
    )
    return {"cdn": None, "local": local, "integrity": integrity}


def export_app(lessons_dir: str) -> Flask:
    """A copy of the app that renders the self-study pages only, with relative links."""
    from . import create_app

    app = create_app(
        {
            "SELF_STUDY_ONLY": True,
            "ASSETS_MODE": "local",  # a copy that needs no CDN, and works offline
            # The standard library's members deflated: a static host may compress nothing.
            "STORED_STDLIB": False,
            "LESSONS_DIR": lessons_dir,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            # The pages carry no CSRF token (base.html), and never the real key signs anything.
            "SECRET_KEY": secrets.token_hex(16),
            "FREEZER_RELATIVE_URLS": False,  # ours: see relative(), which keeps folder links
            "FREEZER_IGNORE_MIMETYPE_WARNINGS": True,
        }
    )
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        url_for=static_url_for, vendor_url=_vendor_url, d3_sources=_d3_sources
    )
    return app


def _prepare(dest: Path) -> Path:
    """Refuses a folder holding anything but an earlier copy (nothing of the user's is lost),
    and returns the empty folder beside it that the new copy is written to first."""
    if dest.exists() and not dest.is_dir():
        raise StaticCopyError(f"{dest} exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()) and not (dest / MARKER).is_file():
        raise StaticCopyError(
            f"{dest} is not empty and holds no earlier static copy ({MARKER}); "
            "choose an empty or new folder"
        )
    staging = dest.parent / f".{dest.name}.exporting"
    shutil.rmtree(staging, ignore_errors=True)  # a run stopped half-way
    staging.mkdir(parents=True)
    return staging


def _earlier_files(dest: Path, fresh: set[str]) -> set[str]:
    """The files an earlier copy in ``dest`` wrote, as its marker lists them; a marker from
    before the list: the files the new copy writes too, and everything under its folders."""
    try:
        listed = json.loads((dest / MARKER).read_text()).get("files")
    except (OSError, ValueError, AttributeError):
        listed = None
    if isinstance(listed, list):
        return {str(name) for name in listed}
    folders = {name.split("/", 1)[0] for name in fresh if "/" in name}
    found = {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()}
    return {name for name in found if name in fresh or name.split("/", 1)[0] in folders}


def _swap_in(staging: Path, dest: Path) -> list[str]:
    """Replaces the earlier copy's files in ``dest`` by the new copy's, keeping every file of
    the user's there (a ``.git`` of a gh-pages branch, a ``CNAME``): re-exporting deleted the
    whole folder first. Returns the new copy's files."""
    fresh = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
    emptied: set[Path] = set()
    if dest.is_dir():
        for name in _earlier_files(dest, set(fresh)) - set(fresh):
            (dest / name).unlink(missing_ok=True)
            emptied.update((dest / name).parents)
    for name in fresh:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)
    shutil.rmtree(staging, ignore_errors=True)
    # The folders the earlier copy's files alone filled (a lesson no longer in the course).
    for folder in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
        if folder.is_relative_to(dest) and folder != dest and not any(folder.iterdir()):
            folder.rmdir()
    return fresh


def unbuilt() -> list[str]:
    """What set-up did not make for this checkout (``python -m tutor.assets``, part of ``make
    setup``), which the copy then goes without, each as a sentence: a copy made without it
    works, but is heavier, and nothing else would say so."""
    from .static_delivery import served_elsewhere, served_path

    notes = []
    if not served_elsewhere():
        notes.append(
            "Python's standard library is not split (build/stored-stdlib): a first visit "
            "downloads all of it (2.4 MB) before Python starts, not the 0.8 MB core"
        )
    scripts = sorted(Path(str(current_app.static_folder), "js").rglob("*.js"))
    plain = [s for s in scripts if served_path(f"js/{s.name}") == s and s.parent.name == "js"]
    if plain:
        notes.append(
            f"{len(plain)} of the site's scripts have no minified copy (build/minified-js): "
            "they are sent as written"
        )
    return notes


def export(dest: Path, lessons_dir: str) -> tuple[int, list[str]]:
    """Writes the copy to ``dest``; returns the number of files written, and what set-up did
    not make that the copy goes without (``unbuilt``)."""
    from flask_frozen import Freezer, MissingURLGeneratorWarning

    from .offline import precache_version
    from .static_delivery import served_elsewhere

    staging = _prepare(dest)
    app = export_app(lessons_dir)
    app.config.update(
        FREEZER_DESTINATION=str(staging.resolve()),
        FREEZER_REMOVE_EXTRA_FILES=False,  # a new, empty folder
    )
    freezer = Freezer(app, with_no_argument_rules=False, log_url_for=False)

    @freezer.register_generator  # type: ignore[untyped-decorator]
    def _pages() -> Iterator[tuple[str, dict[str, str]]]:
        yield from page_urls()
        yield from data_urls()
        yield "self_study.service_worker", {}
        yield from (("static", {"filename": name}) for name, _ in served_elsewhere())

    try:
        with warnings.catch_warnings():
            # Deliberate: the copy has no Submit, sign-in or course pages to generate.
            warnings.simplefilter("ignore", MissingURLGeneratorWarning)
            urls = freezer.freeze()
        with app.test_request_context():
            version = precache_version()
            notes = unbuilt()
    except BaseException:  # a full disk: the earlier copy in dest is untouched
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = _swap_in(staging, dest)
    marker = {"virttutor": "self-study static copy", "version": version, "files": files}
    (dest / MARKER).write_text(json.dumps(marker, indent=1) + "\n")
    return len(urls), notes


@tutor_cli.command("export-static")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def export_static(dest: Path) -> None:
    """Write the self-study site to DEST as static files (both languages, graded in the
    browser, offline after one visit), for any web host, at its root or a sub-path."""
    try:
        count, notes = export(dest, str(current_app.config["LESSONS_DIR"]))
    except OSError as exc:
        sys.exit(f"no static copy written ({exc.strerror or exc}); {dest} was not changed")
    click.echo(f"{count} files in {dest}; serve that folder from any static web host")
    for note in notes:
        click.echo(
            f"note: {note}; run `.venv/bin/python -m tutor.assets` (or `make setup`) and "
            "export again for the lighter copy",
            err=True,
        )
