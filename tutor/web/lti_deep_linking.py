"""Deep linking (#12): an instructor adding an activity in the LMS picks lessons or exercises
from VirtTutor's catalogue, and they go back to the LMS as resource links with line items.

The LMS opens the tool with an ``LtiDeepLinkingRequest`` launch (validated like any launch in
``lti.launch``, which signs the instructor in and calls ``open_picker``). The request's
settings — the return address, what the LMS accepts, its opaque ``data`` — are kept in the
session under a random id for an hour; the picker page (``/lti/deep-link/<id>``, English and
Chinese) lists the catalogue. The chosen items become pylti1p3 ``DeepLinkResource``s (a
lesson's address, a custom parameter ``lesson=`` or ``exercise=`` that a later launch opens, and
a line item whose maximum is 100 per exercise, as grade passback scores it), signed by
pylti1p3's ``DeepLink`` with the tool's key, and posted back to the LMS by the browser from an
auto-submitting form.
"""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from .accounts import User, signed_in_only
from .headers import content_security_policy
from .learn import pick
from .lti_claims import DEEP_LINKING as SETTINGS
from .lti_claims import DEPLOYMENT
from .lti_config import DatabaseToolConf
from .models import Course

bp = Blueprint("lti_deep_linking", __name__, url_prefix="/lti/deep-link")

SESSION_KEY = "lti_deep_link"
LIFETIME = 3600  # seconds the picker stays usable after the LMS opened it
# Scores are percentages: an exercise is out of 100, a lesson of n exercises out of 100 n.
EXERCISE_MAXIMUM = 100


class PickForm(FlaskForm):  # type: ignore[misc]
    """The CSRF token; the chosen items are read from ``request.form``."""


def return_address(data: dict[str, Any]) -> str:
    """The launch's ``deep_link_return_url`` if it is an http(s) address, else ""."""
    url = str((data.get(SETTINGS) or {}).get("deep_link_return_url") or "")
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else ""


def open_picker(
    data: dict[str, Any], client_id: str, user: User, course: Course
) -> ResponseReturnValue:
    """After a validated deep-linking launch (``return_address`` checked by the caller):
    remember its settings for this browser, open the picker."""
    settings = dict(data.get(SETTINGS) or {})
    request_id = secrets.token_urlsafe(12)
    session[SESSION_KEY] = {
        "id": request_id,
        "iss": str(data["iss"]),
        "client_id": client_id,
        "deployment_id": str(data.get(DEPLOYMENT, "")),
        "settings": settings,
        "user": user.id,
        "course": course.slug,
        "at": time.time(),
    }
    return redirect(url_for("lti_deep_linking.pick_page", request_id=request_id))


def _request(request_id: str) -> dict[str, Any] | None:
    """The deep-linking request this browser's session holds for this instructor, if fresh."""
    found = session.get(SESSION_KEY)
    if not isinstance(found, dict) or found.get("id") != request_id:
        return None
    if found.get("user") != current_user.id or time.time() - float(found["at"]) > LIFETIME:
        return None
    return found


def _gone() -> ResponseReturnValue:
    title = gettext("This activity picker has expired")
    advice = gettext(
        "Choosing activities works once, within an hour of opening it from your course site. "
        "Go back to your course site and add the activity again."
    )
    return render_template("error.html", code=410, title=title, advice=advice), 410


def _multiple(settings: dict[str, Any]) -> bool:
    return str(settings.get("accept_multiple", True)).lower() != "false"


def _page(found: dict[str, Any], status: int = 200, problem: str = "") -> ResponseReturnValue:
    settings = found["settings"]
    return render_template(
        "lti/deep_link.html",
        request_id=found["id"],
        lessons=current_app.extensions["catalog"].lessons,
        multiple=_multiple(settings),
        accepts_links="ltiResourceLink" in (settings.get("accept_types") or []),
        platform=urlsplit(str(settings.get("deep_link_return_url", ""))).netloc,
        problem=problem,
        form=PickForm(),
        maximum=EXERCISE_MAXIMUM,
    ), status


@bp.route("/<request_id>")
@signed_in_only
def pick_page(request_id: str) -> ResponseReturnValue:
    found = _request(request_id)
    if found is None:
        return _gone()
    return _page(found)


def _resource(kind: str, item_id: str) -> DeepLinkResource | None:
    """One catalogue item as a resource link, or ``None`` if there is no such item."""
    catalog = current_app.extensions["catalog"]
    if kind == "exercise":
        exercise = catalog.exercise(item_id)
        if exercise is None:
            return None
        title = str(pick(exercise.title))
        address = url_for("learn.lesson", lesson_id=exercise.lesson_id, _external=True)
        url, count = f"{address}#exercise-{item_id}", 1
    elif kind == "lesson":
        lesson = catalog.lesson(item_id)
        if lesson is None:
            return None
        title = str(pick(lesson.title))
        url = url_for("learn.lesson", lesson_id=item_id, _external=True)
        count = len(lesson.exercises)
    else:
        return None
    resource = (
        DeepLinkResource()
        .set_title(title)
        .set_url(url)
        .set_custom_params({kind: item_id})
        .set_target("iframe")
    )
    if count:  # a lesson without exercises has nothing to grade
        resource.set_lineitem(
            LineItem()
            .set_score_maximum(EXERCISE_MAXIMUM * count)
            .set_label(title)
            .set_resource_id(f"{kind}:{item_id}")
            .set_tag("virttutor")
        )
    return resource


@bp.post("/<request_id>")
@signed_in_only
def choose(request_id: str) -> ResponseReturnValue:
    found = _request(request_id)
    if found is None:
        return _gone()
    if not PickForm().validate_on_submit():
        return _page(
            found, 400, gettext("The form expired: choose again and press “Add to the course”.")
        )
    resources: list[DeepLinkResource] = []
    if "cancel" not in request.form:
        chosen = request.form.getlist("item")
        for value in chosen:
            kind, _, item_id = value.partition(":")
            resource = _resource(kind, item_id)
            if resource is None:
                return _page(found, 400, gettext("%(item)s is not in the catalogue.", item=value))
            resources.append(resource)
        if not resources:
            return _page(found, 400, gettext("Choose at least one lesson or exercise."))
        if len(resources) > 1 and not _multiple(found["settings"]):
            return _page(found, 400, gettext("Your course site accepts one activity here."))
    registration = DatabaseToolConf().find_registration_by_params(found["iss"], found["client_id"])
    if registration is None:
        return _gone()
    deep_link = DeepLink(registration, found["deployment_id"], found["settings"])
    token = deep_link.get_response_jwt(resources)
    session.pop(SESSION_KEY, None)  # one answer per request
    return_url = str(found["settings"]["deep_link_return_url"])
    response = current_app.make_response(
        render_template(
            "lti/deep_link_return.html",
            return_url=return_url,
            token=token,
            titles=[resource.get_title() for resource in resources],
        )
    )
    # The form goes to the LMS, which the site-wide form-action 'self' would block.
    parts = urlsplit(return_url)
    response.headers["Content-Security-Policy"] = content_security_policy().replace(
        "form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}"
    )
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
