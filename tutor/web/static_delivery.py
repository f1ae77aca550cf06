"""Static files: URLs named by content and cached for a year, bodies compressed once per file.

Every ``url_for("static", filename=...)`` of a file gets ``?v=`` and the first 12 hex digits of
the file's sha256 (``offline.file_hash``, computed again only when the file changes). A request
whose ``v`` is the file's current version is answered with ``Cache-Control: public,
max-age=31536000, immutable``: the browser never asks again, and a changed file has another URL.
A request without ``v``, or with a stale one (a page rendered before a deploy, an ES module
imported by relative path, Pyodide loading from its folder) still gets the current file, with
``no-cache``: the browser revalidates with the ``ETag``/``Last-Modified`` Werkzeug sends and
usually gets a 304. So no old page ever breaks. The self-study static copy gets no ``v``: a
static host serves files by path and decides caching itself.

Compression: a text-like file (HTML, CSS, JS, JSON, SVG, WebAssembly, the wheel) asked for with
``Accept-Encoding: br`` or ``gzip`` is sent compressed, with ``Vary: Accept-Encoding``. Each
file is compressed once per content version and encoding and kept in memory and under
``instance/compressed-static/`` (shared by every process). ``flask tutor compress-static``
(``make run``) makes the best copies at set-up (brotli 11, gzip 9, one thread per core: 20 s
for the 8.6 MB Pyodide WebAssembly); a request that finds none for a file over ``LARGE`` makes
a quicker one meanwhile. A compressed copy that saves less than ``MIN_SAVING`` of the bytes (a
PNG, a deflated ZIP) is not used: the file goes as it is. ZIPs Python reads are made for this
instead, their members stored: the Python bundle's wheel (``tutor.bundle``: brotli sends it in
≈ 35 % of its bytes) and Pyodide's standard library, split in two (``tutor.stdlib_core``,
written under ``build/stored-stdlib/``): a URL of ``python_stdlib.zip`` sends the core in the
deflated file's place (0.83 MB of brotli instead of 2.4 MB), one of ``python_stdlib_rest.zip``
the rest. ``STORED_STDLIB = False`` (the static copy, for hosts that may compress nothing)
sends the same two with their members deflated. Range requests get the plain file.

The site's own scripts (``static/js/**.js``) go minified: set-up (``python -m tutor.assets``)
writes a copy of each, made by the pinned esbuild, under ``build/minified-js/`` named by the
sha256 of the source it was made from, and a URL of the source sends the copy made from the
source's current bytes (same URL, so relative imports, the worker's URL, the service worker's
list and the static copy are unchanged). Without such a copy (a file edited since set-up), in
debug mode, or with ``MINIFIED_JS = False``, the readable source goes instead.
"""

from __future__ import annotations

import gzip
import logging
import os
import stat
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import brotli
import click
from flask import Flask, Response, current_app, request, send_file
from werkzeug.security import safe_join

from tutor.assets import (
    MINIFIED_JS,
    STDLIB,
    STDLIB_REST,
    STORED_STDLIB,
    minified_js_name,
    pinned,
    stored_stdlib_names,
)

from .accept_headers import best_encoding
from .cli import tutor_cli
from .offline import file_hash

VERSION_ARG = "v"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
ENCODINGS = ("br", "gzip")
COMPRESSIBLE = frozenset(
    {".html", ".css", ".js", ".mjs", ".json", ".svg", ".wasm", ".txt", ".map", ".py"}
    | {".whl", ".zip"}  # the ones Python reads have their members stored (below)
)
MIN_SIZE = 500  # smaller bodies gain nothing after the headers
MIN_SAVING = 0.05
# Above this, a request that finds no compressed copy makes one with a faster setting (brotli 11
# takes 20 s over the WebAssembly); ``flask tutor compress-static`` makes the best ones.
LARGE = 1 << 20
log = logging.getLogger(__name__)
CACHE_FOLDER = "compressed-static"


def version_of(path: Path) -> str:
    return file_hash(path)[:12]


_versions: dict[str, tuple[int, int, str]] = {}


