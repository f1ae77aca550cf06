"""What a tester found missing or wrong in the course's text, checked for every lesson and
exercise it can apply to: the outline, the names of Python values, what a prompt must state."""

from __future__ import annotations

import re

import pytest

from tutor.content import load_catalog

from ..conftest import ROOT

COURSE = load_catalog(ROOT / "lessons")


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_every_lesson_shows_its_minutes_and_goals_in_the_outline(lesson) -> None:  # type: ignore[no-untyped-def]
    assert lesson.minutes > 0
    assert lesson.goals.get("en") and len(lesson.goals["en"]) == len(lesson.goals.get("zh", []))


def _exercise_texts(exercise) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    texts = [
        (f"hints.{lang}[{i}]", h) for lang, hs in exercise.hints.items() for i, h in enumerate(hs)
    ]
    for lang in ("en", "zh"):
        path = exercise.folder / f"prompt.{lang}.md"
        texts.append((path.name, path.read_text(encoding="utf-8")))
    return texts


@pytest.mark.parametrize("exercise", COURSE.exercises(), ids=lambda e: e.id)
def test_exercise_text_names_python_values_as_python_does(exercise) -> None:  # type: ignore[no-untyped-def]
    """The learner writes Python: a salt is None, not JSON's null."""
    found = [where for where, text in _exercise_texts(exercise) if re.search(r"\bnull\b", text)]
    assert found == []


def _prompt(exercise_id: str, lang: str) -> str:
    exercise = COURSE.exercise(exercise_id)
    assert exercise is not None
    return " ".join((exercise.folder / f"prompt.{lang}.md").read_text(encoding="utf-8").split())


def test_trap_handler_prompt_says_what_getmode_writes() -> None:
    # The model encodes the mode as 1 (supervisor) and 0 (user); not only a hint may say so.
    assert "1 for supervisor mode and 0 for user mode" in _prompt("trap-handler", "en")
    assert "特权态为 1，用户态为 0" in _prompt("trap-handler", "zh")


def test_overload_relief_prompt_states_the_models_rule() -> None:
    en, zh = _prompt("overload-relief", "en"), _prompt("overload-relief", "zh")
    assert "the fewest pages (ties: by name)" in en and "the first host in the list" in en
    assert "页数最少" in zh and "列表中第一台" in zh
    assert "不能多于模型自己的规则" not in zh  # pages compared with a rule: machine-like
