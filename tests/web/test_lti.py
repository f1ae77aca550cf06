"""LTI 1.3 launches (#12) against a platform simulated on 127.0.0.1 (tests/web/lti_platform.py):
OIDC login, a signed id_token posted back, and what the learner or instructor then sees."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import FIXTURE_LESSONS, ROOT

from .lti_platform import (
    INSTRUCTOR,
    LEARNER,
    TEACHING_ASSISTANT,
    Platform,
    authorization_request,
    running_platform,
)

LESSONS_DIR = FIXTURE_LESSONS
REFUSED = "This launch from your course could not be accepted"


@pytest.fixture
def platform(runner: FlaskCliRunner) -> Iterator[Platform]:
    with running_platform() as platform:
        result = runner.invoke(args=platform.register_args())
        assert result.exit_code == 0, result.output
        yield platform


def login(client: FlaskClient, platform: Platform, **form: str) -> dict[str, str]:
    """The platform's OIDC login initiation; the tool's answer is a redirect to the platform's
    authorization endpoint, whose query the platform reads."""
    response = client.post("/lti/login", data={**platform.login_form(), **form})
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert location.startswith(f"{platform.base}/auth?")
    return authorization_request(location)


def launch(client: FlaskClient, authorization: dict[str, str], id_token: str) -> Any:
    return client.post("/lti/launch", data={"id_token": id_token, "state": authorization["state"]})


def signed_in_page(client: FlaskClient) -> int:
    """200 when the browser is signed in to an account (the page needs one)."""
    return client.get("/me/submissions").status_code


def course_slug(client: FlaskClient) -> str:
    with client.session_transaction() as session:
        return str(session["lti_course"])


def test_a_learner_launch_opens_the_linked_exercise_signed_in_as_a_student(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    assert signed_in_page(client) == 302
    authorization = login(client, platform)
    token = platform.id_token(authorization, custom={"exercise": "walk"})
    response = launch(client, authorization, token)
    assert response.status_code == 302
    assert response.headers["Location"] == "/lessons/fixture-lesson#exercise-walk"
    assert client.get(response.headers["Location"]).status_code == 200
    assert signed_in_page(client) == 200
    slug = course_slug(client)
    course_page = client.get(f"/courses/{slug}")
    assert course_page.status_code == 200
    assert "Virtualization 101" in course_page.get_data(as_text=True)
    # A student does not reach the course's staff pages.
    assert client.get(f"/courses/{slug}/roster").status_code in (403, 404)


def test_an_instructor_launch_reaches_staff_pages_of_the_same_course(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    learner = app.test_client()
    authorization = login(learner, platform)
    launch(learner, authorization, platform.id_token(authorization, sub="student-1"))
    authorization = login(client, platform)
    token = platform.id_token(authorization, sub="teacher-1", roles=(INSTRUCTOR,), target="")
    response = launch(client, authorization, token)
    assert response.status_code == 302
    assert course_slug(client) == course_slug(learner)  # one LMS context, one course
    roster = client.get(f"/courses/{course_slug(client)}/roster")
    assert roster.status_code == 200
    assert "student-1@lms.example" in roster.get_data(as_text=True)
    assert client.get("/lti/setup").status_code == 200
    assert platform.issuer in client.get("/lti/setup").get_data(as_text=True)


def test_a_launched_learners_submission_counts_in_the_lms_course_gradebook(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    authorization = login(client, platform)
    launch(client, authorization, platform.id_token(authorization, custom={"exercise": "walk"}))
    slug = course_slug(client)
    code = str(app.extensions["catalog"].exercise("walk").solution)
    response = client.post(
        "/exercises/walk/submit", data={"code": code}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    with app.app_context():
        from tutor.web.extensions import db
        from tutor.web.models import Course, Submission

        submission = db.session.execute(db.select(Submission)).scalar_one()
        course = db.session.get(Course, submission.course_id)
        assert course is not None and course.slug == slug
        assert submission.score == 100.0
    teacher = app.test_client()
    authorization = login(teacher, platform)
    launch(teacher, authorization, platform.id_token(authorization, sub="t", roles=(INSTRUCTOR,)))
    gradebook = teacher.get(f"/courses/{slug}/gradebook").get_data(as_text=True)
    assert "lms-user-42@lms.example" in gradebook
    assert "walk" in gradebook


def test_the_target_link_uri_opens_a_lesson_and_a_ta_is_staff(
    client: FlaskClient, platform: Platform
) -> None:
    authorization = login(client, platform)
    token = platform.id_token(
        authorization,
        sub="ta-1",
        roles=(TEACHING_ASSISTANT,),
        target="http://localhost/lessons/fixture-lesson",
    )
    response = launch(client, authorization, token)
    assert response.headers["Location"] == "/lessons/fixture-lesson"
    assert client.get(f"/courses/{course_slug(client)}/roster").status_code == 200


def test_the_same_lms_user_launches_into_the_same_account(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    first = login(client, platform)
    launch(client, first, platform.id_token(first, sub="again-1"))
    with client.session_transaction() as session:
        learner = session["learner"]
    other = app.test_client()
    second = login(other, platform)
    launch(other, second, platform.id_token(second, sub="again-1"))
    with other.session_transaction() as session:
        assert session["learner"] == learner


def test_a_replayed_launch_is_refused_with_a_clear_page(
    client: FlaskClient, platform: Platform
) -> None:
    authorization = login(client, platform)
    token = platform.id_token(authorization)
    assert launch(client, authorization, token).status_code == 302
    replay = launch(client, authorization, token)
    assert replay.status_code == 400
    assert REFUSED in replay.get_data(as_text=True)


def _refused(client: FlaskClient, platform: Platform, **changes: Any) -> str:
    authorization = login(client, platform)
    response = launch(client, authorization, platform.id_token(authorization, **changes))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert REFUSED in page
    assert signed_in_page(client) == 302  # nobody was signed in
    return str(page)


def test_a_token_signed_by_another_key_is_refused(client: FlaskClient, platform: Platform) -> None:
    _refused(client, platform, key=rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.mark.parametrize(
    "change",
    [
        {"iss": "https://other-lms.example"},
        {"aud": "someone-else"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 4000},
        {"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "unknown-deployment"},
        {"nonce": "never-issued"},
    ],
    ids=["wrong-issuer", "wrong-audience", "expired", "unknown-deployment", "unknown-nonce"],
)
def test_a_launch_the_platform_did_not_make_for_us_is_refused(
    client: FlaskClient, platform: Platform, change: dict[str, Any]
) -> None:
    _refused(client, platform, **change)


def test_a_refusal_says_what_to_fix_in_the_lms_language(
    client: FlaskClient, platform: Platform
) -> None:
    """Every refusal said "open the activity again", which never helps an unregistered
    deployment, and in the browser's language where the LMS had named the learner's."""
    page = _refused(
        client, platform, **{"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "dep-9"}
    )
    assert "--deployment-id" in page and "open the activity again" not in page
    authorization = login(client, platform)
    claims = {
        "https://purl.imsglobal.org/spec/lti/claim/deployment_id": "dep-9",
        "https://purl.imsglobal.org/spec/lti/claim/launch_presentation": {"locale": "zh-CN"},
    }
    chinese = launch(client, authorization, platform.id_token(authorization, **claims))
    assert chinese.status_code == 400
    assert "部署" in chinese.get_data(as_text=True)  # for an English browser


def test_the_web_process_logs_refusal_reasons_at_info(tmp_path: Path) -> None:
    """The reason of a refused launch is logged at INFO (docs/lti.md), but a web server that
    sets up no logging (gunicorn, flask run) printed warnings only: it reached nobody."""
    probe = (
        "import logging, app; "
        "log = logging.getLogger('tutor.web.lti'); "
        "print(log.isEnabledFor(logging.INFO), any(h.level <= logging.INFO for h in "
        "logging.getLogger().handlers))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'log.db'}",
        "TUTOR_SECRET_KEY": "log-check",
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.stdout.split() == ["True", "True"], done.stderr[-2000:]


def test_a_launch_opens_in_the_language_the_lms_names(
    client: FlaskClient, platform: Platform
) -> None:
    """A zh-CN launch opened the lesson in English for an English browser (the locale claim was
    ignored), inside the LMS's iframe too, where the language cookie is not sent back."""
    authorization = login(client, platform)
    token = platform.id_token(
        authorization,
        custom={"exercise": "walk"},
        **{"https://purl.imsglobal.org/spec/lti/claim/launch_presentation": {"locale": "zh-CN"}},
    )
    opened = launch(client, authorization, token)
    assert opened.status_code == 302
    page = client.get(opened.headers["Location"], headers={"Accept-Language": "en-US"})
    assert '<html lang="zh' in page.get_data(as_text=True)
    # The learner's own switch still wins.
    client.get("/lang/en?next=/")
    client.delete_cookie("lang")  # as inside an iframe: the Lax cookie does not come back
    again = client.get(opened.headers["Location"], headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en' in again.get_data(as_text=True)


def test_a_launch_without_the_login_state_is_refused(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    authorization = login(client, platform)
    token = platform.id_token(authorization)
    stranger = app.test_client()  # another browser: no state cookie, no session
    response = launch(stranger, authorization, token)
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)


def test_a_login_from_an_unregistered_issuer_gets_the_clear_page(
    client: FlaskClient, platform: Platform
) -> None:
    response = client.post(
        "/lti/login", data={**platform.login_form(), "iss": "https://unknown.example"}
    )
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)


