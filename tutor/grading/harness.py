"""Runs learner code against an exercise driver, one fresh module per case.

The same function runs in the browser worker (practice) and in the grader child process (hidden
cases), so both sides see learner code fail in exactly the same way. It only *computes*: it never
knows the expected answers. ``practice()`` adds the comparison for the browser, where the expected
outputs of practice cases are public anyway.
"""

from __future__ import annotations

import io
import traceback
import types
from collections.abc import Callable, Iterable
from contextlib import redirect_stdout
from typing import Any

from tutor.sim import SimError, StepBudget, Trace

from .protocol import JSON, MAX_TRACE_EVENTS, Case, CaseResult, Report, RunOutcome

SUBMISSION = "<submission>"
MAX_STDOUT = 10_000
MAX_PRINTED = 1_000_000


class OutputLimitExceeded(Exception):
    """Printing without end must fail fast, in the browser as on the server."""


class CappedOutput(io.StringIO):
    """Keeps the first ``MAX_STDOUT`` characters and refuses more than ``MAX_PRINTED`` in all."""

    def __init__(self) -> None:
        super().__init__()
        self.printed = 0

    def write(self, text: str) -> int:
        self.printed += len(text)
        if self.printed > MAX_PRINTED:
            raise OutputLimitExceeded(
                f"your code printed more than {MAX_PRINTED // 1_000_000} MB of text; print less"
            )
        room = MAX_STDOUT - self.tell()
        if room > 0:
            super().write(text[:room])
        return len(text)


class SubmissionError(Exception):
    """The code cannot even be loaded (syntax error, error at import time)."""


def compile_submission(code: str) -> types.CodeType:
    try:
        return compile(code, SUBMISSION, "exec")
    except SyntaxError as exc:
        where = f" on line {exc.lineno}" if exc.lineno else ""
        raise SubmissionError(f"SyntaxError{where}: {exc.msg}") from None
    except ValueError as exc:  # e.g. null bytes
        raise SubmissionError(f"the code cannot be compiled: {exc}") from None


def load_module(name: str, source: str | types.CodeType) -> types.ModuleType:
    module = types.ModuleType(name)
    code = source if isinstance(source, types.CodeType) else compile(source, name, "exec")
    exec(code, module.__dict__)
    return module


def describe(exc: BaseException) -> dict[str, JSON]:
    """A learner-readable error: the rule for model errors, the line in their code otherwise."""
    if isinstance(exc, SimError):
        return {"type": type(exc).__name__, "rule": exc.rule, "message": str(exc)}
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == SUBMISSION:
            line = frame.lineno
    where = f" (line {line} of your code)" if line else ""
    return {
        "type": type(exc).__name__,
        "rule": "python",
        "message": f"{type(exc).__name__}: {exc}{where}",
        "line": line,
    }


Driver = types.ModuleType

# Letters from other scripts that look like Latin ones: ``def pаth`` (Cyrillic а) is not ``path``.
CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝАВЕКМНОРСТХІЈЅαοριντυχκΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhlqwABEKMHOPCTXIJSaopivtuxkABEZHIKMNOPTYX",
)


def confusable_hint(exc: AttributeError, submission: types.ModuleType) -> str:
    """Name the definition that only looks like the missing one (mixed scripts)."""
    missing = getattr(exc, "name", None)
    if not isinstance(missing, str):
        return ""
    for name in list(vars(submission)):
        if name != missing and not name.isascii() and name.translate(CONFUSABLES) == missing:
            return (
                f"your code defines {name!r}, which only looks like {missing!r}: it contains "
                "letters from another alphabet (e.g. Cyrillic); retype the name in plain ASCII"
            )
    return ""


def run_cases(
    code: str, driver_source: str, cases: Iterable[Case], step_budget: int
) -> list[RunOutcome]:
    """Run every case; raises ``SubmissionError`` only if the code does not compile."""
    compiled = compile_submission(code)
    driver = load_module("driver", driver_source)
    return [_run_one(compiled, driver, case, step_budget) for case in cases]


def _run_one(compiled: types.CodeType, driver: Driver, case: Case, step_budget: int) -> RunOutcome:
    trace = Trace(StepBudget(step_budget))
    out = CappedOutput()
    outcome = RunOutcome(name=case.name)
    submission = types.ModuleType("submission")
    try:
        with redirect_stdout(out):
            exec(compiled, submission.__dict__)
            outcome.output = driver.run(submission, case.args, trace)
    except RecursionError:
        outcome.error = {
            "type": "RecursionError",
            "rule": "python",
            "message": "RecursionError: your code recursed too deeply (does it ever stop?)",
        }
    except OutputLimitExceeded as exc:
        outcome.error = {"type": "OutputLimitExceeded", "rule": "output", "message": str(exc)}
    except SystemExit:
        outcome.error = {
            "type": "SystemExit",
            "rule": "python",
            "message": "your code called exit() (SystemExit): return a value instead of exiting",
        }
    except AttributeError as exc:
        outcome.error = describe(exc)
        hint = confusable_hint(exc, submission)
        if hint:
            outcome.error["message"] = f"{outcome.error['message']}: {hint}"
    except BaseException as exc:  # KeyboardInterrupt, BaseException: the learner's, not ours
        outcome.error = describe(exc)
    outcome.trace = trace.events[:MAX_TRACE_EVENTS]
    outcome.digest = trace.digest()
    outcome.stdout = out.getvalue()
    return outcome


Compare = Callable[[JSON, JSON, JSON], "str | None"]


def judge_outcome(
    case: Case, expected: RunOutcome, actual: RunOutcome, compare: Compare
) -> CaseResult:
    """Trusted comparison: the learner's outcome against the reference outcome for one case."""
    result = CaseResult(name=case.name, passed=False, weight=case.weight, trace=actual.trace)
    if actual.error is not None:
        result.message = str(actual.error.get("message", "your code failed"))
        result.rule = str(actual.error.get("rule", "python"))
        return result
    try:
        problem = compare(case.args, expected.output, actual.output)
    except Exception as exc:  # a malformed output (wrong type, missing key) is the learner's
        problem = f"your function returned something the checker cannot read: {exc!r}"
    result.passed = problem is None
    result.message = "" if problem is None else str(problem)
    result.rule = "" if problem is None else "answer"
    return result


def practice(code: str, driver_source: str, cases: list[dict[str, Any]], step_budget: int) -> JSON:
    """Browser entry point: run and compare practice cases whose expected outputs are public."""
    parsed = [Case(c["name"], c["args"], float(c.get("weight", 1))) for c in cases]
    try:
        outcomes = run_cases(code, driver_source, parsed, step_budget)
    except SubmissionError as exc:
        return Report.error(str(exc)).to_json()
    driver = load_module("driver", driver_source)
    results = [
        judge_outcome(case, RunOutcome(case.name, output=raw["expected"]), outcome, driver.compare)
        for case, raw, outcome in zip(parsed, cases, outcomes, strict=True)
    ]
    return Report.from_results(results).to_json()
