"""The database out of reach (restarting, failed over, a SQLite file locked too long, every
pooled connection busy) answers
**503 with Retry-After**, never a 500 with a traceback.

Nothing the learner sent is half-stored: a submission row is written in one transaction, so it
either exists (and is graded) or does not. The database may go away after the row is stored and
before the verdict is read, so the answer does not claim nothing was saved: a stored submission
is graded and listed among the learner's submissions either way. Pooled
connections to a database server are checked before use (``pool_pre_ping``), so the first request
after the database comes back gets a fresh connection instead of a dead one. A SQLite connection
is a file opened in this process: nothing between it and the database can drop it, so it is not
pinged (a ``SELECT 1`` on each of a submit's four checkouts, #15).
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import ServiceUnavailable

from .errors import is_api, render_error_page
from .extensions import db

log = logging.getLogger(__name__)

RETRY_AFTER = 5


def _unavailable(exc: Exception) -> ResponseReturnValue:
    log.warning("database unavailable: %s", str(exc).splitlines()[0] if str(exc) else exc)
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the session is discarded at teardown anyway
        log.debug("rollback after a database outage failed", exc_info=True)
    if is_api(request.path):
        body = {
            "error": f"the database is unavailable for a moment: try again in {RETRY_AFTER} s "
            "(a submission that was already stored is kept, graded and listed among your "
            "submissions)",
            "error_zh": f"数据库暂时不可用：请在 {RETRY_AFTER} 秒后重试（已经保存的提交会被保留、"
            "评测，并列在你的提交记录中）",
            "retry_after": RETRY_AFTER,
        }
        return jsonify(body), 503, {"Retry-After": str(RETRY_AFTER)}
    return render_error_page(ServiceUnavailable(retry_after=RETRY_AFTER))


def init_app(app: Flask) -> None:
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    sqlite = str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite")
    options.setdefault("pool_pre_ping", not sqlite)
    if not sqlite:
        # Enough connections for a web process's threads (16 in docs/deployment.md), each
        # holding one while it stores a submission; SQLAlchemy's default (5 + 10) ran out
        # under a lab session and answered 500s.
        options.setdefault("pool_size", 10)
        options.setdefault("max_overflow", 10)
        options.setdefault("pool_timeout", 10)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    app.register_error_handler(OperationalError, _unavailable)
    app.register_error_handler(InterfaceError, _unavailable)
    # Every pooled connection busy for pool_timeout: the database is saturated, say so.
    app.register_error_handler(PoolTimeout, _unavailable)


def close_sessions_safely(app: Flask) -> None:
    """Registered after ``db.init_app`` so that it runs before Flask-SQLAlchemy's own teardown
    (Flask runs teardowns last-registered first). The database may drop a request's connection
    after its last query; the rollback that closes the session then fails outside every error
    handler and the web server answers its own bare 500 page instead of the answer that was
    ready. The dead connection is discarded (the pool replaces it on the next checkout)."""

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        try:
            db.session.remove()
        except (OperationalError, InterfaceError) as error:
            log.warning("the database went away while closing a session: %s", error.orig)
            db.session.registry.clear()
