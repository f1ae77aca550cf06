"""A request's CSRF token, checked once per token rather than on every request.

A client of the JSON API sends the session's signed token with each POST (``X-CSRFToken``);
Flask-WTF's ``validate_csrf`` checked its signature every time, which was 0.12–0.15 ms of a
graded Submit's web CPU (#15), for a token a client sends unchanged with every Submit. (The
pages' own form posts are checked by Flask-WTF's ``CSRFProtect``, as before.) Without
a time limit (``WTF_CSRF_TIME_LIMIT = None``, this site's setting) whether a token is valid
depends only on the token, the signing key and the token stored in the session, so a token
found valid with those is valid with them again. Only such successes are kept; anything else
— a token never seen, another session, another key, a configured time limit — goes to
``validate_csrf``, which stays the one that decides.
"""

from __future__ import annotations

import threading

from flask import current_app, session
from flask_wtf.csrf import ValidationError, validate_csrf

# Kept per process, cleared when full: a class's learners need a few hundred.
KEPT = 4096

_valid: set[tuple[str, object, object]] = set()
_lock = threading.Lock()


def is_valid(token: str) -> bool:
    """Whether ``token`` is this session's CSRF token, as ``validate_csrf`` decides."""
    config = current_app.config
    expires = config.get("WTF_CSRF_TIME_LIMIT", 3600) is not None
    field = config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
    key = (
        token,
        session.get(field),
        config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key,
    )
    if not expires and key[1] is not None and key in _valid:
        return True
    try:
        validate_csrf(token)
    except ValidationError:
        return False
    if not expires:
        with _lock:
            if len(_valid) >= KEPT:
                _valid.clear()
            _valid.add(key)
    return True
