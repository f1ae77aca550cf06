"""Response headers every page needs.

Cross-origin isolation (COOP + COEP) unlocks SharedArrayBuffer, which lets the page interrupt a
runaway Python program in the worker instead of killing the worker. COEP "credentialless" keeps
the d3 CDN script (loaded with crossorigin) working.

The Content Security Policy allows scripts from this site only (and the pinned CDN files in
``ASSETS_MODE = "cdn"``), WebAssembly compilation for Pyodide (``'wasm-unsafe-eval'``, never
``'unsafe-eval'``), no plugins, no ``<base>`` or form targets elsewhere. Inline styles stay
allowed (htmx's indicator style, the no-JavaScript note); inline *scripts* do not — the pages
carry data in ``<script type="application/json">`` blocks, which are never executed.

Framing: only this site, plus the learning platforms that embed the course (``LMS_ORIGINS``,
e.g. ``["https://moodle.example.edu"]``), so Submit and Reset cannot be clickjacked from
anywhere else. ``Referrer-Policy: same-origin`` keeps page addresses (which name exercises and
submissions) from other sites. Behind HTTPS (``request.is_secure``, which honours the trusted
proxy's ``X-Forwarded-Proto``) every cookie is marked ``Secure`` and HSTS is sent.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, has_request_context, request
from flask import session as request_session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask_babel import get_locale
from flask_login import current_user
from itsdangerous import BadSignature

from .asset_pins import current_pins, pins_version
from .extensions import PAGE_LANGUAGE_HEADER

HSTS = "max-age=15552000"  # 180 days
# An unchanged session's cookie is set again (its expiry moved on) at most this often, instead of
# on every response as Flask does for a permanent session: signing it was a seventh of a lesson
# page's CPU, and a month-long session loses nothing by being extended hourly.
SESSION_REFRESH_SECONDS = 3600
# Verified session cookies kept per process (then forgotten all at once), and the types of value
# a kept one may hold: immutable, so a request's copy of the dict shares nothing it can change.
VERIFIED_KEPT = 4096
PLAIN = frozenset({str, int, float, bool, type(None)})


# Files that are the same for every visitor: a static file and a lesson's data (``data.json``).
SAME_FOR_EVERYONE = frozenset({"static", "learn.lesson_data"})


def same_for_everyone(response: Response) -> bool:
    """A reply that says nothing about its visitor, which any cache may keep for everyone (the
    versioned ones for a year): it neither sets the session cookie nor varies on cookies or on
    the page's headers. A signed-in learner's refreshed session cookie rode on an ``immutable``
    stylesheet, and ``Vary: Cookie`` made browsers ask again for every "immutable" file after
    each cookie change."""
    if has_request_context() and request.endpoint in SAME_FOR_EVERYONE:
        return True
    # ``public`` in Cache-Control, read without parsing the header into an object per reply.
    control = response.headers.get("Cache-Control") or ""
    return any(part.strip().lower() == "public" for part in control.split(","))


def _cdn_scripts() -> list[str]:
    """The CDN's pinned files themselves, not its whole origin: jsDelivr serves any npm package
    or GitHub file, so allowing ``https://cdn.jsdelivr.net`` would turn any HTML injection into
    running a script of the attacker's choosing from it."""
    urls = set()
    for asset in current_pins().values():
        for url in asset.cdn.values():
            parts = urlsplit(url)
            urls.add(f"{parts.scheme}://{parts.netloc}{parts.path}")
    return sorted(urls)


def content_security_policy() -> str:
    """Made once per set of what it depends on (the frame ancestors, and in the CDN's mode the
    pins file's version), not per reply: it was a sixth of the headers' time (#15)."""
    config = current_app.config
    origins = tuple(str(o) for o in config.get("LMS_ORIGINS", []))
    pins = pins_version() if config.get("ASSETS_MODE") == "cdn" else None
    return _policy(origins, pins)


