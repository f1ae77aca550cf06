"""One submission per click, even when the click arrives twice.

The page disables Submit while grading, but a browser without JavaScript (or a double-tap that
lands before the button is disabled) can still send the same form twice. A second copy of the
same code from the same learner, a moment after the first, is answered with the first
submission instead of being stored and graded again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .extensions import db
from .models import Submission

# A double click or a resent form arrives within this; a deliberate resubmission comes later.
DUPLICATE_WINDOW = timedelta(seconds=5)
# How long a duplicate waits for the first copy's verdict before showing it as still pending.
VERDICT_WAIT_SECONDS = 10.0


def _utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def recent_duplicate(exercise_id: str, learner: str, code: str) -> Submission | None:
    """The learner's latest submission of this exercise, if it holds the same code and is new."""
    latest: Submission | None = db.session.execute(
        db.select(Submission)
        .filter_by(learner=learner, exercise_id=exercise_id)
        .order_by(Submission.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if latest is None or latest.code != code:
        return None
    if datetime.now(UTC) - _utc(latest.created_at) > DUPLICATE_WINDOW:
        return None
    return latest
