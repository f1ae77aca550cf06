"""The JSON API: the outline, a session, and grading that takes ``{"code": ...}`` and returns the
verdict.

Every bad request gets a 4xx with ``{"error": ...}`` that says what to change; only a program that
can run gets a graded report (which may itself be a failure with a message).

Grading acts for the learner in the session cookie, so a request another site makes the browser
send must not count. ``POST …/grade`` therefore needs:

* ``Content-Type: application/json`` — no HTML form can send it, and a cross-origin script that
  tries needs a CORS preflight this server never grants;
* proof it comes from this site: an ``X-CSRFToken`` header holding the session's token (``GET
  /api/session`` returns one; the pages carry it too), or ``Sec-Fetch-Site: same-origin``, or an
  ``Origin`` equal to this site's;
* a learner already in the session. A POST never creates one: otherwise a cross-site POST, which
  arrives without the victim's cookie, would get a fresh session whose cookie replaces theirs
  (their learner id, and so their hidden variant, lost). ``GET /api/session`` (or any page) makes
  the learner.
"""

from __future__ import annotations

import json
import re

from flask import Blueprint, Flask, current_app, jsonify, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import ValidationError, generate_csrf, validate_csrf
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, default_exceptions

from tutor.grading.judge import MAX_CODE_BYTES

from .course import current_learner
from .errors import render_error_page
from .extensions import csrf
from .grading_service import IN_FLIGHT, GraderBusy, GraderUnavailable, SubmissionRefused
from .learn import catalog, grading
from .models import Submission
from .report_replies import api_report
from .schedule import submission_course
from .submission_access import viewable_submission

bp = Blueprint("api", __name__, url_prefix="/api")
# A client that sends a submit again (its answer lost with a dropped connection) sends the same
# key and gets the same submission back; docs/api.md.
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,128}")


def _error(status: int, message: str) -> ResponseReturnValue:
    return jsonify({"error": message}), status


def refusal_json(exc: GraderBusy | SubmissionRefused) -> ResponseReturnValue:
    """Nothing was stored: the status says why, ``Retry-After`` when waiting helps."""
    status = exc.status if isinstance(exc, SubmissionRefused) else 503
    body: dict[str, object] = {"error": str(exc), "error_zh": getattr(exc, "zh", str(exc))}
    headers = {}
    if exc.retry_after:
        body["retry_after"] = exc.retry_after
        headers["Retry-After"] = str(exc.retry_after)
    return jsonify(body), status, headers


@bp.get("/lessons")
def lessons() -> ResponseReturnValue:
    return jsonify({"lessons": catalog().outline()})


@bp.get("/session")
def new_session() -> ResponseReturnValue:
    """The learner of this browser (made now if new) and the CSRF token POSTs must carry."""
    return jsonify({"learner": current_learner(), "csrf_token": generate_csrf()})


def _from_this_site() -> bool:
    token = request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token")
    if token:
        try:
            validate_csrf(token)
        except ValidationError:
            return False
        return True
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return True
    origin = request.headers.get("Origin")
    return origin is not None and origin.rstrip("/") == request.host_url.rstrip("/")


def _refuse_untrusted_post() -> ResponseReturnValue | None:
    if request.mimetype != "application/json":
        return _error(415, 'send the body as JSON with "Content-Type: application/json"')
    if "learner" not in session:
        return _error(
            403,
            "no learner session: GET /api/session first (it sets the session cookie and "
            "gives the X-CSRFToken to send)",
        )
    if current_app.config.get("WTF_CSRF_ENABLED", True) and not _from_this_site():
        return _error(
            403,
            "this request does not come from this site: send the X-CSRFToken header "
            "(GET /api/session gives it)",
        )
    return None


@bp.post("/exercises/<exercise_id>/grade")
def grade(exercise_id: str) -> ResponseReturnValue:
    exercise = catalog().exercise(exercise_id)
    if exercise is None:
        return _error(404, f"no exercise {exercise_id!r}; GET /api/lessons lists them")
    refusal = _refuse_untrusted_post()
    if refusal is not None:
        return refusal
    data = request.get_data()
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and request.content_length is None and len(data) >= limit:
        # A chunked body is cut at the limit by some servers rather than refused: say so.
        return _error(413, too_large_message())
    try:
        body = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return _error(400, "the request body is not UTF-8; send JSON text")
    except (ValueError, RecursionError):
        return _error(400, 'the request body is not valid JSON; send {"code": "..."}')
    if not isinstance(body, dict) or "code" not in body:
        return _error(400, 'send a JSON object with a "code" field')
    if not isinstance(body["code"], str):
        return _error(400, '"code" must be a string of Python source')
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        return _error(
            400,
            f"{IDEMPOTENCY_HEADER} must be 1 to 128 visible ASCII characters (a UUID is a good "
            "key); nothing was submitted",
        )
    try:
        course = submission_course(exercise)  # a student's course, or self-study
        submission = grading().submit(
            exercise, body["code"], course, current_learner(), idempotency_key=key
        )
    except (GraderBusy, SubmissionRefused) as exc:
        return refusal_json(exc)
    except GraderUnavailable as exc:
        return _error(503, str(exc))
    return submission_json(submission)


def submission_json(submission: Submission) -> ResponseReturnValue:
    """200 with the verdict once there is one; 202 with ``Location`` (poll it) while the
    submission waits for a grader or is being graded."""
    body: dict[str, object] = {"submission": submission.id, "status": submission.status}
    if submission.status in IN_FLIGHT:
        location = url_for("api.submission", submission_id=submission.id)
        body["location"] = location
        return jsonify(body), 202, {"Location": location, "Retry-After": "1"}
    # ``error``: the server could not grade it (an internal error): no score, not even a 0.
    score = {"score": None} if submission.status == "error" else {}
    return jsonify({**body, **api_report(submission.report or {}), **score}), 200


@bp.get("/submissions/<int:submission_id>")
def submission(submission_id: int) -> ResponseReturnValue:
    """One stored submission: its status and, once graded, the report (owner and staff only)."""
    return submission_json(viewable_submission(submission_id))


def too_large_message() -> str:
    limit = int(current_app.config.get("MAX_CONTENT_LENGTH") or 0)
    return f"the request is too large (limit {limit // 1024} KB; code: {MAX_CODE_BYTES // 1000} KB)"


def _too_large(exc: RequestEntityTooLarge) -> ResponseReturnValue:
    if request.path.startswith("/api/"):
        return _error(413, too_large_message())
    return render_error_page(exc)


def _json_for_the_api(exc: HTTPException) -> ResponseReturnValue:
    """Every error under /api/ is JSON (the site's HTML pages elsewhere): a client that parses
    the body must never meet an HTML page or a traceback."""
    if not request.path.startswith("/api/"):
        return render_error_page(exc)
    code = exc.code or 500
    message = "the server failed on this request; try again" if code >= 500 else exc.description
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    return jsonify({"error": message or exc.name}), code, headers


def init_app(app: Flask) -> None:
    csrf.exempt(bp)  # checked above, for JSON: token, Sec-Fetch-Site or Origin
    app.register_blueprint(bp)
    for code in default_exceptions:  # per code, so these win over the pages' generic handler
        app.register_error_handler(code, _json_for_the_api)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
