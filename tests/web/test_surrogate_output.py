"""Learner code may print a lone surrogate or put one in an exception's message (Python strings
can hold one; UTF-8 cannot): the verdict is still recorded and shown, with the character
written as its escape, and the learner's next Submit is not blocked by a submission stuck
"grading" (its report could not be stored before)."""

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
