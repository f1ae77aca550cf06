"""How long a commit waits for the disk, on SQLite.

Every commit waits until it is on the disk (``synchronous=FULL``, SQLite's default): a power cut
never takes back what a learner or an instructor saved — code, accounts, courses, settings.

The grading queue's own bookkeeping is different: a claim, a verdict, a release or a give-up is
worth recomputing rather than waiting for. One whose commit a power cut takes back leaves the row
as it was before (``pending`` or ``grading``, never half-written), the sweeper finds it (a
``grading`` row after ``GRADER_CLAIM_SECONDS``) and it is graded again, with the stored variant
seed, to the same verdict. Those commits skip the wait (``synchronous=NORMAL``): in WAL mode the
database stays intact whatever happens, and only such commits made since the last waited-for one
can roll back, and only after a power cut or an operating-system crash, never after the server's
own crash. Each is one fsync less, the wait that was most of a graded submission's time in the
database (#15). PostgreSQL commits as it is configured to.

A connection's setting is put back when it returns to the pool, so every other commit on it
still waits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event

from .extensions import db

_RELAXED = "tutor_commit_relaxed"


def commit_recomputable(
    statement: Any,
    values: dict[str, Any],
    read: Callable[[Any], Any] = lambda result: result,
) -> Any:
    """Runs ``statement`` and commits it, without waiting for the disk on SQLite; returns
    ``read(result)``, read before the commit (rows an ``UPDATE … RETURNING`` gives).

    SQLite takes the setting only between transactions: the queue's transitions are each one of
    their own, and a transaction already open (never the case in ``rows``) just commits as
    every other commit does."""
    session = db.session
    connection = session.connection()
    raw = connection.connection
    dbapi = raw.dbapi_connection
    if connection.dialect.name == "sqlite" and not getattr(dbapi, "in_transaction", True):
        # On the driver's connection: no statement of the ORM's to build (#15: 0.13 ms).
        dbapi.execute("PRAGMA synchronous=NORMAL")  # type: ignore[union-attr]
        raw.info[_RELAXED] = True
    result = read(session.execute(statement, values))
    session.commit()
    return result


def restore_on_checkin(engine: Engine) -> None:
    """Every connection goes back to the pool waiting for the disk again."""

    @event.listens_for(engine, "checkin")
    def _wait_again(dbapi_connection: Any, record: Any) -> None:
        if dbapi_connection is not None and record.info.pop(_RELAXED, False):
            dbapi_connection.execute("PRAGMA synchronous=FULL")
