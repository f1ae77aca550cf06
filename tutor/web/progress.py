"""Where a learner stands: exercises solved, the lessons around this one, the glossary.

The outline shows each lesson's goals, its time estimate and how many of its exercises this
learner has solved — a Submit that scored 100 on the server, so a reload or another day shows
the same. Nothing here mints a learner: a first visit simply has solved nothing yet.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, render_template, session
from flask.typing import ResponseReturnValue

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


def neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    catalog: Catalog = current_app.extensions["catalog"]
    return catalog.neighbours(lesson.id)


@bp.route("/glossary")
def glossary() -> ResponseReturnValue:
    terms = sorted(load_glossary().terms, key=lambda term: term.en.lower())
    return render_template("glossary.html", terms=terms)


def _template_helpers() -> dict[str, Any]:
    return {"solved_exercises": solved_exercises, "neighbours": neighbours}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(_template_helpers)
