"""What a request sends the database: tests that hold a page or a Submit to its statements."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import Engine, event

from tutor.web.commit_durability import RELAXED
from tutor.web.extensions import db


def app_engines(app: Flask) -> list[Engine]:
    """Every engine the application writes through: its own and, on SQLite, the queue's
    transitions' pool (``commit_durability``)."""
    with app.app_context():
        return [db.engine, *filter(None, [app.extensions.get(RELAXED)])]


@contextmanager
def sql_statements(
    app: Flask, wanted: Callable[[str], bool] = lambda statement: True
) -> Iterator[list[tuple[str, object]]]:
    """Each statement sent while inside that ``wanted`` picks, with its parameters."""
    ran: list[tuple[str, object]] = []

    def _seen(_c: object, _cur: object, statement: str, parameters: object, *_: object) -> None:
        if wanted(statement):
            ran.append((statement, parameters))

    engines = app_engines(app)
    for engine in engines:
        event.listen(engine, "before_cursor_execute", _seen)
    try:
        yield ran
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", _seen)
