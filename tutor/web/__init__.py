"""The Flask application: pages, htmx fragments and a JSON API around ``tutor.sim`` and grading."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask

from tutor.content import build as lesson_build
from tutor.content import load_catalog

from . import (
    api,
    cli,
    compression,
    course,
    course_site,
    database_file,
    database_outage,
    database_url,
    errors,
    fairness,
    form_text,
    learn,
    page_validators,
    progress,
    row_ids,
    scenes,
    schema,
    self_study,
    static_delivery,
)
from .extensions import babel, csrf, db, select_locale
from .grading_service import GradingService
from .headers import install_headers
from .settings_check import SettingError, check_settings, check_urls

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(app.instance_path) / 'tutor.db'}",
        LESSONS_DIR=str(PROJECT_ROOT / "lessons"),
        # "cdn": d3 from its CDN with SRI and a local fallback; "local": every asset from here.
        ASSETS_MODE="cdn",
        # Room for the largest code (200 KB) as the page's Submit sends it, form-encoded: each
        # byte of Chinese text becomes "%XX", three times as long.
        MAX_CONTENT_LENGTH=1024 * 1024,
        MAX_FORM_MEMORY_SIZE=1024 * 1024,
        DEMO_COURSE="demo",
        BABEL_DEFAULT_LOCALE="en",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    try:
        app.config.from_pyfile("config.py", silent=True)
    except Exception as exc:  # a syntax error, a name it uses and does not define
        where = Path(app.instance_path) / "config.py"
        raise SettingError(f"{where} cannot be read: {type(exc).__name__}: {exc}") from None
    app.config.from_prefixed_env("TUTOR")
    if test_config is not None:
        app.config.from_mapping(test_config)
    check_settings(app)
    database_url.configure(app, test_config)
    check_urls(app)
    database_file.make_instance_folder(Path(app.instance_path))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    row_ids.init_app(app)  # before any route is added
    database_outage.init_app(app)  # engine options first: db.init_app makes the engine
    db.init_app(app)
    database_outage.close_sessions_safely(app)
    schema.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    # Rendered Markdown is kept by its text's hash in the instance folder: the next process (a
    # server worker, a CLI command) reads it instead of rendering every lesson again.
    catalog = load_catalog(
        Path(app.config["LESSONS_DIR"]),
        animations=scenes.registered(),
        renderings=Path(app.instance_path) / "rendered-markdown",
    )
    app.extensions["catalog"] = catalog
    # Each exercise's content hash: what submissions record as the version they were graded on.
    app.extensions["lesson_build"] = lesson_build.stamp(catalog, Path(app.config["LESSONS_DIR"]))
    app.extensions["grading"] = GradingService.for_app(app, catalog)

    learn.init_app(app)
    progress.init_app(app)
    self_study.init_app(app)
    course.init_app(app)
    api.init_app(app)
    fairness.init_app(app)
    cli.init_app(app)
    course_site.init_app(app)
    errors.init_app(app)
    form_text.init_app(app)
    compression.init_app(app)
    page_validators.init_app(app)  # after compression: validates the plain page first
    static_delivery.init_app(app)
    install_headers(app)
    return app


def _instance_secret(instance: Path) -> str:
    """A per-installation key kept in the instance folder, never in the repository.

    Made once, whole, by whichever process gets there first: written to a file of its own
    (owner-only from the start) and linked into place, which fails if another process linked
    its key first, and then that one is read. Four processes starting on a fresh folder got
    different keys (or an empty one) in 11 of 100 trials when each wrote the file in turn."""
    path = instance / "secret_key"
    try:
        if not path.exists():
            handle, temporary = tempfile.mkstemp(dir=instance, prefix=".secret_key.")
            try:
                with os.fdopen(handle, "w") as out:
                    out.write(secrets.token_hex(32))
                os.link(temporary, path)
            except FileExistsError:
                pass  # another process made it first: its key is everyone's
            finally:
                os.unlink(temporary)
        key = path.read_text().strip()
    except OSError as exc:
        raise database_file.InstanceFolderUnwritable(
            f"the secret key {path} cannot be made or read ({exc.strerror or exc}): make the "
            "instance folder writable by this server's user, or set TUTOR_SECRET_KEY"
        ) from None
    if not key:
        raise database_file.InstanceFolderUnwritable(
            f"the secret key file {path} is empty: delete it (a new key is made at start)"
        )
    return key
