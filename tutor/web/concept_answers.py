"""Concept-check answers, recorded so a learner's progress (and their instructor) sees them.

The page still says right or wrong at once in the browser; this keeps the learner's latest
answer to each question, judged again here against the lesson (the browser's own verdict is
never trusted).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Flask, abort, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import String, UniqueConstraint
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from .course import current_learner
from .extensions import db
from .learn import catalog
from .utc_time import UTCDateTime


def _now() -> datetime:
    return datetime.now(UTC)


class ConceptAnswer(db.Model):  # type: ignore[name-defined,misc]
    __table_args__ = (UniqueConstraint("learner", "lesson_id", "question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner: Mapped[str] = mapped_column(String(64), index=True)
    lesson_id: Mapped[str] = mapped_column(String(100))
    question: Mapped[int]
    choice: Mapped[int]
    correct: Mapped[bool]
    attempts: Mapped[int] = mapped_column(default=1)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


bp = Blueprint("concept_answers", __name__)


def answers_for(learner: str, lesson_id: str | None = None) -> dict[tuple[str, int], ConceptAnswer]:
    query = db.select(ConceptAnswer).filter_by(learner=learner)
    if lesson_id is not None:
        query = query.filter_by(lesson_id=lesson_id)
    return {(a.lesson_id, a.question): a for a in db.session.execute(query).scalars()}


@bp.post("/lessons/<lesson_id>/checks/<int:question>")
def record(lesson_id: str, question: int) -> ResponseReturnValue:
    """``{"choice": n}`` (JSON, with the page's X-CSRFToken) → ``{"correct": bool}``."""
    lesson = catalog().lesson(lesson_id)
    if lesson is None or not 0 <= question < len(lesson.checks):
        abort(404)
    body = request.get_json(silent=True)
    choice = body.get("choice") if isinstance(body, dict) else None
    if isinstance(choice, str) and choice.isdigit():
        choice = int(choice)
    if not isinstance(choice, int) or isinstance(choice, bool) or choice < 0:
        return jsonify({"error": 'send {"choice": <the option number, from 0>}'}), 400
    check = lesson.checks[question]
    offered = len(next(iter(check.options.values()), []))
    if choice >= offered:
        return jsonify(
            {"error": f"this question has {offered} options: choose 0 to {offered - 1}"}
        ), 400
    correct = choice == int(check.answer)
    _upsert(current_learner(), lesson_id, question, choice, correct)
    return jsonify({"correct": correct})


def _upsert(learner: str, lesson_id: str, question: int, choice: int, correct: bool) -> None:
    """The latest answer, and one attempt more, in one statement: read-then-insert let two
    answers sent together both insert (a 500 on the unique key) or both add one to the same
    count (an attempt lost). ``INSERT … ON CONFLICT DO UPDATE`` is SQLite's and PostgreSQL's."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    table = ConceptAnswer.__table__
    moment = _now()
    statement = insert(table).values(
        learner=learner,
        lesson_id=lesson_id,
        question=question,
        choice=choice,
        correct=correct,
        attempts=1,
        answered_at=moment,
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["learner", "lesson_id", "question"],
            set_={
                "choice": statement.excluded.choice,
                "correct": statement.excluded.correct,
                "attempts": table.c.attempts + 1,
                "answered_at": statement.excluded.answered_at,
            },
        )
    )
    db.session.commit()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
