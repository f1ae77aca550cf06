"""Flask extensions, created unbound so blueprints can import them without an app."""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

LANGUAGES = ("en", "zh")


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
babel = Babel()


def select_locale() -> str:
    """An explicit choice (?lang= or the cookie) wins over the browser's Accept-Language."""
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"