def test_a_link_to_a_missing_exercise_says_so(client: FlaskClient, platform: Platform) -> None:
    authorization = login(client, platform)
    token = platform.id_token(authorization, custom={"exercise": "no-such-exercise"})
    assert launch(client, authorization, token).status_code == 404


def test_the_tool_publishes_its_keys_and_rotation_keeps_the_previous_one(
    client: FlaskClient, runner: FlaskCliRunner, platform: Platform
) -> None:
    before = [k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]]
    assert len(before) == 1
    assert runner.invoke(args=["tutor", "lti", "rotate-key"]).exit_code == 0
    after = [k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]]
    assert len(after) == 2 and before[0] in after and after[0] != before[0]


def test_platforms_are_listed_and_removed(runner: FlaskCliRunner, platform: Platform) -> None:
    listed = runner.invoke(args=["tutor", "lti", "list"]).output
    assert platform.issuer in listed and platform.client_id in listed
    number = listed.split("\t", 1)[0]
    assert runner.invoke(args=["tutor", "lti", "remove", number]).exit_code == 0
    assert platform.issuer not in runner.invoke(args=["tutor", "lti", "list"]).output
    bad = runner.invoke(args=["tutor", "lti", "remove", "999"])
    assert bad.exit_code != 0 and "no platform 999" in bad.output


