"""The trusted side of grading: it computes the reference results itself and compares.

The learner's code runs elsewhere (a ``Runner``) and hands back only outcomes. The reference
solution and the hidden cases never leave this process, so nothing the learner's process does can
reveal them, and nothing it says about itself is believed.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import types
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

from .harness import Compare, SubmissionError, judge_outcome, load_module
from .limits import Limits
from .protocol import JSON, Case, Report, RunOutcome
from .runner import InProcessRunner, Runner, RunnerFailure

MAX_CODE_BYTES = 200_000
PRACTICE_SEED = 0


class GradedExercise(Protocol):
    id: str
    solution: str
    driver: str
    limits: Limits

    def cases(self, seed: int, variant: str) -> list[Case]: ...


def variant_seed(course: str, student: str, exercise_id: str) -> int:
    """Same student, same variant every time; two students, different variants."""
    digest = hashlib.sha256(f"{course}\x00{student}\x00{exercise_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def check_code(code: object) -> str:
    """Reject what cannot be a Python program before it costs a process."""
    if not isinstance(code, str):
        raise SubmissionError("the code must be text", zh="代码必须是文本")
    try:
        code.encode("utf-8")
    except UnicodeEncodeError:
        raise SubmissionError(
            "the code is not valid UTF-8 text (it holds unpaired surrogate characters); "
            "save it as UTF-8 and submit again",
            zh="代码不是有效的 UTF-8 文本（含有不成对的代理字符）；请以 UTF-8 保存后重新提交",
        ) from None
    if len(code.encode("utf-8", "surrogatepass")) > MAX_CODE_BYTES:
        kb = MAX_CODE_BYTES // 1000
        raise SubmissionError(f"the code is larger than {kb} KB", zh=f"代码超过了 {kb} KB")
    if not code.strip():
        raise SubmissionError(
            "the code is empty: write your function first", zh="代码是空的：请先编写你的函数"
        )
    return code


REFERENCE_CACHE = 4096


@dataclass
class Judge:
    runner: Runner
    # Reference outcomes are deterministic per (exercise, seed, variant): a student who submits
    # again, or a class on the same variant, costs the trusted side nothing more.
    _cache: OrderedDict[tuple[str, ...], list[RunOutcome]] = field(
        default_factory=OrderedDict, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def reference(self, exercise: GradedExercise, cases: list[Case]) -> list[RunOutcome]:
        """The reference solution is ours: it runs here, under the exercise's own limits."""
        return InProcessRunner().run(exercise.solution, exercise.driver, cases, exercise.limits)

    def _reference_for(
        self, exercise: GradedExercise, seed: int, variant: str, cases: list[Case]
    ) -> list[RunOutcome]:
        key = (exercise.id, str(seed), variant, exercise.solution, exercise.driver)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        outcomes = self.reference(exercise, cases)
        with self._lock:
            self._cache[key] = outcomes
            while len(self._cache) > REFERENCE_CACHE:
                self._cache.popitem(last=False)
        return outcomes

    def grade(self, exercise: GradedExercise, code: object, seed: int, variant: str) -> Report:
        try:
            source = check_code(code)
            cases = exercise.cases(seed, variant)
            actual = self.runner.run(source, exercise.driver, cases, exercise.limits)
        except (SubmissionError, RunnerFailure) as exc:
            return Report.error(exc)
        expected = self._reference_for(exercise, seed, variant, cases)
        compare, grade_trace = _compare_of(exercise.driver)
        results = [
            judge_outcome(case, exp, act, compare, reveal=False, grade_trace=grade_trace)
            for case, exp, act in zip(cases, expected, actual, strict=True)
        ]
        return Report.from_results(results, scope="hidden")

    def practice_payload(self, exercise: GradedExercise) -> list[dict[str, JSON]]:
        """Practice cases with their expected outputs, for grading in the browser."""
        cases = exercise.cases(PRACTICE_SEED, "practice")
        return [
            {
                "name": c.name,
                "title": c.label(),
                "args": c.args,
                "weight": c.weight,
                "expected": o.output,
                "expected_trace": o.trace,
            }
            for c, o in zip(cases, self.reference(exercise, cases), strict=True)
        ]


@functools.lru_cache(maxsize=64)
def _compare_of(driver: str) -> tuple[Compare, bool]:
    """The driver's compare() and whether it grades the process too (``GRADE_TRACE``).

    Hidden cases never ``reveal``: their expected values must not reach the learner."""
    module: types.ModuleType = load_module("driver", driver)
    compare: Compare = module.compare
    return compare, bool(getattr(module, "GRADE_TRACE", False))
