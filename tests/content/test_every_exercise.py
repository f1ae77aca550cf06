"""Walks every exercise of every lesson with the check-lessons rules (futurecoder-style)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from tutor.content import load_catalog
from tutor.content.checker import check_exercise
from tutor.content.zh_checks import check_lesson_chinese
from tutor.grading.judge import Judge, ReferenceFailure
from tutor.grading.protocol import Case
from tutor.grading.runner import InProcessRunner

from ..conftest import FIXTURE_LESSONS, ROOT

CATALOG = load_catalog(ROOT / "lessons")


@pytest.mark.parametrize("exercise", CATALOG.exercises(), ids=lambda e: e.id)
def test_exercise_meets_the_authoring_rules(exercise) -> None:  # type: ignore[no-untyped-def]
    assert check_exercise(exercise) == []


@pytest.mark.parametrize("exercise", CATALOG.exercises(), ids=lambda e: e.id)
def test_no_two_cases_a_learner_sees_together_read_alike(exercise) -> None:  # type: ignore[no-untyped-def]
    """A report lists its cases by title: two titled "bad update" do not say which failed."""
    for variant, seeds in (("practice", [0]), ("hidden", range(12))):
        for seed in seeds:
            for lang in ("en", "zh"):
                titles = [case.label()[lang] for case in exercise.cases(seed, variant)]
                assert len(set(titles)) == len(titles), (variant, seed, titles)


@pytest.mark.parametrize("exercise", CATALOG.exercises(), ids=lambda e: e.id)
def test_hidden_variants_differ_by_student_but_not_by_call(exercise) -> None:  # type: ignore[no-untyped-def]
    a1, a2, b = (
        exercise.cases(1, "hidden"),
        exercise.cases(1, "hidden"),
        exercise.cases(2, "hidden"),
    )
    assert a1 == a2
    assert len(a1) >= len(exercise.cases(0, "practice"))
    assert a1 != b or len(a1) == 1


@pytest.mark.parametrize("lesson", CATALOG.lessons, ids=lambda lesson: lesson.id)
def test_lesson_text_meets_the_chinese_rules(lesson) -> None:  # type: ignore[no-untyped-def]
    assert check_lesson_chinese(lesson) == []


# check-lessons is exactly the two tests above (and test_emphasis.py's) over the whole course
# (check_catalog); running the command on the course as well would grade every exercise twice (a
# minute of the suite), so the command itself is run on the fixture lesson: what it reads, prints
# and exits with.
@pytest.mark.parametrize("lessons_dir", [FIXTURE_LESSONS], ids=["fixture"])
def test_check_lessons_command_reports_success(runner: FlaskCliRunner, lessons_dir: Path) -> None:
    fixture = load_catalog(lessons_dir)
    result = runner.invoke(args=["tutor", "check-lessons"])
    assert result.exit_code == 0, result.output
    assert (
        f"{len(fixture.lessons)} lesson(s), {len(fixture.exercises())} exercise(s): all checks pass"
    ) in result.output


def test_checker_catches_a_solution_that_fails() -> None:
    exercise = CATALOG.exercise("io-path")
    assert exercise is not None
    # The io-path driver compares with the model's own path, so a wrong reference is caught.
    broken = type(exercise)(**{**exercise.__dict__, "solution": exercise.starter})
    problems = check_exercise(broken, InProcessRunner())
    assert any("the reference solution fails" in p for p in problems)
    with pytest.raises(ReferenceFailure):  # never a learner's score
        Judge(InProcessRunner()).grade(broken, broken.solution, 0, "practice")


def test_checker_catches_feedback_that_is_only_in_english() -> None:
    exercise = CATALOG.exercise("io-path")
    assert exercise is not None
    english_only = exercise.driver + (
        "\n\n_bilingual_compare = compare\n\n\n"
        "def compare(args, expected, actual):\n"
        "    problem = _bilingual_compare(args, expected, actual)\n"
        "    return None if problem is None else problem['en']\n"
    )
    broken = type(exercise)(**{**exercise.__dict__, "driver": english_only})
    problems = check_exercise(broken, InProcessRunner())
    assert problems and all("only in English" in p for p in problems)
    assert len(problems) == len(exercise.wrong)


def test_checker_catches_a_wrong_program_that_passes_every_practice_case() -> None:
    # A Run is a self-study learner's only check: a misconception it passes is called solved.
    # The fixture's walk without its practice case that skips a layer: keeps_skipped.py (which
    # ignores skip) then passes every practice case, though it still fails the hidden ones.
    exercise = load_catalog(FIXTURE_LESSONS).exercise("walk")
    assert exercise is not None
    assert not any("misconception" in p for p in check_exercise(exercise))
    generate = exercise.generate

    def plain_practice(rng: random.Random, variant: str) -> list[Case]:
        cases = generate(rng, variant)
        return [c for c in cases if "skip" not in c.kinds] if variant == "practice" else cases

    broken = replace(exercise, generate=plain_practice)
    problems = [p for p in check_exercise(broken) if "misconception" in p]
    assert problems == [
        f"{exercise.lesson_id}/walk: wrong/keeps_skipped.py passes every practice case, so a Run "
        "tells a learner who writes this misconception that the exercise is solved; add a "
        "practice case that this misconception fails"
    ]


def test_layer_overhead_replays_the_costs_the_learner_was_graded_on() -> None:
    exercise = CATALOG.exercise("layer-overhead")
    assert exercise is not None
    case = next(c for c in exercise.cases(7, "hidden") if c.args.get("costs"))
    wrong = "def overhead(events, operation):\n    return {}\n"
    report = Judge(InProcessRunner()).grade(exercise, wrong, 7, "hidden")
    replay = next(r for r in report.cases if r.name == case.name).trace
    measured = {
        e["layer"]: e["cycles"] for e in replay if e["kind"] == "layer.enter" and e["dir"] == "down"
    }
    assert all(measured[layer] == cycles for layer, cycles in case.args["costs"].items())
