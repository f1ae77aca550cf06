"""Courses. For now the demo course every visitor belongs to; accounts and rosters come later."""

from __future__ import annotations

import secrets

from flask import Flask, current_app, has_request_context, session
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .extensions import db
from .models import Course
from .progress import note_nothing_stored

# Built once: it runs for every submit (#15).
_BY_SLUG = select(Course).where(Course.slug == bindparam("slug"))


def demo_course() -> Course:
    """Made on first use. Several web processes may all make it at once on a new database: the
    slug is unique, so one insert wins and the others read the winner's row.

    The insert commits in a session of its own: committing the request's session would expire
    every object it holds, the signed-in account among them, and the submit path then closes
    that session, so the page could no longer read who is signed in."""
    slug = current_app.config["DEMO_COURSE"]
    course: Course | None = db.session.execute(_BY_SLUG, {"slug": slug}).scalar_one_or_none()
    if course is None:
        with Session(db.engine) as own:
            own.add(Course(slug=slug, title="VirtTutor demo course"))
            try:
                own.commit()
            except IntegrityError:
                own.rollback()  # another process made it first
        course = db.session.execute(_BY_SLUG, {"slug": slug}).scalar_one()
    return course


def demo_course_id() -> int:
    """``demo_course().id``, asked of the database once per application: every self-study
    Submit needs it, the query was 0.66 ms of the server's CPU per submission (#15), and it
    cannot change (no course is deleted, no slug renamed)."""
    known: int | None = current_app.extensions.get("demo_course_id")
    if known is None:
        known = current_app.extensions["demo_course_id"] = demo_course().id
    return known


def own_without_account(learner: str) -> bool:
    """Whether ``learner`` is this request's own and no account is signed in: then no course
    counts their work and no LMS link carries it (only accounts are members or linked), which
    this knows without asking the database (#15: a self-study Submit asked it three times)."""
    if not has_request_context() or current_user.is_authenticated:
        return False
    return str(session.get("learner") or "") == learner


def current_learner() -> str:
    """An anonymous, stable id kept in the signed session cookie."""
    if "learner" not in session:
        session["learner"] = learner = secrets.token_hex(8)
        session.permanent = True
        note_nothing_stored(learner)
    return str(session["learner"])


def init_app(app: Flask) -> None:
    """The tables come from the migrations (``tutor.web.schema``), never from ``create_all``."""
