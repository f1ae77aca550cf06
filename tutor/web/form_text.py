"""Form text no database here can keep: PostgreSQL text cannot hold the NUL character (SQLite
can), so a name, title or email with one failed only when stored — after every check, as a 500.
Every form is checked before its view runs and refused with a page saying what to remove
(``errors``). Roster files and course files are checked line by line where they are read."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from werkzeug.exceptions import BadRequest
from wtforms import EmailField

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class NulInForm(BadRequest):
    """A field of the form holds U+0000."""


def _refuse_nul() -> None:
    if request.method == "POST" and request.mimetype in FORM_TYPES:
        for _name, values in request.form.lists():
            if any(NUL in value for value in values):
                raise NulInForm()


class EmailAddressField(EmailField):  # type: ignore[misc]
    """An email address as typed or pasted: the spaces around it (a copy from a spreadsheet or
    a mail client) are not part of it, and "Invalid email address" for them helped nobody."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata([v.strip() if isinstance(v, str) else v for v in valuelist])


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul)
