"""Where a learner reads Chinese: every zh text of the project, as lines with file and line number.

Chinese reaches the learner from many kinds of file: lesson and prompt Markdown, the zh fields of
TOML manifests, zh starter code, feedback strings in drivers and in the grading machinery, the
Babel catalogue and the JS string tables. Each reader below turns one kind into ``Passage``s of
plain text, with the markup and code a learner does not read as prose taken out, so the rules in
``zh_review`` see the words as they appear on the page.

Two marks stand in for what is not literal text:

- ``LATIN``: code (a Markdown code span) or a placeholder filled with numbers or identifiers
  (``%(id)s`` in the catalogue, ``{n}`` in a Python f-string). It reads as Latin text, so Chinese
  right next to it needs a space like any other Latin word.
- ``HOLE``: a placeholder whose value is Chinese or is spaced when it is filled: f-string fields
  that name a ``zh`` value, and ``{name}`` in the JS tables, whose renderers insert the space
  between Chinese and Latin text themselves (``static/js/zh-spacing.js``).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

LATIN = "\ue000"
HOLE = "\ue001"

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{HAN}]")


@dataclass(frozen=True)
class Passage:
    """One line of Chinese a learner reads. ``prose`` leaves out cited titles (Markdown italics),
    which stay in their own language."""

    path: Path
    line: int
    text: str
    prose: str


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def _passages(
    path: Path, first_line: int, value: str, prose: str | None = None, every: bool = False
) -> Iterator[Passage]:
    """The lines of ``value`` that hold Chinese, or, with ``every``, all of them: in a file that
    is Chinese as a whole, a line of English prose is a sentence left untranslated too."""
    prose_lines = (prose if prose is not None else value).split("\n")
    for offset, line in enumerate(value.split("\n")):
        if has_han(line) or (every and line.strip()):
            yield Passage(path, first_line + offset, line, prose_lines[offset])


# --- Markdown ------------------------------------------------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<[a-z]+:[^>\s]*>")
_ITALIC = re.compile(r"(?<![*\\])\*(?![*\s])[^*\n]+?(?<![\s*])\*(?!\*)")
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s")
_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?!\s)[^$\n]+?(?<![\s\\])\$")
_INDENTED_CODE = re.compile(r"^(?: {4}|\t)")


def markdown_passages(path: Path) -> Iterator[Passage]:
    """Every line of prose of a Chinese Markdown file, Chinese or not (a paragraph copied from
    the English file has no Chinese to find); code blocks, code spans, math, URLs and link
    targets are not prose."""
    in_fence = False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if _FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence or _LINK_DEFINITION.match(raw):
            continue
        if not has_han(raw) and _INDENTED_CODE.match(raw):
            continue  # an indented code block (or a list item's code): read as code
        line = _CODE_SPAN.sub(LATIN, raw)
        line = _AUTOLINK.sub(LATIN, _LINK.sub(r"\1", line))
        line = _MATH.sub(LATIN, _URL.sub(LATIN, line))
        prose = _ITALIC.sub(" ", line).replace("*", "")
        yield from _passages(path, number, line.replace("*", ""), prose, every=True)


# --- TOML manifests ------------------------------------------------------------------------------

_TOML_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')


def toml_passages(path: Path) -> Iterator[Passage]:
    """Strings with Chinese in them, decoded as TOML decodes them (only zh fields have Chinese)."""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.lstrip().startswith("#"):
            continue
        for literal in _TOML_STRING.findall(raw):
            try:
                value = tomllib.loads(f"v = {literal}")["v"]
            except tomllib.TOMLDecodeError:
                continue
            yield from _passages(path, number, value)


# --- the Babel catalogue -------------------------------------------------------------------------

_PERCENT_FIELD = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


def po_passages(path: Path) -> Iterator[Passage]:
    lines = path.read_text(encoding="utf-8").splitlines()
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        raw = message.string
        strings = [raw] if isinstance(raw, str) else list(raw or [])
        # read_po gives the msgid's line; report the msgstr's, a few lines below it.
        line = message.lineno or 1
        while line <= len(lines) and not lines[line - 1].startswith("msgstr"):
            line += 1
        for string in strings:
            text = _PERCENT_FIELD.sub(LATIN, string or "").replace("%%", "%")
            yield from _passages(path, line, text)


# --- JavaScript string tables --------------------------------------------------------------------

_JS_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\\n]|\\.)*`')
_JS_FIELD = re.compile(r"\$\{[^}]*\}|\{\w+\}")


def js_passages(path: Path) -> Iterator[Passage]:
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.lstrip().startswith("//") or not has_han(raw):
            continue
        for literal in _JS_STRING.findall(raw):
            body = literal[1:-1].replace('\\"', '"').replace("\\'", "'")
            yield from _passages(path, number, _JS_FIELD.sub(HOLE, body))


# --- Python: feedback strings, zh starter docstrings and comments --------------------------------

_PREFIX = re.compile(r"^([A-Za-z]*)(.*)$", re.DOTALL)
_F_FIELD = re.compile(r"\{\{|\}\}|\{[^{}]*\}")


def _f_field(match: re.Match[str]) -> str:
    field = match.group()
    if field in ("{{", "}}"):
        return field[0]
    # f"...{why['zh']}..." and f"...{name_zh}..." are Chinese; other fields are values.
    return HOLE if "zh" in field else LATIN


def _python_string(token: str) -> str | None:
    prefix, body = _PREFIX.match(token).groups()  # type: ignore[union-attr]
    if "b" in prefix.lower():
        return None
    if "f" in prefix.lower():
        body = _F_FIELD.sub(_f_field, body)
        prefix = prefix.lower().replace("f", "")
    try:
        value = ast.literal_eval(prefix + body)
    except (SyntaxError, ValueError):
        return None
    return value if isinstance(value, str) else None


def python_passages(path: Path, comments: bool = False) -> Iterator[Passage]:
    """Chinese string literals (feedback, docstrings), and comments too where ``comments``: a
    starter's comments are read by the learner."""
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING and has_han(token.string):
            value = _python_string(token.string)
            if value is not None:
                yield from _passages(path, token.start[0], value)
        elif comments and token.type == tokenize.COMMENT and has_han(token.string):
            yield from _passages(path, token.start[0], token.string.lstrip("#"))


