"""What the course-site tests share: accounts, a course with exercises, graded submissions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tutor.grading.judge import Judge
from tutor.grading.runner import InProcessRunner
from tutor.queue.rows import stored_seed
from tutor.web import create_app
from tutor.web.accounts import create_user, find_user
from tutor.web.extensions import db
from tutor.web.grading_service import stored_report, submission_seed
from tutor.web.models import Course, Submission
from tutor.web.roster import enrol
from tutor.web.schedule import Assignment, settings_of
from tutor.web.teaching import create_course

PASSWORD = "correct horse"
# scrypt takes a second per hash on a loaded two-core machine; tests need no such strength.
FAST_HASH = "pbkdf2:sha256:1000"


def course_site(folder: Path, name: str) -> Iterator[Flask]:
    """One app for a test module (its tests make their own courses in it): a module fixture's
    body, ``yield from course_site(tmp_path_factory.mktemp(name), name)``."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": name,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'course-site.db'}",
            "WTF_CSRF_ENABLED": False,
            "SIGNIN_RATE_LIMIT": "1000 per minute",  # every test signs in from one address
            "ROSTER_RATE_LIMIT": "1000 per minute",
        }
    )
    yield app
    with app.app_context():
        db.session.remove()


def fast_hashing(app: Flask) -> None:
    app.config["PASSWORD_HASH_METHOD"] = FAST_HASH


def account(app: Flask, email: str, name: str = "") -> int:
    fast_hashing(app)
    with app.app_context():
        user = create_user(email, PASSWORD, name or email.split("@")[0].title())
        db.session.commit()
        return int(user.id)


def user_id(app: Flask, email: str) -> int:
    """The id of the account with this email (which must exist)."""
    with app.app_context():
        user = find_user(email)
        assert user is not None
        return int(user.id)


def signed_in(app: Flask, email: str, password: str = PASSWORD) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def hosted_course(
    app: Flask,
    slug: str,
    instructor: str,
    exercises: dict[str, tuple[datetime | None, datetime | None]],
    students: tuple[str, ...] = (),
    tas: tuple[str, ...] = (),
    late_policy: str = "accept",
    penalty: float = 10.0,
) -> str:
    """Makes the course (instructor account included if missing); returns its join code."""
    fast_hashing(app)
    with app.app_context():
        teacher = find_user(instructor) or create_user(instructor, PASSWORD, "Teacher")
        course, settings = create_course(slug, f"Course {slug}", teacher)
        settings.late_policy, settings.penalty_per_day = late_policy, penalty
        for position, (exercise_id, (opens, due)) in enumerate(exercises.items()):
            db.session.add(
                Assignment(
                    course_id=course.id,
                    exercise_id=exercise_id,
                    position=position,
                    opens_at=opens,
                    due_at=due,
                )
            )
        for role, people in (("student", students), ("ta", tas)):
            for email in people:
                user = find_user(email) or create_user(  # as the course's roster makes it
                    email, PASSWORD, email.split("@")[0], managed_by=course.id
                )
                enrol(course, user, role)
        db.session.commit()
        return settings_of(course).join_code


def graded(app: Flask, slug: str, email: str, exercise_id: str, code: str, when: datetime) -> int:
    """A submission stored and graded as the server would (the judge, hidden cases), at
    ``when``; the lessons' own programs only, so grading in process is safe."""
    with app.app_context():
        course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()
        user = find_user(email)
        assert user is not None
        exercise = app.extensions["catalog"].exercise(exercise_id)
        seed = submission_seed(course.id, user.learner, exercise)
        report = Judge(InProcessRunner()).grade(exercise, code, seed, "hidden")
        submission = Submission(
            course_id=course.id,
            learner=user.learner,
            exercise_id=exercise_id,
            code=code,
            status="graded",
            score=report.score,
            report_json=stored_report(report),
            created_at=when,
            graded_at=when,
            variant_seed=stored_seed(seed),
        )
        db.session.add(submission)
        db.session.commit()
        return int(submission.id)


def solution(app: Flask, exercise_id: str) -> str:
    return str(app.extensions["catalog"].exercise(exercise_id).solution)


def wrong(app: Flask, exercise_id: str, index: int = 0) -> str:
    return str(app.extensions["catalog"].exercise(exercise_id).wrong[index].code)


def page_text(html: str) -> str:
    """The words of a page, tags dropped, spaces squeezed: what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
