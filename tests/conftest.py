"""Shared fixtures: an app on a temporary database, its test client and CLI runner."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tutor.content import LessonError, load_catalog
from tutor.web import create_app

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The fixture lesson (tests/fixtures/lessons): infrastructure tests grade, load and render it, so
# rewording or renaming a course lesson does not break them.
FIXTURE_LESSONS = FIXTURES / "lessons"
# Every app a test makes (and every server it starts) draws its animation at load, at any width,
# whatever phone posters `make run` left in the checkout's instance folder; the posters have their
# own tests (tests/browser/test_animation_poster.py), which draw them.
os.environ["TUTOR_ANIMATION_POSTERS_DIR"] = ""


@pytest.fixture
def lessons_dir(request: pytest.FixtureRequest) -> Path:
    """The lessons the ``app`` serves: the course's, or the module's ``LESSONS_DIR`` (a test
    module about the machinery sets ``LESSONS_DIR = FIXTURE_LESSONS``)."""
    return Path(getattr(request.module, "LESSONS_DIR", ROOT / "lessons"))


def lesson_problems(root: Path) -> list[str]:
    """What the loader refuses in the lessons under ``root`` (it must refuse something)."""
    with pytest.raises(LessonError) as info:
        load_catalog(root)
    return info.value.problems


@pytest.fixture
def make_site(tmp_path: Path, lessons_dir: Path) -> Callable[..., Flask]:
    """Apps as ``app`` is made, with settings of the test's own (one database per test)."""

    def make(**config: object) -> Flask:
        return create_app(
            {
                "TESTING": True,
                "LESSONS_DIR": str(lessons_dir),
                "SECRET_KEY": "test",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
                "WTF_CSRF_ENABLED": False,
                # The development runner, graded inside the request (no worker, no sandbox):
                # the sandbox and the worker path are tested in tests/grading.
                "GRADER": "process",
                "QUEUE_URL": "immediate",
                **config,
            }
        )

    return make


@pytest.fixture
def app(make_site: Callable[..., Flask]) -> Iterator[Flask]:
    yield make_site()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser that has opened the site: it has a learner session (a POST never makes one)."""
    client = app.test_client()
    client.get("/api/session")
    return client


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
