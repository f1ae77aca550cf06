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
"""

from __future__ import annotations

import json
from typing import Any

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


def _size(report: dict[str, Any]) -> int:
    return len(json.dumps(report, ensure_ascii=False).encode("utf-8"))


def fit(report: dict[str, Any], budget: int = MAX_REPORT_BYTES) -> dict[str, Any]:
    """``report`` (JSON data) within ``budget`` bytes of JSON: a new dict, which shares what
    needed no cutting with ``report`` (never changed in place)."""
    fitted: dict[str, Any] = dict(_bounded(report))
    if _size(fitted) <= budget:
        return fitted
    cases = [dict(c) for c in fitted.get("cases", []) if isinstance(c, dict)]
    if "cases" in fitted:
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
