"""Which database: ``DATABASE_URL`` (as hosting platforms and docs/deployment.md set it) or
``SQLALCHEMY_DATABASE_URI``, with a plain ``postgresql://`` URL pointed at psycopg 3, the
driver this project installs (SQLAlchemy's default for that scheme is psycopg2, which is not)."""

from __future__ import annotations

import os

from flask import Flask


def normalised(url: str) -> str:
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url.removeprefix(plain)
    return url


def configure(app: Flask, explicit: dict[str, object] | None) -> None:
    """``DATABASE_URL`` wins over the configuration files, an explicit (test) setting over it."""
    from_environment = os.environ.get("DATABASE_URL")
    if from_environment and not (explicit and "SQLALCHEMY_DATABASE_URI" in explicit):
        app.config["SQLALCHEMY_DATABASE_URI"] = from_environment
    app.config["SQLALCHEMY_DATABASE_URI"] = normalised(str(app.config["SQLALCHEMY_DATABASE_URI"]))
