"""The JSON API against another site, and against output amplification (#11).

With CSRF protection on (as in production): only JSON, only from this site (a CSRF token,
``Sec-Fetch-Site: same-origin`` or this site's ``Origin``), only for a learner who already has a
session — a cross-site POST neither grades as the victim nor replaces their session. Code over
200 KB is refused before anything is stored; a report, however much the program printed or
returned, is stored and served within its budget.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.grading.report_budget import MAX_REPORT_BYTES
from tutor.web import create_app
from tutor.web.extensions import db
from tutor.web.models import Submission

from ..conftest import FIXTURE_LESSONS

URL = "/api/exercises/walk/grade"
SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py").read_text()
EVIL = "https://evil.example"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    yield create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "api-security",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'api.db'}",
            "WTF_CSRF_ENABLED": True,
            "LESSONS_DIR": str(FIXTURE_LESSONS),
            "GRADER": "process",
            "QUEUE_URL": "immediate",
        }
    )


def _rows(app: Flask) -> int:
    with app.app_context():
        return len(db.session.execute(db.select(Submission)).scalars().all())


def _victim(app: Flask) -> tuple[FlaskClient, str, str]:
    """A learner who opened the site: their client, learner id and CSRF token."""
    client = app.test_client()
    body = client.get("/api/session").get_json()
    return client, body["learner"], body["csrf_token"]


def _learner_in_cookie(app: Flask, client: FlaskClient) -> object:
    """The learner the browser's session cookie names now."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return serializer.loads(cookie.value).get("learner")


def test_cross_site_posts_neither_grade_nor_replace_the_session(app: Flask) -> None:
    victim, learner, _ = _victim(app)
    body = json.dumps({"code": SOLUTION})
    attempts = [
        # A form on another site: text/plain (or form-encoded) body, the cookie sent or not.
        victim.post(URL, data=body, content_type="text/plain", headers={"Origin": EVIL}),
        victim.post(URL, data={"code": SOLUTION}, headers={"Origin": EVIL}),
        # A script on another site or a sibling subdomain: JSON, but not from this origin.
        victim.post(URL, json={"code": SOLUTION}, headers={"Origin": EVIL}),
        victim.post(URL, json={"code": SOLUTION}, headers={"Sec-Fetch-Site": "same-site"}),
        victim.post(URL, json={"code": SOLUTION}, headers={"X-CSRFToken": "forged"}),
        victim.post(URL, json={"code": SOLUTION}),
    ]
    assert [r.status_code for r in attempts] == [415, 415, 403, 403, 403, 403]
    assert all("error" in r.get_json() for r in attempts)
    assert _rows(app) == 0
    assert _learner_in_cookie(app, victim) == learner
    assert victim.get("/api/session").get_json()["learner"] == learner


def test_a_post_without_a_session_makes_no_learner(app: Flask) -> None:
    stranger = app.test_client()
    response = stranger.post(URL, json={"code": SOLUTION})
    assert response.status_code == 403 and "GET /api/session" in response.get_json()["error"]
    assert "Set-Cookie" not in response.headers and _rows(app) == 0


def test_this_site_grades_with_a_token_or_its_own_origin(app: Flask) -> None:
    client, _, token = _victim(app)
    own = "http://localhost"
    ways = [
        {"X-CSRFToken": token},
        {"Sec-Fetch-Site": "same-origin"},
        {"Origin": own},
    ]
    for headers in ways:
        response = client.post(URL, json={"code": SOLUTION}, headers=headers)
        assert response.status_code == 200, (headers, response.get_json())
        assert response.get_json()["verdict"] == "passed"
    assert _rows(app) == len(ways)


def test_code_over_200_kb_is_refused_before_it_is_stored(app: Flask) -> None:
    client, _, token = _victim(app)
    big = "x = 1\n" * 40_000  # 240 KB: under the 1 MB request limit, over the code limit
    response = client.post(URL, json={"code": big}, headers={"X-CSRFToken": token})
    assert response.status_code == 413 and "200 KB" in response.get_json()["error"]
    page = client.post(
        "/exercises/walk/submit",
        data={"code": big, "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert page.status_code == 413 and "200 KB" in page.get_data(as_text=True)
    assert _rows(app) == 0


def test_code_just_under_200_kb_of_chinese_is_taken_from_the_page(app: Flask) -> None:
    """The page's Submit sends a form: each byte of Chinese text travels as "%XX", so 195 KB of
    code is a 585 KB request, which the request limit must take."""
    client, _, token = _victim(app)
    comments = "# 虚拟机的资源池与调度说明\n" * 4_950  # ≈ 193 KB of UTF-8
    code = comments + SOLUTION
    assert 190_000 < len(code.encode()) < 200_000
    page = client.post(
        "/exercises/walk/submit",
        data={"code": code, "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert page.status_code in (200, 202), page.get_data(as_text=True)[:300]
    assert _rows(app) == 1


AMPLIFIERS = {
    "returns_megabytes": "def path(kind, operation):\n    return ['z' * 100_000] * 8\n",
    "raises_megabytes": "def path(kind, operation):\n    raise ValueError('e' * 900_000)\n",
    "prints_and_returns": (
        "def path(kind, operation):\n    print('y' * 60_000)\n    return ['w' * 200_000]\n"
    ),
}


@pytest.mark.parametrize("code", AMPLIFIERS.values(), ids=AMPLIFIERS.keys())
def test_a_small_program_cannot_make_a_huge_report(app: Flask, code: str) -> None:
    client, _, token = _victim(app)
    response = client.post(URL, json={"code": code}, headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json()["verdict"] != "passed"
    assert len(response.get_data()) < MAX_REPORT_BYTES + 4096
    with app.app_context():
        (row,) = db.session.execute(db.select(Submission)).scalars()
        assert row.report_json is not None and len(row.report_json.encode()) <= MAX_REPORT_BYTES
        number = row.id
    fragment = client.get(f"/submissions/{number}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and len(fragment.get_data()) < 2 * MAX_REPORT_BYTES


def test_a_token_checked_once_is_still_only_its_own_sessions(app: Flask) -> None:
    """A token found valid is not checked again (``csrf_tokens``, #15): it must still be
    refused in another session, under another key, and after a session's token changes."""
    victim, _, token = _victim(app)
    submit = {"json": {"code": SOLUTION}}
    assert victim.post(URL, **submit, headers={"X-CSRFToken": token}).status_code == 200
    assert victim.post(URL, **submit, headers={"X-CSRFToken": token}).status_code == 200
    stranger, _, own_token = _victim(app)
    assert stranger.post(URL, **submit, headers={"X-CSRFToken": token}).status_code == 403
    assert stranger.post(URL, **submit, headers={"X-CSRFToken": own_token}).status_code == 200
    app.config["WTF_CSRF_SECRET_KEY"] = "another key"  # the session holds, its token not
    assert victim.post(URL, **submit, headers={"X-CSRFToken": token}).status_code == 403
    with victim.session_transaction() as session:
        session.pop("csrf_token")
    assert victim.post(URL, **submit, headers={"X-CSRFToken": token}).status_code == 403


def test_with_a_time_limit_an_old_token_is_refused(app: Flask) -> None:
    app.config["WTF_CSRF_TIME_LIMIT"] = 60
    client, _, token = _victim(app)
    submit = {"json": {"code": SOLUTION}, "headers": {"X-CSRFToken": token}}
    assert client.post(URL, **submit).status_code == 200
    later = time.time() + 120
    with mock.patch("itsdangerous.timed.time.time", return_value=later):
        assert client.post(URL, **submit).status_code == 403
