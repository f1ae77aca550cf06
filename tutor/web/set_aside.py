"""Exercises taken out of a course in Settings, with the times they had.

Unticking an exercise deleted its assignment, opening and due times with it: ticking it again
brought empty dates, and late work counted on time without a word. An ``Assignment`` row means
"in the course" to every page (gradebook, Submit, exports), so an unticked exercise's times are
kept here instead, shown greyed in its Settings row, and come back when it is ticked again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db
from .models import Course, Submission
from .utc_time import UTCDateTime


class SetAsideTimes(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "set_aside_times"
    __table_args__ = (UniqueConstraint("course_id", "exercise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(100))
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


def kept_times(course: Course) -> dict[str, SetAsideTimes]:
    """The times of every exercise taken out of ``course``, by exercise id."""
    rows = db.session.execute(db.select(SetAsideTimes).filter_by(course_id=course.id)).scalars()
    return {row.exercise_id: row for row in rows}


def keep_times(
    course: Course,
    exercise_id: str,
    opens: datetime | None,
    due: datetime | None,
    kept: dict[str, SetAsideTimes],
) -> None:
    """Keeps an unticked exercise's times (none: nothing to keep); the caller commits."""
    found = kept.get(exercise_id)
    if opens is None and due is None:
        if found is not None:
            db.session.delete(found)
        return
    if found is None:
        found = SetAsideTimes(course_id=course.id, exercise_id=exercise_id)
        db.session.add(found)
        kept[exercise_id] = found
    found.opens_at, found.due_at = opens, due


def submissions_to(course: Course, exercise_id: str) -> int:
    """How many submissions to ``course`` an exercise has: what stops counting in its
    gradebook when the exercise is taken out."""
    return int(
        db.session.scalar(
            db.select(db.func.count())
            .select_from(Submission)
            .where(Submission.course_id == course.id, Submission.exercise_id == exercise_id)
        )
        or 0
    )
