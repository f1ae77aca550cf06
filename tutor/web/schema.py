"""The database schema is Alembic's (Flask-Migrate): ``migrations/`` holds every change.

Every process that opens the database brings it to the newest revision first (``AUTO_MIGRATE``,
on by default), under a lock, so ``make run``, a fresh test database and four web processes
starting at once all end up on one schema and none of them races another into "table already
exists". A database made before migrations existed (by ``db.create_all()``) has no version
table: it is recognised by its tables, stamped with the revision it matches and upgraded from
there, keeping its rows. Operators who prefer to migrate by hand set ``AUTO_MIGRATE = False``
and run ``flask --app app db upgrade`` (docs/deployment.md).
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from flask import Flask
from flask_migrate import Migrate
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from . import database_file
from .extensions import db

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
# Any fixed number: the PostgreSQL advisory lock that one migrating process holds at a time.
_PG_LOCK_KEY = 0x7475746F72  # "tutor"
# (revision, column of ``submission`` that only it and later revisions have), newest first:
# how a database made by ``create_all`` before migrations is told apart.
_UNVERSIONED = (("0002", "attempts"), ("0001", None))

migrate = Migrate()


class SchemaMismatch(RuntimeError):
    """The database's schema is not the one this code needs, said in one sentence with what to
    run (app.py prints it instead of a traceback)."""


# Commands that change nothing in the database never upgrade it: an operator checks the revision
# and takes a backup *before* an upgrade, and both upgraded it first (the "pre-upgrade" backup
# was one the old version refuses, and the old version's servers ran on the new schema).
# These run on whatever schema the database has:
ANY_SCHEMA_COMMANDS = frozenset({("db",), ("routes",), ("tutor", "check-lessons")})
# These read it with this version's tables: on an older schema they refuse, saying why.
READING_COMMANDS = frozenset(
    {
        ("tutor", "backup"),
        ("tutor", "export-grades"),
        ("tutor", "export-course"),
        ("tutor", "lti", "list"),
    }
)
# Options of the ``flask`` command itself that take a value (``flask --app app db current``).
_FLASK_OPTIONS_WITH_VALUE = frozenset({"--app", "-A", "--env-file", "-e"})


def cli_command() -> tuple[str, ...] | None:
    """The words of the ``flask`` command this process runs (``("tutor", "backup")``), or
    ``None`` when the app is not being loaded by the ``flask`` command (a web server, a test)."""
    import sys

    import click

    if click.get_current_context(silent=True) is None:
        return None
    words: list[str] = []
    arguments = iter(sys.argv[1:])
    for word in arguments:
        if word in _FLASK_OPTIONS_WITH_VALUE:
            next(arguments, None)
        elif not word.startswith("-"):
            words.append(word)
    return tuple(words)


def _has_tables(app: Flask) -> bool:
    """Whether the database has any table (a new one has nothing to go back to)."""
    database_file.prepare(str(app.config["SQLALCHEMY_DATABASE_URI"]), Path(app.instance_path))
    with app.app_context(), db.engine.connect() as connection:
        return bool(inspect(connection).get_table_names())


def _one_of(command: tuple[str, ...] | None, commands: frozenset[tuple[str, ...]]) -> bool:
    return command is not None and any(command[: len(c)] == c for c in commands)


def init_app(app: Flask) -> None:
    migrate.init_app(app, db, directory=str(MIGRATIONS), compare_type=True)
    command = cli_command()
    # (A new database, no tables yet, has nothing to go back to: upgraded as by any process.)
    if _one_of(command, ANY_SCHEMA_COMMANDS | READING_COMMANDS) and _has_tables(app):
        problem = revision_problem(app)
        if problem is None:
            return
        if _one_of(command, READING_COMMANDS):
            raise SchemaMismatch(
                f"{problem}. `flask {' '.join(command or ())}` does not upgrade it: run it with "
                "the version that made this database (a backup to go back to), or upgrade first"
            )
        if command != ("db", "upgrade"):
            log.warning("%s (this command does not upgrade it)", problem)
        return
    if app.config.get("AUTO_MIGRATE", True):
        upgrade(app)
        return
    # Migrated by hand: a database behind this code answered every sign-in with "try again in
    # a moment" (a missing column looks like an outage); the reason is told at start and on
    # every page until ``flask db upgrade`` is run. The process starts, so that command can,
    # and looks again (at most every few seconds) until it has been run.
    problem = revision_problem(app)
    if problem is not None:
        log.error("%s", problem)
        app.before_request(_SchemaCheck(app, problem))


class _SchemaCheck:
    """503 with the reason on every request until the database is upgraded, then nothing: the
    site came back only after a restart, though it had said "run db upgrade" and no more."""

    AGAIN_SECONDS = 2.0

    def __init__(self, app: Flask, problem: str) -> None:
        self.app = app
        self.problem: str | None = problem
        self.checked = time.monotonic()

    def __call__(self) -> tuple[str, int, dict[str, str]] | None:
        from flask import request

        if self.problem is None or request.endpoint == "static":
            return None  # a stylesheet needs no database
        if time.monotonic() - self.checked >= self.AGAIN_SECONDS:
            self.checked = time.monotonic()
            self.problem = revision_problem(self.app)
            if self.problem is None:
                log.info("the database is at this version's schema now: serving again")
                return None
        headers = {"Content-Type": "text/plain; charset=utf-8", "Retry-After": "60"}
        return f"VirtTutor cannot use its database: {self.problem}\n", 503, headers


def revision_problem(app: Flask) -> str | None:
    """Why this database cannot be used by this code, if it cannot: behind it (run the
    upgrade), or from a newer version of VirtTutor (which this code cannot undo)."""
    current, head = current_revision(app), head_revision()
    if current == head:
        return None
    known = {r.revision for r in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}
    if current is not None and current not in known:
        return (
            f"the database is at schema revision {current}, which a newer version of VirtTutor "
            f"made; this version needs {head}: run the newer version, or restore a backup this "
            "version made (flask tutor restore)"
        )
    return (
        f"the database is at schema revision {current or '(none)'}, this version needs {head}: "
        "run `flask --app app db upgrade` (or leave AUTO_MIGRATE on)"
    )


def upgrade(app: Flask, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the newest by default); safe to run again."""
    with app.app_context():
        uri = str(app.config["SQLALCHEMY_DATABASE_URI"])
        sqlite_file = database_file.prepare(uri, Path(app.instance_path))
        try:
            command.upgrade(migrate.get_config(str(MIGRATIONS)), revision)
        except CommandError:  # a revision this code does not know: a newer version's database
            problem = revision_problem(app)
            db.engine.dispose()  # this app goes no further: its pool must not outlive it
            if problem is None:
                raise
            raise SchemaMismatch(problem) from None
        if sqlite_file is not None:
            # Connections opened while migrating predate the server's own settings (WAL, busy
            # timeout) registered later on this engine: start the pool afresh.
            db.engine.dispose()


def downgrade(app: Flask, revision: str) -> None:
    with app.app_context():
        command.downgrade(migrate.get_config(str(MIGRATIONS)), revision)


def current_revision(app: Flask) -> str | None:
    with app.app_context(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


@contextmanager
def migration_lock(connection: Connection) -> Iterator[None]:
    """One migrating process at a time: a PostgreSQL advisory lock, or a lock file beside a
    SQLite database (processes sharing a SQLite file share a machine)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.rollback()
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_LOCK_KEY})
            connection.commit()
        return
    database = connection.engine.url.database
    if connection.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    descriptor = os.open(f"{database}.migrating", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def adopt_unversioned(connection: Connection, script: ScriptDirectory) -> None:
    """Stamp a database made by ``create_all`` (tables, no version) with the revision it matches."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables or "submission" not in tables:
        return
    columns = {column["name"] for column in inspect(connection).get_columns("submission")}
    revision = next(rev for rev, column in _UNVERSIONED if column is None or column in columns)
    MigrationContext.configure(connection).stamp(script, revision)
    connection.commit()
    log.warning("database made before migrations: stamped at revision %s, upgrading", revision)
