"""The service worker that keeps the course in the browser: every lesson page and its data file,
Pyodide, the simulation bundle and every asset, cached after one visit so the learner can read,
watch and Run with the network off.

``/sw.js`` is ``static/js/service-worker.js`` behind one generated line: the cache version and
the list of files to cache, each with the sha256 of its bytes (pages have none: they are always
fetched again). The version is a hash of the lesson sources, the bundle's sha256 and every
cached file, so any lesson build or bundle change makes a different ``sw.js``; the browser
notices on its next visit, the new worker fills a new cache in the background (copying the
files whose hash did not change from the old cache instead of downloading them again) and then
drops the old caches.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, url_for

from tutor.assets import pinned

from .extensions import LANGUAGES

WORKER_SOURCE = "js/service-worker.js"
# Not for the browser: the pins file is read by set-up only.
NOT_CACHED = {"assets.json"}


@lru_cache(maxsize=4096)
def _file_hash(path: Path, mtime_ns: int, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_hash(path: Path) -> str:
    """sha256 of a file, computed again only when it changes (Pyodide is 12 MB)."""
    stat = path.stat()
    return _file_hash(path, stat.st_mtime_ns, stat.st_size)


def static_files() -> list[tuple[str, Path]]:
    """(filename under static/, path) of every file the pages may load."""
    from .static_delivery import served_elsewhere

    root = Path(str(current_app.static_folder))
    skipped = NOT_CACHED | never_loaded()
    found = [
        (path.relative_to(root).as_posix(), path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
        and path.relative_to(root).as_posix() not in skipped
    ]
    return found + served_elsewhere()


@lru_cache(maxsize=1)
def never_loaded() -> frozenset[str]:
    """Vendored files no page loads (under static/): the readable sources of the scripts set-up
    minifies (pages load each ``.min.js``: CodeMirror's 402 KB core among them), and Pyodide's
    own lock file, which only the bundle's build reads (the worker hands Pyodide
    ``virttutor-lock.json``, which names the bundle too). A phone would fetch them for nothing."""
    assets = pinned()
    names = {
        f"vendor/{asset.folder.name}/{source}"
        for asset in assets.values()
        for source in asset.minify
    }
    names.add(f"vendor/{assets['pyodide'].folder.name}/pyodide-lock.json")
    return frozenset(names)


SITE_DIGEST = "offline_site_digest"


def remember_site(app: Flask, package: Path = Path(__file__).parent) -> None:
    """What this process renders its pages from, taken when it starts: the lesson build it
    loaded and grades with, and its templates and translations as they were then. A process
    keeps rendering those until it restarts, so the worker's version must follow them — not
    the lesson files on disk now (edited before a restart: a new version naming old pages) nor
    miss a template or translation change (old pages offline for good)."""
    build = app.extensions["lesson_build"]
    digest = hashlib.sha256(f"{build.id}\0{build.grader_version}\0".encode())
    for folder in (package / "templates", package / "translations"):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".po"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    app.extensions[SITE_DIGEST] = digest.hexdigest()


def _page_urls() -> list[str]:
    """The pages to cache, as URL paths, in both languages: the static copy's (``/en/…``,
    ``/zh/…``), or the live site's as ``?lang=<code>`` — the key the service worker keeps each
    page under, by the language the server says it is in (``Content-Language``)."""
    if current_app.config.get("SELF_STUDY_ONLY"):
        from .static_copy import page_urls

        return [url_for(endpoint, **dict(values)) for endpoint, values in page_urls()]
    catalog = current_app.extensions["catalog"]
    pages = [url_for("learn.index"), url_for("progress.glossary"), url_for("self_study.record")]
    pages += [url_for("learn.lesson", lesson_id=lesson.id) for lesson in catalog.lessons]
    return [f"{page}?lang={code}" for page in pages for code in LANGUAGES]


def precache_list() -> list[tuple[str, str | None]]:
    """(URL relative to sw.js, sha256 or None) of everything the worker caches."""
    from .static_copy import relative
    from .static_delivery import served_path

    files = [
        (relative(url_for("static", filename=name)), file_hash(served_path(name) or path))
        for name, path in static_files()
    ]
    pages: list[tuple[str, str | None]] = [(relative(url), None) for url in _page_urls()]
    return pages + _lesson_data() + files


def _lesson_data() -> list[tuple[str, str | None]]:
    """Each lesson's data file (``lesson_data``), checked by its sha256 like a static file."""
    from .lesson_data import data_of, data_url, needs_data
    from .static_copy import relative

    catalog = current_app.extensions["catalog"]
    return [
        (relative(data_url(lesson)), data_of(lesson).sha256)
        for lesson in catalog.lessons
        if needs_data(lesson)
    ]


def precache_version(entries: list[tuple[str, str | None]] | None = None) -> str:
    """Changes with what the pages are made of (``remember_site``), the bundle, any cached
    file, the languages and the mode."""
    entries = entries if entries is not None else precache_list()
    digest = hashlib.sha256()
    digest.update(str(current_app.extensions[SITE_DIGEST]).encode())
    digest.update(json.dumps(entries).encode())
    digest.update(json.dumps([LANGUAGES, bool(current_app.config.get("SELF_STUDY_ONLY"))]).encode())
    return digest.hexdigest()[:16]


def service_worker() -> Response:
    entries = precache_list()
    header = json.dumps({"version": precache_version(entries), "precache": entries})
    source = Path(str(current_app.static_folder), WORKER_SOURCE).read_text()
    body = f"self.VIRTTUTOR_OFFLINE = {header};\n{source}"
    response = Response(body, mimetype="text/javascript")
    # The browser compares sw.js byte for byte on each visit; never let a cache answer for it.
    response.headers["Cache-Control"] = "no-cache"
    return response
