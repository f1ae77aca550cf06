"""Reports as a learner and an author meet them: counted verdicts from Submit, no score beside
"still being graded", and check-lessons refusing practice cases that miss a hidden kind."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from flask import Flask, render_template
from flask.testing import FlaskClient

from tutor.web import create_app

from ..conftest import FIXTURE_LESSONS

LESSONS_DIR = FIXTURE_LESSONS  # the app serves the fixture lesson (tests/conftest.py)

SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py").read_text()
STOPS_EARLY = "def path(layers, skip):\n    return layers[:1]\n"


def shown(fragment: str) -> str:
    """The text a reader sees: without the replay data the page's script reads."""
    fragment = re.sub(r"<script[^>]*>.*?</script>", "", fragment, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def submit(client: FlaskClient, code: str) -> str:
    response = client.post(
        "/exercises/walk/submit", data={"code": code}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_submit_counts_cases_and_says_what_was_checked(client: FlaskClient) -> None:
    text = shown(submit(client, STOPS_EARLY))
    found = re.search(r"Not yet: (\d+) of (\d+) cases pass\.", text)
    assert found, text
    passed, total = int(found[1]), int(found[2])
    assert 0 <= passed < total
    assert "%" not in text and "graded on your hidden cases on the server" in text
    # One message for the problem, however many cases it breaks.
    assert text.count("the path stops after") == 1
    passed_text = shown(submit(client, SOLUTION))
    assert f"Passed: all {total} cases are correct." in passed_text


def test_submit_shows_what_the_code_printed(client: FlaskClient) -> None:
    code = SOLUTION.replace(
        "def path(layers, skip):\n", "def path(layers, skip):\n    print('asked', layers[0])\n"
    )
    text = shown(submit(client, code))
    assert "What your code printed" in text and "asked app" in text


def test_a_pending_report_has_no_score(app: Flask) -> None:
    with app.test_request_context("/"):
        html = render_template("_report.html", report={"verdict": "pending", "cases": []})
    text = shown(html)
    assert "Grading…" in text and "the verdict appears here" in text
    assert "Not yet" not in text and "0" not in text and "data-score" not in html


def test_check_lessons_refuses_practice_that_misses_a_hidden_kind(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS, lessons)
    cases = lessons / "01-fixture/exercises/walk/cases.py"
    # An author who practises only plain stacks, while the hidden cases skip layers too.
    cases.write_text(
        cases.read_text() + "\nPRACTICE = [c for c in PRACTICE if 'plain' in c['kinds']]\n"
    )
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "LESSONS_DIR": str(lessons)})
    result = app.test_cli_runner().invoke(args=["tutor", "check-lessons"])
    assert result.exit_code != 0
    assert "that no practice case covers" in result.output and "'skip'" in result.output


def test_a_lesson_naming_an_unknown_animation_is_refused(tmp_path: Path) -> None:
    from tutor.content.loader import LessonError

    lessons = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS, lessons)
    manifest = lessons / "01-fixture/lesson.toml"
    manifest.write_text(
        manifest.read_text().replace('animation = "layer-stacks"', 'animation = "layer-stack"')
    )
    try:
        create_app({"TESTING": True, "SECRET_KEY": "t", "LESSONS_DIR": str(lessons)})
    except LessonError as exc:
        assert "lesson.toml: animation: unknown animation 'layer-stack'" in str(exc)
        # The message lists every registered animation (other lessons register theirs too).
        registered = str(exc).split("registered: ", 1)[1].split(", ")
        assert "layer-stacks" in registered and "layer-stack" not in registered
    else:
        raise AssertionError("a lesson with an unknown animation was loaded")
