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

Those commits have a pool of connections of their own, set so once; every other connection
waits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Engine, create_engine, event

from .database_file import in_memory
from .driver_sql import DriverStatement
from .extensions import db

# ``app.extensions`` key: SQLite's pool of connections that commit without waiting for the disk.
RELAXED = "tutor_relaxed_commits"


def commit_recomputable(
    statement: DriverStatement,
    values: dict[str, Any],
    read: Callable[[Any], Any] = lambda result: result,
) -> Any:
    """Runs ``statement`` in a transaction of its own and commits it, without waiting for the
    disk on SQLite; returns ``read(result)``, read before the commit (rows an ``UPDATE …
    RETURNING`` gives).

    On a pooled connection of its own, not the ORM session's: a queue transition is one
    statement and needs none of the session's bookkeeping (#15: 0.09–0.14 ms of a graded
    submission's 4.7–5.3 ms, alternated per submit in one process). So it neither commits nor
    sees what the caller's session has not committed, and a caller must not hold writes of its
    own uncommitted: on SQLite this statement would wait for their lock (every caller reads at
    most, or has closed its session, before a transition)."""
    engine: Engine = current_app.extensions.get(RELAXED) or db.engine
    with engine.connect() as connection:
        result = read(statement.execute(connection, values))
        connection.commit()
    return result


def relax_commits(app: Flask, engine: Engine, prepare: Callable[[Any], None]) -> None:
    """On SQLite, a pool of its own for ``commit_recomputable``: connections to the same file,
    each ``prepare``d as the application's are and set once, when it connects, not to wait for
    the disk. Setting it per transition, and back when the connection returned to the shared
    pool, was two statements more per graded submission (#15).

    Made with the application's own engine options (``SQLALCHEMY_ENGINE_OPTIONS``: an operator's
    ``connect_args`` reach these connections too). Not for an in-memory database: a second
    engine would open a second, empty database there, and the transitions would find no table
    (a submission stored and never graded); its one connection commits them instead."""
    if engine.dialect.name != "sqlite" or in_memory(engine.url):
        return
    relaxed = create_engine(engine.url, **(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}))

    @event.listens_for(relaxed, "connect")
    def _prepare(dbapi_connection: Any, _record: Any) -> None:
        prepare(dbapi_connection)
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    app.extensions[RELAXED] = relaxed
