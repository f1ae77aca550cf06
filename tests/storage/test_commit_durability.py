"""The grading queue's own pool of SQLite connections (``commit_durability``): the same database
as the application's, opened with the application's engine options."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tutor.web.commit_durability import RELAXED
from tutor.web.extensions import db
from tutor.web.models import Submission

from ..conftest import ROOT

SOLUTION = (ROOT / "lessons/05-hypervisors/exercises/io-path/solution.py").read_text()


def _graded(app: Flask) -> dict[str, Any]:
    client = app.test_client()
    client.get("/api/session")
    reply = client.post("/api/exercises/io-path/grade", json={"code": SOLUTION})
    answered = reply.get_json()
    assert reply.status_code == 200, answered
    return dict(answered)


@pytest.mark.parametrize("uri", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_grades_and_keeps_a_submission(
    make_site: Callable[..., Flask], uri: str
) -> None:
    """A second engine on an in-memory URL opened a second, empty database: the submission was
    stored, its claim found no table, and it was never graded."""
    app = make_site(SQLALCHEMY_DATABASE_URI=uri)
    answered = _graded(app)
    assert answered["verdict"] == "passed"
    with app.app_context():
        row = db.session.get(Submission, answered["submission"])
        assert row is not None and (row.status, row.score) == ("graded", 100.0)


class CountedConnection(sqlite3.Connection):
    """A connection made with the operator's ``connect_args`` (a ``factory``): counted."""

    made = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        CountedConnection.made += 1


def test_the_queues_connections_take_the_apps_engine_options(
    make_site: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_site(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'options.db'}",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"factory": CountedConnection}},
    )
    relaxed = app.extensions[RELAXED]
    assert _graded(app)["verdict"] == "passed"
    with relaxed.connect() as connection:
        assert isinstance(connection.connection.dbapi_connection, CountedConnection)
    assert CountedConnection.made >= 2  # the application's connection and the queue's
