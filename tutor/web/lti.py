"""LTI 1.3 launches (#12): an LMS opens a lesson or exercise for its user in its course.

The protocol is pylti1p3's (Flask adapter): ``/lti/login`` answers the platform's OIDC login
initiation (GET or POST) with a redirect to its authorization endpoint carrying a fresh state
(cookie) and nonce; the platform posts a signed id_token to ``/lti/launch``, which pylti1p3
verifies against the platform's key set (signature, issuer, audience, expiry, deployment) and
``OneLaunchPerNonce`` against the nonces issued here (each serves one launch). The launch then
maps the LMS context to a course (made on first launch), issuer + ``sub`` to an account, LMS
roles to ours, signs the account in and opens the linked lesson.

Anything a platform or a replayed request gets wrong ends on a page that says what to do,
never a stack trace: pylti1p3 raises ``LtiException`` for most faults and a plain ``Exception``
for some (an unknown issuer), so validation failures of every kind are caught here.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import jwt
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    session,
    url_for,
)
from flask import request as flask_request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, get_locale, gettext
from flask_login import current_user
from pylti1p3.contrib.flask.oidc_login import FlaskOIDCLogin
from pylti1p3.contrib.flask.request import FlaskRequest
from sqlalchemy.exc import IntegrityError

from . import lti_grade_links, lti_grades_page, lti_passback
from .accounts import User, create_user, find_user, new_password, sign_in, signed_in_only
from .extensions import LANGUAGES, SESSION_LANGUAGE, csrf, db
from .headers import FRAMED_SESSION
from .lti_claims import (
    CONTEXT,
    CUSTOM,
    DEPLOYMENT,
    ROLES,
    LaunchRefused,
    account_email,
    account_name,
    checked_launch,
    course_role,
)
from .lti_config import AudienceListLaunch, DatabaseToolConf, OneLaunchPerNonce
from .lti_deep_linking import open_picker, return_address
from .lti_keys import key_set
from .lti_models import LtiContext, LtiIdentity, LtiPlatform
from .lti_roster import remember_source
from .models import Course
from .roster import INSTRUCTOR, STAFF, STUDENT, Membership, closed_to, enrol, instructors
from .schedule import Assignment, settings_of

log = logging.getLogger(__name__)
T = TypeVar("T")
# The rows a launch may make that a concurrent one can make too: course, account, membership.
RECORD_RUNS = 4
bp = Blueprint("lti", __name__, url_prefix="/lti")

TARGET = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"
LESSON_PATH = re.compile(r"^/lessons/(?P<lesson>[^/#?]+)/?$")


PRESENTATION = "https://purl.imsglobal.org/spec/lti/claim/launch_presentation"


def lms_language(claims: dict[str, Any]) -> str | None:
    """The learner's language as the LMS names it (``launch_presentation.locale``: "zh-CN",
    "zh_Hans", "en-US"), if VirtTutor has it."""
    presentation = claims.get(PRESENTATION)
    locale = str(presentation.get("locale") or "") if isinstance(presentation, dict) else ""
    language = locale.replace("_", "-").split("-")[0].lower()
    return language if language in LANGUAGES else None


def _keep_language(claims: dict[str, Any]) -> None:
    """The LMS's language for the pages the launch opens, inside its iframe too (the session
    carries it: ``extensions.select_locale``)."""
    language = lms_language(claims)
    if language:
        session[SESSION_LANGUAGE] = language


def _claimed_language() -> str | None:
    """The refused launch's language, read from its token without trusting it: it only picks
    the language of the page that refuses it."""
    token = flask_request.form.get("id_token", "")
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    return lms_language(claims) if isinstance(claims, dict) else None


def _advice(reason: str, code: int) -> str:
    """What to do about one refusal: a configuration fault is the administrator's or the
    instructor's to fix, and opening the activity again never helps with it."""
    if "deployment" in reason:
        advice = gettext(
            "This course site's deployment is not registered with VirtTutor, so no launch from "
            "it can be accepted. Tell your instructor: VirtTutor's administrator must add its "
            "deployment ID (flask tutor lti add-platform … --deployment-id, docs/lti.md)."
        )
    elif any(
        words in reason
        for words in ("Could not find issuer", "Registration not found", "Client id not registered")
    ):
        advice = gettext(
            "This course site is not registered with VirtTutor (or not with this client ID), so "
            "no launch from it can be accepted. Tell your instructor: VirtTutor's administrator "
            "registers it with flask tutor lti add-platform (docs/lti.md)."
        )
    elif code == 403:
        advice = gettext(
            "Only an instructor of the course can add VirtTutor activities to it. Open the "
            "activity from your course page instead."
        )
    elif code == 410:
        advice = gettext(
            "The VirtTutor course of this activity has ended: it takes no new members and no "
            "more work, so nothing you did would count. Tell your instructor: reopen it on "
            "VirtTutor, or link this term's course."
        )
    elif code == 404:
        advice = gettext(
            "The activity names an exercise or lesson VirtTutor does not have. Tell your "
            "instructor: choose the activity again in the course site (Deep Linking), or correct "
            "its custom parameters exercise= or lesson=."
        )
    elif "cookie" in reason or "State not found" in reason:
        advice = gettext(
            "Your browser did not keep VirtTutor's cookie during the launch (a browser that "
            "blocks third-party cookies inside the course page). Open the activity in a new "
            "window or tab, or allow cookies for this site, then launch it again."
        )
    else:
        advice = gettext(
            "Launch links work once and expire after a few minutes, and only from a course site "
            "registered with VirtTutor. Go back to your course site and open the activity again; "
            "if this page comes back, tell your instructor."
        )
    return str(advice)


