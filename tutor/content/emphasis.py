"""``check-lessons``: emphasis that a learner would see as stray ``*`` and ``**``.

CommonMark closes ``**bold**`` only where the closing ``**`` is right-flanking: after punctuation
(Chinese ：。？ included) it must be followed by a space or by more punctuation. So in
``**等价性：**程序`` the second ``**`` cannot close: the page shows both pairs of asterisks, or
pairs them with the next bold phrase of the paragraph and makes the text in between bold. The
same holds for ``*italics*`` and ``_underscores_``, and in English (``**Note:**text``). The fix is
to move the punctuation outside the markers: ``**等价性**：程序``.

Every Markdown text a learner reads (``lesson.<lang>.md`` and each ``prompt.<lang>.md``, every
language, with ``:explain[...]`` inserted) is parsed exactly as the loader renders it, and two
results are reported with file and line:

- a ``*``, ``**`` or ``_`` run that could open or close emphasis but was left as text;
- bold opened inside bold, or italics inside italics: markers paired with the wrong partner.

Code spans and code blocks are not prose; an escaped ``\\*`` is the author's own asterisk, and
``2 * 3`` (which can neither open nor close) and ``P_idle`` (an underscore inside a word) pass.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.token import Token

from . import explanation_ids
from .loader import markdown_parser
from .model import LANGUAGES, Lesson

# Escapes and entities kept apart from text (text_join would merge them into it): an escaped
# marker is meant literally.
_PARSER = markdown_parser().disable("text_join")
_MARKERS = "*_"
_FIX = (
    "after punctuation (：。？）) a closing marker needs a space or punctuation next; put the "
    "punctuation outside: **等价性**：, not **等价性：**"
)


def _punctuation(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def _opens_or_closes(before: str, marker: str, after: str) -> bool:
    """CommonMark's delimiter-run rules (markdown-it's ``scanDelims``): whether a run of
    ``marker`` between ``before`` and ``after`` could open or close emphasis."""
    last_space, next_space = isWhiteSpace(ord(before)), isWhiteSpace(ord(after))
    last_punct, next_punct = _punctuation(before), _punctuation(after)
    left = not (next_space or (next_punct and not (last_space or last_punct)))
    right = not (last_space or (last_punct and not (next_space or next_punct)))
    if marker == "*":
        return left or right
    return (left and (not right or last_punct)) or (right and (not left or next_punct))


class _Line:
    """One inline block as its source reads: text, the markup of emphasis, escapes and code
    spans, with which characters are the learner-visible text that emphasis could come from."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.literal: list[bool] = []

    def add(self, chunk: str, literal: bool = False) -> None:
        self.chars.extend(chunk)
        self.literal.extend([literal] * len(chunk))

    def around(self, start: int, end: int) -> str:
        text = "".join(self.chars)
        before = text[max(0, start - 12) : start].rsplit("\n", 1)[-1]
        after = text[end : end + 12].split("\n", 1)[0]
        return f"{before}{text[start:end]}{after}".strip()

    def line_of(self, position: int) -> int:
        return self.chars[:position].count("\n")


_SOURCE = {"softbreak": "\n", "hardbreak": "\n", "link_open": "[", "link_close": "]"}


def _read(children: list[Token]) -> tuple[_Line, list[tuple[int, str]]]:
    """The block as a ``_Line``, and where an emphasis opens inside one of its own kind."""
    line, nested, depth = _Line(), [], {"strong": 0, "em": 0}
    for token in children:
        kind, _, side = token.type.rpartition("_")
        if token.type == "text":
            line.add(token.content, literal=True)
        elif token.type == "code_inline":
            line.add(f"{token.markup}{token.content}{token.markup}")
        elif kind in depth and side in ("open", "close"):
            if side == "open":
                if depth[kind]:
                    nested.append((len(line.chars), kind))
                depth[kind] += 1
            else:
                depth[kind] -= 1
            line.add(token.markup)
        elif token.type in _SOURCE:
            line.add(_SOURCE[token.type])
        else:  # escapes, entities, images, raw HTML: never a stray marker themselves
            line.add(token.markup or token.content or "\ufffc")
    return line, nested


def emphasis_problems(markdown: str) -> list[tuple[int, str]]:
    """``(line, message)`` for each stray or mis-paired emphasis marker of ``markdown``."""
    found: list[tuple[int, str]] = []
    first = 1
    for block in _PARSER.parse(markdown):
        if block.map:
            first = block.map[0] + 1
        if block.type != "inline" or not block.children:
            continue
        line, nested = _read(block.children)
        i = 0
        while i < len(line.chars):
            marker = line.chars[i]
            if marker not in _MARKERS or not line.literal[i]:
                i += 1
                continue
            end = i
            while end < len(line.chars) and line.chars[end] == marker and line.literal[end]:
                end += 1
            before = line.chars[i - 1] if i else " "
            after = line.chars[end] if end < len(line.chars) else " "
            if _opens_or_closes(before, marker, after):
                run = marker * (end - i)
                found.append(
                    (
                        first + line.line_of(i),
                        f"“{run}” left as text in “{line.around(i, end)}”: {_FIX}",
                    )
                )
            i = end
        for position, kind in nested:
            what = "bold opens inside bold" if kind == "strong" else "italics open inside italics"
            found.append(
                (
                    first + line.line_of(position),
                    f"{what} at “{line.around(position, position)}” (markers paired wrongly): "
                    f"{_FIX}",
                )
            )
    return sorted(found)


def markdown_files(lesson: Lesson) -> list[tuple[Path, str]]:
    """Every Markdown file of the lesson a learner reads, with its language."""
    folders = [(lesson.folder, "lesson")] + [(e.folder, "prompt") for e in lesson.exercises]
    return [(folder / f"{stem}.{lang}.md", lang) for folder, stem in folders for lang in LANGUAGES]


def check_emphasis(lesson: Lesson) -> list[str]:
    """``lessons/07-x/lesson.zh.md:5: emphasis: ...`` for each problem of ``emphasis_problems``
    in the lesson's text and prompts, in every language."""
    root = lesson.folder.parent.parent
    problems = []
    for path, lang in markdown_files(lesson):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the loader names it
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        text = explanation_ids.insert(text, lang, lambda _message: None)
        problems += [
            f"{shown}:{line}: emphasis: {message}" for line, message in emphasis_problems(text)
        ]
    return problems
