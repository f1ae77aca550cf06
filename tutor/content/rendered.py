"""Lesson Markdown rendered once per text, not once per app.

Every ``create_app`` loads every lesson, and rendering their Markdown was about 40 % of its
start-up: a server's worker processes, each CLI command and every test app rendered the same
texts again. A rendering is kept under the hash of what produced it — the text as rendered
(after ``:explain[...]`` insertion) and the renderer (markdown-it-py's version and the loader's
source, where ``render_markdown`` and its options live) — so an edited lesson, explanation or
renderer is a new key and is rendered afresh: a stale page cannot be served, and no one has to
clear anything.

Renderings live in memory for the process and, when the loader is given a folder (the app's
instance folder), on disk as one file per text, so the next process reads instead of renders.
Each file is written once, atomically; a file that cannot be read or written is rendered again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

_LOADER = Path(__file__).with_name("loader.py")
_memory: dict[str, str] = {}
_renderer: str | None = None


def renderer_version() -> str:
    """What the renderer's output depends on besides the text: the library and our options."""
    global _renderer
    if _renderer is None:
        digest = hashlib.sha256(metadata.version("markdown-it-py").encode() + b"\x00")
        digest.update(_LOADER.read_bytes())
        _renderer = digest.hexdigest()[:16]
    return _renderer


def key(text: str) -> str:
    return hashlib.sha256(f"{renderer_version()}\x00{text}".encode()).hexdigest()


def cached(render: Callable[[str], str], folder: Path | None = None) -> Callable[[str], str]:
    """``render`` answering from memory, then from ``folder`` (when given), else rendering."""

    def rendered(text: str) -> str:
        name = key(text)
        html = _memory.get(name)
        if html is not None:
            return html
        path = folder / f"{name}.html" if folder is not None else None
        if path is not None:
            try:
                html = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                html = None
        if html is None:
            html = render(text)
            if path is not None:
                _store(path, html)
        _memory[name] = html
        return html

    return rendered


def _store(path: Path, html: str) -> None:
    """Write-then-rename, so a process reading at the same time sees all of it or nothing; a
    folder that cannot be written only costs the next process a rendering."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, staging = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(html)
        os.replace(staging, path)
    except OSError:
        pass
    finally:
        if os.path.exists(staging):
            os.unlink(staging)