def _refused(reason: str, code: int = 400) -> ResponseReturnValue:
    log.info("LTI launch refused: %s", reason)
    with force_locale(_claimed_language() or str(get_locale() or "en")):
        title = gettext("This launch from your course could not be accepted")
        page = render_template("error.html", code=code, title=title, advice=_advice(reason, code))
    return page, code


def _tool_conf() -> DatabaseToolConf:
    return DatabaseToolConf()


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    request = FlaskRequest()  # type: ignore[no-untyped-call]
    try:
        oidc = FlaskOIDCLogin(  # type: ignore[no-untyped-call]
            request, _tool_conf(), session_service=OneLaunchPerNonce(request)
        )
        response: ResponseReturnValue = oidc.redirect(url_for("lti.launch", _external=True))
    except Exception as exc:  # OIDCException, or a plain Exception for an unknown issuer
        return _refused(f"login: {exc}")
    return response


@bp.route("/launch", methods=["POST"])
def launch() -> ResponseReturnValue:
    request = FlaskRequest()  # type: ignore[no-untyped-call]
    nonces = OneLaunchPerNonce(request)
    try:
        message = AudienceListLaunch(  # type: ignore[no-untyped-call]
            request, _tool_conf(), session_service=nonces
        )
        data: dict[str, Any] = dict(message.get_launch_data())
    except Exception as exc:  # LtiException, or a plain Exception (unknown issuer)
        db.session.rollback()
        return _refused(f"launch: {exc}")
    state = str(request.get_param("state") or "")  # type: ignore[no-untyped-call]
    nonces.forget_launch(message.get_launch_id(), state)
    try:
        data = checked_launch(data)
    except LaunchRefused as exc:
        return _refused(str(exc))
    if message.is_deep_link_launch():
        return _deep_linking(data, message.get_client_id())
    if not message.is_resource_launch():
        return _refused("only resource-link and deep-linking launches are supported")
    try:
        target, exercise_ids = _target(data)
    except LaunchRefused as exc:
        return _refused(str(exc), 404)

    def record() -> tuple[User, Course, lti_grade_links.LtiGradeLink | None]:
        user = _account(data)
        course = _course(data)
        if closed_to(course, user):
            # Enrolled, they would work believing it counts: nothing would reach the LMS.
            raise LaunchRefused(f"the course {course.slug} is closed (ended)")
        remember_source(course, data, message.get_client_id())
        _assign(course, exercise_ids)
        role = _kept_instructor(course, user, course_role(data.get(ROLES, [])))
        enrol(course, user, role)
        if role != STUDENT:  # scores go back for learners only (AGS, lti_passback)
            return user, course, None
        grade_link = lti_grade_links.remember(
            data,
            client_id=message.get_client_id(),
            user_id=user.id,
            course_id=course.id,
            target=target,
            exercise_ids=exercise_ids,
        )
        return user, course, grade_link

    try:
        user, course, grade_link = _recorded(record)
    except LaunchRefused as exc:
        db.session.rollback()
        return _refused(str(exc), 410)
    if grade_link is not None:
        lti_passback.passback(current_app).after_launch(grade_link)
    sign_in(user)
    session["lti_course"] = course.slug
    session[FRAMED_SESSION] = True
    _keep_language(data)
    return redirect(target)


