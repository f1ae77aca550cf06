"""The pinned front-end assets and their SRI hashes, read once per change instead of per request.

``tutor.assets.pinned()`` reads ``static/assets.json`` and ``sri()`` hashes a file: right for
set-up, too slow for every page view and every response's Content-Security-Policy (#15). These
keep the answers until the pins file or the hashed file changes (a stat, not a read).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from tutor.assets import PINS, Asset, pinned, sri


@lru_cache(maxsize=4)
def _pins(_mtime_ns: int, _size: int) -> dict[str, Asset]:
    return pinned()


def pins_version() -> tuple[int, int]:
    """The pins file's modification time and size: what the answers here are kept by."""
    stat = PINS.stat()
    return stat.st_mtime_ns, stat.st_size


def current_pins() -> dict[str, Asset]:
    return _pins(*pins_version())


@lru_cache(maxsize=64)
def _sri(path: Path, _mtime_ns: int, _size: int) -> str:
    return sri(path)


def file_sri(path: Path) -> str:
    stat = path.stat()
    return _sri(path, stat.st_mtime_ns, stat.st_size)
