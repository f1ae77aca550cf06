"""Storage tests run on SQLite and on a real PostgreSQL server (tests/servers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from tutor.web import create_app
from tutor.web.extensions import db
from tutor.web.models import Course

from ..servers import database_url, postgres_server, postgres_url, redis_server

__all__ = [
    "database_url",
    "make_app",
    "postgres_server",
    "postgres_url",
    "redis_server",
    "stored_course",
]


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Apps on the test's database; their connections are closed before the database goes."""
    made: list[Flask] = []

    def make(**config: Any) -> Flask:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "t",
                "SQLALCHEMY_DATABASE_URI": database_url,
                "GRADER": "process",
                **config,
            }
        )
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def stored_course(app: Flask, slug: str = "c") -> int:
    """A course stored in ``app``'s database, for rows that need one: its id."""
    with app.app_context():
        course = Course(slug=slug, title="C")
        db.session.add(course)
        db.session.commit()
        return int(course.id)
