"""The lesson page's practice cases come from the lesson build: a web process never runs a
reference solution (#10). A reference that would fail if it ran still gives a page with its
practice cases, because nothing in the web process runs it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from flask import Flask

from tutor.content import build as lesson_build
from tutor.content import load_catalog
from tutor.grading import judge, runner
from tutor.grading.judge import Judge
from tutor.grading.runner import InProcessRunner
from tutor.web import create_app

from ..conftest import FIXTURE_LESSONS
from .lesson_pages import lesson_data

LESSON = "fixture-lesson"
EXERCISES = ("walk", "echo-loop")
BROKEN = "raise RuntimeError('this reference fails whenever it runs')\n"


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    copy = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.fixture
def expected(lessons: Path) -> dict[str, list[dict[str, object]]]:
    """What the reference computes for each exercise's practice cases (run here, in the test,
    before the web process is told it may run nothing)."""
    reference = Judge(InProcessRunner())
    catalog = load_catalog(lessons)
    return {
        e.id: json.loads(json.dumps(reference.practice_payload(e)))
        for e in catalog.exercises()
        if e.id in EXERCISES
    }


def _app(lessons: Path, builds: Path, database: Path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "LESSONS_DIR": str(lessons),
            "LESSON_BUILDS_DIR": str(builds),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "GRADER": "process",
            "QUEUE_URL": "immediate",
        }
    )


def forbid_references(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on every way this process could run a reference solution fails loudly (and is
    recorded): the judge's reference, its practice payload, and each runner."""
    ran: list[str] = []

    def refuse(name: str) -> object:
        def refused(*_args: object, **_kwargs: object) -> object:
            ran.append(name)
            raise AssertionError(f"{name} ran in the web process")

        return refused

    monkeypatch.setattr(judge.Judge, "reference", refuse("Judge.reference"))
    monkeypatch.setattr(judge.Judge, "practice_payload", refuse("Judge.practice_payload"))
    monkeypatch.setattr(runner.InProcessRunner, "run", refuse("InProcessRunner.run"))
    monkeypatch.setattr(runner.ProcessRunner, "run", refuse("ProcessRunner.run"))
    return ran


def _break_references(app: Flask) -> None:
    """The web process's copy of every reference now fails if anything runs it."""
    for exercise in app.extensions["catalog"].exercises():
        exercise.solution = BROKEN


def _page_cases(app: Flask) -> dict[str, list[dict[str, object]]]:
    """The practice cases as Run sends them: from the page, with their expected traces from
    the lesson's data file."""
    client = app.test_client()
    page = client.get(f"/lessons/{LESSON}")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    traces = lesson_data(client, page.get_data(as_text=True))["traces"]
    found = {}
    for raw in re.findall(
        r'<script type="application/json" class="exercise-data">(.*?)</script>',
        page.get_data(as_text=True),
        re.S,
    ):
        data = json.loads(raw)
        found[data["id"]] = [
            {**case, "expected_trace": trace}
            for case, trace in zip(data["cases"], traces[data["id"]], strict=True)
        ]
    return found


def test_the_page_serves_the_builds_practice_cases_and_runs_no_reference(
    lessons: Path,
    tmp_path: Path,
    expected: dict[str, list[dict[str, object]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    builds = tmp_path / "builds"
    app = _app(lessons, builds, tmp_path / "web.db")
    # The build step (in production its own process, before the web starts) runs the references.
    built = app.test_cli_runner().invoke(args=["tutor", "build-lessons"])
    assert built.exit_code == 0, built.output
    ran = forbid_references(monkeypatch)
    _break_references(app)

    shown = _page_cases(app)

    assert shown == expected
    assert all(shown[e] and all("expected" in case for case in shown[e]) for e in EXERCISES)
    assert ran == []


def test_without_a_build_the_page_has_a_child_process_build_it(
    lessons: Path,
    tmp_path: Path,
    expected: dict[str, list[dict[str, object]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first start after a change to the lessons: nothing is built yet. The web process
    runs the build as a child (whose references are the files on disk, which work) and reads
    what it wrote; its own (broken) copies never run."""
    builds = tmp_path / "builds"
    app = _app(lessons, builds, tmp_path / "web.db")
    ran = forbid_references(monkeypatch)
    _break_references(app)

    shown = _page_cases(app)

    assert shown == expected
    assert ran == []
    build = app.extensions["lesson_build"]
    assert lesson_build.read_practice(build, builds) == expected
    # A second web process on the same build reads the file: it builds nothing.
    again = _app(lessons, builds, tmp_path / "again.db")
    _break_references(again)
    monkeypatch.setattr(
        "tutor.web.practice_cases.subprocess.run",
        lambda *a, **k: pytest.fail("built again although the build has its practice cases"),
    )
    assert _page_cases(again) == expected


def test_a_reference_that_fails_in_the_build_is_named_and_its_page_still_served(
    lessons: Path, tmp_path: Path, expected: dict[str, list[dict[str, object]]]
) -> None:
    (lessons / "01-fixture/exercises/walk/solution.py").write_text(BROKEN)
    app = _app(lessons, tmp_path / "builds", tmp_path / "web.db")

    built = app.test_cli_runner().invoke(args=["tutor", "build-lessons"])

    assert built.exit_code != 0
    assert "walk: its practice cases cannot be computed" in built.output
    assert "this reference fails whenever it runs" in built.output
    shown = _page_cases(app)
    assert shown == {"walk": [], "echo-loop": expected["echo-loop"]}
