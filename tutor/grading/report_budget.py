"""A size budget for a report before it is stored and served.

A report carries text the learner controls — their printed output, values their code returned,
error messages that quote those values, trace events their code caused — once per case and again
for the failing case. Without a bound a 200-byte program can make a report of tens of megabytes,
stored in the database and sent to the browser on every view. ``fit`` bounds any report shape (it
knows nothing of the fields' meaning, so a field added later is bounded too):

1. every string is clipped (``MAX_TEXT`` characters, ``MAX_PRINTED`` for printed output), and
   every list (``MAX_ITEMS`` items: trace events) is cut, each saying how much was left out;
2. if the whole is still over ``MAX_REPORT_BYTES``, the traces of passing cases go, then every
   case's trace, then the values returned, then whole cases from the end (counts and the first
   failure's message and trace stay).

A correct solution's report is far below the budget (the largest, vcpu-run-loop, is ≈ 70 KB).
Almost every report is within every bound, and bounding it was most of the grading server's own
CPU per submission (#15): so a first pass only *checks* (``_within``: no copies, no call per
string or number) and the copying pass runs only when something is over; and ``fitted_json``
serialises the report once, for the size and for storing, instead of twice, with orjson when
the check found nothing but plain data (``json_text``).
"""

from __future__ import annotations

import json
from typing import Any

from .json_text import COMPACT, plain_or_none, standard

MAX_TEXT = 2_000
MAX_PRINTED = 4_000
MAX_ITEMS = 2_000
MAX_REPORT_BYTES = 256 * 1024
PRINTED_KEYS = frozenset({"stdout"})


def clip_text(text: str, limit: int = MAX_TEXT) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit} more characters not shown]"


def _bounded(value: Any, key: str = "") -> Any:
    """``value`` with every string and list within bounds; what is already within them is
    returned as it is, not copied (a report is mostly thousands of small trace events)."""
    if isinstance(value, str):
        return clip_text(value, MAX_PRINTED if key in PRINTED_KEYS else MAX_TEXT)
    if isinstance(value, dict):
        changed = False
        bounded = {}
        for k, v in value.items():
            name = str(k)[:MAX_TEXT]
            inner = _bounded(v, str(k))
            changed = changed or inner is not v or not isinstance(k, str) or len(k) > MAX_TEXT
            bounded[name] = inner
        return bounded if changed else value
    if isinstance(value, list | tuple):
        kept = [_bounded(v, key) for v in value[:MAX_ITEMS]]
        if len(value) > MAX_ITEMS:
            kept.append(f"… {len(value) - MAX_ITEMS} more not shown")
            return kept
        if any(a is not b for a, b in zip(kept, value, strict=True)):
            return kept
        return value
    return value


_SCALARS = (int, bool, type(None))  # and finite floats (``x - x`` is 0.0 only for those)


class WithinBounds(list):  # type: ignore[type-arg]
    """A list found within every bound once and never changed afterwards: the check does not
    walk it again. The judge marks the reference's traces so; a learner's trace equal to the
    reference's is reported as the reference's own list, so a right answer's traces (thousands
    of events for vcpu-run-loop) are not walked per submission (#15). orjson and the standard
    library write it as the list it is."""


def within_bounds(value: Any) -> bool:
    """Whether ``fit`` would leave ``value`` as it is."""
    return _within_under(value, "")


def _within(value: Any) -> bool:
    """Every string, key and list of ``value`` already within bounds, and every number finite
    (``False`` also for any type it does not know, which ``_bounded`` then handles)."""
    kind = type(value)
    if kind is dict:
        for k, v in value.items():
            if type(k) is not str or len(k) > MAX_TEXT:
                return False
            inner = type(v)
            if inner is str:
                if len(v) > (MAX_PRINTED if k in PRINTED_KEYS else MAX_TEXT):
                    return False
            elif inner is float:
                if v - v != 0.0:
                    return False
            elif inner not in _SCALARS and not _within_under(v, k):
                return False
        return True
    return _within_under(value, "")


def _within_under(value: Any, key: str) -> bool:
    kind = type(value)
    if kind is WithinBounds:
        return True
    if kind is str:
        return len(value) <= (MAX_PRINTED if key in PRINTED_KEYS else MAX_TEXT)
    if kind is list or kind is tuple:
        if len(value) > MAX_ITEMS:
            return False
        limit = MAX_PRINTED if key in PRINTED_KEYS else MAX_TEXT
        for item in value:
            inner = type(item)
            if inner is str:
                if len(item) > limit:
                    return False
            elif inner is float:
                if item - item != 0.0:
                    return False
            elif inner not in _SCALARS and not _within_under(item, key):
                return False
        return True
    if kind is dict:
        return _within(value)
    if kind is float:
        return bool(value - value == 0.0)
    return kind in _SCALARS


def _size(report: dict[str, Any]) -> int:
    return len(json.dumps(report, ensure_ascii=False, separators=COMPACT).encode("utf-8"))


def fit(report: dict[str, Any], budget: int = MAX_REPORT_BYTES) -> dict[str, Any]:
    """``report`` (JSON data) within ``budget`` bytes of JSON: a new dict, which shares what
    needed no cutting with ``report`` (never changed in place)."""
    fitted: dict[str, Any] = dict(report if _within(report) else _bounded(report))
    if _size(fitted) <= budget:
        return fitted
    return _cut(fitted, budget)


def fitted_json(report: dict[str, Any], budget: int = MAX_REPORT_BYTES) -> str:
    """``fit(report)`` as compact JSON text, serialised once when it fits (the usual case).
    Raises ``ValueError`` for a non-finite number (no JSON reader accepts ``NaN``)."""
    return fitted_text_and_data(report, budget)[0]


def fitted_text_and_data(
    report: dict[str, Any], budget: int = MAX_REPORT_BYTES
) -> tuple[str, dict[str, Any] | None]:
    """``fitted_json(report)``, and the data it is the text of when nothing needed cutting
    (plain data, within every bound): whoever answers with the report right away need not
    read it back from the text (a large report's reading was 0.4 ms, #15)."""
    plain_data = _within(report)
    fitted: dict[str, Any] = dict(report if plain_data else _bounded(report))
    # orjson's text reads back as ``fitted`` itself; the standard library's may not (it writes
    # a lone surrogate as its visible escape): then there is no data to hand over.
    exact = plain_or_none(fitted) if plain_data else None
    text = standard(fitted) if exact is None else exact
    if len(text) <= budget // 4 or len(text.encode("utf-8")) <= budget:
        return text, None if exact is None else fitted
    return standard(_cut(fitted, budget)), None


def _cut(fitted: dict[str, Any], budget: int) -> dict[str, Any]:
    """Cuts what ``fit`` says, in its order, until ``fitted`` is within ``budget``."""
    listed = fitted.get("cases")
    cases = [dict(c) for c in listed if isinstance(c, dict)] if isinstance(listed, list) else []
    if isinstance(listed, list):  # (anything else in "cases" is left to the last step)
        fitted["cases"] = cases
    steps: tuple[tuple[str, Any, bool], ...] = (
        ("trace", [], True),  # (field, emptied value, passing cases only)
        ("trace", [], False),
        ("output", None, False),
        ("stdout", "", False),
    )
    for name, empty, passing_only in steps:
        if _size(fitted) <= budget:
            return fitted
        for case in cases:
            if case.get("passed") or not passing_only:
                case[name] = empty
    while cases and _size(fitted) > budget:
        cases.pop()
        fitted["cases"] = cases
    if _size(fitted) > budget:  # only the top-level message and trace are left to cut
        fitted["trace"] = []
        fitted["problems"] = []
    return fitted
