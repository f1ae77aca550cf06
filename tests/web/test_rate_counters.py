"""The submission limits' counters in one process (``RATELIMIT_STORAGE_URI = memory://``) count
as limits' own did, without a thread started per counted request (#15: 0.41 ms of the server's
CPU per Submit, and a walk over every counter each time)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_limiter import Limiter

from tutor.web import rate_counters
from tutor.web.rate_counters import SweptMemoryStorage


def _solution(app: Flask) -> str:
    return str(app.extensions["catalog"].exercise("io-path").solution)


def test_counted_submits_start_no_thread(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    real_start = threading.Thread.start

    def start(thread: threading.Thread) -> None:
        started.append(type(thread).__name__)
        real_start(thread)

    code = _solution(app)
    client.post("/api/exercises/io-path/grade", json={"code": code})  # (the first makes things)
    monkeypatch.setattr(threading.Thread, "start", start)
    for attempt in range(4):
        reply = client.post("/api/exercises/io-path/grade", json={"code": f"{code}\n# {attempt}"})
        assert reply.status_code == 200, reply.get_data(as_text=True)[:300]
    assert "Timer" not in started, started


def test_the_limit_still_refuses_the_submit_past_it(app: Flask, client: FlaskClient) -> None:
    app.config["SUBMIT_RATE_LIMIT"] = "3 per minute"
    code = _solution(app)
    statuses = [
        client.post("/api/exercises/io-path/grade", json={"code": f"{code}\n# {n}"}).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def _counting_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Flask-Limiter's checks, as the apps made after this call run them."""
    checked: list[str] = []
    real = Limiter._check_request_limit

    def check(limiter: Limiter, *args: object, **kwargs: object) -> None:
        from flask import request

        checked.append(str(request.endpoint))
        real(limiter, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Limiter, "_check_request_limit", check)
    return checked


def test_only_new_sessions_ask_flask_limiter(
    make_site: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page, a lesson's data or a file has nothing to count (#15: Flask-Limiter's check before
    every request was 0.12 ms of a Submit's CPU), and a Submit is counted by
    ``submission_limits``, not Flask-Limiter (0.4 ms of a Submit's CPU): still counted, and
    refused past its limit."""
    checked = _counting_checks(monkeypatch)
    app = make_site(SUBMIT_RATE_LIMIT="1 per minute")
    client = app.test_client()
    client.get("/api/session")  # (limited itself: new sessions per address)
    assert checked == ["api.new_session"]
    checked.clear()
    for path in ("/", "/lessons/hypervisors", "/api/lessons"):
        assert client.get(path).status_code == 200, path
    code = _solution(app)
    statuses = [
        client.post("/api/exercises/io-path/grade", json={"code": f"{code}\n# {n}"}).status_code
        for n in range(2)
    ]
    assert statuses == [200, 429]
    assert checked == []


def test_a_limit_for_every_view_still_counts_every_view(make_site: Callable[..., Flask]) -> None:
    """A deployment's own limit for every request (Flask-Limiter's ``RATELIMIT_DEFAULT``)."""
    client = make_site(RATELIMIT_DEFAULT="3 per minute").test_client()
    statuses = [client.get("/api/lessons").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_an_expired_counter_reads_zero_and_a_due_sweep_drops_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    storage = SweptMemoryStorage("swept-memory://")
    assert storage.incr("learner:a", expiry=0.05) == 1
    assert storage.incr("learner:a", expiry=0.05) == 2
    assert storage.incr("learner:b", expiry=60) == 1
    time.sleep(0.1)
    assert storage.get("learner:b") == 1
    storage.incr("learner:c", expiry=60)  # no sweep due yet: "a" is still held, but reads 0
    assert "learner:a" in storage.expirations and storage.get("learner:a") == 0
    storage.incr("learner:d", expiry=0.05)
    time.sleep(0.1)
    monkeypatch.setattr(rate_counters, "SWEEP_SECONDS", 0.0)
    storage._next_sweep = 0.0  # a sweep is due
    storage.incr("learner:b", expiry=60)
    assert "learner:d" not in storage.expirations and storage.get("learner:b") == 2
    assert storage.get("learner:c") == 1


def test_only_memory_is_swapped_for_these_counters() -> None:
    assert rate_counters.storage_uri("memory://") == "swept-memory://"
    assert rate_counters.storage_uri("redis://localhost:6379/0") == "redis://localhost:6379/0"
