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

from .limits import Limits
from .protocol import JSON, MAX_TRACE_EVENTS, Case, CaseResult, Report, RunOutcome, bilingual

SUBMISSION = "<submission>"
MAX_STDOUT = 10_000
# What learner code may print per case unless the exercise says otherwise (its ``output_kb``).
MAX_PRINTED = Limits().output_kb * 1024
RECURSION = {
    "en": "RecursionError: your code recursed too deeply (does it ever stop?)",
    "zh": "RecursionError：你的代码递归太深了（它会停下来吗？）",
}
FAILED = {"en": "your code failed", "zh": "你的代码出错了"}


class LearnerError(Exception):
    """An error whose English text is ``str(exc)`` (for logs and tests) and whose Chinese text, for
    the learner's page, is ``exc.zh`` (``None``: the page shows the English)."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh


class OutputLimitExceeded(LearnerError):
    """Printing without end must fail fast, in the browser as on the server."""


class CappedOutput(io.StringIO):
    """Keeps the first ``MAX_STDOUT`` characters and refuses more than ``limit`` in all."""

    def __init__(self, limit: int = MAX_PRINTED) -> None:
        super().__init__()
        self.limit = limit
        self.printed = 0

    def write(self, text: str) -> int:
        self.printed += len(text)
        if self.printed > self.limit:
            kb = self.limit // 1024
            raise OutputLimitExceeded(
                f"your code printed more than {kb} KB of text; print less",
                zh=f"你的代码打印了超过 {kb} KB 的文本；请少打印一些",
            )
        room = MAX_STDOUT - self.tell()
        if room > 0:
            super().write(text[:room])
        return len(text)


class SubmissionError(LearnerError):
    """The code cannot even be loaded (syntax error, error at import time)."""


def compile_submission(code: str) -> types.CodeType:
    try:
        return compile(code, SUBMISSION, "exec")
    except SyntaxError as exc:
        where = f" on line {exc.lineno}" if exc.lineno else ""
        where_zh = f"（第 {exc.lineno} 行）" if exc.lineno else ""
        raise SubmissionError(
            f"SyntaxError{where}: {exc.msg}", zh=f"语法错误 SyntaxError{where_zh}：{exc.msg}"
        ) from None
    except ValueError as exc:  # e.g. null bytes
        raise SubmissionError(
            f"the code cannot be compiled: {exc}", zh=f"代码无法编译：{exc}"
        ) from None


def load_module(name: str, source: str | types.CodeType) -> types.ModuleType:
    module = types.ModuleType(name)
    code = source if isinstance(source, types.CodeType) else compile(source, name, "exec")
    exec(code, module.__dict__)
    return module


def describe(exc: BaseException) -> dict[str, JSON]:
    """A learner-readable error: the rule for model errors, the line in their code otherwise."""
    if isinstance(exc, SimError):
        return {"type": type(exc).__name__, "rule": str(exc.rule), "message": bilingual(exc)}
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == SUBMISSION:
            line = frame.lineno
    where = f" (line {line} of your code)" if line else ""
    where_zh = f"（你的代码第 {line} 行）" if line else ""
    # Python's own error text stays as Python wrote it, in both languages, unless the exception
    # carries a Chinese text of its own (a driver's shape check: ``error.zh = "..."``).
    name = type(exc).__name__
    text = f"{name}: {exc}" if str(exc) else name
    zh = getattr(exc, "zh", None)
    text_zh = f"{name}：{zh}" if isinstance(zh, str) and zh else text
    return {
        "type": name,
        "rule": "python",
        "message": {"en": text + where, "zh": text_zh + where_zh},
        "line": line,
    }


Driver = types.ModuleType

# Letters from other scripts that look like Latin ones: ``def pаth`` (Cyrillic а) is not ``path``.
CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝАВЕКМНОРСТХІЈЅαοριντυχκΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhlqwABEKMHOPCTXIJSaopivtuxkABEZHIKMNOPTYX",
)


def confusable_hint(exc: AttributeError, submission: types.ModuleType) -> dict[str, str] | None:
    """Name the definition that only looks like the missing one (mixed scripts)."""
    missing = getattr(exc, "name", None)
    if not isinstance(missing, str):
        return None
    for name in list(vars(submission)):
        if name != missing and not name.isascii() and name.translate(CONFUSABLES) == missing:
            return {
                "en": f"your code defines {name!r}, which only looks like {missing!r}: it "
                "contains letters from another alphabet (e.g. Cyrillic); retype the name in "
                "plain ASCII",
                "zh": f"你的代码定义的 {name!r} 只是看起来像 {missing!r}：它含有其他字母表的字母"
                "（例如西里尔字母）；请用纯 ASCII 重新输入这个名字",
            }
    return None


def run_cases(
    code: str,
    driver_source: str,
    cases: Iterable[Case],
    step_budget: int,
    max_printed: int = MAX_PRINTED,
) -> list[RunOutcome]:
    """Run every case; raises ``SubmissionError`` only if the code does not compile."""
    compiled = compile_submission(code)
    driver = load_module("driver", driver_source)
    return [_run_one(compiled, driver, case, step_budget, max_printed) for case in cases]


def _run_one(
    compiled: types.CodeType, driver: Driver, case: Case, step_budget: int, max_printed: int
) -> RunOutcome:
    trace = Trace(StepBudget(step_budget))
    out = CappedOutput(max_printed)
    outcome = RunOutcome(name=case.name)
    submission = types.ModuleType("submission")
    try:
        with redirect_stdout(out):
            exec(compiled, submission.__dict__)
            outcome.output = driver.run(submission, case.args, trace)
    except RecursionError:
        outcome.error = {"type": "RecursionError", "rule": "python", "message": {**RECURSION}}
    except OutputLimitExceeded as exc:
        outcome.error = {"type": "OutputLimitExceeded", "rule": "output", "message": bilingual(exc)}
    except SystemExit:
        outcome.error = {
            "type": "SystemExit",
            "rule": "python",
            "message": {
                "en": "your code called exit() (SystemExit): return a value instead of exiting",
                "zh": "你的代码调用了 exit()（SystemExit）：请返回一个值，而不是退出",
            },
        }
    except AttributeError as exc:
        outcome.error = describe(exc)
        hint = confusable_hint(exc, submission)
        if hint:
            message = outcome.error["message"]
            outcome.error["message"] = {
                "en": f"{message['en']}: {hint['en']}",
                "zh": f"{message['zh']}：{hint['zh']}",
            }
    except BaseException as exc:  # KeyboardInterrupt, BaseException: the learner's, not ours
        outcome.error = describe(exc)
    outcome.trace = trace.events[:MAX_TRACE_EVENTS]
    outcome.digest = trace.digest()
    outcome.stdout = out.getvalue()
    return outcome


# compare() returns None (right), or a message: a str (English only) or {"en": ..., "zh": ...}.
Compare = Callable[[JSON, JSON, JSON], "str | dict[str, str] | None"]


def judge_outcome(
    case: Case, expected: RunOutcome, actual: RunOutcome, compare: Compare
) -> CaseResult:
    """Trusted comparison: the learner's outcome against the reference outcome for one case."""
    result = CaseResult(name=case.name, passed=False, weight=case.weight, trace=actual.trace)
    if actual.error is not None:
        result.message = bilingual(actual.error.get("message") or FAILED)
        result.rule = str(actual.error.get("rule", "python"))
        return result
    problem: str | dict[str, str] | None
    try:
        problem = compare(case.args, expected.output, actual.output)
    except Exception as exc:  # a malformed output (wrong type, missing key) is the learner's
        problem = {
            "en": f"your function returned something the checker cannot read: {exc!r}",
            "zh": f"你的函数返回了检查程序无法读取的内容：{exc!r}",
        }
    result.passed = problem is None
    result.message = bilingual(problem)
    result.rule = "" if problem is None else "answer"
    return result


def practice(code: str, driver_source: str, cases: list[dict[str, Any]], step_budget: int) -> JSON:
    """Browser entry point: run and compare practice cases whose expected outputs are public."""
    parsed = [Case(c["name"], c["args"], float(c.get("weight", 1))) for c in cases]
    try:
        outcomes = run_cases(code, driver_source, parsed, step_budget)
    except SubmissionError as exc:
        return Report.error(exc).to_json()
    driver = load_module("driver", driver_source)
    results = [
        judge_outcome(case, RunOutcome(case.name, output=raw["expected"]), outcome, driver.compare)
        for case, raw, outcome in zip(parsed, cases, outcomes, strict=True)
    ]
    return Report.from_results(results).to_json()
