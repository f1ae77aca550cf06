"""The trusted side of grading under a worker's threads: references computed concurrently keep
their own output and leave the process's stdout alone, and a broken reference is never blamed on
the learner."""

from __future__ import annotations

import io
import sys
import threading
from dataclasses import dataclass, field

import pytest

from tutor.grading.harness import run_cases
from tutor.grading.judge import Judge, ReferenceFailure
from tutor.grading.limits import Limits
from tutor.grading.protocol import Case
from tutor.grading.runner import InProcessRunner

DRIVER = """
def run(submission, args, trace):
    return submission.answer(args["n"])

def compare(args, expected, actual):
    return None if expected == actual else f"expected {expected}, got {actual}"
"""
# Prints 20 KB per run, slowly enough that runs in different threads overlap: 8 threads x 20
# runs is far past one run's 256 KB cap, so a stdout left pointing at one run's capture fails.
PRINTING = """
def answer(n):
    for _ in range(400):
        print("{marker}" * 50)
    return n * 2
"""


def test_concurrent_runs_keep_their_own_output_and_the_process_stdout() -> None:
    before = io.StringIO()
    real = sys.stdout
    sys.stdout = before
    problems: list[str] = []
    try:

        def worker(marker: str) -> None:
            code = PRINTING.replace("{marker}", marker)
            for i in range(20):
                (outcome,) = run_cases(code, DRIVER, [Case("c", {"n": i})], 100_000)
                if outcome.error is not None or outcome.output != i * 2:
                    problems.append(f"{marker}: {outcome.error or outcome.output}")
                elif set(outcome.stdout.replace("\n", "")) != {marker}:
                    problems.append(f"{marker} saw another run's output")

        threads = [threading.Thread(target=worker, args=(chr(ord("A") + t),)) for t in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # The process prints where it printed before: not into a run's (dead, capped) buffer.
        for _ in range(300):
            print("x" * 1000)
        sys.stdout.flush()
    finally:
        sys.stdout = real
    assert problems == []
    assert before.getvalue().count("x" * 1000) == 300


def test_code_that_replaces_stdout_does_not_keep_it() -> None:
    code = "import sys, io\nsys.stdout = io.StringIO()\ndef answer(n):\n    return n\n"
    (first,) = run_cases(code, DRIVER, [Case("c", {"n": 1})], 1000)
    (second,) = run_cases(PRINTING.replace("{marker}", "Z"), DRIVER, [Case("c", {"n": 1})], 1000)
    assert first.output == 1 and second.stdout.startswith("Z" * 50)


@dataclass
class BrokenExercise:
    """An exercise whose reference solution fails on one hidden case (an unlucky seed)."""

    solution: str
    id: str = "broken"
    driver: str = DRIVER
    limits: Limits = field(default_factory=Limits)

    def cases(self, seed: int, variant: str) -> list[Case]:
        return [Case("small", {"n": 2}), Case("unlucky", {"n": 0})]


CORRECT = "def answer(n):\n    return 10 // n if n else 0\n"


@pytest.mark.parametrize(
    "solution",
    [
        "def answer(n):\n    return 10 // n\n",  # raises on the unlucky case
        "def answer(n):\n    return {1, 2}\n",  # not plain data: cannot reach a grading process
        "def answer(n):\n    return 10 // n if n else float('nan')\n",  # its own compare rejects
        "def answer(n:\n",  # does not compile
    ],
)
def test_a_failing_reference_is_an_internal_error_not_the_learners(solution: str) -> None:
    exercise = BrokenExercise(solution)
    judge = Judge(InProcessRunner())
    with pytest.raises(ReferenceFailure, match="reference solution of 'broken'"):
        judge.grade(exercise, CORRECT, 1, "hidden")


def test_a_working_reference_still_grades() -> None:
    exercise = BrokenExercise(CORRECT)
    report = Judge(InProcessRunner()).grade(exercise, CORRECT, 1, "hidden")
    assert report.verdict == "passed"
    wrong = Judge(InProcessRunner()).grade(exercise, "def answer(n):\n    return n\n", 1, "hidden")
    assert wrong.verdict == "failed"


def test_references_are_computed_once_per_key_across_threads() -> None:
    calls: list[int] = []

    class CountingJudge(Judge):
        def reference(self, exercise, cases):  # type: ignore[no-untyped-def]
            calls.append(1)
            return super().reference(exercise, cases)

    judge = CountingJudge(InProcessRunner())
    exercise = BrokenExercise(CORRECT)
    threads = [
        threading.Thread(target=judge.grade, args=(exercise, CORRECT, 7, "hidden"))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
