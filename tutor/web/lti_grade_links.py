"""Where a learner's grade goes in the LMS (#12, Assignment and Grade Services).

A launch carrying the AGS claim leaves behind one ``LtiGradeLink`` per learner and resource
link: the platform (issuer, client id), the LMS user (``sub``, the score's ``userId``), the
line item URLs and scopes, and the exercises the link grades. The grading worker has no launch
session; everything it needs to post a score later is in this row. The same row records how
the last passback went (status, attempts, last error), for the staff page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ForeignKey, Select, String, Text, UniqueConstraint, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column

from .accounts import User
from .extensions import db
from .lti_claims import AGS, DEPLOYMENT, RESOURCE_LINK
from .models import Submission
from .utc_time import UTCDateTime

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
# Scores are percentages: one exercise is out of 100, a lesson of n exercises out of 100 n.
EXERCISE_MAXIMUM = 100.0

# The passback states the staff page shows.
WAITING = "waiting"  # launched, no graded submission yet
QUEUED = "queued"
SENT = "sent"
RETRYING = "retrying"
FAILED = "failed"


def _now() -> datetime:
    return datetime.now(UTC)


class LtiGradeLink(db.Model):  # type: ignore[name-defined,misc]
    """One learner on one graded LMS resource link, and the state of its grade passback."""

    __tablename__ = "lti_grade_link"
    __table_args__ = (
        UniqueConstraint(
            "issuer", "deployment_id", "resource_link_id", "user_id", name="uq_lti_grade_link"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The platform by issuer and client id, not by row: removing a platform keeps the link
    # (its passbacks then fail with a clear error instead of the row vanishing).
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    deployment_id: Mapped[str] = mapped_column(String(255))
    resource_link_id: Mapped[str] = mapped_column(String(255))
    resource_title: Mapped[str] = mapped_column(String(255), default="")
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    # "exercise:<id>" or "lesson:<id>": what the link grades, for people reading the page.
    target: Mapped[str] = mapped_column(String(255))
    exercise_ids: Mapped[str] = mapped_column(Text)  # space-separated
    endpoint_json: Mapped[str] = mapped_column(Text)  # the launch's AGS claim
    status: Mapped[str] = mapped_column(String(16), default=WAITING, index=True)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    score_sent: Mapped[float | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    @property
    def exercises(self) -> list[str]:
        return self.exercise_ids.split()

    @property
    def endpoint(self) -> dict[str, Any]:
        return dict(json.loads(self.endpoint_json))


def remember(
    data: dict[str, Any],
    *,
    client_id: str,
    user_id: int,
    course_id: int,
    target: str,
    exercise_ids: list[str],
) -> LtiGradeLink | None:
    """Record (or refresh) the grade link of a launch; ``None`` when the launch carries no AGS
    claim with the score scope (an ungraded activity) or links no exercise."""
    endpoint = data.get(AGS) or {}
    if SCORE_SCOPE not in (endpoint.get("scope") or []) or not exercise_ids:
        return None
    if not endpoint.get("lineitem") and not endpoint.get("lineitems"):
        return None
    resource = data.get(RESOURCE_LINK) or {}
    key = {
        "issuer": str(data["iss"]),
        "deployment_id": str(data.get(DEPLOYMENT, "")),
        "resource_link_id": str(resource.get("id", "")),
        "user_id": user_id,
    }
    link = db.session.execute(db.select(LtiGradeLink).filter_by(**key)).scalar_one_or_none()
    if link is None:
        link = LtiGradeLink(**key)
        db.session.add(link)
    link.client_id = client_id
    link.resource_title = str(resource.get("title") or "")[:255]
    link.subject = str(data["sub"])
    link.course_id = course_id
    link.target = target[:255]
    link.exercise_ids = " ".join(exercise_ids)
    link.endpoint_json = json.dumps(
        {name: endpoint[name] for name in ("scope", "lineitem", "lineitems") if name in endpoint}
    )
    link.updated_at = _now()
    db.session.flush()
    return link


def _changing() -> Select[int, str, str]:
    links, users, submissions = (
        LtiGradeLink.__table__.c,
        User.__table__.c,
        Submission.__table__.c,
    )
    return (
        select(links.id, links.exercise_ids, submissions.exercise_id)
        .join_from(LtiGradeLink.__table__, User.__table__, users.id == links.user_id)
        .join(
            Submission.__table__,
            (submissions.learner == users.learner) & (submissions.course_id == links.course_id),
        )
        .where(submissions.id == bindparam("sid"), submissions.status == "graded")
    )


# Built once (Core, bound parameter): it runs after every verdict, an anonymous learner's too.
_CHANGING = _changing()


def links_changed_by(submission_id: int) -> list[int]:
    """The ids of the grade links a verdict on a graded submission changes: those of its
    learner's account in its course that cover its exercise. One query, as it runs for every
    verdict (an anonymous learner's too)."""
    rows = db.session.execute(_CHANGING, {"sid": submission_id}).all()
    return [link for link, exercises, exercise_id in rows if exercise_id in exercises.split()]


@dataclass(frozen=True)
class BestScore:
    """What the LMS receives: the sum of the best score of each linked exercise."""

    given: float
    maximum: float
    graded: int  # exercises with at least one graded submission
    exercises: int

    @property
    def complete(self) -> bool:
        return self.graded == self.exercises


def best_score(link: LtiGradeLink, learner: str) -> BestScore:
    """The learner's best score on each of the link's exercises in the link's course, as the
    course counts it (its late policy applied, as in its gradebook: the LMS got 100 for work
    the gradebook counts 70); an exercise never graded counts 0."""
    from .models import Course
    from .schedule import assignments, counted, settings_of

    exercises = link.exercises
    course = db.session.get(Course, link.course_id)
    settings = settings_of(course) if course is not None else None
    due = {a.exercise_id: a.due_at for a in assignments(course)} if course is not None else {}
    rows = db.session.execute(
        db.select(Submission.exercise_id, Submission.score, Submission.created_at).where(
            Submission.learner == learner,
            Submission.course_id == link.course_id,
            Submission.exercise_id.in_(exercises),
            Submission.status == "graded",
        )
    )
    best: dict[str, float] = {}
    for exercise, score, created in rows:
        value = float(score or 0.0)
        if settings is not None:
            value = counted(score, created, due.get(exercise), settings).score
        best[str(exercise)] = max(best.get(str(exercise), 0.0), value)
    given = sum(best.get(exercise, 0.0) for exercise in exercises)
    return BestScore(
        given=round(given, 2),
        maximum=EXERCISE_MAXIMUM * len(exercises),
        graded=len(best),
        exercises=len(exercises),
    )
