"""A case answered as the reference answers it is judged once per (exercise, seed, variant).

The judge replays a learner's recorded answers on its own model and judges that run (#11). The
replay is deterministic, so the judge keeps the verdict of a case whose answers are the
reference's and gives it to the next learner who answers the same, with that learner's own
printed text; and a right answer's traces are the reference's own lists, checked for the
report's bounds once (#15: together a fifth of the grading server's CPU per submission).
These tests hold it to what replaying every case gave: the same report, program by program.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from tutor.content import load_catalog
from tutor.grading import harness, judge
from tutor.grading.judge import Judge, Reference
from tutor.grading.protocol import Case, RunOutcome
from tutor.grading.report_budget import MAX_TEXT, WithinBounds, fitted_json
from tutor.grading.runner import InProcessRunner

from ..conftest import ROOT

CATALOG = load_catalog(ROOT / "lessons")
SEED = 11


def _reports(grader: Judge, exercise: Any) -> list[str]:
    """Every program of the exercise, twice over: the second round is judged from what the
    first left (and a wrong program's right cases from the solution's)."""
    programs = [exercise.solution, *(w.code for w in exercise.wrong), exercise.starter]
    return [
        fitted_json(grader.grade(exercise, code, SEED, "hidden").to_json()) for code in programs * 2
    ]


@pytest.mark.parametrize("exercise", CATALOG.exercises(), ids=lambda e: e.id)
def test_each_program_gets_the_report_replaying_every_case_gives(
    exercise: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = _reports(Judge(InProcessRunner()), exercise)
    monkeypatch.setattr(Reference, "remember", lambda self, index, answers, verdict: None)
    assert kept == _reports(Judge(InProcessRunner()), exercise)


def _replayed_cases(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    counted: list[int] = []
    real = judge.replay_cases

    def counting(driver: str, recorded: list[Any], budget: int) -> Any:
        counted.append(len(recorded))
        return real(driver, recorded, budget)

    monkeypatch.setattr(judge, "replay_cases", counting)
    return counted


def _replayable() -> Any:
    grader = Judge(InProcessRunner())
    for exercise in CATALOG.exercises():
        cases = exercise.cases(SEED, "hidden")
        if all(o.answers is not None for o in grader.reference(exercise, cases)):
            return exercise
    raise AssertionError("no exercise's reference run can be replayed")


def test_a_right_answer_is_replayed_once_and_each_learner_keeps_their_printed_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exercise = _replayable()
    counted = _replayed_cases(monkeypatch)
    grader = Judge(InProcessRunner())
    first = grader.grade(exercise, exercise.solution + '\nprint("first learner")\n', SEED, "hidden")
    again = grader.grade(
        exercise, exercise.solution + '\nprint("second learner")\n', SEED, "hidden"
    )
    assert first.verdict == again.verdict == "passed"
    assert counted == [len(first.cases)]  # the second submission replayed nothing
    assert all("first learner" in case.stdout for case in first.cases)
    assert all("second learner" in case.stdout for case in again.cases)
    assert not any("first" in case.stdout for case in again.cases)


def test_a_wrong_answer_is_still_replayed(monkeypatch: pytest.MonkeyPatch) -> None:
    exercise = _replayable()
    grader = Judge(InProcessRunner())
    grader.grade(exercise, exercise.solution, SEED, "hidden")
    counted = _replayed_cases(monkeypatch)
    wrong = grader.grade(exercise, exercise.wrong[0].code, SEED, "hidden")
    assert wrong.verdict == "failed"
    assert counted and counted[0] >= wrong.total_count - wrong.passed_count >= 1


def _reference(answers: Any) -> Reference:
    case = Case(name="c", args={}, weight=1.0)
    return Reference([case], [RunOutcome("c", output=1, answers=answers)])


@pytest.mark.parametrize(
    ("reference", "learner"),
    [
        ([{"result": 1}], [{"result": 1.0}]),
        ([{"result": 1}], [{"result": True}]),
        ([{"result": None}], [{"result": math.nan}]),
        ([{"result": None}], [{"result": math.inf}]),
        ([{"result": math.nan}], [{"result": float("nan")}]),
        ([{"result": "a"}], [{"result": "a\udcff"}]),
        ([{"a": 1, "b": 2}], [{"b": 2, "a": 1}]),
        ([[1, 2]], [[2, 1]]),
    ],
)
def test_answers_are_the_reference_s_only_value_for_value_and_type_for_type(
    reference: Any, learner: Any
) -> None:
    assert not _reference(reference).same_answers(0, learner)


def test_answers_read_back_from_the_sandbox_s_json_are_the_reference_s() -> None:
    answers = [{"name": "f", "args": [[{"a": [1, 2.5, None, True]}], {}], "result": "é"}]
    assert _reference(answers).same_answers(0, json.loads(json.dumps(answers)))


def test_a_reference_trace_over_a_bound_is_not_taken_as_checked() -> None:
    long = {"kind": "note", "text": "x" * (MAX_TEXT + 1)}
    short = {"kind": "note", "text": "x"}
    case = Case(name="c", args={}, weight=1.0)
    known = Reference(
        [case, case],
        [RunOutcome("c", output=1, trace=[long]), RunOutcome("c", output=1, trace=[short])],
    )
    assert type(known.outcomes[0].trace) is list
    assert type(known.outcomes[1].trace) is WithinBounds
    result = harness.judge_outcome(
        case, known.outcomes[0], RunOutcome("c", output=1, trace=[dict(long)]), lambda *a: None
    )
    assert result.trace is known.outcomes[0].trace  # the same events: one list
    report = fitted_json({"cases": [{"trace": result.trace}]})
    assert "more characters not shown" in report
