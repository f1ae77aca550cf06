"""A course's exercises, when each opens and is due, and what happens to late work.

All times are stored and compared in UTC; each course has a time zone (``time_zone``, an IANA
name, UTC by default) in which its deadlines are typed and shown (``course_zone``). The late
policy is the course's:

* ``accept`` — a late submission is graded as usual, and its score counts
  ``score × (1 − penalty × days late / 100)`` (never below 0), where a day late is any started
  24 hours after the deadline: the end of the due time's minute (``deadline``);
* ``refuse`` — after the due time a student's Submit is refused with a message (nothing is
  stored), and anything late that got in (say, before the policy changed) counts 0.

A student's submission to an exercise of one of their courses is stored under that course
(``submission_course_id``); before the exercise opens it is refused. Anonymous learners and
exercises outside every course of the learner go to the self-study course as before.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import g, has_request_context, session
from flask_login import current_user
from sqlalchemy import Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tutor.content import Exercise

from .accounts import User
from .course import demo_course_id, own_without_account
from .course_zone import DEFAULT_ZONE, zoned_stamp
from .extensions import db
from .grading_service import SubmissionRefused
from .models import Course, Submission
from .roster import STUDENT, Membership
from .utc_time import UTCDateTime

ACCEPT, REFUSE = "accept", "refuse"
JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def utc(moment: datetime) -> datetime:
    """Databases hand back naive datetimes; every one stored here is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def stamp(moment: datetime | None) -> str:
    """A time as every page and message shows it: ISO-like, minutes, UTC (no locale guessing)."""
    return utc(moment).strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def now() -> datetime:
    return datetime.now(UTC)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(8))


class CourseSettings(db.Model):  # type: ignore[name-defined,misc]
    """What a hosted course adds to ``models.Course`` (one row per course)."""

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), primary_key=True)
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    late_policy: Mapped[str] = mapped_column(String(16), default=ACCEPT)
    penalty_per_day: Mapped[float] = mapped_column(Float, default=10.0)
    ta_can_edit: Mapped[bool] = mapped_column(default=False)
    # The IANA zone its deadlines are typed and shown in (stored times stay UTC).
    time_zone: Mapped[str] = mapped_column(
        String(64), default=DEFAULT_ZONE, server_default=DEFAULT_ZONE
    )


