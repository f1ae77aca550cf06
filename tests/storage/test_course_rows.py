"""The course site's rows (#13) on SQLite and PostgreSQL: due times and submissions stored as
UTC moments give the same lateness on both, anonymous work moves to an account, and the
gradebook CSV reads them back."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask

from tutor.web.extensions import db
from tutor.web.models import Submission

from ..web.course_site_helpers import (
    PASSWORD,
    fast_hashing,
    graded,
    hosted_course,
    signed_in,
    solution,
)


def test_lateness_adoption_and_the_gradebook_on_each_database(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(WTF_CSRF_ENABLED=False)
    fast_hashing(app)
    due = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    hosted_course(
        app,
        "os",
        "prof@example.org",
        {"io-path": (None, due)},
        students=("late@example.org", "ontime@example.org"),
        penalty=25,
    )
    graded(
        app,
        "os",
        "late@example.org",
        "io-path",
        solution(app, "io-path"),
        due + timedelta(hours=25),
    )  # two started days late
    graded(
        app,
        "os",
        "ontime@example.org",
        "io-path",
        solution(app, "io-path"),
        due - timedelta(minutes=1),
    )
    browser = app.test_client()
    browser.get("/api/session")
    with browser.session_transaction() as session:
        anonymous = session["learner"]
    with app.app_context():
        db.session.add(
            Submission(
                course_id=1,
                learner=anonymous,
                exercise_id="vm-spec",
                code="x",
                status="graded",
                score=40.0,
            )
        )
        db.session.commit()
    browser.post("/login", data={"email": "late@example.org", "password": PASSWORD})
    assert 'data-exercise-id="vm-spec" data-best="40"' in browser.get("/").get_data(as_text=True)
    exported = signed_in(app, "prof@example.org").get("/courses/os/gradebook.csv")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    column = next(c for c in rows[0] if c.endswith("(io-path)"))
    assert {r["Email address"]: r[column] for r in rows} == {
        "late@example.org": "50",
        "ontime@example.org": "100",
    }
    with app.app_context():
        db.session.remove()
