"""Pages a learner sees: the outline, a lesson with its animation and exercises, and Submit."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    render_template_string,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext

from tutor.assets import d3_modules
from tutor.content import Catalog, Exercise
from tutor.grading.protocol import bilingual

from . import lesson_data as lesson_data_file
from . import lesson_page
from .asset_pins import current_pins, file_sri
from .course import current_learner
from .duplicate_submit import VERDICT_WAIT_SECONDS, recent_duplicate
from .extensions import LANGUAGE_COOKIE, LANGUAGES, SESSION_LANGUAGE, db
from .grading_service import (
    IN_FLIGHT,
    GraderBusy,
    GraderUnavailable,
    GradingService,
    SubmissionRefused,
)
from .models import Submission
from .report_replies import own_view, replay_data
from .schedule import submission_course_id
from .submission_access import is_own, viewable_submission

bp = Blueprint("learn", __name__)
# Names the stored submission a Submit answered with (a duplicate gets the first one's id).
SUBMISSION_HEADER = "X-Submission-Id"


def catalog() -> Catalog:
    catalog: Catalog = current_app.extensions["catalog"]
    return catalog


def grading() -> GradingService:
    service: GradingService = current_app.extensions["grading"]
    return service


def lang() -> str:
    return str(get_locale() or "en")


def pick(text: dict[str, Any] | str | None) -> Any:
    """The current language's version of a bilingual field, English if it has none.

    A plain string (a report stored before messages were bilingual) is returned as it is."""
    if not isinstance(text, dict):
        return text
    return text.get(lang()) or text.get("en")


@bp.route("/")
def index() -> ResponseReturnValue:
    return render_template("index.html", lessons=catalog().lessons)


@bp.route("/lessons/<lesson_id>")
def lesson(lesson_id: str) -> ResponseReturnValue:
    found = catalog().lesson(lesson_id)
    if found is None:
        abort(404)
    return lesson_page.render(found)  # its shared part from a cache: no simulation per request


@bp.route("/lessons/<lesson_id>/data.json")
def lesson_data(lesson_id: str) -> ResponseReturnValue:
    """The lesson's scenes and expected traces, named by content (``lesson_data``)."""
    return lesson_data_file.serve(catalog().lesson(lesson_id))


@bp.route("/lang/<code>")
def set_language(code: str) -> ResponseReturnValue:
    if code not in LANGUAGES:
        abort(404)
    target = request.args.get("next", "/")
    parts = urlsplit(target)
    # Only a path on this site; control characters (CR/LF) could split the Location header.
    unsafe = any(ord(ch) < 32 or ord(ch) == 127 for ch in target) or "\\" in target
    # "////evil.example" has no host to urlsplit, but a browser reads "//evil.example" as one.
    offsite = target.startswith("//") or parts.path.startswith("//")
    if unsafe or offsite or parts.scheme or parts.netloc or not target.startswith("/"):
        target = "/"
    elif "lang=" in parts.query:
        # A page opened as ``?lang=zh`` would keep its language over the cookie just set: the
        # switch leads back to the same address without it.
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query, True) if k != "lang"])
        target = urlunsplit(("", "", parts.path, query, parts.fragment))
    response = make_response(redirect(target))
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax")
    session[SESSION_LANGUAGE] = code  # what an LMS's iframe keeps (its cookie is not sent)
    return response


@bp.route("/exercises/<exercise_id>/submit", methods=["POST"])
def submit(exercise_id: str) -> ResponseReturnValue:
    exercise: Exercise | None = catalog().exercise(exercise_id)
    if exercise is None:
        abort(404)
    code = request.form.get("code", "")
    try:
        submission = _submit_once(exercise, code)
    except (GraderBusy, GraderUnavailable, SubmissionRefused) as exc:
        return refused(exc)
    template = "_report.html" if request.headers.get("HX-Request") else "submission.html"
    report = shown_report(submission)
    return render_template(template, report=report, exercise=exercise, submission=submission)


def _submit_once(exercise: Exercise, code: str) -> Submission:
    """Stores and grades, unless this is the same code sent again a moment ago (a double click).

    The id goes out in a response header, so the page can fetch the report again in another
    language after a language switch (see ``submission_report``)."""
    learner = current_learner()
    duplicate = recent_duplicate(exercise.id, learner, code)
    if duplicate is not None:
        submission = grading().wait_for_verdict(duplicate.id, VERDICT_WAIT_SECONDS)
    else:
        submission = grading().submit(exercise, code, submission_course_id(exercise), learner)
    g.submission_id = submission.id
    return submission


