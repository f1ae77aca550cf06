"""Where each student of a course stands on each of its exercises: the gradebook's numbers.

A cell is one student on one exercise: the best score as the course counts it (the late policy
applied to each submission, see ``schedule.counted``), how many times they submitted, whether
the submission that gave that score was late and by how many days, and when they last tried.
Only submissions stored under the course count (a student's self-study does not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Index

from .accounts import User
from .extensions import db
from .models import Course, Submission
from .schedule import Assignment, CourseSettings, assignments, counted, settings_of

# The gradebook reads these columns of every submission of a course: with them all in one index,
# neither database touches the rows themselves (whose reports are tens of KB each).
GRADEBOOK_INDEX = Index(
    "ix_submission_gradebook",
    Submission.course_id,
    Submission.learner,
    Submission.exercise_id,
    Submission.created_at,
    Submission.score,
    Submission.status,
)


@dataclass
class Cell:
    best: float = 0.0
    raw_best: float = 0.0
    attempts: int = 0
    days_late: int = 0
    last: datetime | None = None
    best_submission: int | None = None

    @property
    def tried(self) -> bool:
        return self.attempts > 0


@dataclass
class Row:
    student: User
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def total(self) -> float:
        """Mean over every exercise of the course (an untried one counts 0), 0–100."""
        if not self.cells:
            return 0.0
        return round(sum(c.best for c in self.cells.values()) / len(self.cells), 2)

    @property
    def late_count(self) -> int:
        return sum(1 for c in self.cells.values() if c.days_late)


@dataclass
class Gradebook:
    course: Course
    settings: CourseSettings
    exercises: list[Assignment]
    rows: list[Row]


def gradebook(course: Course, people: list[User]) -> Gradebook:
    settings = settings_of(course)
    exercises = assignments(course)
    due = {a.exercise_id: a.due_at for a in exercises}
    rows = {u.learner: Row(u, {a.exercise_id: Cell() for a in exercises}) for u in people}
    if rows and exercises:
        found = db.session.execute(
            db.select(
                Submission.id,
                Submission.learner,
                Submission.exercise_id,
                Submission.score,
                Submission.created_at,
                Submission.status,
            )
            .where(
                Submission.course_id == course.id,
                Submission.learner.in_(list(rows)),
                Submission.exercise_id.in_(list(due)),
            )
            .order_by(Submission.created_at, Submission.id)
        )
        for ident, learner, exercise_id, score, created, status in found:
            cell = rows[learner].cells[exercise_id]
            cell.last = created
            if status == "error":  # the server could not grade it: not the student's attempt (#10)
                continue
            cell.attempts += 1
            if status != "graded":  # in flight: an attempt, with no score yet
                continue
            result = counted(score, created, due[exercise_id], settings)
            if cell.best_submission is None or result.score > cell.best:
                cell.best, cell.raw_best = result.score, result.raw
                cell.days_late, cell.best_submission = result.days_late, ident
    return Gradebook(course, settings, exercises, list(rows.values()))
