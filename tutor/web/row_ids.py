"""Numbers in addresses (``/submissions/<int:submission_id>``) are database row ids.
PostgreSQL's ``integer`` holds up to 2,147,483,647 and SQLite's up to 2**63 - 1: a larger
number in an address made the database refuse the query, a 500. No row has such an id, so such
an address matches no route: 404, as for any id that never was."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

LARGEST_ID = 2**31 - 1


class RowId(IntegerConverter):
    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Before any blueprint: a rule takes its converter when it is added."""
    app.url_map.converters["int"] = RowId