def _deep_linking(data: dict[str, Any], client_id: str) -> ResponseReturnValue:
    """An instructor adding activities in the LMS: signed in, staff of the LMS course, and
    sent to the catalogue picker (lti_deep_linking)."""
    role = course_role(data.get(ROLES, []))
    if role not in STAFF:
        return _refused("a deep-linking launch by someone who is not an instructor", 403)
    if not return_address(data):
        return _refused("a deep-linking launch without an http(s) deep_link_return_url")

    def record() -> tuple[User, Course]:
        user = _account(data)
        course = _course(data)
        remember_source(course, data, client_id)
        enrol(course, user, _kept_instructor(course, user, role))
        return user, course

    user, course = _recorded(record)
    sign_in(user)
    session[FRAMED_SESSION] = True
    _keep_language(data)  # the picker, and the titles it sends back
    return open_picker(data, client_id, user, course)


def _kept_instructor(course: Course, user: User, role: str) -> str:
    """The launch's role, except that the course's last instructor stays one (as the roster
    and a roster sync keep one): Moodle's "Switch role to… Student" launches its teacher as a
    learner, which would otherwise leave the course with nobody to run it."""
    if role == INSTRUCTOR or set(instructors(course)) != {user.id}:
        return role
    log.info("LTI launch kept %s the instructor of %s (its last one)", user.email, course.slug)
    return INSTRUCTOR


def _recorded(record: Callable[[], T]) -> T:
    """``record()`` — the rows a launch makes or updates — committed; run again if a concurrent
    launch made one of the same rows first (a unique constraint refused ours). The first minute
    of a class on a new LMS course has dozens of first launches at once: a launch may lose the
    race for the course, then for its account (the same person in two tabs), then for their
    membership; each run finds the rows the runs before it lost to."""
    for _ in range(RECORD_RUNS - 1):
        try:
            result = record()
            db.session.commit()
            return result
        except IntegrityError:
            db.session.rollback()
    result = record()
    db.session.commit()
    return result


def _account(data: dict[str, Any]) -> User:
    """The account of an LMS user, made at their first launch. The LMS's e-mail address is
    used only when no account has it already: an address alone never joins an LMS user to an
    account made elsewhere (that would hand the account to whoever controls the LMS)."""
    issuer, subject = str(data["iss"]), str(data["sub"])
    identity = db.session.execute(
        db.select(LtiIdentity).filter_by(issuer=issuer, subject=subject)
    ).scalar_one_or_none()
    if identity is not None:
        user = db.session.get(User, identity.user_id)
        assert user is not None
        return user
    digest = hashlib.sha256(f"{issuer}\0{subject}".encode()).hexdigest()[:20]
    email = account_email(data.get("email"))
    if not email or find_user(email) is not None:
        email = f"lti-{digest}@lti.invalid"
    name = account_name(data.get("name")) or account_name(data.get("given_name"))
    user = create_user(email, new_password(), name=name)
    db.session.add(LtiIdentity(issuer=issuer, subject=subject, user_id=user.id))
    db.session.flush()
    return user


def _course(data: dict[str, Any]) -> Course:
    """The course of an LMS context (issuer + deployment + context id), made at its first
    launch with a short name derived from those ids."""
    issuer, deployment = str(data["iss"]), str(data.get(DEPLOYMENT, ""))
    context = data.get(CONTEXT) or {}
    context_id = str(context.get("id", ""))
    found = db.session.execute(
        db.select(LtiContext).filter_by(
            issuer=issuer, deployment_id=deployment, context_id=context_id
        )
    ).scalar_one_or_none()
    if found is not None:
        course = db.session.get(Course, found.course_id)
        assert course is not None
        return course
    digest = hashlib.sha256(f"{issuer}\0{deployment}\0{context_id}".encode()).hexdigest()[:12]
    title = account_name(context.get("title")) or account_name(context.get("label"))
    course = Course(slug=f"lti-{digest}", title=title or gettext("Course from the LMS"))
    db.session.add(course)
    db.session.flush()
    settings_of(course)
    db.session.add(
        LtiContext(
            issuer=issuer, deployment_id=deployment, context_id=context_id, course_id=course.id
        )
    )
    db.session.flush()
    return course


