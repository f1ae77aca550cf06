"""Submission statuses as issue #10 words them: ``error`` is an internal error (the server could
not grade it, never the learner's fault), code that could not run is the learner's ``graded``
result (verdict ``error``, score 0); migration q016 renames the stored values both ways."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask

from tutor.web import schema
from tutor.web.extensions import db
from tutor.web.models import Course, Submission

from ..conftest import FIXTURE_LESSONS

FIXTURE = {"LESSONS_DIR": str(FIXTURE_LESSONS)}  # grading machinery, not a course lesson

COULD_NOT_RUN = json.dumps({"verdict": "error", "score": 0.0, "message": {"en": "SyntaxError"}})
COULD_NOT_GRADE = json.dumps({"verdict": "error", "message": {"en": "could not be graded"}})
FAILED_CASES = json.dumps({"verdict": "failed", "score": 50.0})


def _statuses(app: Flask) -> list[tuple[str, str]]:
    with app.app_context(), db.engine.connect() as connection:
        found = connection.execute(sa.text("SELECT code, status FROM submission ORDER BY id"))
        return [(str(code), str(status)) for code, status in found]


def test_the_migration_renames_the_stored_statuses_and_back(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(**FIXTURE)
    schema.downgrade(app, "c015")
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO course (id, slug, title) VALUES (1, 'c', 'C')"))
        for code, status, report in [
            ("syntax error", "error", COULD_NOT_RUN),
            ("server gave up", "failed", COULD_NOT_GRADE),
            ("half right", "graded", FAILED_CASES),
            ("waiting", "pending", None),
        ]:
            connection.execute(
                sa.text(
                    "INSERT INTO submission (course_id, learner, exercise_id, code, status, "
                    "report_json, created_at, attempts) VALUES (1, 'l', 'io-path', :code, "
                    ":status, :report, CURRENT_TIMESTAMP, 1)"
                ),
                {"code": code, "status": status, "report": report},
            )

    schema.upgrade(app)
    assert _statuses(app) == [
        ("syntax error", "graded"),
        ("server gave up", "error"),
        ("half right", "graded"),
        ("waiting", "pending"),
    ]

    schema.downgrade(app, "c015")
    assert _statuses(app) == [
        ("syntax error", "error"),
        ("server gave up", "failed"),
        ("half right", "graded"),
        ("waiting", "pending"),
    ]
    schema.upgrade(app)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_learner_is_told_which_failure_is_theirs(make_app: Callable[..., Flask]) -> None:
    app = make_app(QUEUE_URL="immediate", WTF_CSRF_ENABLED=False, GRADER_MAX_ATTEMPTS=1, **FIXTURE)
    client = app.test_client()
    learner = client.get("/api/session").get_json()["learner"]

    # Their code cannot run: their own result, graded (verdict error, score 0).
    theirs = client.post("/api/exercises/walk/grade", json={"code": "def path(:\n"})
    assert theirs.status_code == 200
    body = theirs.get_json()
    assert (body["status"], body["verdict"], body["score"]) == ("graded", "error", 0.0)
    page = client.get(f"/submissions/{body['submission']}").get_data(as_text=True)
    assert "Your code could not be graded." in page and "not your code" not in page

    # The server could not grade one (its last attempt used up): an internal error.
    with app.app_context():
        stored = Submission(
            course_id=db.session.execute(db.select(Course.id)).scalars().first(),
            learner=learner,
            exercise_id="walk",
            code=app.extensions["catalog"].exercise("walk").solution,
            attempts=1,
        )
        db.session.add(stored)
        db.session.commit()
        internal = stored.id
    assert app.extensions["grading_queue"].grader().grade(internal) == "gave-up"
    answer = client.get(f"/api/submissions/{internal}")
    assert answer.status_code == 200
    found = answer.get_json()
    assert found["status"] == "error" and found["score"] is None
    assert "not because of your code" in found["message"]["en"]
    page = client.get(f"/submissions/{internal}").get_data(as_text=True)
    assert "The server could not grade this submission; this is not your code" in page
    assert 'data-status="error"' in page
    client.get("/lang/zh")
    page = client.get(f"/submissions/{internal}").get_data(as_text=True)
    assert "服务器无法评测这次提交；这不是你的代码的问题。" in page
