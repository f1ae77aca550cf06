"""What a request's ``Accept-Language`` and ``Accept-Encoding`` say, parsed once per distinct
value: browsers send a handful of them, and every lesson page asks both (its language, and
whether it may send its gzip body), every static file and lesson data file the second. Parsing
them each time was ≈ 30 µs of the ≈ 0.2 ms a lesson page costs beyond a trivial route (#15)."""

from __future__ import annotations

from functools import lru_cache

from werkzeug.datastructures import Accept, LanguageAccept
from werkzeug.http import parse_accept_header

# A longer header is parsed every time rather than kept: the cache holds only what browsers send.
LONGEST_KEPT = 256


def best_language(header: str | None, languages: tuple[str, ...]) -> str | None:
    """The best of ``languages`` the ``Accept-Language`` value takes (``None``: none)."""
    return _best(header, languages, LanguageAccept)


def best_encoding(header: str | None, encodings: tuple[str, ...]) -> str | None:
    """The best of ``encodings`` the ``Accept-Encoding`` value takes (``None``: send it plain)."""
    return _best(header, encodings, Accept)


def _best(header: str | None, offered: tuple[str, ...], kind: type[Accept]) -> str | None:
    if not header:
        return None
    if len(header) > LONGEST_KEPT:
        return _best_match.__wrapped__(header, offered, kind)
    return _best_match(header, offered, kind)


@lru_cache(maxsize=512)
def _best_match(header: str, offered: tuple[str, ...], kind: type[Accept]) -> str | None:
    return parse_accept_header(header, kind).best_match(offered)
