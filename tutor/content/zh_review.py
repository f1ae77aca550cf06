"""Three rules for the Chinese a learner reads, each reported with file and line.

- ``glossary``: a forbidden variant of a glossary term (the lessons folder's ``glossary.toml``):
  the concept is translated a second way.
- ``spacing``: a Chinese character touching a Latin letter or digit ("经过VM 退出", "在VMM中").
  zh-CN technical writing puts a space there; full-width punctuation needs none ("VMM）",
  "（KVM"). Code counts as Latin text; placeholders filled in by a renderer that spaces them do
  not count (see ``zh_text``).
- ``untranslated``: four or more English words in a row outside quotes, code and cited titles,
  i.e. a sentence left in English; in Chinese Markdown on every line of prose, Chinese or not.
  Product and paper names stay short enough to pass ("Oracle VirtualBox", "Kernel-based Virtual
  Machine").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .glossary import Glossary, load_glossary
from .zh_text import HAN, HOLE, LATIN, Passage, passages

_LATIN_CHAR = f"A-Za-z0-9{LATIN}"
_UNSPACED = re.compile(f"[{HAN}][{_LATIN_CHAR}]|[{_LATIN_CHAR}][{HAN}]")
_QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|\"[^\"]*\"|'[^']*'|「[^」]*」")
_WORD = r"[A-Za-z][a-z]+(?:['’-][A-Za-z]+)*"
_ENGLISH_RUN = re.compile(rf"{_WORD}(?:[,;:]?\s+{_WORD}){{3,}}")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    rule: str
    message: str

    def where(self, root: Path | None = None) -> str:
        path = self.path.relative_to(root) if root and self.path.is_relative_to(root) else self.path
        return f"{path}:{self.line}"

    def describe(self, root: Path | None = None) -> str:
        return f"{self.where(root)}: {self.rule}: {self.message}"


def _shown(text: str, start: int, end: int) -> str:
    """The words around a finding, with code shown as ‹code› and placeholders as ‹…›."""
    snippet = text[max(0, start - 8) : end + 8].strip()
    return snippet.replace(LATIN, "‹code›").replace(HOLE, "‹…›")


def review_passage(passage: Passage, glossary: Glossary) -> list[Finding]:
    text = passage.text

    def finding(rule: str, message: str) -> Finding:
        return Finding(passage.path, passage.line, rule, message)

    found = [
        finding("glossary", f"{m.explain()} (in “{_shown(text, m.start, m.end)}”)")
        for m in glossary.misuses(text)
    ]
    found += [
        finding(
            "spacing", f"put a space between Chinese and Latin text in “{_shown(text, *m.span())}”"
        )
        for m in _UNSPACED.finditer(text)
    ]
    prose = _QUOTED.sub(" ", passage.prose.replace(LATIN, " ").replace(HOLE, " "))
    found += [
        finding("untranslated", f"English left in the Chinese text: “{m.group()}”")
        for m in _ENGLISH_RUN.finditer(prose)
    ]
    return found


def review_files(paths: Iterable[Path], glossary: Glossary | None = None) -> list[Finding]:
    glossary = glossary or load_glossary()
    return [
        finding
        for path in paths
        for passage in passages(path)
        for finding in review_passage(passage, glossary)
    ]
