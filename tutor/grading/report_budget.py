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
    if isinstance(value, str):
        return clip_text(value, MAX_PRINTED if key in PRINTED_KEYS else MAX_TEXT)
    if isinstance(value, dict):
        return {str(k)[:MAX_TEXT]: _bounded(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        kept = [_bounded(v, key) for v in value[:MAX_ITEMS]]
        if len(value) > MAX_ITEMS:
            kept.append(f"… {len(value) - MAX_ITEMS} more not shown")
        return kept
    return value


def _size(report: dict[str, Any]) -> int:
    return len(json.dumps(report, ensure_ascii=False).encode("utf-8"))


def fit(report: dict[str, Any], budget: int = MAX_REPORT_BYTES) -> dict[str, Any]:
    """A copy of ``report`` (JSON data) that is at most ``budget`` bytes of JSON."""
    fitted: dict[str, Any] = _bounded(report)
    cases = [c for c in fitted.get("cases", []) if isinstance(c, dict)]
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
