"""Reading and writing the grading server's bulk JSON: the sandbox's replies and the reports.

A report with its traces is tens of kilobytes (vcpu-run-loop's ≈ 75 KB); reading the sandbox's
reply, storing the report and reading it back for the answer took a third of the web process's
CPU per submission with the standard library (#15). orjson does the same work in a fraction of
the time, but where it would *differ* from the standard library the standard library still
decides, so what is read or written never depends on which one ran:

* reading: orjson refuses what it does not read exactly as ``json.loads`` would (``NaN``, a
  number out of a float's range, an unpaired surrogate escape ...), and the standard library
  then reads it (or refuses it) itself; an integer wider than 64 bits, which orjson would read
  as a float, never reaches orjson (any run of 19 digits sends the text to the standard
  library);
* writing: only data a caller has checked holds nothing but strings, finite numbers, lists and
  dicts with string keys; anything orjson refuses (a 65-bit integer, an unpaired surrogate)
  falls back to ``json.dumps``. orjson writes compact JSON, without spaces after ``,`` and
  ``:``: the same data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson

COMPACT = (",", ":")  # as orjson writes it

# Digits as "0", to find a run of 19 with one substring search (a regex takes ten times as long).
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_NUMBER = b"0" * 19


def parse(text: str, parse_constant: Callable[[str], Any] | None = None) -> Any:
    """``json.loads(text, parse_constant=...)``, faster. ``parse_constant`` (called for
    ``NaN``, ``Infinity``, ``-Infinity``) is the standard library's: orjson refuses those."""
    encoded = text.encode("utf-8", "surrogatepass")
    if _LONG_NUMBER not in encoded.translate(_DIGITS_AS_ZERO):
        try:
            return orjson.loads(encoded)
        except orjson.JSONDecodeError:
            pass
    if parse_constant is None:
        return json.loads(text)
    return json.loads(text, parse_constant=parse_constant)


def plain(data: Any) -> str:
    """``data`` as compact JSON text, for data already checked to be plain JSON data with finite
    numbers (orjson writes ``NaN`` as ``null``; the standard library's ``allow_nan=False``
    refuses it: the caller's check decides)."""
    written = plain_or_none(data)
    return standard(data) if written is None else written


def plain_or_none(data: Any) -> str | None:
    """``plain(data)`` when orjson writes it, which reads back as ``data`` itself; ``None``
    when only the standard library can (it may write something else: ``standard``)."""
    try:
        return orjson.dumps(data).decode("utf-8")
    except orjson.JSONEncodeError:
        return None


def standard(data: Any) -> str:
    """``data`` as compact JSON text written by the standard library: any data it takes, and
    ``ValueError`` for a non-finite number (no JSON reader accepts ``NaN``).

    The text is always UTF-8, as a database stores it: a lone surrogate (learner code can print
    ``"\\udcff"`` or put it in an exception's message) is written as its escape, visible, as
    the stored code keeps one (orjson refuses such text, so only this path ever meets it)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=COMPACT)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(_visible(data), ensure_ascii=False, allow_nan=False, separators=COMPACT)
    return text


def _visible(value: Any) -> Any:
    """``value`` with every lone surrogate of its strings (and keys) written as ``\\udcff``."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_visible(k): _visible(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_visible(v) for v in value]
    return value
