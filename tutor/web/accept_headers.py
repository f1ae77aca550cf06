"""What a request's ``Accept-Language`` and ``Accept-Encoding`` say, parsed once per distinct
value: browsers send a handful of them, and every lesson page asks both (its language, and
whether it may send its gzip body). Parsing them each time was ≈ 30 µs of the ≈ 0.2 ms a lesson
page costs beyond a trivial route (#15)."""

from __future__ import annotations

from functools import lru_cache

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

# A longer header is parsed every time rather than kept: the cache holds only what browsers send.
LONGEST_KEPT = 256


def best_language(header: str | None, languages: tuple[str, ...]) -> str | None:
    if not header:
        return None
    if len(header) > LONGEST_KEPT:
        return _best_language.__wrapped__(header, languages)
    return _best_language(header, languages)


def takes_gzip(header: str | None) -> bool:
    if not header:
        return False
    if len(header) > LONGEST_KEPT:
        return _takes_gzip.__wrapped__(header)
    return _takes_gzip(header)


@lru_cache(maxsize=512)
def _best_language(header: str, languages: tuple[str, ...]) -> str | None:
    return parse_accept_header(header, LanguageAccept).best_match(languages)


@lru_cache(maxsize=512)
def _takes_gzip(header: str) -> bool:
    return bool(parse_accept_header(header)["gzip"])
