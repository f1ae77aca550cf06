"""What a script meets at the JSON API's edges (#11, docs/api.md): every error is JSON in both
languages with one shape, whatever produced it (the view, Werkzeug's router, Flask's own
``OPTIONS``); and a limit is spent only by what it limits — a POST refused before anything is
stored is not a submission, a session that already has its learner is not a new one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.web import create_app

from ..conftest import FIXTURE_LESSONS
from .test_retry_after import MANY_IN_FLIGHT

SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py").read_text()
URL = "/api/exercises/walk/grade"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _app(tmp_path: Path, **config: object) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "LESSONS_DIR": str(FIXTURE_LESSONS),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'web.db'}",
            "QUEUE_URL": "immediate",
            "GRADER": "process",
            "WTF_CSRF_ENABLED": False,
            **config,
        }
    )


def _client(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.get("/api/session")
    return client


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/api/exercises/no-such-thing/grade", {"code": "x"}, 404),
        ("GET", "/api/no-such-endpoint", None, 404),
        ("GET", "/api", None, 404),
        ("GET", "/api//lessons", None, 404),
        ("POST", "/api/exercises/walk//grade", {"code": "x"}, 404),
        ("GET", "/api/submissions/999999", None, 404),
        ("GET", URL, None, 405),
        ("DELETE", "/api/lessons", None, 405),
        ("POST", URL, "code=1", 415),
        ("POST", URL, {"code": 5}, 400),
        ("POST", URL, ["code"], 400),
        ("POST", URL, {"code": "#" * 2_000_000}, 413),
    ],
)
def test_every_error_is_json_with_english_and_chinese(
    tmp_path: Path, method: str, path: str, body: object, status: int
) -> None:
    client = _client(_app(tmp_path))
    if isinstance(body, str):
        answer = client.open(path, method=method, data=body, content_type="text/plain")
    else:
        answer = client.open(path, method=method, json=body)
    assert answer.status_code == status and answer.mimetype == "application/json"
    error = answer.get_json()
    assert set(error) >= {"error", "error_zh"}, error
    assert HAN.search(error["error_zh"]) and not HAN.search(error["error"])
    assert "entered the URL manually" not in error["error"]  # Werkzeug's words for a browser


def test_no_session_and_no_grader_are_json_in_both_languages(tmp_path: Path) -> None:
    fresh = _app(tmp_path).test_client().post(URL, json={"code": SOLUTION})  # never had a session
    assert fresh.status_code == 403 and HAN.search(fresh.get_json()["error_zh"])
    (tmp_path / "queued").mkdir()
    queued = _app(tmp_path / "queued", QUEUE_URL=f"sqlite:///{tmp_path / 'queued' / 'q.db'}")
    nobody = _client(queued).post(URL, json={"code": SOLUTION})  # no worker has ever beaten
    assert nobody.status_code == 503, nobody.get_data(as_text=True)
    assert HAN.search(nobody.get_json()["error_zh"])


def test_options_answers_json_and_grants_no_other_site(tmp_path: Path) -> None:
    answer = _client(_app(tmp_path)).options(URL, headers={"Origin": "http://evil.example"})
    assert answer.mimetype == "application/json"
    assert set(answer.get_json()["allow"]) == {"POST", "OPTIONS"}
    assert "Access-Control-Allow-Origin" not in answer.headers


def test_a_byte_order_mark_before_the_json_is_allowed(tmp_path: Path) -> None:
    answer = _client(_app(tmp_path)).post(
        URL,
        data=b"\xef\xbb\xbf" + f'{{"code": {SOLUTION!r}}}'.replace("'", '"').encode(),
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["verdict"] == "passed"


def test_an_unknown_id_is_named_not_mirrored_whole(tmp_path: Path) -> None:
    answer = _client(_app(tmp_path)).post(f"/api/exercises/{'x' * 20_000}/grade", json={})
    assert answer.status_code == 404 and len(answer.get_data()) < 1000


def test_requests_refused_before_storing_spend_no_submissions(tmp_path: Path) -> None:
    app = _app(tmp_path, SUBMIT_RATE_LIMIT="2 per minute", **MANY_IN_FLIGHT)
    client = _client(app)
    for refused in (
        client.post(URL, data="{", content_type="application/json"),  # 400
        client.post(URL, data="code=1", content_type="text/plain"),  # 415
        client.post(URL, json={"code": None}),  # 400
        client.post("/api/exercises/nope/grade", json={"code": "x"}),  # 404
        client.post(URL, json={"code": "x"}, headers={"Idempotency-Key": " "}),  # 400
    ):
        assert 400 <= refused.status_code < 500 and refused.status_code != 429
    for n in range(2):
        assert client.post(URL, json={"code": SOLUTION + f"\n# {n}\n"}).status_code == 200
    third = client.post(URL, json={"code": SOLUTION + "\n# 3\n"})
    assert third.status_code == 429 and "too many submissions" in third.get_json()["error"]


def test_a_session_that_has_its_learner_is_not_a_new_session(tmp_path: Path) -> None:
    app = _app(tmp_path, SESSION_RATE_LIMIT="2 per minute")
    kept = app.test_client()
    for _ in range(6):  # a script fetching its token again, cookie kept
        assert kept.get("/api/session").status_code == 200
    minted = [app.test_client().get("/api/session") for _ in range(3)]  # no cookie: new ones
    assert [m.status_code for m in minted[:1]] == [200] and minted[-1].status_code == 429
    refusal = minted[-1].get_json()
    assert "new sessions" in refusal["error"] and "submission" not in refusal["error"]
    assert HAN.search(refusal["error_zh"]) and refusal["retry_after"] >= 1


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_body_with_a_number_json_does_not_have_is_refused(tmp_path: Path, constant: str) -> None:
    """Python's reader takes NaN and Infinity; JSON has neither (RFC 8259 §6)."""
    client = _client(_app(tmp_path))
    body = '{"code": "def path(a, b):\\n    return []\\n", "n": ' + constant + "}"
    answer = client.post(URL, data=body, content_type="application/json")
    assert answer.status_code == 400 and "not valid JSON" in answer.get_json()["error"]
