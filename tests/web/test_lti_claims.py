"""What an LMS's claims may do (#12): only roles in the course make staff, claims of the wrong
shape or length are refused with the clear page (never a 500 after the nonce is spent), a
course keeps its last instructor, and logins that never launch stay cheap."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import FIXTURE_LESSONS
from tutor.web.lti_claims import course_role
from tutor.web.roster import INSTRUCTOR as OUR_INSTRUCTOR
from tutor.web.roster import STUDENT, TA

from .lti_platform import (
    INSTRUCTOR,
    LEARNER,
    LTI,
    TEACHING_ASSISTANT,
    Platform,
    running_platform,
)
from .test_lti import REFUSED, course_slug, launch, login

LESSONS_DIR = FIXTURE_LESSONS
LIS = "http://purl.imsglobal.org/vocab/lis/v2/"


@pytest.fixture
def platform(runner: FlaskCliRunner) -> Iterator[Platform]:
    with running_platform() as platform:
        assert runner.invoke(args=platform.register_args()).exit_code == 0
        yield platform


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ([LEARNER], STUDENT),
        ([INSTRUCTOR], OUR_INSTRUCTOR),
        ([LIS + "membership#Administrator"], OUR_INSTRUCTOR),
        ([INSTRUCTOR, TEACHING_ASSISTANT], TA),  # what Canvas sends a TA
        (["Instructor"], OUR_INSTRUCTOR),  # a deprecated simple name is a context role
        (["TeachingAssistant"], TA),
        ([LIS + "membership/Instructor#Lecturer"], OUR_INSTRUCTOR),
        # Roles about the person elsewhere never make staff in this course:
        ([LEARNER, LIS + "institution/person#Instructor"], STUDENT),
        ([LEARNER, LIS + "institution/person#Administrator"], STUDENT),
        ([LEARNER, LIS + "system/person#Administrator"], STUDENT),
        ([LIS + "institution/person#Faculty"], STUDENT),
        ([LIS + "membership/Learner#TeachingAssistant"], STUDENT),
        ([INSTRUCTOR, LIS + "institution/person#TeachingAssistant"], OUR_INSTRUCTOR),
        ([], STUDENT),
    ],
)
def test_only_roles_in_the_course_decide_the_course_role(roles: list[str], expected: str) -> None:
    assert course_role(roles) == expected


def test_a_student_who_teaches_elsewhere_gets_no_staff_power_here(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    teacher = app.test_client()
    authorization = login(teacher, platform)
    launch(teacher, authorization, platform.id_token(authorization, sub="t", roles=(INSTRUCTOR,)))
    slug = course_slug(teacher)
    authorization = login(client, platform)
    roles = (LEARNER, LIS + "institution/person#Instructor", LIS + "system/person#Administrator")
    assert (
        launch(client, authorization, platform.id_token(authorization, roles=roles)).status_code
        == 302
    )
    assert client.get(f"/courses/{slug}/roster").status_code in (403, 404)
    assert client.post(f"/courses/{slug}/members/1/role", data={"role": "student"}).status_code in (
        403,
        404,
    )
    assert teacher.get(f"/courses/{slug}/roster").status_code == 200
    deep = login(client, platform)
    token = platform.id_token(deep, roles=roles, deep_linking=True)
    assert launch(client, deep, token).status_code == 403


def _without(token: str, platform: Platform, claim: str) -> str:
    claims = jwt.decode(token, options={"verify_signature": False})
    del claims[claim]
    return jwt.encode(claims, platform.key, algorithm="RS256", headers={"kid": platform.kid})


@pytest.mark.parametrize(
    "claims",
    [
        {LTI + "context": "ctx-7"},
        {LTI + "custom": ["exercise", "walk"]},
        {LTI + "resource_link": "link-1"},
        {LTI + "roles": [LEARNER, None]},
        {LTI + "roles": LEARNER},
        {"sub": "s" * 256},
        {LTI + "context": {"id": "c" * 256, "title": "Long"}},
        {LTI + "resource_link": {"id": "r" * 256}},
    ],
    ids=[
        "context-a-string",
        "custom-a-list",
        "resource-link-a-string",
        "roles-holding-null",
        "roles-a-string",
        "sub-over-255",
        "context-id-over-255",
        "resource-link-id-over-255",
    ],
)
def test_claims_of_the_wrong_shape_get_the_clear_page(
    app: Flask, client: FlaskClient, platform: Platform, claims: dict[str, Any]
) -> None:
    authorization = login(client, platform)
    response = launch(client, authorization, platform.id_token(authorization, **claims))
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)
    from tutor.web.extensions import db
    from tutor.web.models import Course

    with app.app_context():  # nothing was made of it
        assert not any(
            c.slug.startswith("lti-") for c in db.session.execute(db.select(Course)).scalars()
        )


@pytest.mark.parametrize("claim", ["exp", "sub"])
def test_an_id_token_without_expiry_or_subject_is_refused(
    client: FlaskClient, platform: Platform, claim: str
) -> None:
    authorization = login(client, platform)
    token = _without(platform.id_token(authorization), platform, claim)
    response = launch(client, authorization, token)
    assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)


def test_a_long_name_is_cut_and_an_unusable_email_is_not_used(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    authorization = login(client, platform)
    token = platform.id_token(authorization, sub="long-1", name="N" * 500, email="not an address")
    assert launch(client, authorization, token).status_code == 302
    other = app.test_client()
    authorization = login(other, platform)
    token = platform.id_token(authorization, sub="long-2", name=["Ann"], email="a" * 250 + "@x.org")
    assert launch(other, authorization, token).status_code == 302
    from tutor.web.accounts import User
    from tutor.web.extensions import db
    from tutor.web.lti_models import LtiIdentity

    with app.app_context():
        people = {
            identity.subject: db.session.get(User, identity.user_id)
            for identity in db.session.execute(db.select(LtiIdentity)).scalars()
        }
        assert people["long-1"].name == "N" * 200
        assert people["long-1"].email.endswith("@lti.invalid")
        assert people["long-2"].name == "" and people["long-2"].email.endswith("@lti.invalid")


def test_the_last_instructor_launching_as_a_learner_stays_the_instructor(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    """Moodle's "Switch role to… Student" launches the teacher with Learner roles."""
    authorization = login(client, platform)
    launch(client, authorization, platform.id_token(authorization, sub="t1", roles=(INSTRUCTOR,)))
    slug = course_slug(client)
    authorization = login(client, platform)
    launch(client, authorization, platform.id_token(authorization, sub="t1", roles=(LEARNER,)))
    assert client.get(f"/courses/{slug}/roster").status_code == 200
    # With another instructor in the course, the LMS's word is followed again.
    second = app.test_client()
    authorization = login(second, platform)
    launch(second, authorization, platform.id_token(authorization, sub="t2", roles=(INSTRUCTOR,)))
    authorization = login(client, platform)
    launch(client, authorization, platform.id_token(authorization, sub="t1", roles=(LEARNER,)))
    assert client.get(f"/courses/{slug}/roster").status_code in (403, 404)
    assert second.get(f"/courses/{slug}/roster").status_code == 200


