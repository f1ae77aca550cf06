"""The site's own error pages, in the learner's language, instead of Werkzeug's bare English ones.

A learner who mistypes an address or meets a server fault should still see the site around them
(the outline link, the language switch) and a sentence saying what to do next. Everything under
``/api`` is left alone: API clients get JSON errors, which the API owns.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from .form_text import NulInForm

log = logging.getLogger(__name__)


def is_api(path: str) -> bool:
    """Under ``/api`` (the prefix alone too): answered in JSON by ``tutor.web.api``."""
    return path == "/api" or path.startswith("/api/")


def _wording(code: int, exc: HTTPException) -> tuple[str, str]:
    """Title and advice for a status code; looked up per request so gettext sees the locale."""
    if isinstance(exc, NulInForm):
        return gettext("This form holds a character text cannot have"), gettext(
            "A field holds the NUL character, which often comes along when text is pasted from "
            "another program. Type that field again, then send the form. Nothing was saved."
        )
    if isinstance(exc, CSRFError):  # going back would send the same stale token again
        return gettext("This form has expired"), gettext(
            "Nothing was saved: the page was open for a long time, or you signed in or out in "
            "another tab. Reload the page, then fill in the form and send it again."
        )
    if code == 404:
        return gettext("Page not found"), gettext(
            "There is no page at this address. The link may be mistyped, or the page may have "
            "moved; the course outline lists every lesson."
        )
    if code == 413:
        limit = int(current_app.config.get("MAX_CONTENT_LENGTH") or 0)
        size = f"{limit / 1024 / 1024:.0f} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
        if request.endpoint == "learn.submit":  # a learner's Submit, not an instructor's file
            return gettext("What you sent is too large"), gettext(
                "The server takes at most %(size)s in one submission. Nothing was submitted, "
                "and your code is still in the editor: make it shorter, then submit again.",
                size=size,
            )
        return gettext("What you sent is too large"), gettext(
            "The server takes at most %(size)s in one form or file. Nothing was saved: send a "
            "smaller file (split a long roster into several), then try again.",
            size=size,
        )
    if code == 405:
        return gettext("This address does not take that kind of request"), gettext(
            "Exercises are submitted with the Submit button on their lesson page; open the "
            "lesson from the course outline."
        )
    if code == 403:
        custom = exc.description != type(exc).description  # a view's own words (abort(403, …))
        return gettext("You may not do this"), (
            str(exc.description)
            if custom
            else gettext(
                "Your place in this course does not allow it, or it is someone else's. Nothing "
                "was changed; the course's instructor can give you the rights you need."
            )
        )
    if code >= 500:
        return gettext("Something went wrong on our side"), gettext(
            "The server could not finish this request. Your code is kept in your browser; "
            "go back and try again in a moment."
        )
    return gettext("This request could not be handled"), gettext(
        "Go back and try again; if it keeps happening, reload the lesson page first."
    )


def render_error_page(exc: HTTPException) -> ResponseReturnValue:
    """The HTML error page for ``exc``; any other handler may delegate here for non-API paths.
    An htmx request gets it as a report fragment (``_fragment``)."""
    if request.headers.get("HX-Request") == "true":
        return _fragment(exc)
    code = exc.code or 500
    title, advice = _wording(code, exc)
    # Werkzeug's own headers matter to clients (Allow on a 405, Retry-After on a 503).
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    try:
        return render_template("error.html", code=code, title=title, advice=advice), code, headers
    except Exception:  # the page itself failed: a plain answer still beats a second traceback
        log.exception("the error page for HTTP %s could not be rendered", code)
        return f"{code} {title}\n\n{advice}\n", code, {"Content-Type": "text/plain; charset=utf-8"}


def _page_error(exc: HTTPException) -> ResponseReturnValue:
    if is_api(request.path):
        return exc
    return render_error_page(exc)


def _fragment(exc: HTTPException) -> ResponseReturnValue:
    """An htmx request's error as a report the page shows where the answer would have gone
    (static/js/exercise.js reads a ``.report`` with a ``.message``): a whole error page is not
    swapped in, and "The server could not grade this submission (HTTP 400)" read as a fault of
    ours where the form had only expired (signed in in another tab)."""
    code = exc.code or 500
    title, advice = _wording(code, exc)
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    said = gettext("%(name)s: %(text)s", name=title, text=advice)  # "：" in Chinese
    body = Markup(
        '<div class="report verdict-submit-error verdict-error" data-verdict="submit-error" '
        'data-score="0" role="alert"><p class="verdict message">{}</p></div>'
    ).format(said)
    return str(body), code, {**headers, "Content-Type": "text/html; charset=utf-8"}


def init_app(app: Flask) -> None:
    # Registered for the HTTPException class, not per code, so a handler that another part of
    # the app registers for one code (or one exception class) still takes precedence.
    app.register_error_handler(HTTPException, _page_error)
