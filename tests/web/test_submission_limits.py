"""The submission limits while their counters' storage cannot be reached (a Redis that is down):
as Flask-Limiter's settings say (docs/deployment.md), now that ``submission_limits`` counts
them (#15)."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from limits.storage import MemoryStorage

from tutor.web import submission_limits
from tutor.web.extensions import db
from tutor.web.models import Submission
from tutor.web.submission_limits import SubmissionLimits

from ..servers import free_port


def _down() -> str:
    """A Redis URL where nothing listens: every count is refused at once."""
    return f"redis://127.0.0.1:{free_port()}/0"


def _learner(app: Flask) -> FlaskClient:
    """A browser with a learner, made without ``GET /api/session`` (whose own limit is
    Flask-Limiter's, on the same storage)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["learner"] = "0123456789abcdef"
    return client


def _submits(app: Flask, count: int) -> list[int]:
    client = _learner(app)
    code = app.extensions["catalog"].exercise("io-path").solution
    return [
        client.post("/api/exercises/io-path/grade", json={"code": f"{code}\n# {n}"}).status_code
        for n in range(count)
    ]


def _stored(app: Flask) -> int:
    with app.app_context():
        return int(db.session.query(Submission).count())


def test_with_the_in_memory_fallback_this_process_counts(make_site: Callable[..., Flask]) -> None:
    app = make_site(
        RATELIMIT_STORAGE_URI=_down(),
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        SUBMIT_RATE_LIMIT="2 per minute",
    )
    assert _submits(app, 3) == [200, 200, 429]
    assert _stored(app) == 2


def test_swallowing_the_errors_lets_every_submit_through(make_site: Callable[..., Flask]) -> None:
    app = make_site(
        RATELIMIT_STORAGE_URI=_down(),
        RATELIMIT_SWALLOW_ERRORS=True,
        SUBMIT_RATE_LIMIT="1 per minute",
    )
    assert _submits(app, 2) == [200, 200]
    assert _stored(app) == 2


def test_with_neither_the_error_is_answered_and_nothing_stored(
    make_site: Callable[..., Flask],
) -> None:
    app = make_site(RATELIMIT_STORAGE_URI=_down())
    app.config["PROPAGATE_EXCEPTIONS"] = False  # (answered as a server would, not raised)
    reply = _learner(app).post("/api/exercises/io-path/grade", json={"code": "x = 1\n"})
    assert reply.status_code == 500
    assert _stored(app) == 0


def test_with_limits_switched_off_nothing_is_counted(make_site: Callable[..., Flask]) -> None:
    """``RATELIMIT_ENABLED = False`` (a lab behind one address, tests/grading/live.py): no
    storage is made, and no limit refuses."""
    app = make_site(RATELIMIT_ENABLED=False, SUBMIT_RATE_LIMIT="1 per minute")
    assert _submits(app, 2) == [200, 200]


class Flaky(MemoryStorage):
    """Counters that refuse every call while ``down``."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False
        self.counted = 0

    def incr(self, *args: Any, **kwargs: Any) -> int:
        self._answer()
        self.counted += 1
        return int(super().incr(*args, **kwargs))

    def get(self, key: str) -> int:
        self._answer()
        return int(super().get(key))

    def get_expiry(self, key: str) -> float:
        self._answer()
        return float(super().get_expiry(key))

    def _answer(self) -> None:
        if self.down:
            raise ConnectionError("the storage is down")


def test_the_storage_counts_again_once_it_answers(
    make_site: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a failure the storage is tried again after a second, then 2, 4 … s; in between,
    and while it still fails, this process counts."""
    app = make_site(RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True, SUBMIT_RATE_LIMIT="2 per minute")
    storage = Flaky()
    limits = SubmissionLimits(
        app,
        SimpleNamespace(storage=storage, enabled=True),  # type: ignore[arg-type]
        (("SUBMIT_RATE_LIMIT", "submissions", lambda: "learner:a"),),
        counts=lambda response: response.status_code < 400,
        exempt=lambda: False,
        refuse=lambda refusal: (f"refused, {refusal.retry_after} s", 429),
    )
    view = limits.guard(lambda: "graded")
    clock = [1000.0]
    monkeypatch.setattr(
        submission_limits, "time", SimpleNamespace(monotonic=lambda: clock[0], time=time.time)
    )

    def submit() -> int:
        with app.test_request_context(method="POST"):
            return int(app.make_response(view()).status_code)

    storage.down = True
    assert [submit(), submit(), submit()] == [200, 200, 429]  # counted here: 2 a minute
    storage.down = False
    assert submit() == 429 and storage.counted == 0  # not tried again yet
    clock[0] += 1.5
    assert submit() == 200 and storage.counted == 1  # the storage's own count, from zero
