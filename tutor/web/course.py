"""Courses. For now the demo course every visitor belongs to; accounts and rosters come later."""

from __future__ import annotations

import secrets

from flask import Flask, current_app, session
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .models import Course


def demo_course() -> Course:
    """Made on first use. Several web processes may all make it at once on a new database: the
    slug is unique, so one insert wins and the others read the winner's row."""
    slug = current_app.config["DEMO_COURSE"]
    course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one_or_none()
    if course is None:
        course = Course(slug=slug, title="VirtTutor demo course")
        db.session.add(course)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            course = db.session.execute(db.select(Course).filter_by(slug=slug)).scalar_one()
    return course


def current_learner() -> str:
    """An anonymous, stable id kept in the signed session cookie."""
    if "learner" not in session:
        session["learner"] = secrets.token_hex(8)
        session.permanent = True
    return str(session["learner"])


def init_app(app: Flask) -> None:
    """The tables come from the migrations (``tutor.web.schema``), never from ``create_all``."""
