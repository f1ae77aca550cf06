"""A course carried from one installation (or semester) to another, and one person's data
erased on request.

``export_course`` writes the course's structure — title, late policy, time zone, exercises
with their opening and due times (UTC), who is in it and as what — and, if asked, every
submission to it, as JSON. ``import_course`` makes a new course from such a file (under a new
short name if wanted), with a fresh join code; people are matched by email, and an account is
made for anyone who has none (its password made up and returned, to hand out).
``erase_account`` deletes an account and everything its learner id did: submissions,
concept-check answers, memberships.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete

from .accounts import User, create_user, find_user, new_password
from .concept_answers import ConceptAnswer
from .course_zone import DEFAULT_ZONE, EARLIEST_YEAR, LATEST_YEAR, canonical_zone, kept_year
from .extensions import db
from .form_text import NUL
from .learn import catalog
from .models import Course, Submission
from .roster import (
    INSTRUCTOR,
    ROLES,
    STUDENT,
    Membership,
    active_members,
    courses_of,
    enrol,
    instructors,
    members,
)
from .schedule import ACCEPT, REFUSE, Assignment, assignments, settings_of

FORMAT = "virttutor-course"
VERSION = 1
SUBMISSION_FIELDS = (
    "exercise_id",
    "code",
    "status",
    "score",
    "report_json",
    "exercise_version",
    "variant_seed",
    "grader_version",
    "attempts",
)


class TransferError(Exception):
    """Why an import did nothing; the message says what to change."""


def _moment(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise TransferError(
            f"{value!r} is not a date and time (ISO 8601, as export-course writes them: "
            "2027-01-31T23:59:00+00:00); nothing was imported"
        ) from None


def _deadline(value: Any) -> datetime | None:
    """An opening or due time of the file, within the years a course keeps (``course_zone``)."""
    moment = _parse(value)
    if moment is not None and not kept_year(moment):
        raise TransferError(
            f"the time {value!r} is outside {EARLIEST_YEAR}-{LATEST_YEAR}; nothing was imported"
        )
    return moment


def _late_work(given: dict[str, Any]) -> tuple[str, float]:
    """The file's late policy and penalty, checked as the settings form checks them."""
    policy = given.get("late_policy", ACCEPT)
    if policy not in (ACCEPT, REFUSE):
        raise TransferError(f"the late policy {policy!r} must be {ACCEPT!r} or {REFUSE!r}")
    try:
        penalty = float(given.get("penalty_per_day", 0))
    except (TypeError, ValueError):
        penalty = math.nan
    if not 0 <= penalty <= 100:  # (NaN fails this too)
        raise TransferError(
            f"the penalty per day {given.get('penalty_per_day')!r} must be a number from 0 to 100"
        )
    return policy, penalty


def export_course(course: Course, with_submissions: bool) -> dict[str, Any]:
    settings = settings_of(course)
    people = members(course)
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "course": {"slug": course.slug, "title": course.title},
        "settings": {
            "late_policy": settings.late_policy,
            "penalty_per_day": settings.penalty_per_day,
            "ta_can_edit": settings.ta_can_edit,
            "time_zone": settings.time_zone,
        },
        "exercises": [
            {
                "exercise_id": a.exercise_id,
                "opens_at": _moment(a.opens_at),
                "due_at": _moment(a.due_at),
            }
            for a in assignments(course)
        ],
        "members": [{"email": u.email, "name": u.name, "role": role} for u, role in people],
    }
    if with_submissions:
        by_learner = {u.learner: u.email for u, _ in people}
        rows = list(
            db.session.execute(
                db.select(Submission)
                .where(Submission.course_id == course.id)
                .order_by(Submission.id)
            ).scalars()
        )
        # People removed from the course: their submissions stay stored under it, out of its
        # gradebook (``roster.remove_member`` promises them kept); the file carries them the
        # same way, flagged, and the import keeps them out of the new course's gradebook.
        former = {
            u.learner: u
            for u in db.session.execute(
                db.select(User).where(
                    User.learner.in_({s.learner for s in rows} - by_learner.keys())
                )
            ).scalars()
        }
        document["former_members"] = [
            {"email": u.email, "name": u.name} for u in sorted(former.values(), key=_by_email)
        ]
        document["submissions"] = [
            {
                "email": by_learner.get(s.learner) or former[s.learner].email,
                **({"former_member": True} if s.learner in former else {}),
                "created_at": _moment(s.created_at),
                "graded_at": _moment(s.graded_at),
                **{name: getattr(s, name) for name in SUBMISSION_FIELDS},
            }
            for s in rows
            if s.learner in by_learner or s.learner in former
        ]
        # A learner with no account (none is made for an anonymous one): no email carries it.
        document["left_out"] = len(rows) - len(document["submissions"])
    return document


def _by_email(user: User) -> str:
    return str(user.email)


@dataclass
class Imported:
    course: Course
    join_code: str
    created: list[tuple[str, str]] = field(default_factory=list)  # (email, password)
    submissions: int = 0
    # Exercises of the file this installation's lessons do not have: left out of the course
    # (a gradebook column nobody could ever submit to), their submissions kept.
    unknown_exercises: list[str] = field(default_factory=list)


