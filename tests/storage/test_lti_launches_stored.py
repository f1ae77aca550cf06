"""LTI launches on both databases (#12): PostgreSQL refuses a value longer than its column where
SQLite keeps it, and refuses the second of two rows made at once where SQLite serialises the
writers — so the first minute of a class (dozens of first launches into a new LMS course) and
an LMS's long names are tried on each."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

from tests.conftest import FIXTURE_LESSONS
from tests.web.lti_platform import Platform, authorization_request, running_platform
from tutor.web.accounts import User
from tutor.web.extensions import db
from tutor.web.lti_models import LtiContext, LtiIdentity
from tutor.web.models import Course

LAUNCHES = 16


def _launch(app: Flask, platform: Platform, **claims: object) -> int:
    client = app.test_client()
    login = client.post("/lti/login", data=platform.login_form())
    authorization = authorization_request(login.headers["Location"])
    token = platform.id_token(authorization, **claims)  # type: ignore[arg-type]
    response = client.post("/lti/launch", data={"id_token": token, "state": authorization["state"]})
    return response.status_code


def _app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(LESSONS_DIR=str(FIXTURE_LESSONS), QUEUE_URL="immediate")


def test_first_launches_at_once_make_one_course_and_an_account_each(
    make_app: Callable[..., Flask],
) -> None:
    app = _app(make_app)
    with running_platform() as platform:
        assert app.test_cli_runner().invoke(args=platform.register_args()).exit_code == 0
        with ThreadPoolExecutor(LAUNCHES) as pool:
            statuses = list(
                pool.map(
                    lambda n: _launch(app, platform, sub=f"s{n % (LAUNCHES // 2)}"),
                    range(LAUNCHES),
                )
            )
    assert statuses == [302] * LAUNCHES
    with app.app_context():
        assert len(db.session.execute(db.select(LtiContext)).scalars().all()) == 1
        assert len(db.session.execute(db.select(LtiIdentity)).scalars().all()) == LAUNCHES // 2


def test_an_lms_s_long_names_fit_and_over_long_ids_are_refused(
    make_app: Callable[..., Flask],
) -> None:
    app = _app(make_app)
    with running_platform() as platform:
        assert app.test_cli_runner().invoke(args=platform.register_args()).exit_code == 0
        long_context = {"id": "ctx-long", "title": "T" * 400, "label": "L"}
        status = _launch(
            app,
            platform,
            sub="long",
            name="N" * 201,
            email="e" * 250 + "@lms.example",
            context=("ctx-long", "T" * 400),
        )
        assert status == 302
        assert _launch(app, platform, sub="x" * 256) == 400
        refused = _launch(
            app,
            platform,
            sub="y",
            **{
                "https://purl.imsglobal.org/spec/lti/claim/context": long_context
                | {"id": "c" * 256}
            },
        )
        assert refused == 400
    with app.app_context():
        identity = db.session.execute(db.select(LtiIdentity).filter_by(subject="long")).scalar_one()
        user = db.session.get(User, identity.user_id)
        assert user is not None and len(user.name) == 200 and user.email.endswith("@lti.invalid")
        titles = [c.title for c in db.session.execute(db.select(Course)).scalars()]
        assert "T" * 200 in titles
