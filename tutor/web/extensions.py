"""Flask extensions, created unbound so blueprints can import them without an app."""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

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


def select_locale() -> str:
    """An explicit choice (?lang= or the cookie) wins over the browser's Accept-Language."""
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"
