"""The JSON API: the outline, and grading that takes ``{"code": ...}`` and returns the verdict.

Every bad request gets a 4xx with ``{"error": ...}`` that says what to change; only a program that
can run gets a graded report (which may itself be a failure with a message).
"""

from __future__ import annotations

import json

from flask import Blueprint, Flask, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import RequestEntityTooLarge

from .course import current_learner, demo_course
from .extensions import csrf
from .grading_service import GraderBusy, GraderUnavailable
from .learn import catalog, grading

bp = Blueprint("api", __name__, url_prefix="/api")


def _error(status: int, message: str) -> ResponseReturnValue:
    return jsonify({"error": message}), status


@bp.get("/lessons")
def lessons() -> ResponseReturnValue:
    return jsonify({"lessons": catalog().outline()})


@bp.post("/exercises/<exercise_id>/grade")
def grade(exercise_id: str) -> ResponseReturnValue:
    exercise = catalog().exercise(exercise_id)
    if exercise is None:
        return _error(404, f"no exercise {exercise_id!r}; GET /api/lessons lists them")
    try:
        body = json.loads(request.get_data().decode("utf-8"))
    except UnicodeDecodeError:
        return _error(400, "the request body is not UTF-8; send JSON text")
    except ValueError:
        return _error(400, 'the request body is not valid JSON; send {"code": "..."}')
    if not isinstance(body, dict) or "code" not in body:
        return _error(400, 'send a JSON object with a "code" field')
    if not isinstance(body["code"], str):
        return _error(400, '"code" must be a string of Python source')
    try:
        submission = grading().submit(exercise, body["code"], demo_course(), current_learner())
    except GraderBusy as exc:
        response = jsonify({"error": str(exc), "retry_after": exc.retry_after})
        return response, 503, {"Retry-After": str(exc.retry_after)}
    except GraderUnavailable as exc:
        return _error(503, str(exc))
    return jsonify(
        {"submission": submission.id, "status": submission.status, **(submission.report or {})}
    ), (202 if submission.status == "pending" else 200)


def _too_large(exc: RequestEntityTooLarge) -> ResponseReturnValue:
    if request.path.startswith("/api/"):
        return _error(413, "the request is too large (limit 512 KB)")
    return exc


def init_app(app: Flask) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
