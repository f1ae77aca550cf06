"""The trusted side of grading: it computes the reference results itself and compares.

The learner's code runs elsewhere (a ``Runner``) and hands back only outcomes. The reference
solution and the hidden cases never leave this process, so nothing the learner's process does can
reveal them, and nothing it says about itself is believed.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import threading
import types
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

import orjson

from .harness import (
    NOT_PLAIN,
    Compare,
    SubmissionError,
    check_source,
    judge_outcome,
    load_module,
    replay_cases,
    reported_stdout,
    takes_reveal,
)
from .limits import Limits
from .protocol import JSON, Case, CaseResult, Report, RunOutcome
from .report_budget import WithinBounds, within_bounds
from .runner import GradingLost, InProcessRunner, Runner, RunnerFailure

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


class ReferenceFailure(Exception):
    """The exercise's own reference solution failed (raised, did not compile, or produced an
    output its own ``compare`` rejects) on these cases: the exercise is broken, not the learner's
    code, so no learner may be scored against it. The message is for the operator's log."""


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
    check_source(code)
    return code


REFERENCE_CACHE = 4096


def _answers_text(answers: JSON) -> bytes | None:
    """Answers as text that tells ``1``, ``1.0`` and ``true`` apart (``==`` does not); ``None``
    when orjson cannot write them (then they are never taken for the reference's)."""
    try:
        return orjson.dumps(answers)
    except (orjson.JSONEncodeError, TypeError):
        return None


@dataclass
class Reference:
    """An exercise's cases for one (seed, variant), the reference's outcomes on them, and, per
    case, the judged replay of the reference's own answers once a learner has given them.

    A replay is deterministic: the same answers to the same case leave the same model state,
    so a learner who answers a case as the reference does gets the verdict the first such
    learner got, without replaying the case again. That is every case of a right answer, the
    usual submission; replaying and judging those was a fifth of the grading server's CPU per
    submission (#15)."""

    cases: list[Case]
    outcomes: list[RunOutcome]
    answers: list[bytes | None] = field(init=False)  # each case's, as ``_answers_text``
    judged: list[CaseResult | None] = field(init=False)

    def __post_init__(self) -> None:
        self.answers = [_answers_text(o.answers) for o in self.outcomes]
        self.judged = [None] * len(self.outcomes)
        for outcome in self.outcomes:  # a right answer's report shares these traces
            if within_bounds(outcome.trace):
                outcome.trace = WithinBounds(outcome.trace)

    def same_answers(self, index: int, answers: JSON) -> bool:
        """Whether ``answers`` are the reference's on case ``index``, value for value and type
        for type: orjson's text tells the types apart, ``==`` tells ``NaN`` from ``null``
        (orjson writes both as ``null``)."""
        mine = self.answers[index]
        return (
            mine is not None
            and _answers_text(answers) == mine
            and answers == self.outcomes[index].answers
        )

    def remember(self, index: int, answers: JSON, verdict: CaseResult) -> None:
        """Keeps ``verdict``, the judged replay of ``answers``, if they are the reference's
        (without anyone's printed text)."""
        if self.judged[index] is None and self.same_answers(index, answers):
            self.judged[index] = dataclasses.replace(verdict, stdout="")


