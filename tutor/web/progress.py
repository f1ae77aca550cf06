"""Where a learner stands: exercises solved, the lessons around this one, the glossary.

The outline shows each lesson's goals, its time estimate and how many of its exercises this
learner has solved — a Submit that scored 100 on the server, so a reload or another day shows
the same. Nothing here mints a learner: a first visit simply has solved nothing yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, Flask, current_app, render_template, session
from flask.typing import ResponseReturnValue
from sqlalchemy import func

from tutor.content import Catalog, Lesson
from tutor.content.glossary import load_glossary

from .extensions import db
from .models import Submission

bp = Blueprint("progress", __name__)


def solved_exercises() -> set[str]:
    """Ids of the exercises the current learner has passed on the server."""
    learner = session.get("learner")
    if not learner:
        return set()
    rows = db.session.execute(
        db.select(Submission.exercise_id)
        .where(Submission.learner == str(learner), Submission.score >= 100)
        .distinct()
    )
    return {str(row[0]) for row in rows}


@dataclass(frozen=True)
class Tried:
    """One learner's record on one exercise, across every course and before signing in."""

    best: float
    attempts: int
    last: datetime


def exercise_progress() -> dict[str, Tried]:
    """Best score, number of Submits and the last one, per exercise, for the current learner
    (an account's learner on every device it is signed in on)."""
    learner = session.get("learner")
    if not learner:
        return {}
    rows = db.session.execute(
        db.select(
            Submission.exercise_id,
            func.max(Submission.score),
            func.count(Submission.id),
            func.max(Submission.created_at),
        )
        .where(Submission.learner == str(learner))
        .group_by(Submission.exercise_id)
    )
    return {
        str(exercise): Tried(float(best or 0), int(count), last)
        for exercise, best, count, last in rows
    }


def concept_progress(lesson_id: str) -> dict[int, Any]:
    """The current learner's latest answer to each concept check of a lesson."""
    from .concept_answers import answers_for

    learner = session.get("learner")
    if not learner:
        return {}
    return {question: a for (_, question), a in answers_for(str(learner), lesson_id).items()}


def neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    catalog: Catalog = current_app.extensions["catalog"]
    return catalog.neighbours(lesson.id)


@bp.route("/glossary")
def glossary() -> ResponseReturnValue:
    terms = sorted(load_glossary().terms, key=lambda term: term.en.lower())
    return render_template("glossary.html", terms=terms)


def _template_helpers() -> dict[str, Any]:
    return {
        "solved_exercises": solved_exercises,
        "neighbours": neighbours,
        "exercise_progress": exercise_progress,
        "concept_progress": concept_progress,
    }


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(_template_helpers)
