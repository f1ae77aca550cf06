"""The data that crosses trust boundaries: requests to a runner and what comes back.

Everything here is plain JSON so it can cross a pipe out of a sandbox or the postMessage boundary
of a Web Worker unchanged. A learner's process can only ever produce a ``RunOutcome``; it is the
judge, elsewhere, that turns outcomes into a ``Report``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

JSON = Any
MAX_TRACE_EVENTS = 2_000


@dataclass(frozen=True)
class Case:
    """One input for an exercise's driver; ``args`` are JSON, ``weight`` counts toward the score."""

    name: str
    args: JSON
    weight: float = 1.0


@dataclass
class RunOutcome:
    """What running one case produced: an output, or an error the learner can read."""

    name: str
    output: JSON = None
    error: dict[str, JSON] | None = None
    trace: list[JSON] = field(default_factory=list)
    digest: str = ""
    stdout: str = ""

    def to_json(self) -> dict[str, JSON]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, JSON]) -> RunOutcome:
        return cls(
            name=str(data.get("name", "")),
            output=data.get("output"),
            error=data.get("error"),
            trace=list(data.get("trace") or [])[:MAX_TRACE_EVENTS],
            digest=str(data.get("digest", "")),
            stdout=str(data.get("stdout", ""))[:10_000],
        )


@dataclass
class CaseResult:
    name: str
    passed: bool
    weight: float
    message: str = ""
    rule: str = ""
    trace: list[JSON] = field(default_factory=list)


@dataclass
class Report:
    """The verdict for one submission: ``passed``, ``failed`` or ``error`` (code could not run)."""

    verdict: str
    score: float
    cases: list[CaseResult]
    message: str = ""
    # The first failing case in generation order (generators list cases small → large, so this
    # is the smallest), the rule it broke, and its trace for the page to animate.
    failing_case: str = ""
    rule: str = ""
    trace: list[JSON] = field(default_factory=list)

    def to_json(self) -> dict[str, JSON]:
        return asdict(self)

    @classmethod
    def from_results(cls, results: list[CaseResult]) -> Report:
        total = sum(r.weight for r in results) or 1.0
        score = round(100 * sum(r.weight for r in results if r.passed) / total, 2)
        verdict = "passed" if results and all(r.passed for r in results) else "failed"
        failing = next((r for r in results if not r.passed), None)
        if failing is None:
            return cls(verdict=verdict, score=score, cases=results, message="All cases pass.")
        return cls(
            verdict=verdict,
            score=score,
            cases=results,
            message=failing.message,
            failing_case=failing.name,
            rule=failing.rule,
            trace=failing.trace,
        )

    @classmethod
    def error(cls, message: str) -> Report:
        return cls(verdict="error", score=0.0, cases=[], message=message)
