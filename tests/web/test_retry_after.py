"""Every answer that says "wait" says the same wait in its ``Retry-After`` header and its body,
on the rate-limited submit routes too: Flask-Limiter never restates it as its own window's
reset (#10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from tutor.queue import heartbeat
from tutor.web import create_app
from tutor.web.grading_service import GradingService

from ..conftest import FIXTURE_LESSONS

SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py").read_text()
URL = "/api/exercises/walk/grade"
PAGE_URL = "/exercises/walk/submit"
MANY_IN_FLIGHT = {"GRADER_INFLIGHT_PER_LEARNER": 10, "GRADER_INFLIGHT_PER_IP": 10}


def _app(tmp_path: Path, worker: bool = True, **config: object) -> Flask:
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
            **config,
        }
    )
    if worker:  # a worker is alive (none consumes)
        heartbeat.beat(app.extensions["grading_queue"].huey, 1)
    return app


def _client(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.get("/api/session")
    return client


def test_a_database_outage_on_the_submit_route_says_five_seconds_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(tmp_path)
    client = _client(app)

    def down(*_args: object, **_kwargs: object) -> object:
        raise OperationalError("INSERT INTO submission ...", {}, Exception("server closed"))

    monkeypatch.setattr(GradingService, "submit", down)
    answer = client.post(URL, json={"code": SOLUTION})
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5" == str(answer.get_json()["retry_after"])
    page = client.post(PAGE_URL, data={"code": SOLUTION})
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"


def test_a_pending_submission_says_poll_in_one_second(tmp_path: Path) -> None:
    client = _client(_app(tmp_path))
    answer = client.post(URL, json={"code": SOLUTION})
    assert answer.status_code == 202
    assert answer.headers["Retry-After"] == "1"


def test_refusals_say_the_same_wait_in_header_and_body(tmp_path: Path) -> None:
    app = _app(tmp_path, SUBMIT_RATE_LIMIT="2 per minute")
    client = _client(app)
    assert client.post(URL, json={"code": SOLUTION}).status_code == 202
    in_flight = client.post(URL, json={"code": SOLUTION + "\n# 2\n"})  # one in flight already
    (tmp_path / "rate").mkdir()
    rate = _client(_app(tmp_path / "rate", SUBMIT_RATE_LIMIT="2 per minute", **MANY_IN_FLIGHT))
    for n in range(2):
        assert rate.post(URL, json={"code": SOLUTION + f"\n# {n}\n"}).status_code == 202
    limited = rate.post(URL, json={"code": SOLUTION + "\n# 3\n"})  # third in a minute
    assert (in_flight.status_code, limited.status_code) == (429, 429)
    for answer in (in_flight, limited):
        assert answer.headers["Retry-After"] == str(answer.get_json()["retry_after"])
    assert 50 <= limited.get_json()["retry_after"] <= 61  # the minute's window, not the queue's

    (tmp_path / "busy").mkdir()
    busy_app = _app(tmp_path / "busy", GRADER_QUEUE_SIZE=0)
    busy = _client(busy_app).post(URL, json={"code": SOLUTION})
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == str(busy.get_json()["retry_after"])


def test_reading_never_counts_against_the_submission_limit(tmp_path: Path) -> None:
    """The page's Submit and the API share one counter per learner; the GETs around them
    (lesson pages, the lesson list, a submission's report) are never limited by it."""
    app = _app(tmp_path, SUBMIT_RATE_LIMIT="2 per minute", **MANY_IN_FLIGHT)
    client = _client(app)
    assert client.post(URL, json={"code": SOLUTION}).status_code == 202
    assert client.post(PAGE_URL, data={"code": SOLUTION + "\n# 2\n"}).status_code in (200, 202)
    third = client.post(URL, json={"code": SOLUTION + "\n# 3\n"})
    assert third.status_code == 429 and "too many submissions" in third.get_json()["error"]
    assert "(2 per minute)" in third.get_json()["error"]
    assert "（每分钟 2 次）" in third.get_json()["error_zh"]  # all Chinese, not "2 per 1 minute"
    assert client.post(PAGE_URL, data={"code": SOLUTION + "\n# 4\n"}).status_code == 429
    for _ in range(5):
        for page in ("/", "/lessons/fixture-lesson", "/api/lessons", "/api/submissions/1"):
            assert client.get(page).status_code in (200, 202), page  # 202: still pending


def test_an_unreachable_queue_is_not_called_no_grader_and_says_when(tmp_path: Path) -> None:
    """With Redis down the learner was told "no grader is running (operators: start one)"
    while the workers ran, and no wait; both 503s now say when to try again."""
    down = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "LESSONS_DIR": str(FIXTURE_LESSONS),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'web.db'}",
            "QUEUE_URL": "redis://127.0.0.1:1/0",  # nothing listens there
            "GRADER": "process",
            "WTF_CSRF_ENABLED": False,
        }
    )
    answer = _client(down).post(URL, json={"code": SOLUTION})
    body = answer.get_json()
    assert answer.status_code == 503 and "queue cannot be reached" in body["error"], body
    assert "no grader" not in body["error"] and answer.headers["Retry-After"] == "5"
    page = _client(down).post(PAGE_URL, data={"code": SOLUTION})
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    (tmp_path / "none").mkdir()
    nobody = _client(_app(tmp_path / "none", worker=False)).post(URL, json={"code": SOLUTION})
    assert nobody.status_code == 503 and "no grader is running" in nobody.get_json()["error"]
    assert nobody.headers["Retry-After"] == str(nobody.get_json()["retry_after"])