def test_learner_role_is_the_default(client: FlaskClient, platform: Platform) -> None:
    authorization = login(client, platform)
    launch(client, authorization, platform.id_token(authorization, roles=(LEARNER,)))
    assert client.get(f"/courses/{course_slug(client)}/roster").status_code in (403, 404)
    assert client.get("/lti/setup").status_code == 404  # the setup page is for staff
    assert FlaskClient(client.application).get("/lti/setup").status_code == 302  # sign in first


def test_the_refusal_page_is_in_chinese_for_a_chinese_browser(
    client: FlaskClient, platform: Platform
) -> None:
    authorization = login(client, platform)
    token = platform.id_token(authorization)
    launch(client, authorization, token)
    replay = client.post(
        "/lti/launch",
        data={"id_token": token, "state": authorization["state"]},
        headers={"Accept-Language": "zh-CN"},
    )
    assert replay.status_code == 400
    assert "无法接受这次从课程网站发起的启动" in replay.get_data(as_text=True)


def test_repeated_launches_do_not_grow_the_session_cookie(
    client: FlaskClient, platform: Platform
) -> None:
    """pylti1p3 keeps every launch's id_token body in the session (a cookie here): without
    tidying, some 20 launches in one browser passed the browsers' 4 KB limit and signed the
    learner out."""
    sizes = []
    for _ in range(8):
        authorization = login(client, platform)
        response = launch(client, authorization, platform.id_token(authorization))
        assert response.status_code == 302
        (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
        sizes.append(len(cookie))
    assert max(sizes) - sizes[0] < 100, sizes
    assert signed_in_page(client) == 200


def test_a_launch_into_a_closed_course_says_it_has_ended_and_enrols_nobody(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    """A closed course (end of term) takes no new members: enrolled by a launch, a learner would
    work believing it counts, and nothing would reach the LMS. A member launches as before."""
    member = app.test_client()
    first = login(member, platform)
    assert launch(member, first, platform.id_token(first, sub="member-1")).status_code == 302
    slug = course_slug(member)
    assert app.test_cli_runner().invoke(args=["tutor", "close-course", slug]).exit_code == 0
    authorization = login(client, platform)
    refused = launch(client, authorization, platform.id_token(authorization, sub="newcomer-1"))
    assert refused.status_code == 410
    assert "has ended" in refused.get_data(as_text=True)
    assert signed_in_page(client) == 302  # nobody signed in, nobody enrolled
    with app.app_context():
        from tutor.web.extensions import db
        from tutor.web.roster import course_by_slug, members

        course = course_by_slug(slug)
        assert course is not None
        assert [u.email for u, _ in members(course)] == ["member-1@lms.example"]
        db.session.remove()
    again = login(member, platform)
    assert launch(member, again, platform.id_token(again, sub="member-1")).status_code == 302
