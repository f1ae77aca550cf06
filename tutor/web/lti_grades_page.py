"""The course staff's view of grade passback to the LMS (#12): ``/courses/<slug>/lms-grades``
lists every learner's grade link with what was last sent and, for a passback that keeps
failing, the platform's answer; "Retry now" queues a passback at once."""

from __future__ import annotations

import json
import re

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm

from .accounts import User, signed_in_only
from .extensions import db
from .lti_grade_links import FAILED, QUEUED, RETRYING, SENT, WAITING, LtiGradeLink
from .lti_models import LtiContext
from .lti_passback import passback
from .models import Course
from .roster import STAFF, require_member

bp = Blueprint("lti_grades", __name__)

STATUS_NAMES = {
    WAITING: lazy_gettext("no graded submission yet"),
    QUEUED: lazy_gettext("waiting to be sent"),
    SENT: lazy_gettext("sent"),
    RETRYING: lazy_gettext("not sent yet, will be tried again"),
    FAILED: lazy_gettext("could not be sent"),
}
# What a platform's refusal means for staff, by its HTTP status (pylti1p3's
# ``LtiServiceException: HTTP response [url]: 401 - body``) or the client's own exception: the
# raw error stays beside it for whoever administers the LMS.
_STATUS = re.compile(r"\]: (\d{3}) - ")
_UNREACHABLE = ("ConnectionError", "ConnectTimeout", "ReadTimeout", "Timeout", "SSLError")
MEANINGS = {
    "unreachable": lazy_gettext(
        "VirtTutor could not reach the LMS (the network, or the LMS is down); it sends the grade "
        "again later on its own."
    ),
    "credentials": lazy_gettext(
        "The LMS refused VirtTutor's credentials: ask its administrator to check the tool's "
        "registration (client ID, key set URL, token URL) against VirtTutor's (flask tutor lti)."
    ),
    "forbidden": lazy_gettext(
        "The LMS does not let this tool send grades: ask its administrator to allow the tool "
        "the Assignment and Grade Services in its settings."
    ),
    "gone": lazy_gettext(
        "The LMS no longer has this grade column or course (deleted, or the course was copied): "
        "launch the activity again from the LMS, then retry."
    ),
    "busy": lazy_gettext(
        "The LMS failed or is busy just now; VirtTutor sends the grade again later on its own."
    ),
}
_BY_STATUS = {400: "credentials", 401: "credentials", 403: "forbidden", 404: "gone", 410: "gone"}


_URL = re.compile(r"HTTP response \[([^\]]+)\]")


def error_meaning(error: str | None, endpoint_json: str | None = None) -> str | None:
    """The staff's reading of a stored passback error, or None when there is none to give.
    ``endpoint_json``, the launch's grade-service claim, tells the grade column's addresses
    from the token request's: any refusal of the token request is the registration's (a
    mistyped token URL answered 404, which read as "the column is gone")."""
    if not error:
        return None
    kind = error.split(":", 1)[0]
    if kind in _UNREACHABLE:
        return str(MEANINGS["unreachable"])
    found = _STATUS.search(error)
    if found is None:
        return None
    status = int(found.group(1))
    if status == 429 or status >= 500:
        return str(MEANINGS["busy"])
    if _token_request(error, endpoint_json):
        return str(MEANINGS["credentials"])
    meaning = _BY_STATUS.get(status)
    return None if meaning is None else str(MEANINGS[meaning])


def _token_request(error: str, endpoint_json: str | None) -> bool:
    """Whether the refused request was not to a grade-service address the launch named."""
    url = _URL.search(error)
    try:
        claim = json.loads(endpoint_json or "")
    except ValueError:
        return False
    if url is None or not isinstance(claim, dict):
        return False
    services = [str(v).split("?", 1)[0] for k, v in claim.items() if k in ("lineitem", "lineitems")]
    return bool(services) and not any(url.group(1).startswith(s) for s in services)


# Problems first, then what is in flight, then what went through.
ORDER = {FAILED: 0, RETRYING: 1, QUEUED: 2, WAITING: 3, SENT: 4}


class RetryForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token: the link is in the address."""


def _links(course: Course) -> list[tuple[LtiGradeLink, User]]:
    rows = db.session.execute(
        db.select(LtiGradeLink, User)
        .join(User, User.id == LtiGradeLink.user_id)
        .where(LtiGradeLink.course_id == course.id)
        .order_by(User.name, User.email, LtiGradeLink.id)
    )
    links = [(link, user) for link, user in rows]
    return sorted(links, key=lambda row: ORDER.get(row[0].status, 5))


@bp.route("/courses/<slug>/lms-grades")
@signed_in_only
def page(slug: str) -> ResponseReturnValue:
    course, _member = require_member(slug, STAFF)
    links = _links(course)
    return render_template(
        "lti/grades.html",
        course=course,
        links=links,
        statuses=STATUS_NAMES,
        failing=sum(1 for link, _user in links if link.status in (FAILED, RETRYING)),
        form=RetryForm(),
    )


def _retry(links: list[LtiGradeLink]) -> None:
    service = passback(current_app)
    for link in links:
        service.queue(link.id)


@bp.post("/courses/<slug>/lms-grades/<int:link_id>/retry")
@signed_in_only
def retry(slug: str, link_id: int) -> ResponseReturnValue:
    course, _member = require_member(slug, STAFF)
    if not RetryForm().validate_on_submit():
        abort(400)
    link = db.session.get(LtiGradeLink, link_id)
    if link is None or link.course_id != course.id:
        abort(404)
    _retry([link])
    flash(gettext("The grade is being sent again; this page shows how it went."))
    return redirect(url_for("lti_grades.page", slug=slug))


@bp.post("/courses/<slug>/lms-grades/retry-failed")
@signed_in_only
def retry_failed(slug: str) -> ResponseReturnValue:
    course, _member = require_member(slug, STAFF)
    if not RetryForm().validate_on_submit():
        abort(400)
    failed = list(
        db.session.execute(
            db.select(LtiGradeLink).where(
                LtiGradeLink.course_id == course.id, LtiGradeLink.status == FAILED
            )
        ).scalars()
    )
    _retry(failed)
    flash(gettext("Every failed grade is being sent again; this page shows how it went."))
    return redirect(url_for("lti_grades.page", slug=slug))


def lms_linked(course: Course) -> bool:
    """Whether an LMS launched into this course (its staff tabs then show LMS grades)."""
    found = db.session.execute(
        db.select(LtiContext.id).filter_by(course_id=course.id).limit(1)
    ).first()
    return found is not None


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(lms_linked)
    app.add_template_global(error_meaning, "lms_error_meaning")
