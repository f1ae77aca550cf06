"""Every line of the seed checklist (``../shared/curriculum.md``, "## Seed checklist") is taught:
``lessons/seed-checklist.toml`` names, for each claim, the lesson and phrases that appear together
in one paragraph of its English text and one of its Chinese text, and this test finds them."""

from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tutor.content import load_catalog
from tutor.content.model import Catalog

from ..conftest import ROOT

CHECKLIST = ROOT / "lessons" / "seed-checklist.toml"
# CI checks the project out with ../shared beside it, as the tracker does.
CURRICULUM = ROOT.parent / "shared" / "curriculum.md"
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Point:
    bullet: str
    claim: str
    lesson: str
    phrases: dict[str, list[str]]

    @property
    def name(self) -> str:
        return f"[{self.bullet}] {self.claim}"


def load_points(path: Path = CHECKLIST) -> list[Point]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    points = []
    for number, raw in enumerate(data.get("point", []), start=1):
        points.append(parse_point(raw, f"{path.name} point {number}"))
    return points


def parse_point(raw: dict[str, Any], where: str) -> Point:
    for key in ("bullet", "claim", "lesson"):
        assert isinstance(raw.get(key), str) and raw[key].strip(), f"{where}: {key} missing"
    phrases: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        value = raw.get(lang)
        assert (
            isinstance(value, list)
            and 2 <= len(value) <= 4
            and all(isinstance(p, str) and normalise(p) for p in value)
        ), f"{where} ({raw['claim']}): {lang} must be a list of 2-4 non-empty phrases"
        phrases[lang] = value
    return Point(raw["bullet"], raw["claim"], raw["lesson"], phrases)


def normalise(text: str) -> str:
    """Case, runs of whitespace and the markdown marks * and ` do not matter."""
    return " ".join(re.sub(r"[*`]", "", text).split()).casefold()


def paragraphs(markdown: str) -> list[str]:
    """Blocks between blank lines (a list or a table is one block), blockquote markers dropped."""
    lines = [re.sub(r"^\s*>\s?", "", line) for line in markdown.splitlines()]
    blocks = re.split(r"\n\s*\n", "\n".join(lines))
    return [normalise(block) for block in blocks if block.strip()]


def lesson_paragraphs(catalog: Catalog, lesson_id: str, lang: str) -> list[str] | None:
    lesson = catalog.lesson(lesson_id)
    if lesson is None:
        return None
    return paragraphs((lesson.folder / f"lesson.{lang}.md").read_text(encoding="utf-8"))


def problems_of(point: Point, catalog: Catalog) -> list[str]:
    """What is missing for ``point``, one line each naming the point, the lesson and the phrase;
    empty when every language has one paragraph holding all of its phrases."""
    if catalog.lesson(point.lesson) is None:
        known = ", ".join(lesson.id for lesson in catalog.lessons)
        return [f"{point.name}: no lesson {point.lesson!r} (lessons: {known})"]
    problems = []
    for lang in LANGUAGES:
        blocks = lesson_paragraphs(catalog, point.lesson, lang) or []
        wanted = point.phrases[lang]
        if any(all(normalise(p) in block for p in wanted) for block in blocks):
            continue
        # Report against the paragraph that holds the most of them.
        best = max(blocks, key=lambda b: sum(normalise(p) in b for p in wanted), default="")
        for phrase in wanted:
            if normalise(phrase) in best:
                continue
            where = (
                "is in the lesson, but not in the same paragraph as the others"
                if any(normalise(phrase) in block for block in blocks)
                else "is nowhere in the lesson"
            )
            file = f"lesson {point.lesson!r}, lesson.{lang}.md"
            problems.append(f"{point.name}: {file}: phrase {phrase!r} {where}")
    return problems


