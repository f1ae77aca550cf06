"""``flask tutor grade`` and ``init-db`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from flask.testing import FlaskCliRunner

from ..conftest import FIXTURE_LESSONS

LESSONS_DIR = FIXTURE_LESSONS  # the app serves the fixture lesson (tests/conftest.py)

SOLUTION = FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py"


def test_grade_a_file_prints_the_report(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["tutor", "grade", "walk", str(SOLUTION)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["verdict"] == "passed" and report["score"] == 100


def test_grade_a_wrong_file_exits_non_zero(runner: FlaskCliRunner, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.py"
    wrong.write_text("def path(layers, skip):\n    return layers[:1]\n")
    result = runner.invoke(args=["tutor", "grade", "walk", str(wrong)])
    assert result.exit_code == 1
    assert "the path stops after" in json.loads(result.output)["message"]["en"]


def test_grade_rejects_unknown_exercise_and_non_utf8(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    unknown = runner.invoke(args=["tutor", "grade", "nope", str(SOLUTION)])
    assert unknown.exit_code != 0 and "no exercise 'nope'" in unknown.output
    latin = tmp_path / "latin.py"
    latin.write_bytes("# caf\xe9\n".encode("latin-1"))
    result = runner.invoke(args=["tutor", "grade", "walk", str(latin)])
    assert result.exit_code != 0 and "is not UTF-8 text" in result.output


def test_init_db_is_idempotent(runner: FlaskCliRunner) -> None:
    for _ in range(2):
        result = runner.invoke(args=["tutor", "init-db"])
        assert result.exit_code == 0 and "demo course 'demo'" in result.output
