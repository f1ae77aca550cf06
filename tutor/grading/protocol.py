"""The data that crosses trust boundaries: requests to a runner and what comes back.

Everything here is plain JSON so it can cross a pipe out of a sandbox or the postMessage boundary
of a Web Worker unchanged. A learner's process can only ever produce a ``RunOutcome``; it is the
judge, elsewhere, that turns outcomes into a ``Report``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

JSON = Any
MAX_TRACE_EVENTS = 2_000


def bilingual(message: object) -> dict[str, str]:
    """A learner-facing message in both languages: ``{"en": ..., "zh": ...}``.

    Takes such a dict (a missing or empty ``zh`` falls back to English), a plain string (English
    only), ``None`` (no message), or an exception, whose ``str()`` is the English text and whose
    optional ``zh`` attribute the Chinese one (``SimError``, ``SubmissionError``, ...).
    """
    if isinstance(message, dict):
        en, zh = message.get("en") or message.get("zh") or "", message.get("zh")
    elif isinstance(message, BaseException):
        en, zh = str(message), getattr(message, "zh", None)
    else:
        en, zh = ("" if message is None else message), None
    en = str(en)
    return {"en": en, "zh": str(zh) if zh else en}


def no_message() -> dict[str, str]:
    return bilingual(None)


@dataclass(frozen=True)
class Case:
    """One input for an exercise's driver; ``args`` are JSON, ``weight`` counts toward the score.

    ``kinds`` name what the case exercises (an operation, a hypervisor kind, an exit reason) so the
    checker can prove the practice cases cover every kind the hidden ones test; ``title`` is the
    case's name for the learner in both languages. Neither crosses into the learner's process.
    """

    name: str
    args: JSON
    weight: float = 1.0
    kinds: tuple[str, ...] = ()
    title: dict[str, str] | None = None

    def label(self) -> dict[str, str]:
        return bilingual(self.title or self.name)


@dataclass
class RunOutcome:
    """What running one case produced: an output, or an error the learner can read."""

    name: str
    output: JSON = None
    error: dict[str, JSON] | None = None
    trace: list[JSON] = field(default_factory=list)
    digest: str = ""
    stdout: str = ""
    # What the learner's functions answered, call by call (``tutor.grading.transcript``), for
    # the judge to replay; ``None`` when they took or gave something that is not plain data.
    answers: JSON = None

    def to_json(self) -> dict[str, JSON]:
        return _shallow(self)

    @classmethod
    def from_json(cls, data: dict[str, JSON]) -> RunOutcome:
        return cls(
            name=str(data.get("name", "")),
            output=data.get("output"),
            error=data.get("error"),
            trace=list(data.get("trace") or [])[:MAX_TRACE_EVENTS],
            digest=str(data.get("digest", "")),
            stdout=str(data.get("stdout", ""))[:10_000],
            answers=data.get("answers"),
        )


# What a report keeps of learner-controlled text per case: enough to debug, never megabytes.
MAX_REPORTED_STDOUT = 4_000
MAX_REPORTED_OUTPUT = 4_000


@dataclass
class CaseResult:
    """One case's verdict, with what the page needs to show *why*: the learner's printed text,
    the state their code left (``output``, the thing graded), and ``departure``, the index of the
    first trace event where their run left the reference run (``None``: it never did)."""

    name: str
    passed: bool
    weight: float
    message: dict[str, str] = field(default_factory=no_message)
    rule: str = ""
    trace: list[JSON] = field(default_factory=list)
    title: dict[str, str] = field(default_factory=no_message)
    stdout: str = ""
    output: JSON = None
    departure: int | None = None


@dataclass
class Problem:
    """One distinct failure and every case that shows it, so nine cases failing the same way
    read as one message, not nine (the first case's words: ``problem_kind``)."""

    message: dict[str, str]
    rule: str
    cases: list[str]


@dataclass
class Report:
    """The verdict for one submission: ``passed``, ``failed`` or ``error`` (code could not run).

    ``scope`` says what was checked — ``practice`` (the public cases, in the browser) or
    ``hidden`` (the learner's own cases, on the server) — so no verdict claims more than that.
    """

    verdict: str
    score: float
    cases: list[CaseResult]
    message: dict[str, str] = field(default_factory=no_message)
    # The first failing case in generation order (generators list cases small → large, so this
    # is the smallest), the rule it broke, and its trace for the page to animate.
    failing_case: str = ""
    rule: str = ""
    trace: list[JSON] = field(default_factory=list)
    scope: str = "hidden"
    passed_count: int = 0
    total_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    failing_title: dict[str, str] = field(default_factory=no_message)

    def to_json(self) -> dict[str, JSON]:
        """The report as JSON data, sharing this report's lists and dicts (``dataclasses.asdict``
        deep-copied every trace event: ≈ 4 ms of a vcpu-run-loop Submit, #15). The failing
        case's trace goes once, in its case (``failing_case`` names it), not again at the top."""
        data = _shallow(self)
        del data["trace"]
        data["cases"] = [_shallow(case) for case in self.cases]
        data["problems"] = [_shallow(problem) for problem in self.problems]
        return data

    @classmethod
    def from_results(cls, results: list[CaseResult], scope: str = "hidden") -> Report:
        total = sum(r.weight for r in results) or 1.0
        score = round(100 * sum(r.weight for r in results if r.passed) / total, 2)
        verdict = "passed" if results and all(r.passed for r in results) else "failed"
        report = cls(
            verdict=verdict,
            score=score,
            cases=results,
            message=bilingual({"en": "All cases pass.", "zh": "所有用例都通过。"}),
            scope=scope,
            passed_count=sum(1 for r in results if r.passed),
            total_count=len(results),
        )
        failing = next((r for r in results if not r.passed), None)
        if failing is not None:
            report.message = failing.message
            report.failing_case = failing.name
            report.failing_title = failing.title
            report.rule = failing.rule
            report.trace = failing.trace
            report.problems = _distinct_problems(results)
        return report

    @classmethod
    def error(cls, message: object, scope: str = "hidden") -> Report:
        """``message``: anything ``bilingual`` takes (str, {"en", "zh"} or an exception)."""
        return cls(verdict="error", score=0.0, cases=[], message=bilingual(message), scope=scope)


def _shallow(record: RunOutcome | CaseResult | Problem | Report) -> dict[str, JSON]:
    """A dataclass's fields as a dict, values shared (they are JSON data already)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


# What differs between cases that fail the same way: numbers ("memory_pages = 56", "host-3") and
# quoted names ('web'). An apostrophe inside a word ("the guest's") is not a quote.
_CASE_PARTICULARS = re.compile(
    r"“[^”\n]{0,80}”|(?<!\w)'[^'\n]{0,80}'(?!\w)|\"[^\"\n]{0,80}\"|\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?"
)


def problem_kind(message: str) -> str:
    """One failure whatever the case's own numbers and names: each learner's hidden cases have
    their own, so grouping by the exact words made every case, and every student, a problem of
    its own (the course dashboard's "rules students break most" counted 1 student per row)."""
    return _CASE_PARTICULARS.sub("…", message)


def _distinct_problems(results: list[CaseResult]) -> list[Problem]:
    problems: dict[tuple[str, str], Problem] = {}
    for result in results:
        if result.passed:
            continue
        key = (problem_kind(result.message["en"]), result.rule)
        if key not in problems:
            problems[key] = Problem(message=result.message, rule=result.rule, cases=[])
        problems[key].cases.append(result.name)
    return list(problems.values())
