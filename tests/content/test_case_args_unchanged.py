"""No exercise's driver changes the cases it is given.

The judge makes an exercise's hidden cases once per (exercise version, seed, variant) and grades
every later submission of that learner on the same objects (#15: making them again was 4–6 %
of the grading server's CPU per submission). A driver whose ``run`` or ``compare``
changed ``args`` (a ``pop``, an ``append``, a counter moved on) would hand the next submission
different cases from the reference's, and grade it wrongly. So every exercise is graded with its
reference, its ``wrong/`` programs and its starter, and its cached cases must read as freshly
made ones afterwards.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from tutor.content import load_catalog
from tutor.grading.judge import Judge
from tutor.grading.limits import Limits
from tutor.grading.protocol import Case
from tutor.grading.runner import InProcessRunner

from ..conftest import ROOT

CATALOG = load_catalog(ROOT / "lessons")
SEED = 7


def _args(cases: list[Case]) -> str:
    return json.dumps([case.args for case in cases], sort_keys=True)


def changed_by_grading(exercise: Any, programs: list[str]) -> list[str]:
    judge = Judge(InProcessRunner())
    fresh = _args(exercise.cases(SEED, "hidden"))
    problems = []
    for number, code in enumerate(programs):
        judge.grade(exercise, code, SEED, "hidden")
        held = judge._cases_and_reference(exercise, SEED, "hidden").cases  # the next one gets these
        if _args(held) != fresh:
            problems.append(f"grading program {number} changed the cases' args")
    return problems


@pytest.mark.parametrize("exercise", CATALOG.exercises(), ids=lambda e: e.id)
def test_grading_leaves_the_cases_as_they_were_made(exercise: Any) -> None:
    programs = [exercise.solution, *(w.code for w in exercise.wrong), exercise.starter]
    assert changed_by_grading(exercise, programs) == []


CHANGING_DRIVER = """
ENTRY_POINTS = {"answer": "answer(n)"}  # as the lesson loader adds it from the starter

def run(submission, args, trace):
    args["seen"].append(len(args["seen"]))  # the case grows with every grading
    return submission.answer(len(args["seen"]))

def compare(args, expected, actual):
    return None if expected == actual else "not the reference's answer"
"""


@dataclass
class Changing:
    id: str = "changing"
    solution: str = "def answer(n):\n    return n\n"
    driver: str = CHANGING_DRIVER
    limits: Limits = field(default_factory=Limits)
    wrong: tuple[()] = ()
    starter: str = "def answer(n):\n    return 0\n"

    def cases(self, seed: int, variant: str) -> list[Case]:
        return [Case("one", {"seen": []})]


def test_the_check_catches_a_driver_that_changes_its_cases() -> None:
    exercise = Changing()
    assert changed_by_grading(exercise, [exercise.solution]) != []
