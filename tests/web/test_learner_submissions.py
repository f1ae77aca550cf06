"""A learner's submissions in the odd moments: code whose output holds a lone surrogate still
gets a verdict (Python strings can hold one; UTF-8 cannot, and the report could not be stored,
leaving the submission "grading" and the learner's next Submit blocked), and a page reloaded
while a Submit was on its way finds that submission."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import FIXTURE_LESSONS

LESSONS_DIR = FIXTURE_LESSONS
SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py").read_text()
PRINTS = 'print("before \\udcff after")\n' + SOLUTION
RAISES = 'def path(layers, skip):\n    raise ValueError("bad \\ud800 value")\n'


def test_a_printed_or_raised_lone_surrogate_still_gets_a_verdict(client: FlaskClient) -> None:
    client.get("/api/session")
    printed = client.post("/api/exercises/walk/grade?traces=1", json={"code": PRINTS})
    assert printed.status_code == 200
    body = printed.get_json()
    assert body["verdict"] == "passed"
    assert any("before \\udcff after" in case.get("stdout", "") for case in body["cases"])
    raised = client.post("/api/exercises/walk/grade", json={"code": RAISES})
    assert raised.status_code == 200  # not 429: the first is not stuck "grading"
    assert raised.get_json()["verdict"] in ("failed", "error")
    assert "bad \\ud800 value" in raised.get_data(as_text=True).replace("\\\\", "\\")
    again = client.post("/api/exercises/walk/grade", json={"code": SOLUTION})
    assert again.status_code == 200 and again.get_json()["verdict"] == "passed"
    shown = client.get(f"/api/submissions/{body['submission']}")
    assert shown.status_code == 200
    page = client.get(f"/submissions/{body['submission']}")
    assert page.status_code == 200 and "udcff" in page.get_data(as_text=True)


def test_the_latest_submission_is_the_learners_own_newest(client: FlaskClient) -> None:
    """What a page reloaded mid-Submit shows (place.js): this learner's newest submission of the
    exercise, with its id for a later language switch; 204 when they have none."""
    client.get("/api/session")
    assert client.get("/exercises/walk/latest").status_code == 204
    assert client.get("/exercises/no-such-exercise/latest").status_code == 204
    first = client.post(
        "/api/exercises/walk/grade", json={"code": "def path(a, b):\n    return []\n"}
    )
    second = client.post("/api/exercises/walk/grade", json={"code": SOLUTION})
    newest = client.get("/exercises/walk/latest", headers={"HX-Request": "true"})
    assert newest.status_code == 200
    assert newest.headers["X-Submission-Id"] == str(second.get_json()["submission"])
    assert f"Submission #{second.get_json()['submission']}" in newest.get_data(as_text=True)
    assert str(first.get_json()["submission"]) != newest.headers["X-Submission-Id"]
    stranger = client.application.test_client()
    stranger.get("/api/session")
    assert stranger.get("/exercises/walk/latest").status_code == 204  # never someone else's
