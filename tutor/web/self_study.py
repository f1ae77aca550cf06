"""Self-study without an account: the progress record page and the page-side switches.

A learner's own progress (best Runs, concept-check answers, lessons completed) lives in their
browser (``static/js/progress-store.js``); the server only renders the frame the record page
fills in, so the same page works from the static copy (``flask tutor export-static``), where
there is no server at all. ``self_study_only`` is true only while exporting that copy: templates
use it to leave out what needs the server (Submit, accounts, courses).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, render_template
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


@bp.route("/sw.js")
def service_worker() -> ResponseReturnValue:
    """At the site's root, so its scope covers every page (see offline.py)."""
    from .offline import service_worker

    return service_worker()


def _template_helpers() -> dict[str, Any]:
    return {"self_study_only": self_study_only()}


def init_app(app: Flask) -> None:
    from . import static_copy  # noqa: F401  (adds `flask tutor export-static`)

    app.register_blueprint(bp)
    app.context_processor(_template_helpers)
