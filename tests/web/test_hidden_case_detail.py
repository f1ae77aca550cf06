"""A learner's own hidden cases are the same on every Submit, so nothing of them that could hold
the model's answer reaches that learner: no trace, no returned state (``output``, which for some
drivers holds the model's answer beside theirs), no ``departure``. One Submit of ``return None``
to translate-address gave a table of the model's addresses that passed the next Submit. Staff
of the course see all of it, to replay a student's cases."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.web import create_app
from tutor.web.extensions import db

from .course_site_helpers import PASSWORD, fast_hashing, graded, hosted_course, signed_in

HIDDEN_DETAIL = {"trace", "output", "departure"}
NOTHING = "def translate(layout, guest, resource, address):\n    return None\n"
EXERCISES = ("translate-address", "idle-tax", "page-sharing", "two-level-translation")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("hidden-detail")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "hidden-detail",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'h.db'}",
            "WTF_CSRF_ENABLED": False,
            "QUEUE_URL": "immediate",
            "GRADER": "process",  # the lessons' own programs and a one-line return only
            "SIGNIN_RATE_LIMIT": "1000 per minute",
        }
    )
    fast_hashing(app)
    yield app
    with app.app_context():
        db.session.remove()


def _learner(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.get("/api/session")
    return client


def _starter_like(app: Flask, exercise_id: str) -> str:
    """The exercise's starter: a program that runs and gets cases wrong."""
    return str(app.extensions["catalog"].exercise(exercise_id).starter)


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_a_learners_own_submit_carries_nothing_that_could_hold_an_answer(
    app: Flask, exercise_id: str
) -> None:
    client = _learner(app)
    code = NOTHING if exercise_id == "translate-address" else _starter_like(app, exercise_id)
    reply = client.post(f"/api/exercises/{exercise_id}/grade?traces=1", json={"code": code})
    assert reply.status_code == 200, reply.get_data(as_text=True)[:300]
    body = reply.get_json()
    assert body["verdict"] in ("failed", "error") and body["scope"] == "hidden"
    assert "trace" not in body
    assert body["cases"] and all(not HIDDEN_DETAIL & set(case) for case in body["cases"])
    again = client.get(f"/api/submissions/{body['submission']}?traces=1").get_json()
    assert again == body  # the same, read back later
    for fragment in (
        client.get(f"/submissions/{body['submission']}", headers={"HX-Request": "true"}),
        client.get(f"/exercises/{exercise_id}/latest", headers={"HX-Request": "true"}),
        client.post(
            f"/exercises/{exercise_id}/submit", data={"code": code}, headers={"HX-Request": "true"}
        ),
    ):
        html = fragment.get_data(as_text=True)
        data = re.search(r'class="report-data">(.*?)</script>', html, re.S)
        assert data is not None and json.loads(data.group(1)) == {"cases": []}, html[-400:]
    page = client.get(f"/submissions/{body['submission']}").get_data(as_text=True)
    assert "Replay its cases" not in page


def test_staff_see_a_students_hidden_cases_whole(app: Flask) -> None:
    hosted_course(
        app,
        "hidden",
        "hidden-prof@x.org",
        {"translate-address": (None, None)},
        students=("hidden-s@x.org",),
    )
    submission = graded(
        app, "hidden", "hidden-s@x.org", "translate-address", NOTHING, datetime.now(UTC)
    )
    staff = signed_in(app, "hidden-prof@x.org")
    whole = staff.get(f"/api/submissions/{submission}?traces=1").get_json()
    failing = [case for case in whole["cases"] if not case["passed"]]
    assert failing and all(case["trace"] and "output" in case for case in failing)
    page = staff.get(f"/submissions/{submission}").get_data(as_text=True)
    assert "Replay its cases in the lesson" in page
    student = signed_in(app, "hidden-s@x.org", PASSWORD)
    own = student.get(f"/api/submissions/{submission}?traces=1").get_json()
    assert own["score"] == whole["score"]
    assert all(not HIDDEN_DETAIL & set(case) for case in own["cases"])