def test_logins_that_never_launch_keep_the_cookie_small_and_their_rows_expire(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    sizes = []
    for _ in range(40):
        response = client.post("/lti/login", data=platform.login_form())
        assert response.status_code == 302
        (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
        sizes.append(len(cookie))
    assert sizes[-1] - sizes[10] < 60, sizes
    with client.session_transaction() as session:
        assert sum(key.startswith("lti1p3-nonce-") for key in session) <= 8
    # The newest pending login still launches.
    authorization = login(client, platform)
    assert launch(client, authorization, platform.id_token(authorization)).status_code == 302
    from tutor.web.extensions import db
    from tutor.web.lti_config import OneLaunchPerNonce
    from tutor.web.lti_models import LtiNonce

    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(LtiNonce)).scalar() == 41
        db.session.execute(
            db.update(LtiNonce).values(issued_at=datetime.now(UTC) - timedelta(hours=1))
        )
        db.session.commit()
    OneLaunchPerNonce._swept_at = float("-inf")  # a minute has passed
    login(client, platform)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(LtiNonce)).scalar() == 1


@pytest.mark.parametrize(
    ("audience", "accepted"),
    [
        ({"aud": ["https://lms.example/other-service", "{ours}"]}, True),
        ({"aud": ["https://lms.example/other-service", "{ours}"], "azp": "{ours}"}, True),
        ({"aud": ["{ours}"], "azp": "https://lms.example/other-service"}, False),
        ({"aud": "{ours}", "azp": "https://lms.example/other-service"}, False),
        ({"aud": ["https://lms.example/other-service", "another-tool"]}, False),
        ({"aud": []}, False),
    ],
    ids=[
        "ours-second",
        "ours-second-azp-ours",
        "azp-other",
        "azp-other-one-aud",
        "not-ours",
        "none",
    ],
)
def test_an_audience_list_launches_when_it_holds_this_tool(
    client: FlaskClient, platform: Platform, audience: dict[str, Any], accepted: bool
) -> None:
    """OpenID Connect lets ``aud`` be a list and name the party in ``azp``: pylti1p3 read only
    the first entry, so a platform listing another audience first was refused (#12)."""
    claims = {
        k: [x.format(ours=platform.client_id) for x in v]
        if isinstance(v, list)
        else v.format(ours=platform.client_id)
        for k, v in audience.items()
    }
    authorization = login(client, platform)
    response = launch(client, authorization, platform.id_token(authorization, **claims))
    if accepted:
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    else:
        assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)
