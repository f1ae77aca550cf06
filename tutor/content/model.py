"""Typed lessons and exercises. Text is keyed by language code ("en", "zh")."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.grading.limits import Limits
from tutor.grading.protocol import Case

from .glossary import BUILTIN_GLOSSARY

LANGUAGES = ("en", "zh")
Text = dict[str, str]


@dataclass(frozen=True)
class WrongProgram:
    """A known wrong answer and the words its feedback must contain."""

    path: Path
    code: str
    expect: str


@dataclass
class Exercise:
    id: str
    lesson_id: str
    folder: Path
    title: Text
    prompt_html: Text
    starter: str
    solution: str
    driver: str
    generate: Callable[[random.Random, str], list[Case]]
    hints: dict[str, list[str]]
    limits: Limits
    wrong: list[WrongProgram] = field(default_factory=list)
    # Ways to pass without solving (a lookup table, the model's own answer): they must fail.
    shortcuts: list[WrongProgram] = field(default_factory=list)
    # starter.zh.py: the same code with Chinese docstrings and comments; "" when there is none.
    starter_zh: str = ""
    # The content hash of this exercise in the lesson build (tutor.content.build): what a
    # submission records as ``exercise_version``; "" until a build has been computed.
    version: str = ""

    @property
    def starters(self) -> Text:
        """The starter each language's page shows (and Reset restores)."""
        return {"en": self.starter, "zh": self.starter_zh or self.starter}

    def cases(self, seed: int, variant: str) -> list[Case]:
        """Practice cases use a fixed seed; hidden ones a seed per (course, student, exercise)."""
        return self.generate(random.Random(seed), variant)


@dataclass(frozen=True)
class CheckQuestion:
    question: Text
    options: dict[str, list[str]]
    answer: int
    explain: Text


@dataclass
class Lesson:
    id: str
    order: int
    part: int
    folder: Path
    title: Text
    summary: Text
    body_html: Text
    animation: str
    exercises: list[Exercise]
    checks: list[CheckQuestion]
    # What the learner will be able to do, and about how long the lesson takes (the outline).
    goals: dict[str, list[str]] = field(default_factory=dict)
    minutes: int = 0

    @property
    def slug(self) -> str:
        return self.id


@dataclass
class Catalog:
    lessons: list[Lesson]
    # The glossary these lessons are checked against and /glossary lists (glossary_path).
    glossary: Path = BUILTIN_GLOSSARY

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    # Exercises by id, made on first use: every Submit looks its exercise up, several times.
    _by_id: dict[str, Exercise] = field(default_factory=dict, init=False, repr=False, compare=False)

    def exercise(self, exercise_id: str) -> Exercise | None:
        found = self._by_id.get(exercise_id)
        if found is None:  # (not indexed yet, or not an exercise: looked for in the lessons)
            self._by_id.update((e.id, e) for e in self.exercises())
            found = self._by_id.get(exercise_id)
        return found

    def neighbours(self, lesson_id: str) -> tuple[Lesson | None, Lesson | None]:
        """The lessons before and after one, in course order (for previous/next links)."""
        ids = [lesson.id for lesson in self.lessons]
        if lesson_id not in ids:
            return None, None
        at = ids.index(lesson_id)
        before = self.lessons[at - 1] if at > 0 else None
        after = self.lessons[at + 1] if at + 1 < len(self.lessons) else None
        return before, after

    def exercises(self) -> list[Exercise]:
        return [e for lesson in self.lessons for e in lesson.exercises]

    def outline(self) -> list[dict[str, Any]]:
        return [
            {
                "id": lesson.id,
                "order": lesson.order,
                "title": lesson.title,
                "exercises": [e.id for e in lesson.exercises],
            }
            for lesson in self.lessons
        ]
