"""``ETag`` on HTML pages, so a browser revalidating a page it has gets a bodiless 304.

A page carries the session's CSRF token in a signed, timestamped form that changes every second
(Flask-WTF), although every form of it stays valid for the whole session
(``WTF_CSRF_TIME_LIMIT = None``). The validator is therefore computed over the page with that
signed form left out and the session's raw token put in instead: the same page for the same
session has the same ETag, and a page kept from another session (signed out, another learner)
never matches. With a time limit on tokens the signed form stays in: an old token may expire.

The ETag is weak (``W/``): the brotli, gzip and plain bodies are the same page.
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, current_app, g, request, session


def page_etag(body: bytes) -> str:
    token = g.get("csrf_token")
    digest = hashlib.blake2b(digest_size=16)
    if token and current_app.config.get("WTF_CSRF_TIME_LIMIT") is None:
        body = body.replace(str(token).encode(), b"")
        digest.update(str(session.get("csrf_token", "")).encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def _validate_html(response: Response) -> Response:
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or response.mimetype != "text/html"
        or response.is_streamed
        or response.get_etag()[0]
    ):
        return response
    response.set_etag(page_etag(response.get_data()), weak=True)
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "private, no-cache"  # progress changes: ask each time
    response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    """Registered after compression: ``after_request`` hooks run last-registered first, so the
    validator sees (and a 304 skips compressing) the plain page."""
    app.after_request(_validate_html)