def import_course(
    text: str, slug: str | None = None, title: str | None = None, next_term: bool = False
) -> Imported:
    """A new course from an exported file; nothing is stored if the file is wrong. For the
    ``next_term`` its staff, exercises, deadlines and settings only: last term's students (in
    both courses, their new work could count for the old one) and submissions stay behind."""
    from .teaching import CourseTaken, create_course

    try:
        document = json.loads(text)
    except ValueError as exc:
        raise TransferError(f"not a course file (JSON): {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError("not a VirtTutor course file")
    if _holds_nul(document):  # no database text can (PostgreSQL's)
        raise TransferError("the file holds the NUL character (\\u0000), which text cannot have")
    people = document.get("members") or []
    if next_term:
        people = [m for m in people if m.get("role") != STUDENT]
    instructors = [m for m in people if m.get("role") == INSTRUCTOR]
    if not instructors:
        raise TransferError("the file names no instructor")
    if any(m.get("role") not in ROLES or not m.get("email") for m in people):
        raise TransferError("every member needs an email and a role (student, ta, instructor)")
    result_created: list[tuple[str, str]] = []
    try:
        users: dict[str, User] = {}

        def account(person: dict[str, Any]) -> User:
            """The person's account on this site, made (with a password to hand out) if none."""
            user = find_user(person["email"])
            if user is None:
                password = new_password()
                user = create_user(person["email"], password, person.get("name") or "")
                result_created.append((user.email, password))
            return user

        for member in people:
            users[member["email"]] = account(member)
        course, settings = create_course(
            slug or document["course"]["slug"],
            title or document["course"]["title"],
            users[instructors[0]["email"]],
        )
        given = document.get("settings") or {}
        settings.late_policy, settings.penalty_per_day = _late_work(given)
        settings.ta_can_edit = bool(given.get("ta_can_edit", False))
        zone = canonical_zone(str(given.get("time_zone") or DEFAULT_ZONE))
        if zone is None:
            raise TransferError(
                f"the time zone {given.get('time_zone')!r} is not an IANA name (Asia/Shanghai, UTC)"
            )
        settings.time_zone = zone
        known = {e.id for e in catalog().exercises()}
        unknown: list[str] = []
        position = 0
        for item in document.get("exercises") or []:
            if not isinstance(item, dict) or not isinstance(item.get("exercise_id"), str):
                raise TransferError(f"an entry of 'exercises' has no exercise_id: {item!r:.80}")
            if item["exercise_id"] not in known:
                unknown.append(item["exercise_id"])
                continue
            position += 1
            db.session.add(
                Assignment(
                    course_id=course.id,
                    exercise_id=item["exercise_id"],
                    position=position - 1,
                    opens_at=_deadline(item.get("opens_at")),
                    due_at=_deadline(item.get("due_at")),
                )
            )
        # People removed from the course before the export: their account (made if there is
        # none) keeps their submissions, and no membership keeps them out of the gradebook.
        for person in [] if next_term else document.get("former_members") or []:
            if not isinstance(person, dict) or not isinstance(person.get("email"), str):
                raise TransferError(f"an entry of 'former_members' has no email: {person!r:.80}")
            if person["email"] not in users:
                users[person["email"]] = account(person)
        made_here = {email for email, _password in result_created}
        for member in people:
            user = users[member["email"]]
            if user.email in made_here:  # this course's staff may set its password
                user.managed_by_course_id = course.id
            enrol(course, user, member["role"])
        count = 0
        for item in [] if next_term else document.get("submissions") or []:
            owner = users.get(item.get("email"))
            if owner is None:
                raise TransferError(
                    f"a submission of {item.get('email')!r}, who is neither a member nor in "
                    "'former_members'"
                )
            db.session.add(
                Submission(
                    course_id=course.id,
                    learner=owner.learner,
                    created_at=_parse(item.get("created_at")) or datetime.now(UTC),
                    graded_at=_parse(item.get("graded_at")),
                    **{name: item.get(name) for name in SUBMISSION_FIELDS if name in item},
                )
            )
            count += 1
        db.session.commit()
    except CourseTaken as exc:
        db.session.rollback()
        raise TransferError(f"{exc}: import it under another short name (--slug)") from None
    except TransferError:
        db.session.rollback()
        raise
    except KeyError as exc:
        db.session.rollback()
        raise TransferError(
            f"the course file lacks the field {exc}; nothing was imported"
        ) from None
    except (TypeError, ValueError) as exc:
        db.session.rollback()
        raise TransferError(f"the course file is incomplete or malformed: {exc}") from None
    except BaseException:
        db.session.rollback()
        raise
    return Imported(course, settings.join_code, result_created, count, unknown)


def courses_only_they_teach(user: User) -> list[tuple[Course, int]]:
    """Courses where ``user`` is the only active instructor and others are still members, with
    how many: erasing the account would leave those students and TAs in a course no one can
    manage (the roster pages refuse to remove a last instructor for the same reason)."""
    found = []
    for course, role in courses_of(user.id):
        if role == INSTRUCTOR and set(instructors(course)) == {user.id}:
            others = active_members(course) - 1
            if others:
                found.append((course, others))
    return found


def erase_account(user: User) -> dict[str, int]:
    """Deletes the account and everything its learner did; returns what was deleted."""
    learner = user.learner
    counts = {
        "submissions": _deleted(delete(Submission).where(Submission.learner == learner)),
        "concept answers": _deleted(delete(ConceptAnswer).where(ConceptAnswer.learner == learner)),
        "memberships": _deleted(delete(Membership).where(Membership.user_id == user.id)),
    }
    db.session.delete(user)
    db.session.commit()
    return counts


def _deleted(statement: Any) -> int:
    return int(getattr(db.session.execute(statement), "rowcount", 0) or 0)
