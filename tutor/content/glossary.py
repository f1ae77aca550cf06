"""The course glossary (``glossary.toml`` in the lessons folder): one zh-CN term per concept.

A learner who meets 陷出 in a hint and 陷入 in the lesson, or 网络栈 in the animation and 网络堆栈
in the text, cannot tell whether these are two ideas. The glossary names the one term and the
variants that would translate the same concept a second way, so a check can find every such
variant in every text a learner reads (see ``zh_review``) and the animation can take its names
from the same place.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

# The installation's own course glossary: the terms its UI strings, explanations and animations
# are written in, so a lessons folder without a glossary of its own is checked against it.
BUILTIN_GLOSSARY = Path(__file__).resolve().parents[2] / "lessons" / "glossary.toml"
GLOSSARY_PATH = BUILTIN_GLOSSARY
GLOSSARY_NAME = "glossary.toml"

# Chinese quotation marks: text inside them is quoted, not used (see Term.quoted).
_QUOTE = re.compile(r"“[^“”]*”")


class GlossaryError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("glossary has problems:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Term:
    """One concept: its English term, its one Chinese term, and the Chinese it must never be."""

    id: str
    en: str
    zh: str
    forbidden: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    quoted: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Misuse:
    """A forbidden variant found in a text, at ``text[start:end]``."""

    start: int
    end: int
    found: str
    term: Term

    def explain(self) -> str:
        term = self.term
        return f"{self.found!r} translates {term.en!r} a second way; the glossary says {term.zh!r}"


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]

    def term(self, term_id: str) -> Term:
        for term in self.terms:
            if term.id == term_id:
                return term
        raise KeyError(term_id)

    def misuses(self, text: str) -> list[Misuse]:
        """Every forbidden variant in ``text``, longest first where two overlap.

        A variant listed in a term's ``quoted`` is allowed inside “…”: the lesson is then quoting
        the seed article's wording in order to explain it, not using it.
        """
        text = self._mask_quotations(text)
        found = []
        for term in self.terms:
            for variant in term.forbidden:
                start = text.find(variant)
                while start != -1:
                    found.append(Misuse(start, start + len(variant), variant, term))
                    start = text.find(variant, start + 1)
            for pattern in term.patterns:
                found += [
                    Misuse(m.start(), m.end(), m.group(), term) for m in pattern.finditer(text)
                ]
        kept: list[Misuse] = []
        for misuse in sorted(found, key=lambda m: (m.start, m.start - m.end)):
            if not kept or misuse.start >= kept[-1].end:
                kept.append(misuse)
        return kept

    def _mask_quotations(self, text: str) -> str:
        allowed = [q for term in self.terms for q in term.quoted]
        if not allowed:
            return text

        def mask(match: re.Match[str]) -> str:
            quote = match.group()
            for variant in allowed:
                quote = quote.replace(variant, "\u3000" * len(variant))
            return quote

        return _QUOTE.sub(mask, text)

    def as_json(self) -> dict[str, dict[str, str]]:
        """``{id: {"en", "zh"}}``: what a page or script needs to name things the same way."""
        return {term.id: {"en": term.en, "zh": term.zh} for term in self.terms}


def _strings(raw: dict[str, Any], key: str, where: str, problems: list[str]) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problems.append(f"{where}: {key} must be a list of non-empty strings")
        return ()
    return tuple(value)


def _term(raw: dict[str, Any], index: int, problems: list[str]) -> Term | None:
    where = f"term[{index}] ({raw.get('id', '?')})"
    fields = {key: raw.get(key) for key in ("id", "en", "zh")}
    missing = [key for key, value in fields.items() if not isinstance(value, str) or not value]
    if missing:
        problems.append(f"{where}: {', '.join(missing)} missing or empty")
        return None
    patterns = []
    for source in _strings(raw, "patterns", where, problems):
        try:
            patterns.append(re.compile(source))
        except re.error as exc:
            problems.append(f"{where}: pattern {source!r} does not compile: {exc}")
    return Term(
        id=str(fields["id"]),
        en=str(fields["en"]),
        zh=str(fields["zh"]),
        forbidden=_strings(raw, "forbidden", where, problems),
        patterns=tuple(patterns),
        quoted=_strings(raw, "quoted", where, problems),
        note=str(raw.get("note", "")),
    )


def parse_glossary(text: str) -> Glossary:
    """Build a glossary from TOML text; raise GlossaryError naming every problem at once."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GlossaryError([f"not valid TOML: {exc}"]) from exc
    problems: list[str] = []
    raw_terms = data.get("term", [])
    terms = [t for i, raw in enumerate(raw_terms) if (t := _term(raw, i, problems)) is not None]
    glossary = Glossary(tuple(terms))
    seen: set[str] = set()
    for term in terms:
        if term.id in seen:
            problems.append(f"{term.id}: id used twice")
        seen.add(term.id)
        # A glossary that forbids one of its own terms would fail every correct text.
        for misuse in glossary.misuses(term.zh):
            problems.append(f"{term.id}: its own term {term.zh!r} contains {misuse.explain()}")
        for quote in term.quoted:
            if not Glossary((term,)).misuses(f" {quote} "):
                problems.append(f"{term.id}: quoted {quote!r} is not a forbidden variant")
    if problems:
        raise GlossaryError(problems)
    return glossary


def glossary_path(lessons: Path) -> Path:
    """The glossary of the lessons in ``lessons`` (``LESSONS_DIR``): its own ``glossary.toml``
    when it has one, else the installation's, whose terms the rest of the site uses anyway (a
    course copied from ``lessons/`` without its glossary keeps the same terms)."""
    own = lessons / GLOSSARY_NAME
    return own if own.is_file() else BUILTIN_GLOSSARY


@cache
def load_glossary(path: Path = BUILTIN_GLOSSARY) -> Glossary:
    return parse_glossary(path.read_text(encoding="utf-8"))