def checklist_labels(curriculum: Path = CURRICULUM) -> list[str]:
    """The label of each bullet of the curriculum's "## Seed checklist" ("VM", "Types", ...)."""
    section = curriculum.read_text(encoding="utf-8").split("## Seed checklist", 1)[1]
    section = section.split("\n## ", 1)[0]
    return [
        m.group(1).strip() for m in re.finditer(r"^- ([^:(\n]+?)\s*(?:\([^)]*\))?:", section, re.M)
    ]


POINTS = load_points()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "lessons")


@pytest.mark.parametrize("point", POINTS, ids=[f"{p.bullet}: {p.claim}" for p in POINTS])
def test_each_point_is_taught_in_one_paragraph_of_each_language(
    point: Point, catalog: Catalog
) -> None:
    problems = problems_of(point, catalog)
    assert not problems, "\n".join(problems)


def test_every_bullet_of_the_checklist_has_points() -> None:
    listed = tomllib.loads(CHECKLIST.read_text(encoding="utf-8")).get("bullets", [])
    if CURRICULUM.is_file():
        labels = checklist_labels()
        assert len(labels) >= 8, f"{CURRICULUM}: expected the 8 bullets, found {labels}"
        assert listed == labels, f"{CHECKLIST.name}: bullets = {listed}, the curriculum: {labels}"
    else:  # no ../shared beside the project: the labels the checklist file lists
        labels = listed
        assert len(labels) >= 8, f"{CHECKLIST.name}: bullets lists {labels}"
    covered = {p.bullet for p in POINTS}
    uncovered = [label for label in labels if label not in covered]
    assert not uncovered, f"checklist bullets with no [[point]] in {CHECKLIST.name}: {uncovered}"
    unknown = sorted(covered - set(labels))
    assert not unknown, f"[[point]] bullet labels that are not checklist bullets: {unknown}"
    assert len(POINTS) >= 30


def test_the_curriculum_labels_are_parsed(tmp_path: Path) -> None:
    path = tmp_path / "curriculum.md"
    path.write_text(
        "## Seed checklist (every line)\n- VM: a machine.\n- Precisely speaking (as notes,\n"
        "  kindly): files.\n- How it works: the hypervisor: partitions.\n\n"
        "## Part I\n- No: this.\n",
        encoding="utf-8",
    )
    assert checklist_labels(path) == ["VM", "Precisely speaking", "How it works"]


def test_a_missing_phrase_is_reported(catalog: Catalog) -> None:
    point = POINTS[0]
    planted = copy.deepcopy(point)
    planted.phrases["zh"].append("这句话不在任何一课里")
    before = problems_of(point, catalog)
    problems = [p for p in problems_of(planted, catalog) if p not in before]
    assert len(problems) == 1, problems
    assert point.claim in problems[0] and repr(point.lesson) in problems[0]
    assert "lesson.zh.md" in problems[0] and "这句话不在任何一课里" in problems[0]
    assert "nowhere" in problems[0]


def test_phrases_split_across_paragraphs_or_an_unknown_lesson_are_reported(
    catalog: Catalog,
) -> None:
    point = next(p for p in POINTS if p.lesson == "how-virtualization-works")
    # Both phrases are in lesson 3's English text, but in different paragraphs.
    split = Point(
        point.bullet,
        point.claim,
        point.lesson,
        {"en": ["runs as a data file", "Services bound to specific hardware."], "zh": ["隔离"]},
    )
    problems = problems_of(split, catalog)
    assert len(problems) == 1 and "not in the same paragraph" in problems[0], problems
    moved = Point(point.bullet, point.claim, "no-such-lesson", point.phrases)
    assert "no lesson 'no-such-lesson'" in problems_of(moved, catalog)[0]


def test_markup_case_and_line_breaks_do_not_matter() -> None:
    blocks = paragraphs("A **Type 2**\nhypervisor `leans`\n\n> - on the\n>   *host OS*\n")
    assert blocks == ["a type 2 hypervisor leans", "- on the host os"]
    assert normalise("ON  the\n*Host* `OS`") in blocks[1]
