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
    message: dict[str, str] = field(default_factory=no_message)
    rule: str = ""
    trace: list[JSON] = field(default_factory=list)


@dataclass
class Report:
    """The verdict for one submission: ``passed``, ``failed`` or ``error`` (code could not run)."""

    verdict: str
    score: float
    cases: list[CaseResult]
    message: dict[str, str] = field(default_factory=no_message)
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
            message = bilingual({"en": "All cases pass.", "zh": "所有用例都通过。"})
            return cls(verdict=verdict, score=score, cases=results, message=message)
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
    def error(cls, message: object) -> Report:
        """``message``: anything ``bilingual`` takes (str, {"en", "zh"} or an exception)."""
        return cls(verdict="error", score=0.0, cases=[], message=bilingual(message))
