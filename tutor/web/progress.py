"""Where a learner stands: exercises solved, the lessons around this one, the glossary.

The outline shows each lesson's goals, its time estimate and how many of its exercises this
learner has solved — a Submit that scored 100 on the server, so a reload or another day shows
the same. Nothing here mints a learner: a first visit simply has solved nothing yet.

Most page views come from a learner with nothing stored yet, and every lesson page asked the
database twice to find that out. So the session remembers it (``PROGRESS_KEY``: the learner's
id and whether anything is stored): one ``EXISTS`` query the first time, none after. Any
submission or concept answer stored for that learner in a request with this session marks it
(an ORM ``after_flush`` listener, so every way of storing one does). A row stored for a learner
outside that learner's own request (a course import, staff) makes this process ask every session
again once (it keeps only the moment, not a list of learners that would grow for good); one
stored by another process (the command line: a restore, an import) is seen within
``NOTHING_STORED_SECONDS``, after which a "nothing stored" is asked again anyway. The flag is
tied to the learner id, so a sign-in (another learner id) asks again; a signed-in learner always
asks, because another device of the same account may have stored something meanwhile.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, Flask, current_app, has_request_context, render_template, session
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import event, exists, func, or_
from sqlalchemy.orm import Session

from tutor.content import Catalog, Lesson
from tutor.content.glossary import load_glossary

from .extensions import db
from .models import Submission

bp = Blueprint("progress", __name__)
# "<learner id>:1" something stored; "<learner id>:0:<unix time>" nothing, as found at that time
PROGRESS_KEY = "progress"
NOTHING_STORED_SECONDS = 600
# When this process last stored a row outside its learner's own request (their cookie could not
# say so): every "nothing stored" found out before then is asked again.
_stored_elsewhere_at = 0.0


def progress_stored() -> bool:
    """Whether the current learner may have submissions or concept answers stored: ``False``
    without a database query when this session already found out that it has none."""
    learner = session.get("learner")
    if not learner:
        return False
    if current_user.is_authenticated:
        return True  # another device of this account may have stored something meanwhile
    known = str(session.get(PROGRESS_KEY) or "")
    if known == f"{learner}:1":
        return True
    if known.startswith(f"{learner}:0:"):
        try:
            found_at = float(known.rsplit(":", 1)[1])
        except ValueError:
            found_at = 0.0
        if found_at > _stored_elsewhere_at and time.time() - found_at < NOTHING_STORED_SECONDS:
            return False
    from .concept_answers import ConceptAnswer

    found = bool(
        db.session.execute(
            db.select(
                or_(
                    exists().where(Submission.learner == str(learner)),
                    exists().where(ConceptAnswer.learner == str(learner)),
                )
            )
        ).scalar()
    )
    if found:
        session[PROGRESS_KEY] = f"{learner}:1"
    else:
        note_nothing_stored(str(learner))
    return found


def note_nothing_stored(learner: str) -> None:
    """Nothing of ``learner``'s is stored, as of now: found by asking, or known because the
    learner was made just now — then even their first lesson page need not ask the database,
    nor sign the session cookie again to say what it found (#15: the page of a learner fresh
    from ``GET /api/session`` did both, a third of its CPU)."""
    session[PROGRESS_KEY] = f"{learner}:0:{time.time():.3f}"


def _mark_stored(db_session: Session, _context: object) -> None:
    """After a flush: a submission or concept answer was stored, for this session's learner
    (its cookie says so) or for another one (this process remembers it)."""
    from .concept_answers import ConceptAnswer

    for row in db_session.new:
        if isinstance(row, Submission | ConceptAnswer):
            note_stored(str(row.learner))


def note_stored(learner: str) -> None:
    """Something of ``learner``'s was stored: said by the flush hook above, and by whoever
    stores without the ORM (the submit path's ``INSERT``, ``grading_service``)."""
    global _stored_elsewhere_at
    mine = session.get("learner") if has_request_context() else None
    if mine and learner == str(mine):
        if session.get(PROGRESS_KEY) != f"{mine}:1":
            session[PROGRESS_KEY] = f"{mine}:1"
    else:
        _stored_elsewhere_at = time.time()


def solved_exercises() -> set[str]:
    """Ids of the exercises the current learner has passed on the server."""
    learner = session.get("learner")
    if not learner or not progress_stored():
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
    if not learner or not progress_stored():
        return {}
    rows = db.session.execute(
        db.select(
            Submission.exercise_id,
            func.max(Submission.score),
            func.count(Submission.id),
            func.max(Submission.created_at),
        )
        # A submission the server could not grade counts for nothing (#10), not even an attempt.
        .where(Submission.learner == str(learner), Submission.status != "error")
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
    if not learner or not progress_stored():
        return {}
    return {question: a for (_, question), a in answers_for(str(learner), lesson_id).items()}


def neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    catalog: Catalog = current_app.extensions["catalog"]
    return catalog.neighbours(lesson.id)


@bp.route("/glossary")
def glossary() -> ResponseReturnValue:
    # The glossary of the lessons this site serves (LESSONS_DIR), as check-lessons uses it.
    catalog: Catalog = current_app.extensions["catalog"]
    terms = sorted(load_glossary(catalog.glossary).terms, key=lambda term: term.en.lower())
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
    if not event.contains(Session, "after_flush", _mark_stored):
        event.listen(Session, "after_flush", _mark_stored)
