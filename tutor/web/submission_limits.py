"""The submission rate limits — per learner and per address — counted with ``limits`` directly.

Flask-Limiter counted them until #15. For each Submit it resolved the view's limit groups,
built its request-scoped limit objects and evaluated them before the view, then deducted after
it: 0.4 ms of the server's CPU per submission (a tenth of a graded Submit; alternated per
submit in one process), where the counting itself — a test of each counter before the view and
a hit after it — is a few hundredths of that. The rules are Flask-Limiter's, kept as they were:

* a POST only; nothing when ``RATELIMIT_ENABLED`` is false (read at start, as Flask-Limiter does);
* a submit is counted only if it reached grading (``counts``), and one sent again with the
  ``Idempotency-Key`` of a stored submission is neither counted nor refused (``exempt``);
* the counters live in Flask-Limiter's storage (``RATELIMIT_STORAGE_URI``), under its strategy
  (``RATELIMIT_STRATEGY``, fixed windows by default);
* while that storage cannot be reached: ``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED`` counts in this
  process (the storage is tried again after 1, 2, 4 … 32 s), else ``RATELIMIT_SWALLOW_ERRORS``
  lets the submit through uncounted, else the error is answered. A submission stored already
  is never turned into an error by its count: that failure is logged.

The site's other limits (new sessions, signing in, the course site) stay Flask-Limiter's.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, make_response, request
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import STRATEGIES, RateLimiter

log = logging.getLogger(__name__)

# Seconds before an unreachable storage is tried again, doubling up to the last (Flask-Limiter's
# backoff).
RETRY_SECONDS = (1, 2, 4, 8, 16, 32)

# A limit's setting, the scope its counters share, the key of the one counted.
Rule = tuple[str, str, Callable[[], str]]


@functools.lru_cache(maxsize=32)
def _parsed(setting: str) -> tuple[RateLimitItem, ...]:
    """A setting's limits, parsed once (``settings_check`` refused an unreadable one at start)."""
    return tuple(parse_many(setting))


@dataclass(frozen=True)
class Counted:
    limit: RateLimitItem
    key: str
    scope: str


class Refused(Exception):
    """A limit is used up: the refusal says which, and when to submit again."""

    def __init__(self, limit: RateLimitItem, retry_after: int) -> None:
        super().__init__(str(limit))
        self.limit, self.retry_after = limit, retry_after


class SubmissionLimits:
    def __init__(
        self,
        app: Flask,
        limiter: Limiter,
        rules: tuple[Rule, ...],
        counts: Callable[[Response], bool],
        exempt: Callable[[], bool],
        refuse: Callable[[Refused], ResponseReturnValue],
    ) -> None:
        self.enabled = limiter.enabled  # (``RATELIMIT_ENABLED``; no storage is made without it)
        strategy = STRATEGIES[str(app.config.get("RATELIMIT_STRATEGY", "fixed-window"))]
        self.counter: RateLimiter | None = strategy(limiter.storage) if self.enabled else None
        self.fallback: RateLimiter | None = None
        if app.config.get("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"):
            self.fallback = strategy(MemoryStorage())
        self.swallow = bool(app.config.get("RATELIMIT_SWALLOW_ERRORS"))
        self.rules, self.counts, self.exempt, self.refuse = rules, counts, exempt, refuse
        self._failures = 0  # of the storage in a row
        self._retry_at = 0.0

    def guard(self, view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
        if not self.enabled:
            return view

        @functools.wraps(view)
        def limited(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            if request.method != "POST" or self.exempt():
                return view(*args, **kwargs)
            counted = self._counted()
            try:
                self._check(counted)
            except Refused as refusal:
                return self.refuse(refusal)
            response = make_response(view(*args, **kwargs))
            if self.counts(response):
                self._hit(counted)
            return response

        return limited

    def _counted(self) -> list[Counted]:
        config = current_app.config
        found = []
        for setting, scope, key_of in self.rules:
            key = key_of()
            if key:  # (Flask-Limiter skips a limit whose key is empty)
                found += [Counted(limit, key, scope) for limit in _parsed(str(config[setting]))]
        return found

    def _check(self, counted: list[Counted]) -> None:
        counter = self._counter()
        try:
            for each in counted:
                if not counter.test(each.limit, each.key, each.scope):
                    stats = counter.get_window_stats(each.limit, each.key, each.scope)
                    raise Refused(each.limit, max(1, int(stats.reset_time - time.time()) + 1))
        except Refused:
            raise
        except Exception:
            if counter is self.fallback or not self._storage_failed():
                if not self.swallow:
                    raise
                log.exception("rate-limit storage unreachable: this submit is not counted")
                return
            self._check(counted)  # the same, counted in this process
        else:
            self._storage_answered(counter)

    def _hit(self, counted: list[Counted]) -> None:
        counter = self._counter()
        try:
            for each in counted:
                counter.hit(each.limit, each.key, each.scope)
        except Exception:
            if counter is not self.fallback and self._storage_failed():
                self._hit(counted)
                return
            log.exception("rate-limit storage unreachable: a stored submission was not counted")

    def _counter(self) -> RateLimiter:
        if self.fallback is not None and self._failures and time.monotonic() < self._retry_at:
            return self.fallback
        assert self.counter is not None  # (guarded only when enabled)
        return self.counter

    def _storage_failed(self) -> bool:
        """Notes a failure of the storage; whether this process counts by itself meanwhile."""
        if self.fallback is None:
            return False
        if not self._failures:
            log.warning("rate-limit storage unreachable: counting in this process meanwhile")
        wait = RETRY_SECONDS[min(self._failures, len(RETRY_SECONDS) - 1)]
        self._failures += 1
        self._retry_at = time.monotonic() + wait
        return True

    def _storage_answered(self, counter: RateLimiter) -> None:
        if counter is self.counter and self._failures:
            log.warning("rate-limit storage reachable again")
            self._failures = 0
