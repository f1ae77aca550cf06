"""The JSON API: the outline, a session, and grading that takes ``{"code": ...}`` and returns the
verdict.

Every bad request gets a 4xx with ``{"error": ..., "error_zh": ...}`` (the same in Chinese) that
says what to change; only a program that can run gets a graded report (which may itself be a
failure with a message). Every answer under ``/api`` is JSON: errors, ``OPTIONS`` and what a
router would otherwise answer with an HTML page.

Grading acts for the learner in the session cookie, so a request another site makes the browser
send must not count. ``POST …/grade`` therefore needs:

* ``Content-Type: application/json`` — no HTML form can send it, and a cross-origin script that
  tries needs a CORS preflight this server never grants;
* proof it comes from this site: an ``X-CSRFToken`` header holding the session's token (``GET
  /api/session`` returns one; the pages carry it too), or ``Sec-Fetch-Site: same-origin``, or an
  ``Origin`` equal to this site's;
* a learner already in the session. A POST never creates one: otherwise a cross-site POST, which
  arrives without the victim's cookie, would get a fresh session whose cookie replaces theirs
  (their learner id, and so their hidden variant, lost). ``GET /api/session`` makes the learner
  (the lesson page, the same for everyone and cached, makes none).
"""

from __future__ import annotations

import json
import re

from flask import Blueprint, Flask, Response, current_app, jsonify, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, default_exceptions

from tutor.grading import json_text
from tutor.grading.harness import LearnerError
from tutor.grading.judge import MAX_CODE_BYTES

from .course import current_learner
from .csrf_tokens import is_valid
from .errors import is_api, render_error_page
from .extensions import csrf
from .grading_service import IN_FLIGHT, GraderBusy, GraderUnavailable, SubmissionRefused
from .learn import catalog, grading
from .models import Submission
from .report_replies import api_report, own_view
from .schedule import course_note, submission_course_id
from .submission_access import is_own, viewable_submission

bp = Blueprint("api", __name__, url_prefix="/api")
# Each route says ``merge_slashes=False``: "/api//lessons" is a JSON 404, not Werkzeug's HTML
# 308 to "/api/lessons" (the site's pages keep that redirect).
# A client that sends a submit again (its answer lost with a dropped connection) sends the same
# key and gets the same submission back; docs/api.md.
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,128}")


# How long a client polling a submission no grader can take now is asked to wait.
STALLED_RETRY = 30

# An id echoed in a message is cut here: the message names it, it does not mirror a 20 KB one.
ECHOED_ID = 80


def _error(status: int, message: str, zh: str) -> ResponseReturnValue:
    return jsonify({"error": message, "error_zh": zh}), status


def refusal_json(exc: LearnerError) -> ResponseReturnValue:
    """Nothing was stored (busy, refused, no grader): the status says why, ``Retry-After``
    when waiting helps."""
    status = exc.status if isinstance(exc, SubmissionRefused) else 503
    body: dict[str, object] = {"error": str(exc), "error_zh": exc.zh or str(exc)}
    headers = {}
    wait = getattr(exc, "retry_after", None)
    if wait:
        body["retry_after"] = wait
        headers["Retry-After"] = str(wait)
    return jsonify(body), status, headers


@bp.get("/lessons", merge_slashes=False)
def lessons() -> ResponseReturnValue:
    return jsonify({"lessons": catalog().outline()})


@bp.get("/session", merge_slashes=False)
def new_session() -> ResponseReturnValue:
    """The learner of this browser (made now if new) and the CSRF token POSTs must carry."""
    return jsonify({"learner": current_learner(), "csrf_token": generate_csrf()})


def _from_this_site() -> bool:
    token = request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token")
    if token:
        return is_valid(token)
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return True
    origin = request.headers.get("Origin")
    return origin is not None and origin.rstrip("/") == request.host_url.rstrip("/")