@lru_cache(maxsize=16)
def _policy(origins: tuple[str, ...], pins: tuple[int, int] | None) -> str:
    """``pins``: the pinned files' version when the CDN's files are allowed, else ``None``."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'", *(_cdn_scripts() if pins else [])],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'", *origins],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def _secure_cookies(response: Response) -> None:
    """Every cookie ``Secure``; a ``SameSite=None`` one (pylti1p3's LTI state cookie) also
    ``Partitioned``, as the session cookie is (``SecureBehindHttps``)."""
    cookies = response.headers.getlist("Set-Cookie")
    if not cookies:
        return
    response.headers.remove("Set-Cookie")
    for cookie in cookies:
        parts = {part.strip().lower() for part in cookie.split(";")[1:]}
        if "secure" not in parts:
            cookie = f"{cookie}; Secure"
        if "samesite=none" in parts and "partitioned" not in parts:
            cookie = f"{cookie}; Partitioned"
        response.headers.add("Set-Cookie", cookie)


SIGNED_IN_HEADER = "VirtTutor-Signed-In"

# Set by an LTI launch (lti.py): this session lives inside an LMS's iframe.
FRAMED_SESSION = "lti_framed"


def framed() -> bool:
    """Whether this HTTPS request's session is one an LMS frames: an LTI request (the login's
    state must survive the platform's cross-site POST back) or a session a launch began."""
    if not (has_request_context() and request.is_secure):
        return False
    return request.blueprint == "lti" or bool(request_session.get(FRAMED_SESSION))


class SecureBehindHttps(SecureCookieSessionInterface):
    """The session cookie is ``Secure`` (and, for a session an LMS frames, ``SameSite=None``)
    when the request came over HTTPS (or ``SESSION_COOKIE_SECURE`` says so), without
    configuring it per deployment."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)

    def get_cookie_samesite(self, app: Flask) -> str | None:
        """A session that an LMS frames (an LTI 1.3 launch, #12: ``framed``) is ``SameSite=None``
        over HTTPS, so that the learner stays signed in inside the course site's iframe; every
        other session keeps the setting (``Lax``), under which a cross-site POST carries no
        session at all. Over plain HTTP browsers refuse ``None`` without ``Secure``."""
        if framed():
            return "None"
        return super().get_cookie_samesite(app)

    def get_cookie_partitioned(self, app: Flask) -> bool:
        """A framed session's cookie is also ``Partitioned`` (CHIPS): browsers that block
        third-party cookies — Chromium in headless and incognito modes, Firefox and Safari by
        default — still keep a partitioned cookie inside an LMS's iframe, so an LTI launch
        there stays signed in (#12)."""
        return super().get_cookie_partitioned(app) or framed()

    def __init__(self) -> None:
        # Cookies verified already (by their text and the key): their content and when they
        # were signed, so that a browser's next request with the same cookie is not checked and
        # inflated again (most of opening a session, #15). Only content of plain values is
        # kept: each request gets its own copy, which it may change.
        self._verified: dict[tuple[str, object], tuple[dict[str, Any], float]] = {}

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Flask's, also noting when the cookie was last set (its signature's timestamp)."""
        if not app.secret_key:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        known = (value, app.secret_key)
        found = self._verified.get(known)
        if found is None:
            serializer = self.get_signing_serializer(app)
            assert serializer is not None  # (there is a key)
            try:
                data, signed = serializer.loads(value, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return self.session_class()
            found = data, signed.timestamp()
            if all(type(v) in PLAIN for v in data.values()):
                if len(self._verified) >= VERIFIED_KEPT:
                    self._verified.clear()
                self._verified[known] = found
        elif time.time() - found[1] > max_age:
            return self.session_class()  # (expired since it was verified)
        session = self.session_class(found[0])  # (a copy: values are plain)
        session.signed_at = found[1]  # type: ignore[attr-defined]
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or time.time() - signed_at >= SESSION_REFRESH_SECONDS

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        """A browser holding session cookies of both kinds — partitioned and not, from before a
        session became framed or from before only framed sessions were partitioned — sends
        both, and the first would win for good: the kind this session should have takes its
        content now and the other kind is deleted."""
        if same_for_everyone(response):
            return  # the session keeps until the next page (its changes here are Flask-Login's)
        name = self.get_cookie_name(app)
        both = (
            has_request_context() and request.is_secure and len(request.cookies.getlist(name)) > 1
        )
        if both and session:
            session.modified = True
        partitioned = self.get_cookie_partitioned(app)
        super().save_session(app, session, response)
        if both:
            other = "" if partitioned else "; Partitioned"
            response.headers.add(
                "Set-Cookie",
                f"{name}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; "
                f"Path={self.get_cookie_path(app)}; Secure; HttpOnly; SameSite=None{other}",
            )


# What a reply about its visitor varies on (``Vary``).
VARY = ("HX-Request", PAGE_LANGUAGE_HEADER, "Accept-Language")


@lru_cache(maxsize=64)
def _isolating(
    policy: str, frame_options: bool, secure: bool, static: bool
) -> tuple[tuple[str, str], ...]:
    """The isolating headers a reply gets unless it sets them: ``frame_options`` for browsers
    without ``frame-ancestors`` (no LMS frames the site), HSTS over HTTPS, and a static file's
    ``Cross-Origin-Resource-Policy``."""
    found = [
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Embedder-Policy", "credentialless"),
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Security-Policy", policy),
        ("Referrer-Policy", "same-origin"),
    ]
    if frame_options:
        found.append(("X-Frame-Options", "SAMEORIGIN"))
    if secure:
        found.append(("Strict-Transport-Security", HSTS))
    if static:
        found.append(("Cross-Origin-Resource-Policy", "same-origin"))
    return tuple(found)


def install_headers(app: Flask) -> None:
    app.config.setdefault("LMS_ORIGINS", [])
    app.session_interface = SecureBehindHttps()

    @app.after_request
    def _isolate(response: Response) -> Response:
        secure, static = request.is_secure, request.path.startswith("/static/")
        # Added in one step, only those the reply does not set itself: one pass over its
        # headers instead of one per header (#15).
        present = {name.lower() for name, _ in response.headers.items()}
        response.headers.extend(
            [
                (name, value)
                for name, value in _isolating(
                    content_security_policy(),
                    frame_options=not current_app.config["LMS_ORIGINS"],
                    secure=secure,
                    static=static,
                )
                if name.lower() not in present
            ]
        )
        if secure:
            _secure_cookies(response)
        if not same_for_everyone(response):
            # The language comes from the query, the session or cookie, or Accept-Language.
            if "vary" in present:
                response.vary.update(VARY)
            else:
                response.headers["Vary"] = ", ".join(VARY)
            page = response.mimetype == "text/html" and response.status_code == 200
            if "cache-control" not in present and not page:
                # A reply about its visitor that says nothing of caching (JSON, the grades CSV,
                # an error page): no cache keeps it — a CDN that caches by file type would
                # otherwise hand one instructor's gradebook.csv to the next visitor. (Pages
                # say `private, no-cache` themselves: page_validators.)
                response.headers["Cache-Control"] = "no-store"
        if response.mimetype == "text/html":
            # Which language this page is in: the offline copy (service-worker.js) keeps each
            # page once per language by it, and answers offline in the learner's language.
            response.headers.setdefault("Content-Language", str(get_locale() or "en"))
            if current_user.is_authenticated:
                # An account's page: the offline copy, which every user of this browser shares
                # and which outlives signing out, never keeps it (service-worker.js).
                response.headers[SIGNED_IN_HEADER] = "1"
        return response