# --- which files ---------------------------------------------------------------------------------


def passages(path: Path) -> Iterator[Passage]:
    """The Chinese a learner reads in ``path``, whatever kind of file it is."""
    name = path.name
    if name.endswith(".zh.md"):
        return markdown_passages(path)
    if name.endswith(".toml"):
        return toml_passages(path)
    if name.endswith(".po"):
        return po_passages(path)
    if name.endswith(".js"):
        return js_passages(path)
    if name == "starter.zh.py":
        return python_passages(path, comments=True)
    if name.endswith(".py"):
        return python_passages(path)
    return iter(())


def lesson_sources(folder: Path) -> list[Path]:
    """A lesson's files that carry Chinese for the learner (not solutions, cases or wrong/)."""
    found = [folder / "lesson.zh.md", folder / "lesson.toml"]
    for exercise in sorted((folder / "exercises").glob("*/")):
        if exercise.name.startswith("."):
            continue  # a draft kept aside, which the loader does not load either
        found += [
            exercise / name
            for name in ("prompt.zh.md", "exercise.toml", "starter.zh.py", "driver.py")
        ]
    return [path for path in found if path.is_file()]


def learner_sources(project: Path) -> list[Path]:
    """Every file of the project whose Chinese a learner can read."""
    lessons = project / "lessons"
    found = [
        path
        for folder in sorted(lessons.iterdir())
        if folder.is_dir() and not folder.name.startswith(".")
        for path in lesson_sources(folder)
    ]
    found += sorted((project / "tutor" / "web" / "translations").glob("*/LC_MESSAGES/*.po"))
    found += sorted(p for p in (project / "static" / "js").rglob("*.js") if "vendor" not in p.parts)
    for package in ("sim", "explanations", "grading", "web"):
        found += sorted((project / "tutor" / package).glob("*.py"))
    return found