class Assignment(db.Model):  # type: ignore[name-defined,misc]
    __table_args__ = (UniqueConstraint("course_id", "exercise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    def is_open(self, moment: datetime) -> bool:
        return self.opens_at is None or utc(self.opens_at) <= moment


def course_zone_name(course: Course | int | None) -> str:
    """The time zone of a course (or course id); UTC for a course without settings (the
    self-study course)."""
    ident = course.id if isinstance(course, Course) else course
    found = db.session.get(CourseSettings, ident) if ident is not None else None
    return found.time_zone if found is not None and found.time_zone else DEFAULT_ZONE


def course_stamp(moment: datetime | None, course: Course | int | None) -> str:
    """A moment as a course's pages show it: in the course's zone, the zone named."""
    return zoned_stamp(moment, course_zone_name(course))


def settings_of(course: Course) -> CourseSettings:
    found = db.session.get(CourseSettings, course.id)
    if found is None:
        found = CourseSettings(course_id=course.id, join_code=new_join_code())
        db.session.add(found)
        db.session.flush()
    return found


def assignments(course: Course) -> list[Assignment]:
    return list(
        db.session.execute(
            db.select(Assignment).filter_by(course_id=course.id).order_by(Assignment.position)
        ).scalars()
    )


def deadline(due: datetime) -> datetime:
    """The first instant that is late for a due time: the end of its minute. Every page shows
    times to the minute, and "due 23:59" means through 23:59:59 (as in an LMS): a Submit 23 ms
    into 11:24 against "due 11:24" counted a day late, on pages saying 11:24 for both."""
    return utc(due).replace(second=0, microsecond=0) + timedelta(minutes=1)


def days_late(submitted: datetime, due: datetime | None) -> int:
    """Days (each started 24 hours after the deadline) a submission is late; 0 when on time."""
    if due is None:
        return 0
    over = (utc(submitted) - deadline(due)).total_seconds()
    return math.floor(over / 86400) + 1 if over >= 0 else 0


@dataclass(frozen=True)
class Counted:
    """A submission's score as the course counts it."""

    raw: float
    score: float
    days_late: int


def counted(
    raw: float | None, submitted: datetime, due: datetime | None, settings: CourseSettings
) -> Counted:
    late = days_late(submitted, due)
    value = raw or 0.0
    if late and settings.late_policy == REFUSE:
        return Counted(value, 0.0, late)
    if late:
        factor = max(0.0, 1 - late * settings.penalty_per_day / 100)
        return Counted(value, round(value * factor, 2), late)
    return Counted(value, value, 0)


def late_standing(submission: Submission | None) -> tuple[Course, Counted] | None:
    """The course and what it counts of a submission made after its due time, else ``None``:
    a late Submit said only "Passed: all 8 cases are correct" where the course counts 90."""
    if submission is None or submission.score is None or submission.status != "graded":
        return None
    if own_without_account(submission.learner):
        return None
    found = _resolved_for(submission) or _stored_standing(submission)
    if found is None or found.assignment.due_at is None:
        return None
    settings = found.settings or settings_of(found.course)
    result = counted(submission.score, submission.created_at, found.assignment.due_at, settings)
    return (found.course, result) if result.days_late else None


def _stored_standing(submission: Submission) -> Resolved | None:
    """``submission``'s course, the exercise's times in it and the course's settings, asked of
    the database (the due time first: without one there is nothing more to ask)."""
    assignment = db.session.execute(
        db.select(Assignment).filter_by(
            course_id=submission.course_id, exercise_id=submission.exercise_id
        )
    ).scalar_one_or_none()
    if assignment is None or assignment.due_at is None:
        return None
    course = db.session.get(Course, submission.course_id)
    return None if course is None else Resolved(course, assignment, settings_of(course))


def ended_course(submission: Submission | None) -> Course | None:
    """The closed course a self-study submission was made for, else ``None``: a student's
    Submit after their course ended is graded and kept as self-study (``course_assignment``
    skips closed courses), and it said only "Passed", as if it counted. Made after the course
    closed, by a student still in it, of one of its exercises."""
    if submission is None or own_without_account(submission.learner):
        return None
    if submission.course_id != demo_course_id():
        return None
    found: Course | None = db.session.execute(
        db.select(Course)
        .join(Assignment, Assignment.course_id == Course.id)
        .join(Membership, Membership.course_id == Course.id)
        .join(User, User.id == Membership.user_id)
        .where(
            User.learner == submission.learner,
            Membership.role == STUDENT,
            Membership.left_at.is_(None),
            Assignment.exercise_id == submission.exercise_id,
            Course.closed_at.is_not(None),
            Course.closed_at <= submission.created_at,
        )
        .order_by(Course.closed_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    return found


def course_note(submission: Submission) -> dict[str, str] | None:
    """What a course counts of a graded submission, when that is not its score, in both
    languages (the JSON API's ``note``; the page says the same through its templates)."""
    if submission.status != "graded":
        return None
    ended = ended_course(submission)
    if ended is not None:
        return {
            "en": f"{ended.title} has ended: this submission does not count for it "
            "(it is kept as self-study)",
            "zh": f"“{ended.title}”已经结课：这次提交不计入该课程（作为自学记录保留）",
        }
    late = late_standing(submission)
    if late is None:
        return None
    course, result = late
    days = "day" if result.days_late == 1 else "days"
    return {
        "en": f"submitted {result.days_late} {days} late for {course.title}: it counts "
        f"{result.score:g} of 100",
        "zh": f"比“{course.title}”的截止时间晚了 {result.days_late} 天提交：计 "
        f"{result.score:g} 分（满分 100）",
    }


class NotOpenYet(SubmissionRefused):
    status = 403


class PastDue(SubmissionRefused):
    status = 403


def course_assignment(exercise_id: str) -> tuple[Course, Assignment] | None:
    """The signed-in student's course that has this exercise, with its times (``Resolved``
    without its settings)."""
    found = student_course(exercise_id)
    return None if found is None else (found.course, found.assignment)


@dataclass(frozen=True)
class Resolved:
    """The course a Submit counts for, the exercise's times in it and the course's settings,
    as the request that stored the submission found them: the reply about that submission
    (its late note) reads them here instead of asking the database again (#15: three queries
    of a signed-in student's every Submit)."""

    course: Course
    assignment: Assignment
    settings: CourseSettings | None  # (None: the course has no settings row yet)


def student_course(exercise_id: str) -> Resolved | None:
    """The signed-in student's course that has this exercise, with its times; ``None`` for
    anyone else: self-study. Only a course they are still in (not one they left) and that is not
    closed. Of several
    (a student retaking a course next term, a course imported into a new semester with its
    members, a Moodle and a Canvas course), the one their LMS launched them from; else the one
    that takes the work now (``_rank``): a deadline that passed last term in a course that
    refuses late work must not refuse the Submit this term's course is open for."""
    if not current_user.is_authenticated:
        return None
    launched = session.get("lti_course") if has_request_context() else None
    rows = db.session.execute(
        db.select(Course, Assignment, CourseSettings)
        .join(Assignment, Assignment.course_id == Course.id)
        .join(Membership, Membership.course_id == Course.id)
        .outerjoin(CourseSettings, CourseSettings.course_id == Course.id)
        .where(
            Membership.user_id == current_user.id,
            Membership.role == STUDENT,
            Membership.left_at.is_(None),
            Assignment.exercise_id == exercise_id,
            Course.closed_at.is_(None),  # a course closed at its term's end takes no work
        )
    ).all()
    if not rows:
        return None
    moment = now()
    course, assignment, settings = min(
        rows,
        key=lambda row: (
            row[0].slug != str(launched or ""),
            *_rank(row[1], row[2].late_policy if row[2] is not None else ACCEPT, moment),
            row[0].id,
        ),
    )
    return Resolved(course, assignment, settings)


def _rank(assignment: Assignment, late_policy: str, moment: datetime) -> tuple[int, float]:
    """Open now, soonest due first (no due date last); then past due where late work counts,
    the latest due first; then not open yet, the soonest to open; then past due and refused."""
    due = None if assignment.due_at is None else deadline(assignment.due_at).timestamp()
    if not assignment.is_open(moment):
        return 2, utc(assignment.opens_at).timestamp() if assignment.opens_at else 0.0
    if due is None or due > moment.timestamp():
        return 0, math.inf if due is None else due
    return (1 if late_policy != REFUSE else 3), -due


def submission_course_id(exercise: Exercise) -> int:
    """The id of the course a Submit of ``exercise`` counts for; raises ``SubmissionRefused``
    (nothing stored) when that course does not take it now."""
    found = student_course(exercise.id)
    if found is None:
        return demo_course_id()
    course, assignment = found.course, found.assignment
    settings = found.settings or settings_of(course)
    moment = now()
    if not assignment.is_open(moment):
        when = course_stamp(assignment.opens_at, course)
        raise NotOpenYet(
            f"this exercise opens for {course.title} on {when}; nothing was submitted",
            zh=f"这个练习在 {when} 才对“{course.title}”开放；没有提交",
        )
    if settings.late_policy == REFUSE and days_late(moment, assignment.due_at):
        when = course_stamp(assignment.due_at, course)
        raise PastDue(
            f"this exercise was due for {course.title} on {when} and the course does not "
            "take late work; nothing was submitted",
            zh=f"这个练习在“{course.title}”的截止时间是 {when}，课程不接受迟交；没有提交",
        )
    if has_request_context():
        g.resolved_submission_course = Resolved(course, assignment, settings)
    return course.id


def _resolved_for(submission: Submission) -> Resolved | None:
    """What this request's Submit found about ``submission``'s course, if it is that one."""
    found: Resolved | None = g.get("resolved_submission_course") if has_request_context() else None
    if found is None or found.course.id != submission.course_id:
        return None
    return found if found.assignment.exercise_id == submission.exercise_id else None
