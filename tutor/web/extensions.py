"""Flask extensions, created unbound so blueprints can import them without an app."""

from __future__ import annotations

from flask import request, session
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from .accept_headers import best_language

LANGUAGES = ("en", "zh")


class Base(DeclarativeBase):
    # Named constraints, so a later migration can drop or alter one by name (SQLite's batch
    # mode needs the name; PostgreSQL's own defaults differ between versions).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
babel = Babel()


def close_session() -> None:
    """``db.session.close()``, only when this context has made a session: closing one that does
    not exist first makes it (a ``Session``'s set-up for nothing, twice per graded Submit, #15)."""
    if db.session.registry.has():
        db.session.close()


LANGUAGE_COOKIE = "lang"
# The same choice kept in the session: inside an LMS's iframe the ``SameSite=Lax`` language
# cookie never comes back, and an LTI launch names the learner's language (its locale claim).
SESSION_LANGUAGE = "lang"
# What the page's own requests (htmx: Submit, a pending verdict's polls) carry: the language of the
# page they were sent from, so its verdict comes back in that language however the page was reached.
PAGE_LANGUAGE_HEADER = "X-Page-Lang"


def select_locale() -> str:
    """An explicit choice (?lang=, the sending page's language, the cookie) wins over the
    browser's Accept-Language."""
    # (The query is parsed only when it may name one: most requests have none.)
    asked = request.args.get("lang") if b"lang=" in request.query_string else None
    for chosen in (
        asked,
        request.headers.get(PAGE_LANGUAGE_HEADER),
        request.cookies.get(LANGUAGE_COOKIE),
        session.get(SESSION_LANGUAGE) if request.cookies else None,
    ):
        if chosen in LANGUAGES:
            return chosen
    return best_language(request.headers.get("Accept-Language"), LANGUAGES) or "en"
