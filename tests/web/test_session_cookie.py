"""A session cookie verified once is not checked and inflated again on the browser's next request
(#15), and what that keeps changes nothing a cookie means: a forged or expired one is refused,
and each request's session is its own."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.sessions import SessionMixin
from itsdangerous import URLSafeTimedSerializer

from tutor.web import headers


def _cookie(app: Flask) -> str:
    client = app.test_client()
    reply = client.get("/api/session")
    return str(reply.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1])


def _open(app: Flask, cookie: str) -> SessionMixin:
    name = app.config["SESSION_COOKIE_NAME"]
    with app.test_request_context("/", headers={"Cookie": f"{name}={cookie}"}) as context:
        session = app.session_interface.open_session(app, context.request)
        assert session is not None
        return session


def test_a_cookie_verified_once_is_not_verified_again(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    cookie = _cookie(app)
    verified: list[str] = []
    real = URLSafeTimedSerializer.loads

    def loads(serializer: URLSafeTimedSerializer, value: str, **kwargs: Any) -> Any:
        verified.append(value)
        return real(serializer, value, **kwargs)

    monkeypatch.setattr(URLSafeTimedSerializer, "loads", loads)
    first, second = _open(app, cookie), _open(app, cookie)
    assert verified == [cookie]
    assert dict(first) == dict(second) and "learner" in first


def test_a_forged_cookie_is_refused_after_the_real_one_was_kept(app: Flask) -> None:
    cookie = _cookie(app)
    assert "learner" in _open(app, cookie)
    payload, stamp, signature = cookie.rsplit(".", 2)
    forged = f"{payload}.{stamp}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    assert dict(_open(app, forged)) == {}


def test_a_kept_cookie_expires_as_its_signature_would(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    cookie = _cookie(app)
    assert "learner" in _open(app, cookie)
    later = headers.time.time() + app.permanent_session_lifetime.total_seconds() + 5
    monkeypatch.setattr(headers.time, "time", lambda: later)
    assert dict(_open(app, cookie)) == {}


def test_each_request_changes_only_its_own_session(app: Flask) -> None:
    cookie = _cookie(app)
    first = _open(app, cookie)
    first["learner"] = "someone-else"
    first["extra"] = True
    second = _open(app, cookie)
    assert second["learner"] != "someone-else" and "extra" not in second
