"""The queue's statements run as driver SQL (``DriverStatement``, #15) store what SQLAlchemy Core
would: the same columns, times in any zone as the same UTC instant, the statements' own values,
and SQLAlchemy's own errors — on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from flask import Flask

from tutor.queue import rows
from tutor.web.driver_sql import DriverStatement
from tutor.web.extensions import db
from tutor.web.models import Submission

from .conftest import stored_course

SUBMISSIONS = Submission.__table__
BEIJING = timezone(timedelta(hours=8))


def _row(course_id: int, **columns: object) -> dict[str, object]:
    return {
        "course_id": course_id,
        "learner": "learner-1",
        "exercise_id": "io-path",
        "code": "def path(kind, operation):\n    return ['虚拟机']\n",
        "variant_seed": 2**63 - 1,
        "created_at": datetime(2026, 12, 4, 22, 0, 0, 250000, tzinfo=BEIJING),
        **columns,
    }


def _stored(app: Flask, statement: DriverStatement, values: dict[str, object]) -> int:
    with app.app_context(), db.engine.connect() as connection:
        submission_id = int(statement.execute(connection, values).scalar_one())
        connection.commit()
    return submission_id


def test_a_row_and_its_verdict_read_back_as_stored(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    course_id = stored_course(app)
    started = datetime(2026, 12, 4, 14, 0, 1, 5000, tzinfo=UTC)
    row = _row(course_id, status="grading", attempts=1, started_at=started)
    store = DriverStatement(sa.insert(SUBMISSIONS).values(row).returning(SUBMISSIONS.c.id))
    submission_id = _stored(app, store, row)
    graded = datetime(2026, 12, 4, 23, 0, 2, 7000, tzinfo=BEIJING)
    with app.app_context():
        claim = rows.Claim(submission_id, 1)
        assert rows.record(claim, "graded", 87.5, '{"verdict":"failed"}', graded_at=graded)
        # The claim is no longer held (the row is graded): the statement's own "grading" binds.
        assert not rows.record(claim, "graded", 100.0, "{}", graded_at=graded)
        db.session.remove()
    with app.app_context():
        found = db.session.get(Submission, submission_id)
        assert found is not None
        assert (found.status, found.score, found.report_json) == (
            "graded",
            87.5,
            '{"verdict":"failed"}',
        )
        assert found.code.endswith("['虚拟机']\n") and found.variant_seed == 2**63 - 1
        assert found.created_at == row["created_at"] and found.created_at.tzinfo == UTC
        assert found.started_at == started and found.graded_at == graded
        # The same instants found by a query that compares them in SQL.
        assert (
            db.session.scalar(sa.select(sa.func.count()).where(Submission.graded_at == graded)) == 1
        )


def test_the_values_are_stored_as_core_stores_them(make_app: Callable[..., Flask]) -> None:
    """The same row through Core and as driver SQL: the database holds the same values, as the
    database keeps them (SQLite keeps a time as text: a whole second written another way
    would not equal the same moment bound by a later query)."""
    app = make_app()
    course_id = stored_course(app)
    whole_second = datetime(2026, 12, 4, 22, 0, 0, tzinfo=BEIJING)
    row = _row(course_id, created_at=whole_second, started_at=whole_second, status="grading")
    statement = sa.insert(SUBMISSIONS).values(row).returning(SUBMISSIONS.c.id)
    by_driver = _stored(app, DriverStatement(statement), row)
    with app.app_context(), db.engine.connect() as connection:
        by_core = int(connection.execute(statement).scalar_one())
        connection.commit()
        stored = {
            found[0]: found[1:]
            for found in connection.exec_driver_sql(
                "SELECT id, created_at, started_at, status, attempts, variant_seed FROM submission"
            )
        }
    assert stored[by_driver] == stored[by_core], stored
    with app.app_context():  # (and a moment bound by a query finds both)
        counted = sa.select(sa.func.count()).where(Submission.started_at == whole_second)
        assert db.session.scalar(counted) == 2


def test_the_database_errors_are_sqlalchemys(make_app: Callable[..., Flask]) -> None:
    """A second row with the same learner's idempotency key: ``IntegrityError`` as Core raises
    it, which the submit's replay catches; the first row stays, with the columns it left to
    their defaults (a queued row: ``pending``, no attempt yet)."""
    app = make_app()
    course_id = stored_course(app)
    row = _row(course_id, idempotency_key="k-1")
    # As a queued submit stores it: the columns it names, the others left to their defaults.
    selected = sa.select(*(sa.bindparam(name, type_=SUBMISSIONS.c[name].type) for name in row))
    store = DriverStatement(
        sa.insert(SUBMISSIONS).from_select(list(row), selected).returning(SUBMISSIONS.c.id)
    )
    first = _stored(app, store, row)
    with pytest.raises(sa.exc.IntegrityError):
        _stored(app, store, {**row, "code": "another"})
    with app.app_context():
        assert db.session.execute(
            sa.select(Submission.id, Submission.status, Submission.attempts)
        ).all() == [(first, "pending", 0)]


def test_an_expanding_in_list_is_refused_when_compiled(make_app: Callable[..., Flask]) -> None:
    """Its SQL depends on each execution's list: bound value by value it can be run."""
    app = make_app()
    expanding = DriverStatement(
        sa.select(SUBMISSIONS.c.id).where(SUBMISSIONS.c.status.in_(["pending", "grading"]))
    )
    with app.app_context(), db.engine.connect() as connection:
        with pytest.raises(ValueError, match="expanding IN"):
            expanding.execute(connection, {})
        one_by_one = DriverStatement(
            sa.select(sa.func.count()).where(
                SUBMISSIONS.c.status.in_([sa.literal("pending"), sa.literal("grading")])
            )
        )
        assert one_by_one.execute(connection, {}).scalar_one() == 0
