"""Pages, htmx fragments and the submit path, through Flask's test client."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.web import duplicate_submit
from tutor.web.extensions import db
from tutor.web.models import Submission

from ..conftest import FIXTURE_LESSONS
from .lesson_pages import lesson_data

LESSONS_DIR = FIXTURE_LESSONS  # the app serves the fixture lesson (tests/conftest.py)

SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/echo-loop/solution.py").read_text()
WALK_SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py").read_text()
LESSON = "/lessons/fixture-lesson"


def test_outline_lists_the_lesson(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert f'href="{LESSON}"' in page
    assert "Fixture: a request walks down a stack" in page


def test_lesson_page_has_exercises_animation_data_and_no_solution(client: FlaskClient) -> None:
    response = client.get(LESSON)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "HX-Request" in response.headers["Vary"]
    payloads = [
        json.loads(m)
        for m in re.findall(
            r'<script type="application/json" class="exercise-data">(.*?)</script>', page, re.S
        )
    ]
    assert [p["id"] for p in payloads] == ["walk", "echo-loop"]
    vcpu = next(p for p in payloads if p["id"] == "echo-loop")
    assert vcpu["cases"][0]["expected"]["halted"] is True
    # The scenes, the drivers and the cases' expected traces come in the lesson's data file
    # (fetched once, kept), in case order: the page carries none of them (#15).
    assert all("driver" not in p for p in payloads) and "def compare" not in page
    assert all("expected_trace" not in case for case in vcpu["cases"])
    data = lesson_data(client, page)
    assert "def compare" in data["drivers"]["echo-loop"]
    assert "world_switch" in data["scenes"]["stacks"]["type2"]
    traces = data["traces"]["echo-loop"]
    assert len(traces) == len(vcpu["cases"]) and all(traces)
    for text in (page, json.dumps(data)):
        assert WALK_SOLUTION.splitlines()[1].strip() not in text  # the reference solution's line


def test_d3_comes_from_the_cdn_with_sri_unless_local_only(app: Flask) -> None:
    page = app.test_client().get(LESSON).get_data(as_text=True)
    loader = re.search(r'<script src="/static/js/d3-fallback\.js\?v=[0-9a-f]{12}"[^>]*>', page)
    assert loader, "the d3 loader script is on the page"
    # Only the d3 modules the site uses, each from the CDN with its own SRI hash, in order.
    cdn = re.search(r'data-cdn="([^"]*)"', loader.group(0))
    assert cdn
    modules = [url.rsplit("/", 1)[1] for url in cdn.group(1).split()]
    assert modules.index("d3-selection.min.js") < modules.index("d3-transition.min.js")
    assert "d3.min.js" not in modules and "d3-scale.min.js" not in modules
    assert all(url.startswith("https://cdn.jsdelivr.net/npm/d3-") for url in cdn.group(1).split())
    hashes = re.search(r'data-integrity="([^"]*)"', loader.group(0))
    assert hashes and len(hashes.group(1).split()) == len(modules)
    assert all(h.startswith("sha384-") for h in hashes.group(1).split())
    copies = re.search(r'data-local="([^"]*)"', loader.group(0))
    assert copies and len(copies.group(1).split()) == len(modules)
    assert re.search(
        r"/static/vendor/d3-selection-[\d.]+/dist/d3-selection\.min\.js\?v=\w+", copies.group(1)
    )
    # Never a parser-blocking <script src> on the CDN: one that hangs would freeze the page.
    assert not re.search(r'<script[^>]+src="https://', page)
    app.config["ASSETS_MODE"] = "local"
    local = app.test_client().get(LESSON).get_data(as_text=True)
    assert "cdn.jsdelivr.net" not in local and "/dist/d3-transition.min.js" in local


def test_unknown_lesson_is_404(client: FlaskClient) -> None:
    assert client.get("/lessons/nope").status_code == 404


def test_language_switch_sets_cookie_and_only_redirects_locally(client: FlaskClient) -> None:
    response = client.get(f"/lang/zh?next={LESSON}")
    assert response.status_code == 302 and response.location.endswith(LESSON)
    assert "lang=zh" in response.headers["Set-Cookie"]
    assert client.get(LESSON).get_data(as_text=True).count("测试课：请求沿分层结构向下走") > 0
    assert client.get("/lang/zh?next=https://evil.example/").location.endswith("/")
    assert client.get("/lang/fr").status_code == 404


def test_htmx_submit_stores_then_returns_the_fragment(app: Flask, client: FlaskClient) -> None:
    response = client.post(
        "/exercises/echo-loop/submit", data={"code": SOLUTION}, headers={"HX-Request": "true"}
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert 'data-verdict="passed"' in fragment
    with app.app_context():
        stored = db.session.execute(db.select(Submission)).scalar_one()
        assert stored.status == "graded" and stored.score == 100 and stored.code == SOLUTION


def test_plain_form_submit_gets_a_full_page(client: FlaskClient) -> None:
    response = client.post(
        "/exercises/walk/submit", data={"code": "def path(layers, skip):\n    return []\n"}
    )
    page = response.get_data(as_text=True)
    assert "<html" in page and 'data-verdict="failed"' in page and "the path stops after" in page


def test_submit_without_csrf_token_is_refused(app: Flask) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().post("/exercises/walk/submit", data={"code": "x"})
    assert response.status_code == 400


def stored(app: Flask) -> list[Submission]:
    with app.app_context():
        return list(db.session.execute(db.select(Submission)).scalars().all())


def test_the_same_code_sent_twice_at_once_is_stored_once(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = client.post("/exercises/echo-loop/submit", data={"code": SOLUTION})
    again = client.post("/exercises/echo-loop/submit", data={"code": SOLUTION})
    assert first.status_code == again.status_code == 200
    assert first.headers["X-Submission-Id"] == again.headers["X-Submission-Id"]
    assert 'data-verdict="passed"' in again.get_data(as_text=True)
    assert len(stored(app)) == 1

    changed = client.post("/exercises/echo-loop/submit", data={"code": SOLUTION + "\n"})
    assert changed.headers["X-Submission-Id"] != first.headers["X-Submission-Id"]
    other_learner = app.test_client().post("/exercises/echo-loop/submit", data={"code": SOLUTION})
    assert other_learner.headers["X-Submission-Id"] not in {
        first.headers["X-Submission-Id"],
        changed.headers["X-Submission-Id"],
    }
    assert len(stored(app)) == 3

    monkeypatch.setattr(duplicate_submit, "DUPLICATE_WINDOW", timedelta(0))
    later = client.post("/exercises/echo-loop/submit", data={"code": SOLUTION + "\n"})
    assert later.headers["X-Submission-Id"] != changed.headers["X-Submission-Id"]
    assert len(stored(app)) == 4


def test_a_stored_verdict_is_shown_again_in_the_current_language_to_its_learner_only(
    app: Flask, client: FlaskClient
) -> None:
    sent = client.post(
        "/exercises/walk/submit", data={"code": "def path(layers, skip):\n    return []\n"}
    )
    number = sent.headers["X-Submission-Id"]
    english = client.get(f"/submissions/{number}", headers={"HX-Request": "true"})
    assert english.status_code == 200 and "<html" not in english.get_data(as_text=True)
    assert 'data-verdict="failed"' in english.get_data(as_text=True)
    chinese = client.get(f"/submissions/{number}?lang=zh", headers={"HX-Request": "true"})
    zh = chinese.get_data(as_text=True)
    assert 'data-verdict="failed"' in zh and "提交" in zh
    assert english.get_data(as_text=True) != zh
    full = client.get(f"/submissions/{number}").get_data(as_text=True)
    assert "<html" in full and "Back to the lesson" in full
    assert app.test_client().get(f"/submissions/{number}").status_code == 404
    assert client.get("/submissions/999999").status_code == 404


def test_a_signed_in_learners_first_submit_on_a_new_database_gets_its_page(app: Flask) -> None:
    """The first Submit makes the self-study course; that must not cost the request the signed-in
    account it still has to show (it used to end in a 500, DetachedInstanceError)."""
    from .course_site_helpers import account, signed_in

    account(app, "first@example.org")
    client = signed_in(app, "first@example.org")
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(
            "/exercises/echo-loop/submit", data={"code": SOLUTION}, headers=headers
        )
        assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
        assert 'data-verdict="passed"' in response.get_data(as_text=True)
