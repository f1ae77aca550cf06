"""Per-client limits on submissions, so one client cannot crowd out the others.

Three layers, cheapest first:

* **rate limits** on every POST of the learner pages and the JSON API (``submission_limits``;
  new sessions: Flask-Limiter): per learner (``SUBMIT_RATE_LIMIT``, default 20 a minute) and
  per network address (``SUBMIT_RATE_LIMIT_PER_IP``, 120 a minute — a classroom behind one NAT
  address shares it);
  new sessions per address (``SESSION_RATE_LIMIT``, 30 a minute) so a client cannot mint
  learners to get around the per-learner limits. Only what the limit is about counts: a POST
  refused before anything is stored (bad JSON, no token, an unknown exercise, one already in
  flight) spends nothing, nor does a submit sent again with the ``Idempotency-Key`` of a stored
  one (it is that submission, and is never refused), and ``GET /api/session`` from a session
  that has its learner makes no new session;
* **in-flight limits** in ``GradingService``: one submission being graded per learner and 40 per
  address — a class behind one NAT address (``GRADER_INFLIGHT_PER_LEARNER``,
  ``GRADER_INFLIGHT_PER_IP``); the next is refused with 429 and ``Retry-After`` until a verdict
  is in;
* **a fair queue** (``fair_queue``): workers serve addresses round-robin.

The address is the peer's, or — behind ``PROXY_HOPS`` reverse proxies — the one they report in
``X-Forwarded-For`` (werkzeug's ``ProxyFix``). Counters live in this process
(``RATELIMIT_STORAGE_URI``, default ``memory://``: ``rate_counters``); several server processes
need a shared store (``redis://…``).
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, current_app, request, session
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import RateLimitItem
from werkzeug.middleware.proxy_fix import ProxyFix

from .errors import is_api
from .grading_service import SubmissionRefused
from .rate_counters import storage_uri
from .submission_limits import SubmissionLimits

DEFAULTS = {
    "SUBMIT_RATE_LIMIT": "20 per minute",
    "SUBMIT_RATE_LIMIT_PER_IP": "120 per minute",
    "SESSION_RATE_LIMIT": "30 per minute",
    "RATELIMIT_STORAGE_URI": "memory://",
    # Off: Flask-Limiter would rewrite every Retry-After on a rate-limited route to its own
    # window's reset (a 503 "database unavailable" saying 5 s in its body would say 59 in the
    # header, a 202 "poll in 1 s" too). Each answer states its own wait, header and body alike:
    # the 429s here compute theirs from the limit that was hit.
    "RATELIMIT_HEADERS_ENABLED": False,
    "PROXY_HOPS": 0,
}


# The blueprints whose POSTs are submissions: every such view shares the two counters.
SUBMITTING_BLUEPRINTS = frozenset({"learn", "api"})


def _learner_or_address() -> str:
    learner = session.get("learner")
    return f"learner:{learner}" if learner else f"address:{get_remote_address()}"


def _setting(name: str) -> str:
    return str(current_app.config[name])


# A time unit in Chinese: alone, and after "every" ("分钟", "每分钟").
UNITS_ZH = {
    "second": ("秒", "每秒"),
    "minute": ("分钟", "每分钟"),
    "hour": ("小时", "每小时"),
    "day": ("天", "每天"),
    "month": ("月", "每月"),
    "year": ("年", "每年"),
}


def limit_words(limit: RateLimitItem) -> tuple[str, str]:
    """A limit as people write it in each language ("20 per minute", not "20 per 1 minute")."""
    unit, every = limit.GRANULARITY.name, limit.multiples
    en = f"{limit.amount} per {unit}" if every == 1 else f"{limit.amount} per {every} {unit}s"
    alone, each = UNITS_ZH.get(unit, (unit, unit))
    zh = f"{each} {limit.amount} 次" if every == 1 else f"每 {every} {alone} {limit.amount} 次"
    return en, zh


class RateLimited(SubmissionRefused):
    status = 429

    def __init__(self, limit: RateLimitItem, retry_after: int) -> None:
        en, zh = limit_words(limit)
        super().__init__(
            f"too many submissions ({en}): submit again in {retry_after} s; your code was not "
            "submitted and is still in the editor",
            zh=f"提交太频繁了（{zh}）：请在 {retry_after} 秒后再提交；"
            "你的代码没有提交，仍在编辑器中",
            retry_after=retry_after,
        )


class TooManySessions(SubmissionRefused):
    status = 429

    def __init__(self, limit: RateLimitItem, retry_after: int) -> None:
        en, zh = limit_words(limit)
        super().__init__(
            f"too many new sessions from this address ({en}): keep the session cookie you "
            f"were given, or try again in {retry_after} s",
            zh=f"这个地址新建会话太频繁了（{zh}）：请保留已得到的会话 cookie，"
            f"或在 {retry_after} 秒后再试",
            retry_after=retry_after,
        )


def _counts(response: Response) -> bool:
    """A submission limit is spent by what reached grading (stored, or the same submission
    again by its key), not by a request refused before that."""
    return response.status_code < 400


def _has_learner() -> bool:
    return "learner" in session


def _sent_again() -> bool:
    """A submit sent again with the ``Idempotency-Key`` of one already stored (docs/api.md):
    its answer is that submission, no new one, so it spends nothing and no submission limit
    refuses it (a client retrying a lost answer got "too many submissions … not submitted"
    for work that was stored). One indexed query, only when the header is there."""
    from .api import IDEMPOTENCY_HEADER
    from .extensions import db
    from .models import Submission

    key, learner = request.headers.get(IDEMPOTENCY_HEADER), session.get("learner")
    if not key or not learner:
        return False
    found = db.session.execute(
        db.select(Submission.id)
        .where(Submission.learner == str(learner), Submission.idempotency_key == key)
        .limit(1)
    ).first()
    return found is not None


def _retry_after() -> int:
    limiter: Limiter = current_app.extensions["fairness_limiter"]
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()) + 1)


def _rate_limited(exc: RateLimitExceeded) -> ResponseReturnValue:
    kind = TooManySessions if request.endpoint == "api.new_session" else RateLimited
    return _refusal_reply(kind(exc.limit.limit, _retry_after()))


def _refusal_reply(refusal: SubmissionRefused) -> ResponseReturnValue:
    if is_api(request.path):
        from .api import refusal_json

        return refusal_json(refusal)
    from .learn import refused

    return refused(refusal)


# Flask-Limiter's limits for every view (a deployment may set them): only with neither does a
# request to a view without its own limits have nothing to check.
APP_WIDE_LIMITS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION")


def _check_only_limited_views(app: Flask, limiter: Limiter) -> None:
    """Every limit of this site decorates its view (none is per blueprint), and a decorated
    view checks its limits itself; Flask-Limiter's check before *every* request then finds
    nothing to count, on every page, file and Submit: a Submit's 0.12 ms (#15). So it runs
    only when the deployment sets a limit for every view (``RATELIMIT_DEFAULT``,
    ``RATELIMIT_APPLICATION``)."""
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks and not any(map(app.config.get, APP_WIDE_LIMITS)):
        hooks.remove(limiter._check_request_limit)  # (not there: limits are switched off)


def init_app(app: Flask) -> None:
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    hops = int(app.config["PROXY_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    # One per app: its own limits and counters.
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=storage_uri(str(app.config["RATELIMIT_STORAGE_URI"])),
    )
    app.extensions["fairness_limiter"] = limiter
    _check_only_limited_views(app, limiter)
    # Only the views that take a POST carry the submission limits (``submission_limits``).
    posting = sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if rule.endpoint.split(".")[0] in SUBMITTING_BLUEPRINTS
            and "POST" in (rule.methods or ())
        }
    )
    # One counter for the pages and the API together, per learner and per address.
    submissions = SubmissionLimits(
        app,
        limiter,
        (
            ("SUBMIT_RATE_LIMIT", "submissions-per-learner", _learner_or_address),
            ("SUBMIT_RATE_LIMIT_PER_IP", "submissions-per-address", get_remote_address),
        ),
        counts=_counts,
        exempt=_sent_again,
        refuse=lambda refusal: _refusal_reply(RateLimited(refusal.limit, refusal.retry_after)),
    )
    for endpoint in posting:
        view: Any = app.view_functions[endpoint]
        app.view_functions[endpoint] = submissions.guard(view)
    session_limit: Any = limiter.limit(
        lambda: _setting("SESSION_RATE_LIMIT"), exempt_when=_has_learner
    )
    app.view_functions["api.new_session"] = session_limit(app.view_functions["api.new_session"])
    app.register_error_handler(RateLimitExceeded, _rate_limited)
