"""Staff syncing a course's roster from its LMS (#12, NRPS): the page
``/courses/<slug>/lms-roster`` with its "Sync now" button, and ``flask tutor lti sync-roster``.

What a sync does is in ``lti_roster``; here is only who may ask and what they are told,
including why a course cannot be synced (not made by an LMS launch, or no launch so far offered
the membership service)."""

from __future__ import annotations

import sys

import click
from flask import Blueprint, Flask, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from .accounts import signed_in_only
from .lti_cli import group as lti_group
from .lti_roster import RosterUnavailable, SyncResult, context_of, everyone, source_of, sync
from .models import Course
from .roster import STAFF, course_by_slug, require_member, role_names

bp = Blueprint("lti_roster", __name__)


class SyncForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token: the course is in the address."""


def summary(result: SyncResult) -> list[str]:
    """What changed, one sentence each, for the page and the command line."""
    lines = [
        ngettext(
            "%(num)d active member in the LMS course (%(pages)d page read).",
            "%(num)d active members in the LMS course (%(pages)d pages read).",
            result.listed,
            pages=result.pages,
        )
    ]
    changes = [
        (result.added, gettext("Added: %(names)s.")),
        (result.role_changed, gettext("Role changed as in the LMS: %(names)s.")),
        (result.returned, gettext("Back in the course: %(names)s.")),
        (
            result.kept_instructors,
            gettext(
                "Kept as instructors, though the LMS lists them otherwise or not at all, so "
                "that the course still has an instructor: %(names)s."
            ),
        ),
        (
            result.left,
            gettext(
                "No longer in the LMS course, so they can no longer open this course (their "
                "work stays in the gradebook): %(names)s."
            ),
        ),
    ]
    for users, sentence in changes:
        if users:
            lines.append(sentence % {"names": ", ".join(u.display_name for u in users)})
    if len(lines) == 1:
        lines.append(gettext("Nothing changed: the roster already matches the LMS."))
    return lines


@bp.route("/courses/<slug>/lms-roster")
@signed_in_only
def page(slug: str) -> ResponseReturnValue:
    course, _member = require_member(slug, STAFF)
    return _page(course)


def _page(course: Course, status: int = 200, problem: str = "") -> ResponseReturnValue:
    return render_template(
        "lti/roster.html",
        course=course,
        linked=context_of(course) is not None,
        source=source_of(course),
        people=everyone(course),
        roles=role_names(),
        problem=problem,
        form=SyncForm(),
    ), status


@bp.post("/courses/<slug>/lms-roster/sync")
@signed_in_only
def sync_now(slug: str) -> ResponseReturnValue:
    course, _member = require_member(slug, STAFF)
    if not SyncForm().validate_on_submit():
        return _page(course, 400, gettext("The form expired: press the button again."))
    source = source_of(course)
    if source is None:
        return _page(course, 409)  # the page says why there is nothing to sync from
    try:
        result = sync(course, source, keep=current_user)
    except RosterUnavailable as problem:
        return _page(course, 502, str(problem))
    for line in summary(result):
        flash(line)
    return redirect(url_for("lti_roster.page", slug=slug))


@lti_group.command("sync-roster")
@click.argument("slug")
def sync_roster(slug: str) -> None:
    """Sync a course's roster from its LMS (Names and Role Provisioning). SLUG is the
    course's short name, as in /courses/SLUG."""
    # The messages are the page's (Flask-Babel), in the default language: they need a request.
    with current_app.test_request_context():
        course = course_by_slug(slug)
        if course is None:
            sys.exit(f"no course {slug!r}")
        source = source_of(course)
        if source is None:
            sys.exit(no_source_message(course))
        try:
            result = sync(course, source)
        except RosterUnavailable as problem:
            sys.exit(str(problem))
        for line in summary(result):
            click.echo(line)


def no_source_message(course: Course) -> str:
    if context_of(course) is None:
        return str(
            gettext("This course was not made by a launch from an LMS: it has no LMS roster.")
        )
    return str(
        gettext(
            "The LMS has not offered this course's roster to VirtTutor: no launch from it carried "
            "the Names and Role Provisioning service. Turn the service on for VirtTutor in the LMS "
            "(docs/lti.md), open a VirtTutor activity from the course once, then sync."
        )
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["no_lms_roster_message"] = no_source_message