def served_path(filename: str) -> Path | None:
    """The file a URL of ``static/<filename>`` sends (see the module's docstring), or ``None``."""
    if filename == _stdlib_filename(STDLIB_REST):
        return _stored_stdlib(1)
    joined = safe_join(str(current_app.static_folder), filename)
    if joined is None or not os.path.isfile(joined):
        return None
    path = Path(joined)
    if (
        filename.startswith("js/")
        and path.suffix == ".js"
        and current_app.config.get("MINIFIED_JS", not current_app.debug)
    ):
        folder = Path(current_app.config.get("MINIFIED_JS_DIR", MINIFIED_JS))
        copy = folder / minified_js_name(file_hash(path))
        if copy.is_file():
            return copy
    if filename == _stdlib_filename(STDLIB):
        return _stored_stdlib(0) or path
    return path


@cache
def _stdlib_filename(name: str) -> str:
    return f"vendor/{pinned()['pyodide'].folder.name}/{name}"


def _stored_stdlib(part: int) -> Path | None:
    """Set-up's split copy of Pyodide's standard library (part 0 the core, 1 the rest), with
    its members stored (``STORED_STDLIB``) or deflated, if set-up wrote it for the current
    file."""
    source = Path(str(current_app.static_folder)) / _stdlib_filename(STDLIB)
    if not source.is_file():
        return None
    stored = current_app.config.get("STORED_STDLIB", True)
    copy = STORED_STDLIB / stored_stdlib_names(file_hash(source))[part + (0 if stored else 2)]
    return copy if copy.is_file() else None


def served_elsewhere() -> list[tuple[str, Path]]:
    """(filename under ``static/``, path sent) of what the site sends though no file there has
    the name: the rest of the standard library, when it sends the core
    (``tutor.stdlib_core``). The service worker lists it and the static copy writes it too."""
    rest = _stdlib_filename(STDLIB_REST)
    path = served_path(rest)
    return [(rest, path)] if path is not None else []


def static_version(filename: str) -> str | None:
    """The version of what ``static/<filename>`` sends, or ``None`` when it is no file: a few
    ``stat`` calls, the hash only when the file changed (every page asks for a dozen of these)."""
    served = served_path(filename)
    if served is None:
        return None
    joined = str(served)
    try:
        status = os.stat(joined)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    known = _versions.get(joined)
    if known is not None and known[:2] == (status.st_mtime_ns, status.st_size):
        return known[2]
    version = version_of(Path(joined))
    _versions[joined] = (status.st_mtime_ns, status.st_size, version)
    return version


# Compression levels: the best (``compress-static``, and any file up to ``LARGE``), and a quick
# one for a large file a request finds no copy of.
BEST = {"br": 11, "gzip": 9}
QUICK = {"br": 5, "gzip": 6}


def _compress(data: bytes, encoding: str, level: int) -> bytes:
    if encoding == "br":
        return bytes(brotli.compress(data, quality=level))
    return gzip.compress(data, compresslevel=level, mtime=0)


class CompressedCopies:
    """Each file's compressed bytes per (content hash, encoding): in memory, and on disk so the
    other processes and the next start reuse them. ``None``: not worth sending compressed.

    On disk each copy is named by the content's sha256, the encoding and its level
    (``<sha256>.br11``); a large file's quick copy (``….br5``) is used until ``best=True``
    (``compress-static``) has made the best one, which then replaces it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # (content hash, encoding) -> (level, body)
        self._memory: dict[tuple[str, str], tuple[int, bytes | None]] = {}
        self._lock = threading.Lock()
        self._unwritable = False

    def get(self, path: Path, encoding: str, best: bool = False) -> bytes | None:
        digest = file_hash(path)
        finest = BEST[encoding]
        known = self._memory.get((digest, encoding))
        if known is not None and (not best or known[0] == finest):
            return known[1]
        wanted = finest if best or path.stat().st_size <= LARGE else QUICK[encoding]
        for level in dict.fromkeys((finest, wanted)):
            found, body = self._stored(f"{digest}.{encoding}{level}")
            if found:
                break
        else:
            level = wanted
            data = path.read_bytes()
            packed = _compress(data, encoding, level)
            body = packed if len(packed) <= len(data) * (1 - MIN_SAVING) else None
            name = f"{digest}.{encoding}{level}"
            self._store(self.folder / (name if body is not None else f"{name}.skip"), body or b"")
            if level == finest:
                for quick in self.folder.glob(f"{digest}.{encoding}{QUICK[encoding]}*"):
                    quick.unlink(missing_ok=True)
        with self._lock:
            self._memory[(digest, encoding)] = (level, body)
        return body

    def _stored(self, name: str) -> tuple[bool, bytes | None]:
        """(whether the folder has this copy, its bytes or ``None`` if it was not worth it)."""
        copy = self.folder / name
        if copy.is_file():
            return True, copy.read_bytes()
        return copy.with_name(f"{name}.skip").is_file(), None

    def _store(self, target: Path, body: bytes) -> None:
        """Atomically: a process reading at the same moment sees all of it or nothing. A folder
        that cannot be written (read-only, full) keeps the copy in this process's memory
        alone: every stylesheet and script asked for compressed was a 500 there."""
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(body)
            os.replace(temporary, target)
        except OSError as exc:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
            if not self._unwritable:
                self._unwritable = True
                log.warning(
                    "compressed copies of static files are kept in memory only: %s cannot be "
                    "written (%s)",
                    self.folder,
                    exc.strerror or exc,
                )


def _static_path(filename: str) -> Path | None:
    """The file under ``static/`` (``safe_join``: string checks, no ``resolve()`` per URL)."""
    joined = safe_join(str(current_app.static_folder), filename)
    if joined is None or not os.path.isfile(joined):
        return None
    return Path(joined)


def _versioned_urls(endpoint: str, values: dict[str, Any]) -> None:
    """``url_defaults``: adds the content version to a static file's URL."""
    if endpoint != "static" or VERSION_ARG in values or "filename" not in values:
        return
    if current_app.config.get("SELF_STUDY_ONLY"):
        return
    version = static_version(str(values["filename"]))
    if version is not None:
        values[VERSION_ARG] = version


