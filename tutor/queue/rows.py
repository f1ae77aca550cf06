"""The submission row's transitions, each one atomic (a conditional UPDATE), so two workers, a
sweeper and a re-grade can race without ever giving one submission two verdicts.

``pending`` → ``grading`` (claim: only one claimer wins) → ``graded`` (record: only while the
claim, identified by its attempt number, still holds) — or back to ``pending`` (release: an
internal error, retried later) — or ``error`` (give up after the last attempt: the server could
not grade it, never the learner's fault; an exercise that no longer exists also ends here).
Plain ``UPDATE … WHERE status = …`` works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, update

from tutor.web.extensions import db
from tutor.web.models import Submission

SEED_SPAN = 1 << 64


def stored_seed(seed: int) -> int:
    """A 64-bit variant seed as a signed 64-bit column holds it (SQLite INTEGER, BIGINT)."""
    return seed - SEED_SPAN if seed >= SEED_SPAN // 2 else seed


def seed_of(stored: int) -> int:
    return stored % SEED_SPAN


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Claim:
    submission_id: int
    attempt: int


@dataclass(frozen=True)
class ClaimedRow:
    """A claim and what grading reads from the row, returned by the claiming UPDATE itself."""

    claim: Claim
    exercise_id: str
    code: str
    variant_seed: int


def claim(submission_id: int) -> Claim | None:
    """Take a pending submission for grading; ``None`` if it is not pending (already claimed by
    another worker, graded, or a duplicate message)."""
    claimed = claim_row(submission_id)
    return None if claimed is None else claimed.claim


def claim_row(submission_id: int, below_attempts: int | None = None) -> ClaimedRow | None:
    """``claim``, and the row's exercise, code and seed, in one statement (``UPDATE …
    RETURNING``: SQLite ≥ 3.35, PostgreSQL): no reads before or after it. With
    ``below_attempts`` only a row that has used fewer attempts is taken (the caller gives up
    on the others)."""
    condition = and_(Submission.id == submission_id, Submission.status == "pending")
    if below_attempts is not None:
        condition = and_(condition, Submission.attempts < below_attempts)
    found = db.session.execute(
        update(Submission)
        .where(condition)
        .values(status="grading", attempts=Submission.attempts + 1, started_at=now())
        .returning(
            Submission.attempts,
            Submission.exercise_id,
            Submission.code,
            Submission.variant_seed,
        )
        .execution_options(synchronize_session=False)
    ).one_or_none()
    db.session.commit()
    if found is None:
        return None
    attempts, exercise_id, code, seed = found
    return ClaimedRow(Claim(submission_id, int(attempts)), exercise_id, code, int(seed or 0))


def _held(claim: Claim) -> object:
    return and_(
        Submission.id == claim.submission_id,
        Submission.status == "grading",
        Submission.attempts == claim.attempt,
    )


def record(
    claim: Claim, status: str, score: float | None, report_json: str, **extra: object
) -> bool:
    """Store the verdict if the claim still holds; ``False`` if the sweeper gave the job away
    meanwhile (the other attempt's verdict is the one that counts)."""
    result = db.session.execute(
        update(Submission)
        .where(_held(claim))  # type: ignore[arg-type]
        .values(status=status, score=score, report_json=report_json, graded_at=now(), **extra)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def release(claim: Claim) -> bool:
    """Give the submission back (an internal error): pending again, to be retried."""
    result = db.session.execute(
        update(Submission)
        .where(_held(claim))  # type: ignore[arg-type]
        .values(status="pending", started_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def give_up(submission_id: int, status: str, report_json: str) -> bool:
    """``error`` (internal): the last attempt is used up. Only from the state the caller saw."""
    result = db.session.execute(
        update(Submission)
        .where(and_(Submission.id == submission_id, Submission.status == status))
        .values(status="error", score=None, report_json=report_json, graded_at=now())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def requeue_abandoned(submission_id: int, attempt: int, started_at: datetime) -> bool:
    """A claim whose worker died (``grading`` for too long): back to ``pending``."""
    result = db.session.execute(
        update(Submission)
        .where(
            and_(
                Submission.id == submission_id,
                Submission.status == "grading",
                Submission.attempts == attempt,
                Submission.started_at == started_at,
            )
        )
        .values(status="pending", started_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
