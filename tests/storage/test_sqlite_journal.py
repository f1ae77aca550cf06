"""A new SQLite database's first connections, opened at once by several web processes (a fresh
server's first learners), all open: none answers "database is locked" while another switches
the file to write-ahead logging."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from tutor.web import create_app
from tutor.web.extensions import db

PROCESSES = 6
# Without the retry, one trial in five failed here: 40 trials catch it nearly always.
TRIALS = 40
FORK = multiprocessing.get_context("fork")


def _journal_mode(path: Path) -> str:
    raw = sqlite3.connect(path)
    try:
        return str(raw.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        raw.close()


def _back_to_a_rollback_journal(path: Path) -> None:
    """The file as a new database is before the server's first connection: no WAL yet."""
    raw = sqlite3.connect(path)
    try:
        raw.execute("PRAGMA journal_mode=DELETE").fetchall()
    finally:
        raw.close()


def _first_statement(engine: Engine, start: Any, answers: Any) -> None:
    """A web process's first statement, through the server's own engine and its settings."""
    engine.dispose(close=False)  # the parent's pool is not this process's
    try:
        start.wait()
        with engine.connect() as connection:
            connection.execute(text("SELECT count(*) FROM submission")).scalar()
        answers.put("")
    except Exception as exc:
        answers.put(str(exc).splitlines()[0])


def test_the_first_connections_of_a_new_database_all_open_at_once(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "GRADER": "process",
            "QUEUE_URL": "immediate",
        }
    )
    with app.app_context():
        engine = db.engine
    failures: list[str] = []
    for _ in range(TRIALS):
        engine.dispose()
        _back_to_a_rollback_journal(path)
        assert _journal_mode(path) == "delete"
        start = FORK.Barrier(PROCESSES)
        answers = FORK.Queue()
        processes = [
            FORK.Process(target=_first_statement, args=(engine, start, answers))
            for _ in range(PROCESSES)
        ]
        for process in processes:
            process.start()
        failures += [answer for answer in (answers.get(timeout=60) for _ in processes) if answer]
        for process in processes:
            process.join(30)
            process.kill()  # (a child that hung would have failed the get above)
    assert failures == []
    assert _journal_mode(path) == "wal"