@dataclass
class Judge:
    runner: Runner
    # Cases and reference outcomes are deterministic per (exercise, seed, variant): a student
    # who submits again, or a class on the same variant, costs the trusted side nothing more.
    _cache: OrderedDict[tuple[str, ...], Reference] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _computing: dict[tuple[str, ...], threading.Lock] = field(default_factory=dict, repr=False)

    def reference(self, exercise: GradedExercise, cases: list[Case]) -> list[RunOutcome]:
        """The reference solution is ours: it runs here, under the exercise's own limits.

        Raises ``ReferenceFailure`` when it fails on any case."""
        where = f"the reference solution of {exercise.id!r}"
        try:
            outcomes = InProcessRunner().run(
                exercise.solution, exercise.driver, cases, exercise.limits
            )
        except (SubmissionError, RunnerFailure) as exc:
            raise ReferenceFailure(f"{where} cannot run: {exc}") from exc
        compare, _ = _compare_of(exercise.driver)
        for case, outcome in zip(cases, outcomes, strict=True):
            if outcome.error is not None:
                message = outcome.error.get("message")
                text = message.get("en") if isinstance(message, dict) else message
                raise ReferenceFailure(f"{where} fails on case {case.name!r}: {text}")
            try:
                if takes_reveal(compare):
                    problem = compare(case.args, outcome.output, outcome.output, False)
                else:
                    problem = compare(case.args, outcome.output, outcome.output)
            except Exception as exc:
                problem = repr(exc)
            if problem is not None:
                raise ReferenceFailure(
                    f"{where} gives an output on case {case.name!r} that its own compare() "
                    f"rejects: {problem}"
                )
        return outcomes

    def _cases_and_reference(self, exercise: GradedExercise, seed: int, variant: str) -> Reference:
        """The cases and the reference's outcomes on them, cached together per (exercise
        version, seed, variant): making the cases again for every submission was 4–6 % of the
        grading server's CPU per submission (#15). Each key is computed once even when
        several threads ask for it at the same time. The cases are shared by every grading of
        that key, so nothing may change them: no driver changes its ``args``
        (``tests/content/test_case_args_unchanged.py``)."""
        version = (
            getattr(exercise, "version", None)
            or hashlib.sha256(f"{exercise.solution}\x00{exercise.driver}".encode()).hexdigest()
        )
        key = (exercise.id, str(version), str(seed), variant)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                found = self._cache.get(key)
                if found is not None:
                    return found
            try:
                try:
                    cases = exercise.cases(seed, variant)
                except Exception as exc:
                    raise ReferenceFailure(
                        f"the cases of {exercise.id!r} cannot be made: {exc!r}"
                    ) from exc
                made = Reference(cases, self.reference(exercise, cases))
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            with self._lock:
                self._cache[key] = made
                while len(self._cache) > REFERENCE_CACHE:
                    self._cache.popitem(last=False)
        return made

    def grade(self, exercise: GradedExercise, code: object, seed: int, variant: str) -> Report:
        """The learner's report; raises ``ReferenceFailure`` (before running the learner's code)
        when the exercise's reference fails on these cases: that is never the learner's fault."""
        try:
            source = check_code(code)
        except SubmissionError as exc:
            return Report.error(exc)
        known = self._cases_and_reference(exercise, seed, variant)
        cases, expected = known.cases, known.outcomes
        try:
            actual = self.runner.run(source, exercise.driver, cases, exercise.limits)
        except GradingLost:
            raise  # no verdict on the learner's code: the caller records a server error
        except (SubmissionError, RunnerFailure) as exc:
            return Report.error(exc)
        compare, grade_trace = _compare_of(exercise.driver)
        replayable = all(outcome.answers is not None for outcome in expected)
        verdicts: list[CaseResult | None] = (
            _judged_once(known, actual) if replayable else [None] * len(actual)
        )
        judged = actual
        if replayable and None in verdicts:
            judged = replayed(exercise, cases, actual, verdicts)
        results = []
        for i, (case, sent, outcome, verdict) in enumerate(
            zip(cases, actual, judged, verdicts, strict=True)
        ):
            if verdict is None:
                verdict = judge_outcome(
                    case, expected[i], outcome, compare, reveal=False, grade_trace=grade_trace
                )
                if replayable and sent.error is None:
                    known.remember(i, sent.answers, verdict)
            results.append(verdict)
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


def _judged_once(known: Reference, actual: list[RunOutcome]) -> list[CaseResult | None]:
    """Per case, the verdict known already for the learner's answers (the reference's, judged
    before), with their own printed text; ``None`` where the case must be replayed."""
    results: list[CaseResult | None] = []
    for i, outcome in enumerate(actual):
        verdict = known.judged[i]
        if verdict is not None and outcome.error is None and known.same_answers(i, outcome.answers):
            results.append(dataclasses.replace(verdict, stdout=reported_stdout(outcome.stdout)))
        else:
            results.append(None)
    return results


def replayed(
    exercise: GradedExercise,
    cases: list[Case],
    outcomes: list[RunOutcome],
    known: list[CaseResult | None] | None = None,
) -> list[RunOutcome]:
    """The learner's outcomes as this process makes them from their recorded answers (an
    exercise whose reference run could be recorded: its functions take and give plain data).
    What the grading process said about the model is not believed; only its errors are kept (an
    error fails the case whatever it says), and what the learner's code printed. A case with a
    verdict in ``known`` is not replayed (its outcome is returned as it came)."""
    judged: list[RunOutcome] = []
    again: list[tuple[Case, JSON]] = []
    for i, (case, outcome) in enumerate(zip(cases, outcomes, strict=True)):
        if outcome.error is not None or (known is not None and known[i] is not None):
            judged.append(outcome)
        elif outcome.answers is None:  # an answer that is not plain data, as the reference's are
            judged.append(
                RunOutcome(
                    case.name,
                    error={"type": "NotPlainData", "rule": "python", "message": {**NOT_PLAIN}},
                    trace=outcome.trace,
                    stdout=outcome.stdout,
                )
            )
        else:
            judged.append(outcome)
            again.append((case, outcome.answers))
    made = iter(replay_cases(exercise.driver, again, exercise.limits.step_budget))
    for i, outcome in enumerate(judged):
        if outcome.error is None and (known is None or known[i] is None):
            replayed_outcome = next(made)
            replayed_outcome.stdout = outcome.stdout
            judged[i] = replayed_outcome
    return judged


@functools.lru_cache(maxsize=64)
def _compare_of(driver: str) -> tuple[Compare, bool]:
    """The driver's compare() and whether it grades the process too (``GRADE_TRACE``).

    Hidden cases never ``reveal``: their expected values must not reach the learner."""
    module: types.ModuleType = load_module("driver", driver)
    compare: Compare = module.compare
    return compare, bool(getattr(module, "GRADE_TRACE", False))
