"""The settings an operator gives (``TUTOR_*`` in the environment, ``instance/config.py``), checked
once when the app is made: a wrong value stops the start with one line naming the setting, the
value and what it takes.

Flask reads ``TUTOR_*`` values as JSON when they parse and keeps them as text otherwise, so
``TUTOR_AUTO_MIGRATE=False`` (as Python spells it, and as the README's table did) was the text
"False" — true; and nothing looked at a value until some request tripped on it: a
``MAX_CONTENT_LENGTH`` of "abc" made every POST a 500, a rate limit spelled "30 per minuet"
switched that limit off without a word. Switches here take true/false, yes/no, on/off, 1/0 in
any case.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from limits import parse_many
from limits.errors import ConfigurationError
from limits.storage import storage_from_string
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from tutor.queue.broker import QUEUE_URLS, hidden_password, is_queue_url
from tutor.queue.grader import MODES

SWITCHES = (
    "AUTO_MIGRATE",
    "MINIFIED_JS",
    "STORED_STDLIB",
    "SELF_STUDY_ONLY",
    "WTF_CSRF_ENABLED",
    "SESSION_REFRESH_EACH_REQUEST",
)
TRUE, FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


class SettingError(ValueError):
    """A setting the app cannot start with; ``str()`` says which, and what it takes."""


def _whole(least: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= least:
            return None
        return f"a whole number of at least {least}"

    return check


def _number(least: float, positive: bool = False) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and (value > least if positive else value >= least) and value == value:
            return None
        return f"a number {'greater than' if positive else 'of at least'} {least:g}"

    return check


def _choice(*options: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in options else f"one of {', '.join(options)}"

    return check


def _rate(value: Any) -> str | None:
    try:
        if isinstance(value, str) and parse_many(value):
            return None
    except ValueError:
        pass
    return 'a rate limit such as "20 per minute" (several: "20 per minute; 200 per hour")'


def _optional(check: Callable[[Any], str | None]) -> Callable[[Any], str | None]:
    return lambda value: None if value is None else check(value)


CHECKS: dict[str, Callable[[Any], str | None]] = {
    "MAX_CONTENT_LENGTH": _whole(1),
    "MAX_FORM_MEMORY_SIZE": _whole(1),
    "ASSETS_MODE": _choice("cdn", "local"),
    "GRADER": _choice(*MODES),
    "GRADER_WORKERS": _whole(1),
    "GRADER_QUEUE_SIZE": _whole(0),
    "GRADER_WAIT_SECONDS": _number(0),
    "GRADER_MAX_ATTEMPTS": _whole(1),
    "GRADER_REQUEUE_SECONDS": _number(0),
    "GRADER_CLAIM_SECONDS": _number(0, positive=True),
    "GRADER_SWEEP_SECONDS": _number(0, positive=True),
    "GRADER_INFLIGHT_PER_LEARNER": _whole(1),
    "GRADER_INFLIGHT_PER_IP": _whole(1),
    "SUBMIT_RATE_LIMIT": _rate,
    "SUBMIT_RATE_LIMIT_PER_IP": _rate,
    "SESSION_RATE_LIMIT": _rate,
    "SIGNIN_RATE_LIMIT": _rate,
    "SIGNUP_RATE_LIMIT": _rate,
    "JOIN_RATE_LIMIT": _rate,
    "PROXY_HOPS": _whole(0),
    "LTI_KEY_AHEAD_HOURS": _number(0),
    "LTI_PASSBACK_RETRIES": _whole(0),
    "LTI_PASSBACK_RETRY_SECONDS": _number(0),
    "LTI_PASSBACK_TIMEOUT_SECONDS": _number(0, positive=True),
    "LTI_PASSBACK_RESEND_SECONDS": _number(0),
    "WTF_CSRF_TIME_LIMIT": _optional(_whole(1)),
}


DATABASES = ("sqlite", "postgresql")


def _usable_database(url: URL) -> bool:
    """SQLite or PostgreSQL, with a driver that is installed."""
    if url.get_backend_name() not in DATABASES:
        return False
    try:
        url.get_dialect().import_dbapi()
    except (NoSuchModuleError, ImportError):
        return False
    return True


def _usable_storage(uri: str) -> bool:
    """A scheme the limits library knows, with its client installed (it connects only when
    used)."""
    try:
        storage_from_string(uri)
    except ConfigurationError:
        return False
    return True


def _port_readable(url: str) -> bool:
    try:
        port = urlsplit(url).port
    except ValueError:  # "host:51x2": a typo the queue would only trip over at the first submit
        return False
    return port != 0


def check_urls(app: Flask) -> None:
    """The database, queue and rate-limit storage URLs: a scheme no driver knows was a traceback
    from SQLAlchemy, Huey or limits at start (or at the first request). A database URL is shown
    without its password."""
    config = app.config
    database = config.get("SQLALCHEMY_DATABASE_URI")
    try:
        url: URL | None = make_url(str(database))
    except (ArgumentError, ValueError):
        url = None
    if url is None or not _usable_database(url):
        shown = hidden_password(str(database)) if url is None else url.render_as_string(True)
        raise SettingError(
            "the database URL (DATABASE_URL or SQLALCHEMY_DATABASE_URI) must be "
            "sqlite:///path/to/file.db or postgresql://user:password@host/database, "
            f"not {shown!r}"
        )
    queue = config.get("QUEUE_URL")
    if queue is not None and not (is_queue_url(str(queue)) and _port_readable(str(queue))):
        shown = hidden_password(str(queue))
        raise SettingError(f"QUEUE_URL must be {QUEUE_URLS}, not {shown!r}")
    storage = config.get("RATELIMIT_STORAGE_URI")
    if storage is not None and not _usable_storage(str(storage)):
        raise SettingError(
            "RATELIMIT_STORAGE_URI must be memory:// or redis://host:6379/0 (a storage the "
            f"limits library knows), not {storage!r}"
        )


def check_settings(app: Flask) -> None:
    """Normalises the switches and checks every setting above that is set; raises
    ``SettingError`` for the first one that is wrong."""
    config = app.config
    for name in SWITCHES:
        value = config.get(name)
        if isinstance(value, str):
            word = value.strip().lower()
            if word not in TRUE + FALSE:
                raise SettingError(
                    f"{name} must be true or false (yes/no, on/off, 1/0), not {value!r}"
                )
            config[name] = word in TRUE
    for name, check in CHECKS.items():
        if name in config:
            wrong = check(config[name])
            if wrong is not None:
                raise SettingError(f"{name} must be {wrong}, not {config[name]!r}")
