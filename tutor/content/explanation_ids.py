"""Where lesson content names an explanation of ``tutor.explanations``, and whether it exists.

Lesson and prompt Markdown insert one with ``:explain[layers.crossed.vm_exit]``; drivers call
``explain("...")`` and ``table("...")``. The loader checks every such id when the site starts, so
a typo is a start-up error naming the file, not a learner's "the checker cannot read" later.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable

from tutor.explanations import UnknownExplanation, exists, explain

DIRECTIVE = re.compile(r":explain\[([^\]\s]*)\]")
CALLS = ("explain", "table")


def insert(markdown: str, lang: str, report: Callable[[str], None]) -> str:
    """``markdown`` with each ``:explain[id]`` replaced by that explanation in ``lang``."""

    def text(match: re.Match[str]) -> str:
        try:
            return explain(match.group(1))[lang]
        except (UnknownExplanation, KeyError, ValueError) as exc:
            report(f":explain[{match.group(1)}]: {exc}")
            return match.group(0)

    return DIRECTIVE.sub(text, markdown)


def unknown_in_source(source: str) -> list[str]:
    """The ids a driver passes to ``explain``/``table`` that name nothing. An f-string id
    (``f"layers.ends.{operation}"``) is checked up to its first placeholder."""
    return [
        f"line {line}: {call}({explanation_id!r}): no such explanation"
        for line, call, explanation_id in _named_ids(source)
        if not exists(explanation_id)
    ]


@functools.lru_cache(maxsize=256)
def _named_ids(source: str) -> tuple[tuple[int, str, str], ...]:
    """(line, function, id) of each call naming an explanation; parsed once per source text,
    as every app start loads every driver again."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ()  # the import of the driver reports it
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and _name(node.func) in CALLS):
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            explanation_id = first.value
        elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
            explanation_id = str(first.values[0].value).rstrip(".")
        else:
            continue
        found.append((node.lineno, str(_name(node.func)), explanation_id))
    return tuple(found)


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None
