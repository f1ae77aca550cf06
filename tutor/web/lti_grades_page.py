"""The course staff's view of grade passback to the LMS (#12): ``/courses/<slug>/lms-grades``
lists every learner's grade link with what was last sent and, for a passback that keeps
failing, the platform's answer; "Retry now" queues a passback at once."""

from __future__ import annotations

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