def _assign(course: Course, exercise_ids: list[str]) -> None:
    """The linked exercises become the course's assignments (no opening or due time: the LMS
    keeps those), so a student's submissions count in this course's gradebook."""
    have = set(
        db.session.execute(
            db.select(Assignment.exercise_id).filter_by(course_id=course.id)
        ).scalars()
    )
    position = len(have)
    for exercise_id in exercise_ids:
        if exercise_id not in have:
            db.session.add(
                Assignment(course_id=course.id, exercise_id=exercise_id, position=position)
            )
            position += 1
    db.session.flush()


def _target(data: dict[str, Any]) -> tuple[str, list[str]]:
    """Where the link opens, and the exercises it links: its custom parameter
    ``exercise=<id>`` or ``lesson=<id>`` first, else a lesson address as the target link URI,
    else the course outline (no exercise)."""
    catalog = current_app.extensions["catalog"]
    custom = data.get(CUSTOM) or {}
    exercise_id = str(custom.get("exercise", "") or "")
    lesson_id = str(custom.get("lesson", "") or "")
    if not exercise_id and not lesson_id:
        parts = urlsplit(str(data.get(TARGET, "")))
        match = LESSON_PATH.match(parts.path)
        if match:
            lesson_id = match["lesson"]
            if parts.fragment.startswith("exercise-"):
                exercise_id = parts.fragment.removeprefix("exercise-")
    if exercise_id:
        exercise = catalog.exercise(exercise_id)
        if exercise is None:
            raise LaunchRefused(f"the link names no exercise called {exercise_id!r}")
        address = url_for("learn.lesson", lesson_id=exercise.lesson_id)
        return f"{address}#exercise-{exercise_id}", [exercise_id]
    if lesson_id:
        lesson = catalog.lesson(lesson_id)
        if lesson is None:
            raise LaunchRefused(f"the link names no lesson called {lesson_id!r}")
        address = url_for("learn.lesson", lesson_id=lesson_id)
        return address, [exercise.id for exercise in lesson.exercises]
    return url_for("learn.index"), []


@bp.route("/jwks")
def jwks() -> ResponseReturnValue:
    """The tool's public keys, for platforms verifying its signed client assertions. A cache
    may keep them an hour: a rotated key is published a day before it signs (``lti_keys``)."""
    response = jsonify(key_set())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.route("/setup")
@signed_in_only
def setup() -> ResponseReturnValue:
    """The values an instructor or administrator pastes into the LMS, and the platforms
    registered so far. Staff of some course only: nothing here is secret, but it is of no
    use to students."""
    staff = db.session.execute(
        db.select(Membership.id).filter(
            Membership.user_id == current_user.id, Membership.role.in_(STAFF)
        )
    ).first()
    if staff is None:
        abort(404)
    platforms = db.session.execute(db.select(LtiPlatform).order_by(LtiPlatform.id)).scalars()
    return render_template(
        "lti/setup.html",
        login_url=url_for("lti.login", _external=True),
        launch_url=url_for("lti.launch", _external=True),
        jwks_url=url_for("lti.jwks", _external=True),
        domain=urlsplit(url_for("learn.index", _external=True)).netloc,
        platforms=list(platforms),
    )


def init_app(app: Flask) -> None:
    from . import lti_cli, lti_deep_linking, lti_roster_page

    # The platform's OIDC login and its id_token post are cross-site form posts by design:
    # the signed id_token, the state cookie and the one-use nonce protect them, not a CSRF token.
    csrf.exempt(bp)
    app.register_blueprint(bp)
    lti_cli.init_app(app)
    lti_deep_linking.init_app(app)  # picking activities from the LMS (deep linking)
    lti_roster_page.init_app(app)  # roster sync from the LMS (NRPS)
    lti_passback.init_app(app)  # grade passback from the worker (AGS)
    lti_grades_page.init_app(app)
