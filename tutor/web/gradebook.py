"""The gradebook: students × exercises, sorted and filtered with htmx, exported as CSV, and one
student's detail. Staff of the course only.

The CSV is one file both Canvas and Moodle import (docs/course-site.md): ``Student``, ``ID``
(empty: Canvas matches on the SIS columns), ``SIS User ID`` and ``SIS Login ID`` (the email),
``Section`` (the course's short name), ``Email address`` (what Moodle maps to its users), one
column per exercise titled ``Title (exercise-id)`` holding the counted best score 0–100 (late
policy applied; empty when never tried), and ``Total`` (the mean over every exercise).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue

from tutor.content import Catalog

from .accounts import User, signed_in_only
from .concept_answers import ConceptAnswer
from .extensions import db
from .learn import catalog, pick
from .models import Course, Submission
from .roster import STAFF, STUDENT, membership, require_member, students
from .standing import Gradebook, Row, gradebook

bp = Blueprint("gradebook", __name__)
SORTS = ("name", "email", "total", "late")


def exercise_titles(
    book: Gradebook, found: Catalog, language: Callable[[Any], object]
) -> dict[str, str]:
    titles = {}
    for a in book.exercises:
        exercise = found.exercise(a.exercise_id)
        titles[a.exercise_id] = str(language(exercise.title)) if exercise else a.exercise_id
    return titles


def _sorted(rows: list[Row], sort: str, descending: bool) -> list[Row]:
    keys: dict[str, Callable[[Row], object]] = {
        "name": lambda r: (r.student.display_name.lower(), r.student.email),
        "email": lambda r: r.student.email,
        "total": lambda r: (r.total, r.student.email),
        "late": lambda r: (r.late_count, r.student.email),
    }
    key = keys.get(sort)
    if key is None:  # an exercise id: its best score

        def key(r: Row) -> object:
            cell = r.cells.get(sort)
            return (cell.best if cell else -1, r.student.email)

    return sorted(rows, key=key, reverse=descending)  # type: ignore[arg-type]


def _filtered(rows: list[Row], query: str, show: str) -> list[Row]:
    needle = query.strip().lower()
    if needle:
        rows = [r for r in rows if needle in r.student.email or needle in r.student.name.lower()]
    if show == "late":
        rows = [r for r in rows if r.late_count]
    elif show == "missing":
        rows = [r for r in rows if any(not c.tried for c in r.cells.values())]
    return rows


@bp.route("/courses/<slug>/gradebook")
@signed_in_only
def page(slug: str) -> ResponseReturnValue:
    course, member = require_member(slug, STAFF)
    book = gradebook(course, students(course))
    sort = request.args.get("sort", "name")
    if sort not in SORTS and sort not in {a.exercise_id for a in book.exercises}:
        sort = "name"
    descending = request.args.get("dir") == "desc"
    query = request.args.get("q", "")[:100]
    show = request.args.get("show", "all")
    rows = _sorted(_filtered(book.rows, query, show), sort, descending)
    template = (
        "courses/_gradebook_table.html"
        if request.headers.get("HX-Request")
        else ("courses/gradebook.html")
    )
    return render_template(
        template,
        course=course,
        book=book,
        rows=rows,
        sort=sort,
        descending=descending,
        query=query,
        show=show,
        titles=exercise_titles(book, catalog(), pick),
        role=member.role,
    )


def grades_csv(course: Course) -> str:
    """The gradebook as CSV text (also ``flask tutor export-grades``)."""
    book = gradebook(course, students(course))
    titles = exercise_titles(book, catalog(), lambda t: t.get("en") if isinstance(t, dict) else t)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Email address"]
        + [f"{titles[a.exercise_id]} ({a.exercise_id})" for a in book.exercises]
        + ["Total"]
    )
    for row in _sorted(book.rows, "name", False):
        user, email = row.student, _cell_text(row.student.email)  # both chosen by the user
        writer.writerow(
            [_cell_text(user.display_name), "", email, email, course.slug, email]
            + [
                _score(row.cells[a.exercise_id].best) if row.cells[a.exercise_id].tried else ""
                for a in book.exercises
            ]
            + [_score(row.total)]
        )
    return out.getvalue()


def _score(value: float) -> str:
    return f"{value:g}"


def _cell_text(value: str) -> str:
    """A spreadsheet must not run a name or an email as a formula (=, +, -, @ at the start)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@bp.route("/courses/<slug>/gradebook.csv")
@signed_in_only
def export(slug: str) -> ResponseReturnValue:
    course, _ = require_member(slug, STAFF)
    return Response(
        "\ufeff" + grades_csv(course),  # the BOM makes Excel read UTF-8 names right
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{course.slug}-grades.csv"'},
    )


@bp.route("/courses/<slug>/students/<int:user_id>")
@signed_in_only
def student(slug: str, user_id: int) -> ResponseReturnValue:
    course, member = require_member(slug, STAFF)
    person = db.session.get(User, user_id)
    place = membership(course, person) if person is not None else None
    if person is None or place is None or place.role != STUDENT or place.invited_at is not None:
        abort(404)  # an invitation not accepted shows the course nothing of the person
    book = gradebook(course, [person])
    submissions = (
        db.session.execute(
            db.select(Submission)
            .where(Submission.course_id == course.id, Submission.learner == person.learner)
            .order_by(Submission.created_at.desc(), Submission.id.desc())
        )
        .scalars()
        .all()
    )
    answers = (
        db.session.execute(
            db.select(ConceptAnswer)
            .filter_by(learner=person.learner)
            .order_by(ConceptAnswer.lesson_id, ConceptAnswer.question)
        )
        .scalars()
        .all()
    )
    lesson_titles = {lesson.id: pick(lesson.title) for lesson in catalog().lessons}
    return render_template(
        "courses/student.html",
        course=course,
        person=person,
        book=book,
        row=book.rows[0],
        submissions=submissions,
        answers=answers,
        titles=exercise_titles(book, catalog(), pick),
        lesson_titles=lesson_titles,
        role=member.role,
    )
