"""Self-study without an account: the progress record page and the page-side switches.

A learner's own progress (best Runs, concept-check answers, lessons completed) lives in their
browser (``static/js/progress-store.js``); the server only renders the frame the record page
fills in, so the same page works from the static copy (``flask tutor export-static``), where
there is no server at all. ``self_study_only`` is true only while exporting that copy: templates
use it to leave out what needs the server (Submit, accounts, courses).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, render_template, session
from flask.typing import ResponseReturnValue

from tutor.content import Catalog

bp = Blueprint("self_study", __name__)


def self_study_only() -> bool:
    """True in the static copy: no server behind the pages, so no Submit, no sign-in."""
    return bool(current_app.config.get("SELF_STUDY_ONLY", False))


@bp.route("/my-progress")
def record() -> ResponseReturnValue:
    catalog: Catalog = current_app.extensions["catalog"]
    return render_template("my_progress.html", lessons=catalog.lessons)


@bp.get("/my-progress/account")
def account_progress() -> ResponseReturnValue:
    """What the server already holds for this learner, so the sign-in offer of a browser's
    progress (``static/js/progress-offer.js``) sends only the rest: ``{"solved": [exercise
    ids passed by a Submit], "answered": ["<lesson>:<question>", ...]}``. Empty for a browser
    the server does not know; it never creates a learner."""
    from .concept_answers import ConceptAnswer
    from .extensions import db
    from .progress import solved_exercises

    learner = session.get("learner")
    answered: list[str] = []
    if learner:
        rows = db.session.execute(
            db.select(ConceptAnswer.lesson_id, ConceptAnswer.question).filter_by(
                learner=str(learner)
            )
        )
        answered = sorted(f"{lesson}:{question}" for lesson, question in rows)
    response = jsonify({"solved": sorted(solved_exercises()), "answered": answered})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sw.js")
def service_worker() -> ResponseReturnValue:
    """At the site's root, so its scope covers every page (see offline.py)."""
    from .offline import service_worker

    return service_worker()


def _template_helpers() -> dict[str, Any]:
    return {"self_study_only": self_study_only()}


def init_app(app: Flask) -> None:
    from . import static_copy  # noqa: F401  (adds `flask tutor export-static`)
    from .offline import remember_site

    app.register_blueprint(bp)
    app.context_processor(_template_helpers)
    remember_site(app)
