"""``GRADER``: the sandbox by default, a loud development-only fallback, and a clear refusal."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tutor.grading.sandbox import SandboxUnavailable
from tutor.queue import grader as queue_grader
from tutor.web import create_app
from tutor.web.extensions import db
from tutor.web.models import Submission

from ..conftest import FIXTURE_LESSONS

# Any exercises will do: the fixture lesson's, so editing a course lesson cannot break these.
WALK = FIXTURE_LESSONS / "01-fixture/exercises/walk"
SOLUTION = (WALK / "solution.py").read_text()


def _config(tmp_path: Path, **extra: object) -> dict[str, object]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'selection.db'}",
        "WTF_CSRF_ENABLED": False,
        # Graded inside the request through the worker's own code path (no worker process).
        "QUEUE_URL": "immediate",
        "LESSONS_DIR": str(FIXTURE_LESSONS),
        **extra,
    }


def _learner(app: Flask) -> FlaskClient:
    """A browser that opened the site (the API makes no learner on a POST)."""
    client = app.test_client()
    client.get("/api/session")
    return client


def test_sandbox_is_the_default_and_grades(tmp_path: Path) -> None:
    app = create_app(_config(tmp_path, GRADER_WORKERS=2))
    service = app.extensions["grading"]
    assert service.mode == "sandbox"
    body = _learner(app).post("/api/exercises/walk/grade", json={"code": SOLUTION})
    assert body.get_json()["verdict"] == "passed"
    judge = app.extensions["grading_queue"].grader().judge()
    assert type(judge.runner).__name__ == "SandboxRunner"


def test_without_a_sandbox_grading_is_refused_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*pool: object) -> None:
        raise SandboxUnavailable("bubblewrap is not installed (apt-get install bubblewrap)")

    monkeypatch.setattr(queue_grader, "shared_pool", broken)
    app = create_app(_config(tmp_path))
    client = _learner(app)
    api = client.post("/api/exercises/walk/grade", json={"code": SOLUTION})
    assert api.status_code == 503
    error = api.get_json()["error"]
    assert "bubblewrap is not installed" in error and "GRADER='process'" in error
    page = client.post("/exercises/walk/submit", data={"code": SOLUTION})
    assert page.status_code == 503 and "bubblewrap is not installed" in page.get_data(True)
    cli = app.test_cli_runner().invoke(
        args=[
            "tutor",
            "grade",
            "walk",
            str(WALK / "solution.py"),
        ]
    )
    assert cli.exit_code != 0 and "bubblewrap is not installed" in cli.output
    with app.app_context():
        assert db.session.execute(db.select(Submission)).first() is None  # refused, not stored


def test_process_grader_is_explicit_and_loud(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        app = create_app(_config(tmp_path, GRADER="process"))
    assert any("WITHOUT the sandbox" in r.getMessage() for r in caplog.records)
    body = _learner(app).post("/api/exercises/walk/grade", json={"code": SOLUTION})
    assert body.get_json()["verdict"] == "passed"


def test_an_unknown_grader_is_a_start_up_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="GRADER must be one of"):
        create_app(_config(tmp_path, GRADER="docker"))


def test_feedback_names_the_smallest_failing_case_its_rule_and_trace(tmp_path: Path) -> None:
    app = create_app(_config(tmp_path, GRADER_WORKERS=2))
    # A loop that drops the guest's output: the empty word passes, the first real one fails.
    loop = "def run_vm(vcpu, devices):\n    while vcpu.run().reason != 'HLT':\n        pass\n"
    body = _learner(app).post("/api/exercises/echo-loop/grade?traces=1", json={"code": loop})
    report = body.get_json()
    assert report["verdict"] == "failed" and 0 <= report["score"] < 100
    first = next(c for c in report["cases"] if not c["passed"])
    assert report["failing_case"] == first["name"] == "out · hlt"
    assert report["rule"] and report["message"] == first["message"]
    # The learner's own hidden case: no trace (it could hold the model's answer), even asked.
    assert "trace" not in first and "trace" not in report