def _refuse_untrusted_post() -> ResponseReturnValue | None:
    if request.mimetype != "application/json":
        return _error(
            415,
            'send the body as JSON with "Content-Type: application/json"',
            '请以 JSON 发送请求体，并带上 "Content-Type: application/json"',
        )
    if "learner" not in session:
        return _error(
            403,
            "no learner session: GET /api/session first (it sets the session cookie and "
            "gives the X-CSRFToken to send)",
            "没有学习者会话：请先 GET /api/session"
            "（它设置会话 cookie，并给出要发送的 X-CSRFToken）",
        )
    if current_app.config.get("WTF_CSRF_ENABLED", True) and not _from_this_site():
        return _error(
            403,
            "this request does not come from this site: send the X-CSRFToken header "
            "(GET /api/session gives it)",
            "这个请求不是来自本站：请发送 X-CSRFToken 请求头（GET /api/session 会给出）",
        )
    return None


def _not_json(constant: str) -> object:
    raise ValueError(f"{constant} is not JSON")


@bp.post("/exercises/<exercise_id>/grade", merge_slashes=False)
def grade(exercise_id: str) -> ResponseReturnValue:
    exercise = catalog().exercise(exercise_id)
    if exercise is None:
        shown = repr(exercise_id[:ECHOED_ID]) + ("…" if len(exercise_id) > ECHOED_ID else "")
        return _error(
            404,
            f"no exercise {shown}; GET /api/lessons lists them",
            f"没有练习 {shown}；GET /api/lessons 会列出全部练习",
        )
    refusal = _refuse_untrusted_post()
    if refusal is not None:
        return refusal
    data = request.get_data()
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and request.content_length is None and len(data) >= limit:
        # A chunked body is cut at the limit by some servers rather than refused: say so.
        return _error(413, *too_large_message())
    try:
        # A leading byte order mark is allowed (RFC 8259 §8.1: a parser may ignore it).
        # NaN and Infinity are not JSON (RFC 8259 §6), though Python's reader takes them.
        body = json.loads(data.decode("utf-8-sig"), parse_constant=_not_json)
    except UnicodeDecodeError:
        return _error(
            400,
            "the request body is not UTF-8; send JSON text",
            "请求体不是 UTF-8；请发送 JSON 文本",
        )
    except (ValueError, RecursionError):
        return _error(
            400,
            'the request body is not valid JSON; send {"code": "..."}',
            '请求体不是有效的 JSON；请发送 {"code": "..."}',
        )
    if not isinstance(body, dict) or "code" not in body:
        return _error(
            400, 'send a JSON object with a "code" field', '请发送带 "code" 字段的 JSON 对象'
        )
    if not isinstance(body["code"], str):
        return _error(
            400, '"code" must be a string of Python source', '"code" 必须是 Python 源代码字符串'
        )
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        return _error(
            400,
            f"{IDEMPOTENCY_HEADER} must be 1 to 128 visible ASCII characters (a UUID is a good "
            "key); nothing was submitted",
            f"{IDEMPOTENCY_HEADER} 必须是 1 到 128 个可见 ASCII 字符（UUID 就很好）；"
            "什么都没有提交",
        )
    try:
        course_id = submission_course_id(exercise)  # a student's course, or self-study
        submission = grading().submit(
            exercise, body["code"], course_id, current_learner(), idempotency_key=key
        )
    except (GraderBusy, SubmissionRefused, GraderUnavailable) as exc:
        return refusal_json(exc)
    return submission_json(submission)


def submission_json(submission: Submission) -> ResponseReturnValue:
    """200 with the verdict once there is one; 202 with ``Location`` (poll it) while the
    submission waits for a grader or is being graded."""
    body: dict[str, object] = {"submission": submission.id, "status": submission.status}
    if submission.status in IN_FLIGHT:
        location = url_for("api.submission", submission_id=submission.id)
        body["location"] = location
        wait = 1
        stalled = grading().stalled()
        if stalled is not None:  # polling every second would wait for nothing
            body["note"], wait = stalled, STALLED_RETRY
            body["retry_after"] = wait
        return jsonify(body), 202, {"Location": location, "Retry-After": str(wait)}
    # ``error``: the server could not grade it (an internal error): no score, not even a 0.
    score = {"score": None} if submission.status == "error" else {}
    report = submission.report or {}
    shown = own_view(report) if is_own(submission) else report  # staff: all of it
    # A score the course counts otherwise (late, or after the course ended) is said with it.
    note = course_note(submission)
    counted = {"note": note} if note is not None else {}
    return _verdict_json({**body, **api_report(shown), **score, **counted})


