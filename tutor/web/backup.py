"""A semester's data in one file: ``flask tutor backup FILE`` and ``flask tutor restore FILE``.

The file is gzip-compressed JSON holding every table the models declare (courses, accounts,
memberships, deadlines, submissions with their reports, concept-check answers), row by row, and
the schema revision it was taken at. It does not depend on the database: a backup of SQLite
restores into PostgreSQL and back. A restore goes into a database at the same revision (the
command upgrades it first) and refuses to mix with rows already there unless told to replace
them (``--replace``), so nothing saved is ever lost by accident. The grading queue is not kept:
a submission still pending is graded again by the workers' sweeper.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from flask import Flask
from sqlalchemy import Boolean, Connection, DateTime, Float, Integer, Table, func, text
from sqlalchemy.types import TypeDecorator

from . import schema
from .extensions import db
from .private_file import write_private

FORMAT = "virttutor-backup"
VERSION = 1


class BackupError(Exception):
    """Why a restore did nothing (the message says what to do)."""


def _tables() -> list[Table]:
    return [t for t in db.metadata.sorted_tables if t.name != "alembic_version"]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    return value


def _decoder(column_type: Any) -> Any:
    kind = column_type.impl if isinstance(column_type, TypeDecorator) else column_type
    if isinstance(kind, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, Boolean):
        return lambda v: None if v is None else bool(v)
    if isinstance(kind, Integer):
        return lambda v: None if v is None else int(v)
    if isinstance(kind, Float):
        return lambda v: None if v is None else float(v)
    return lambda v: v


@contextmanager
def _snapshot() -> Iterator[Connection]:
    """A connection whose reads all see one moment of the database, while the site keeps
    writing: table by table, a student who signed up and joined between the read of ``account``
    and that of ``membership`` left a membership without its account in the file (restored
    into SQLite, the next new account silently took that place in the course)."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # pysqlite opens a transaction only before a write: without this each SELECT is
            # its own. A read transaction in WAL mode blocks no writer.
            connection.exec_driver_sql("BEGIN")
        else:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        try:
            yield connection
        finally:
            connection.rollback()


def backup(app: Flask, target: Path) -> dict[str, int]:
    """Writes every row to ``target``; returns the row count per table."""
    with app.app_context():
        tables: dict[str, Any] = {}
        counts = {}
        with _snapshot() as connection:
            for table in _tables():
                columns = [c.name for c in table.columns]
                query = table.select().order_by(*table.primary_key.columns)
                rows = connection.execute(query).all()
                tables[table.name] = {
                    "columns": columns,
                    "rows": [[_encode(v) for v in row] for row in rows],
                }
                counts[table.name] = len(rows)
        document = {
            "format": FORMAT,
            "version": VERSION,
            "revision": schema.current_revision(app),
            "taken_at": datetime.now(UTC).isoformat(),
            "tables": tables,
        }
        db.session.remove()

    def write(raw: BinaryIO) -> None:
        with gzip.open(raw, "wt", encoding="utf-8") as file:
            json.dump(document, file, ensure_ascii=False)

    # Owner-only from the first byte, renamed over ``target`` when whole (``private_file``).
    write_private(target, write)
    return counts


def read(source: Path) -> dict[str, Any]:
    try:
        with gzip.open(source, "rt", encoding="utf-8") as file:
            document = json.load(file)
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"{source} is not a VirtTutor backup (gzip JSON): {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{source} is not a VirtTutor backup")
    if document.get("version") != VERSION:
        raise BackupError(f"{source} is backup format {document.get('version')}, not {VERSION}")
    return document


def restore(app: Flask, source: Path, replace: bool = False) -> dict[str, int]:
    """Loads a backup into this database (upgraded to the backup's revision first)."""
    document = read(source)
    revision = document.get("revision")
    head = schema.head_revision()
    if revision != head:
        raise BackupError(
            f"the backup is at schema revision {revision}, this code at {head}: restore it with "
            "the version of VirtTutor that made it, then upgrade"
        )
    schema.upgrade(app)
    tables = _tables()
    known = {t.name for t in tables}
    unknown = set(document["tables"]) - known
    if unknown:
        raise BackupError(f"the backup has tables this schema does not: {sorted(unknown)}")
    counts: dict[str, int] = {}
    with app.app_context():
        present = {
            t.name: db.session.scalar(db.select(func.count()).select_from(t)) or 0 for t in tables
        }
        if any(present.values()) and not replace:
            filled = ", ".join(f"{n} ({c})" for n, c in present.items() if c)
            raise BackupError(
                f"this database already has rows ({filled}); restore into an empty database, "
                "or pass --replace to delete them first"
            )
        try:
            for table in reversed(tables):
                db.session.execute(table.delete())
            for table in tables:
                data = document["tables"].get(table.name, {"columns": [], "rows": []})
                decoders = {c.name: _decoder(c.type) for c in table.columns}
                rows = []
                for number, row in enumerate(data["rows"], 1):
                    try:
                        rows.append(
                            {
                                c: decoders[c](v)
                                for c, v in zip(data["columns"], row, strict=True)
                                if c in decoders
                            }
                        )
                    except (TypeError, ValueError) as exc:  # a short row, a date that is none
                        raise BackupError(
                            f"the backup is damaged: table {table.name}, row {number}: {exc}"
                        ) from None
                if rows:
                    db.session.execute(table.insert(), rows)
                counts[table.name] = len(rows)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        _restart_sequences(tables)
        db.session.remove()
    return counts


def _restart_sequences(tables: list[Table]) -> None:
    """PostgreSQL's serial counters continue after the restored ids (SQLite needs nothing)."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer) or not keys[0].autoincrement:
            continue
        name, column = table.name, keys[0].name
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', '{column}'), "
                f"COALESCE((SELECT MAX({column}) FROM {name}), 0) + 1, false)"
            )
        )
    db.session.commit()
