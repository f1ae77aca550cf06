"""The JSON submit is idempotent against retries: a client that sends the same submit again
with the same ``Idempotency-Key`` (its answer lost with a dropped connection) gets the same
submission back, never a second one (#10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.queue import heartbeat
from tutor.web import create_app
from tutor.web.extensions import db
from tutor.web.grading_service import GradingService
from tutor.web.models import Submission

from ..conftest import FIXTURE_LESSONS

LESSONS_DIR = FIXTURE_LESSONS  # the app serves the fixture lesson (tests/conftest.py)
WALK = FIXTURE_LESSONS / "01-fixture/exercises/walk"
SOLUTION = (WALK / "solution.py").read_text()
URL = "/api/exercises/walk/grade"
KEY = "3f1c9a52-6a0e-4d8e-9b39-0c1d2e3f4a5b"


def _stored(app: Flask) -> list[tuple[int, str, str | None]]:
    with app.app_context():
        return [
            (row.id, row.learner, row.idempotency_key)
            for row in db.session.execute(db.select(Submission).order_by(Submission.id)).scalars()
        ]


def test_the_same_submit_sent_again_gets_the_same_submission(
    app: Flask, client: FlaskClient
) -> None:
    first = client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": KEY})
    again = client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": KEY})
    assert first.status_code == again.status_code == 200
    assert again.get_json() == first.get_json()
    assert first.get_json()["verdict"] == "passed"
    assert len(_stored(app)) == 1
    # A new key is a new submission; so is a submit without one.
    other = client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": KEY + "-2"})
    plain = client.post(URL, json={"code": SOLUTION})
    ids = {r.get_json()["submission"] for r in (first, other, plain)}
    assert len(ids) == 3 and len(_stored(app)) == 3


def test_code_that_cannot_run_is_stored_once_too(app: Flask, client: FlaskClient) -> None:
    broken = {"code": "def path(:\n"}
    first = client.post(URL, json=broken, headers={"Idempotency-Key": KEY})
    again = client.post(URL, json=broken, headers={"Idempotency-Key": KEY})
    assert first.get_json()["submission"] == again.get_json()["submission"]
    assert again.get_json()["verdict"] == "error" and len(_stored(app)) == 1


def test_a_key_reused_for_another_submission_is_refused_and_nothing_stored(
    app: Flask, client: FlaskClient
) -> None:
    client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": KEY})
    changed = client.post(
        URL, json={"code": SOLUTION + "\n# v2\n"}, headers={"Idempotency-Key": KEY}
    )
    elsewhere = client.post(
        "/api/exercises/echo-loop/grade", json={"code": SOLUTION}, headers={"Idempotency-Key": KEY}
    )
    for refused in (changed, elsewhere):
        assert refused.status_code == 422
        assert (
            "Idempotency-Key was already used for a different submission"
            in (refused.get_json()["error"])
        )
        assert "Idempotency-Key 已经用于另一次提交" in refused.get_json()["error_zh"]
    assert len(_stored(app)) == 1


def test_keys_belong_to_their_learner(app: Flask, client: FlaskClient) -> None:
    other = app.test_client()
    other.get("/api/session")
    mine = client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": KEY})
    theirs = other.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": KEY})
    assert mine.status_code == theirs.status_code == 200
    assert mine.get_json()["submission"] != theirs.get_json()["submission"]
    assert len({learner for _, learner, _ in _stored(app)}) == 2


@pytest.mark.parametrize("key", ["", "x" * 129, "has space", "naïve"])
def test_a_malformed_key_is_refused_with_what_to_send(
    app: Flask, client: FlaskClient, key: str
) -> None:
    headers = {"Idempotency-Key": key.encode("utf-8").decode("latin-1")}
    refused = client.post(URL, json={"code": SOLUTION}, headers=headers)
    assert refused.status_code == 400
    assert "1 to 128 visible ASCII characters" in refused.get_json()["error"]
    assert _stored(app) == []


def test_a_retry_while_the_first_waits_for_a_worker_gets_it_back_not_a_429(
    tmp_path: Path,
) -> None:
    """On the real queue with no worker consuming it: the first submit answers 202; the same
    submit again is that submission (202, same id), where a submit without the key is refused
    (one in flight per learner)."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "LESSONS_DIR": str(FIXTURE_LESSONS),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'web.db'}",
            "QUEUE_URL": f"sqlite:///{tmp_path / 'queue.db'}",
            "GRADER": "process",
            "GRADER_WAIT_SECONDS": 0,
            "WTF_CSRF_ENABLED": False,
        }
    )
    queue = app.extensions["grading_queue"]
    heartbeat.beat(queue.huey, 1)  # a worker said it is alive; none will take the job
    client = app.test_client()
    client.get("/api/session")
    first = client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": KEY})
    again = client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": KEY})
    assert first.status_code == again.status_code == 202
    assert again.get_json()["submission"] == first.get_json()["submission"]
    assert again.headers["Location"] == first.headers["Location"]
    without = client.post(URL, json={"code": SOLUTION})
    assert without.status_code == 429
    assert len(_stored(app)) == 1
    assert queue.pending_messages() == 1  # queued once


def test_two_processes_storing_the_same_key_at_once_keep_one_row(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process stores the same submit between this request's look-up and its insert:
    the unique index refuses the second row and the answer is the first one's."""
    learner = client.get("/api/session").get_json()["learner"]
    first = client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": "other"})
    course_id = _course_of(app, first.get_json()["submission"])
    real = GradingService.replay
    calls = {"n": 0}

    def late(self: GradingService, *args: object, **kwargs: object) -> Submission | None:
        calls["n"] += 1
        if calls["n"] <= 2:  # the look-ups before the insert: not there yet ...
            if calls["n"] == 2:  # ... and then the other process commits it
                with app.app_context():
                    db.session.add(
                        Submission(
                            course_id=course_id,
                            learner=learner,
                            exercise_id="walk",
                            code=SOLUTION,
                            idempotency_key=KEY,
                            status="graded",
                            score=100.0,
                        )
                    )
                    db.session.commit()
            return None
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(GradingService, "replay", late)
    answer = client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": KEY})
    assert answer.status_code == 200, answer.get_json()
    keyed = [row for row in _stored(app) if row[2] == KEY]
    assert len(keyed) == 1 and answer.get_json()["submission"] == keyed[0][0]


def _course_of(app: Flask, submission_id: int) -> int:
    with app.app_context():
        found = db.session.get(Submission, submission_id)
        assert found is not None
        return int(found.course_id)


def test_a_submit_sent_again_spends_no_submission_and_is_never_rate_limited(
    app: Flask, client: FlaskClient
) -> None:
    """A retry gets the stored submission: it is not a new one, so it neither spends the
    learner's submissions nor is refused with "too many submissions … not submitted"."""
    app.config["SUBMIT_RATE_LIMIT"] = "3 per minute"
    first = client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": KEY})
    for _ in range(5):  # retries before the limit is reached spend nothing
        again = client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": KEY})
        assert again.status_code == 200
        assert again.get_json()["submission"] == first.get_json()["submission"]
    for n in (2, 3):
        fresh = client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": f"k{n}"})
        assert fresh.status_code == 200, fresh.get_json()
    refused = client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": "k4"})
    assert refused.status_code == 429  # three new submissions: the limit is spent
    late = client.post(URL, json={"code": SOLUTION}, headers={"Idempotency-Key": KEY})
    assert late.status_code == 200  # a retry after the limit still gets its submission
    assert late.get_json()["submission"] == first.get_json()["submission"]
    assert len(_stored(app)) == 3
