"""Form text no database here can keep: PostgreSQL text cannot hold the NUL character (SQLite
can), so a name, title or email with one failed only when stored — after every check, as a 500.
Every form is checked before its view runs and refused with a page saying what to remove
(``errors``). Roster files and course files are checked line by line where they are read."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import BadRequest

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class NulInForm(BadRequest):
    """A field of the form holds U+0000."""


def _refuse_nul() -> None:
    if request.method == "POST" and request.mimetype in FORM_TYPES:
        for _name, values in request.form.lists():
            if any(NUL in value for value in values):
                raise NulInForm()


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul)