@bp.route("/exercises/<exercise_id>/latest")
def latest_submission(exercise_id: str) -> ResponseReturnValue:
    """This learner's newest submission of the exercise, as the htmx fragment (pending: it
    polls), or 204 when there is none: what a page reloaded, or switched to another language,
    while a Submit was still on its way shows (the Submit's own answer never reached it)."""
    exercise = catalog().exercise(exercise_id)
    learner = session.get("learner")
    if exercise is None or not learner:
        return "", 204
    submission = db.session.execute(
        db.select(Submission)
        .where(Submission.learner == str(learner), Submission.exercise_id == exercise.id)
        .order_by(Submission.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if submission is None:
        return "", 204
    g.submission_id = submission.id
    return render_template(
        "_report.html", report=shown_report(submission), exercise=exercise, submission=submission
    )


@bp.after_request
def _name_the_submission(response: Response) -> Response:
    if "submission_id" in g:
        response.headers[SUBMISSION_HEADER] = str(g.submission_id)
    return response


@bp.route("/submissions/<int:submission_id>")
def submission_report(submission_id: int) -> ResponseReturnValue:
    """A stored submission, in the current language: the htmx fragment (what a pending report
    polls), or a page of its own with the code, the verdict and each case.

    Only its learner and staff see it (``submission_access``); anyone else gets the same 404
    as for an id that never was."""
    submission = viewable_submission(submission_id)
    exercise = catalog().exercise(submission.exercise_id)
    if exercise is None:
        abort(404)
    fragment = bool(request.headers.get("HX-Request"))
    if fragment and request.args.get("shown") == "pending" and submission.status in IN_FLIGHT:
        # A poll of a page that shows "Grading…" already: nothing new, nothing swapped (htmx
        # leaves the page alone on 204), so the live region says "Grading…" once, not every
        # second to a screen reader, and the poll goes on from the element still there.
        return "", 204
    template = "_report.html" if fragment else "submission.html"
    return render_template(
        template, report=shown_report(submission), exercise=exercise, submission=submission
    )


def shown_report(submission: Submission) -> dict[str, Any]:
    """The stored report, or a pending one (no score: "0 of 0" beside "grading" would lie);
    to the learner who submitted it, without what could hold a hidden case's answer
    (``report_replies.own_view``)."""
    report = submission.report
    if submission.status in IN_FLIGHT or not report:
        return {"verdict": "pending", "cases": []}
    return own_view(report) if is_own(submission) else report


def refused(exc: GraderBusy | GraderUnavailable | SubmissionRefused) -> ResponseReturnValue:
    """503 (or 413/429 when refused for this learner) for Submit: nothing was stored; the editor
    keeps the code (the page swaps only this)."""
    busy = isinstance(exc, GraderBusy)
    retry = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry)} if retry else {}
    status = exc.status if isinstance(exc, SubmissionRefused) else 503
    html = render_template_string(
        '<div class="report verdict-{{ kind }}" data-verdict="{{ kind }}" role="alert">'
        '<p class="verdict">{{ title }}</p><p class="message">{{ message }}</p></div>',
        kind="busy" if busy or status == 429 else "unavailable" if status == 503 else "refused",
        # A rate limit or a submission still in flight is about this learner or address, not a
        # busy grader ("The grader is busy. too many submissions (120 per minute)").
        title=gettext("The grader is busy.")
        if busy
        else gettext("Grading is unavailable.")
        if status == 503
        else pick({"en": "Not submitted.", "zh": "没有提交。"}),
        message=_sentence(pick(bilingual(exc))),
    )
    return html, status, headers


def _sentence(text: str) -> str:
    """The refusals are written to follow a colon in the API ("error": "too many ..."); on the
    page each is a sentence of its own."""
    return text[:1].upper() + text[1:]


def _vendor_url(package: str, file: str) -> str:
    asset = current_pins()[package]
    return url_for("static", filename=f"vendor/{asset.folder.name}/{file}")


def _d3_sources() -> dict[str, str | None]:
    """The d3 modules' scripts, space-separated in load order (d3-fallback.js): from the CDN with
    SRI in "cdn" mode, always with the verified local copies (the same bytes) behind them."""
    modules = d3_modules(current_pins())
    files = [(asset, asset.files[0]) for asset in modules]
    local = " ".join(_vendor_url(asset.package, file) for asset, file in files)
    cdn = (
        " ".join(asset.cdn[file] for asset, file in files)
        if current_app.config["ASSETS_MODE"] == "cdn"
        else None
    )
    installed = all(asset.installed() for asset in modules)
    integrity = " ".join(file_sri(a.folder / f) for a, f in files) if installed else None
    return {"cdn": cdn, "local": local, "integrity": integrity}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    lesson_page.init_app(app)
    app.jinja_env.globals.update(
        pick=pick,
        lang=lang,
        vendor_url=_vendor_url,
        d3_sources=_d3_sources,
        languages=LANGUAGES,
        replay_data=replay_data,
    )