def _verdict_json(body: dict[str, object]) -> Response:
    """``jsonify(body)``, written by orjson: a verdict is plain JSON data (a stored report, read
    back, or one ``plain_or_none`` wrote), and Flask's writer, sorting every key of every case,
    was a twentieth of a graded Submit's web CPU (#15). Keys keep the report's order and
    non-ASCII text is sent as UTF-8, not ``\\u`` escapes: the same JSON to any reader."""
    return current_app.response_class(
        json_text.plain(body) + "\n", status=200, mimetype="application/json"
    )


@bp.get("/submissions/<int:submission_id>", merge_slashes=False)
def submission(submission_id: int) -> ResponseReturnValue:
    """One stored submission: its status and, once graded, the report (owner and staff only)."""
    return submission_json(viewable_submission(submission_id))


def too_large_message() -> tuple[str, str]:
    """In English and Chinese; both limits in bytes (the request's is 1024 KiB, the code's
    200 KB: one unit, so neither reads as the other's)."""
    limit = int(current_app.config.get("MAX_CONTENT_LENGTH") or 0)
    return (
        f"the request is too large: at most {limit:,} bytes, and the code at most "
        f"{MAX_CODE_BYTES:,} bytes of UTF-8",
        f"请求太大：最多 {limit:,} 字节，代码最多 {MAX_CODE_BYTES:,} 字节（UTF-8）",
    )


def _too_large(exc: RequestEntityTooLarge) -> ResponseReturnValue:
    if is_api(request.path):
        return _error(413, *too_large_message())
    return render_error_page(exc)


def _http_error_words(exc: HTTPException) -> tuple[str, str]:
    """What a client should do, in both languages; Werkzeug's own words ("If you entered the
    URL manually please check your spelling") are for a person at a browser."""
    code = exc.code or 500
    if code == 404:
        return (
            f"nothing at {request.path[:200]}: GET /api/lessons lists the exercises; see "
            "docs/api.md for the endpoints",
            f"{request.path[:200]} 不存在：GET /api/lessons 会列出练习；接口见 docs/api.md",
        )
    if code == 405:
        allowed = ", ".join(sorted(getattr(exc, "valid_methods", None) or ()))
        return (
            f"{request.method} is not allowed here; use {allowed}",
            f"这里不接受 {request.method}；请用 {allowed}",
        )
    if code >= 500:
        return ("the server failed on this request; try again", "服务器处理这个请求时出错；请重试")
    return (exc.description or exc.name, f"请求无法处理（HTTP {code} {exc.name}）")


def _json_for_the_api(exc: HTTPException) -> ResponseReturnValue:
    """Every error under /api is JSON (the site's HTML pages elsewhere): a client that parses
    the body must never meet an HTML page or a traceback."""
    if not is_api(request.path):
        return render_error_page(exc)
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    en, zh = _http_error_words(exc)
    return jsonify({"error": en, "error_zh": zh}), exc.code or 500, headers


@bp.after_request
def _options_as_json(response: Response) -> Response:
    """Flask answers ``OPTIONS`` itself with an empty HTML body: here the same ``Allow`` as
    JSON. No CORS headers: this API grants no other site (module docstring)."""
    if request.method == "OPTIONS" and response.status_code == 200:
        allowed = [m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()]
        response.set_data(json.dumps({"allow": allowed}))
        response.mimetype = "application/json"
    return response


def init_app(app: Flask) -> None:
    csrf.exempt(bp)  # checked above, for JSON: token, Sec-Fetch-Site or Origin
    app.register_blueprint(bp)
    for code in default_exceptions:  # per code, so these win over the pages' generic handler
        app.register_error_handler(code, _json_for_the_api)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