def compressible(path: Path) -> bool:
    return path.suffix in COMPRESSIBLE


def serve(filename: str) -> Response:
    """The ``static`` endpoint: Flask's own file response (404s, conditional GET, ranges), with
    the cache lifetime its URL earns and a compressed body when the browser takes one."""
    path = served_path(filename)
    if path is None or path == _static_path(filename):
        response = current_app.send_static_file(filename)
    else:  # a copy made at set-up (a minified script, the stored stdlib), its own validators
        response = send_file(path, mimetype="text/javascript" if path.suffix == ".js" else None)
    if path is None:
        return response
    asked = request.args.get(VERSION_ARG)
    current = static_version(filename)
    response.headers["Cache-Control"] = IMMUTABLE if asked == current else REVALIDATE
    response.vary.add("Accept-Encoding")
    if (
        response.status_code != 200
        or request.range is not None
        or not compressible(path)
        or path.stat().st_size < MIN_SIZE
    ):
        return response
    encoding = best_encoding(request.headers.get("Accept-Encoding"), ENCODINGS)
    if encoding is None:
        return response
    body = current_app.extensions["compressed_static"].get(path, encoding)
    if body is None:
        return response
    response.close()  # the open file Werkzeug would have streamed
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    etag, weak = response.get_etag()
    if etag:  # another representation, another validator
        response.set_etag(f"{etag}-{encoding}", weak=bool(weak))
    response.make_conditional(request)
    return response


def compress_all(app: Flask) -> int:
    """The best compressed copy of every compressible static file in every encoding, ahead of
    the first request: brotli and zlib let go of the GIL, so one thread per core."""
    copies: CompressedCopies = app.extensions["compressed_static"]
    root = Path(str(app.static_folder))
    with app.app_context():
        names = [source.relative_to(root).as_posix() for source in root.rglob("*")]
        served = [served_path(name) for name in names]
        served += [path for _, path in served_elsewhere()]
    sizes = {path: path.stat().st_size for path in served if path and compressible(path)}
    worth = [path for path, size in sizes.items() if size >= MIN_SIZE]
    worth.sort(key=sizes.__getitem__, reverse=True)  # the largest first: no thread left with one
    jobs = [(path, encoding) for path in worth for encoding in ENCODINGS]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(lambda job: copies.get(job[0], job[1], best=True), jobs))
    return len(jobs)


@tutor_cli.command("compress-static")
def compress_static() -> None:
    """Compress every static file now (brotli and gzip), so no learner waits for it later."""
    count = compress_all(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"{count} compressed copies in {current_app.extensions['compressed_static'].folder}")


def init_app(app: Flask) -> None:
    app.extensions["compressed_static"] = CompressedCopies(Path(app.instance_path) / CACHE_FOLDER)
    app.view_functions["static"] = serve
    app.url_defaults(_versioned_urls)
