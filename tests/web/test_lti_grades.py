"""LTI grade passback (#12, Assignment and Grade Services) against the platform simulated on
127.0.0.1 (tests/web/lti_platform.py): after a verdict, the grading worker (here the queue runs
``immediate``) gets an access token with a client assertion signed by the tool's key and posts
the learner's best score to the line item; failures are retried, then shown to staff."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import FIXTURE_LESSONS
from tutor.web.lti_passback import RETRIES

from .lti_platform import AGS, AGS_SCORE, INSTRUCTOR, Platform, running_platform
from .test_lti import course_slug, launch, login

LESSONS_DIR = FIXTURE_LESSONS
WRONG = FIXTURE_LESSONS / "01-fixture" / "exercises" / "walk" / "wrong"
UNGRADED: dict[str, Any] = {AGS: {}}  # a launch of an activity without a grade column


@pytest.fixture
def platform(client: FlaskClient, runner: FlaskCliRunner) -> Iterator[Platform]:
    """A registered platform that knows the tool's public keys (pasted by its administrator)."""
    with running_platform() as platform:
        result = runner.invoke(args=platform.register_args())
        assert result.exit_code == 0, result.output
        platform.tool_jwks = client.get("/lti/jwks").get_json()
        yield platform


def open_activity(
    client: FlaskClient, platform: Platform, sub: str = "lms-user-42", **claims: Any
) -> None:
    """A launch from the LMS; a graded exercise link unless ``claims`` say otherwise."""
    claims.setdefault("custom", {"exercise": "walk"})
    for name, value in platform.ags().items():
        claims.setdefault(name, value)
    authorization = login(client, platform)
    response = launch(client, authorization, platform.id_token(authorization, sub=sub, **claims))
    assert response.status_code == 302, response.get_data(as_text=True)


def submit(app: Flask, client: FlaskClient, exercise: str, code: str) -> float:
    response = client.post(
        f"/exercises/{exercise}/submit", data={"code": code}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    from tutor.web.extensions import db
    from tutor.web.models import Submission

    with app.app_context():
        latest = db.session.execute(
            db.select(Submission).order_by(Submission.id.desc()).limit(1)
        ).scalar_one()
        assert latest.status == "graded"
        return float(latest.score or 0)


def solution(app: Flask, exercise: str) -> str:
    return str(app.extensions["catalog"].exercise(exercise).solution)


def staff(app: Flask, platform: Platform) -> FlaskClient:
    teacher = app.test_client()
    open_activity(teacher, platform, sub="teacher-1", roles=(INSTRUCTOR,))
    return teacher


def test_a_graded_submission_posts_the_score_with_a_token_from_the_platform(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    open_activity(client, platform)
    assert platform.scores == []  # nothing graded yet: nothing sent at launch
    assert submit(app, client, "walk", solution(app, "walk")) == 100.0
    assert len(platform.scores) == 1
    score = platform.scores[0]
    assert score["lineitem"] == f"{platform.base}/lineitems/lineitem-1"
    assert score["userId"] == "lms-user-42"  # the LMS's sub
    assert (score["scoreGiven"], score["scoreMaximum"]) == (100.0, 100.0)
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")
    assert datetime.fromisoformat(score["timestamp"]).tzinfo is not None
    # The access token came from the token endpoint, for a client assertion the platform
    # verified against the tool's published key.
    assert platform.token_requests and AGS_SCORE in platform.token_requests[-1]["scopes"]
    assert platform.token_requests[-1]["claims"]["iss"] == platform.client_id
    assert platform.refused_scores == []


def test_late_work_goes_to_the_lms_as_the_course_counts_it(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    """The gradebook counted 70 for work 3 days late at 10 % a day; the LMS got 100."""
    open_activity(client, platform)
    from tutor.web.extensions import db
    from tutor.web.roster import course_by_slug
    from tutor.web.schedule import Assignment, settings_of

    with app.app_context():
        course = course_by_slug(course_slug(client))
        assert course is not None
        due = datetime.now(UTC) - timedelta(days=2, hours=1)  # a submit now is 3 days late
        assignment = db.session.execute(
            db.select(Assignment).filter_by(course_id=course.id, exercise_id="walk")
        ).scalar_one()  # the launch put the exercise in the course
        assignment.due_at = due
        settings_of(course).penalty_per_day = 10.0
        db.session.commit()
    assert submit(app, client, "walk", solution(app, "walk")) == 100.0  # the raw score
    assert platform.scores[-1]["scoreGiven"] == 70.0


def test_a_line_item_url_with_a_query_gets_the_score_at_its_scores_address(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    # Moodle's line item URLs look like .../lineitems/7/lineitem?type_id=2.
    open_activity(client, platform, **platform.ags(lineitem="7/lineitem?type_id=2"))
    submit(app, client, "walk", solution(app, "walk"))
    assert [s["lineitem"] for s in platform.scores] == [
        f"{platform.base}/lineitems/7/lineitem?type_id=2"
    ]


def test_a_worse_submission_after_a_better_one_keeps_the_best(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    open_activity(client, platform)
    worse = (WRONG / "stops_early.py").read_text()
    first = submit(app, client, "walk", worse)
    assert first < 100.0
    assert platform.scores[-1]["scoreGiven"] == first
    submit(app, client, "walk", solution(app, "walk"))
    assert platform.scores[-1]["scoreGiven"] == 100.0
    again = submit(app, client, "walk", worse)
    assert again < 100.0
    assert len(platform.scores) == 3
    assert platform.scores[-1]["scoreGiven"] == 100.0  # the best, not the latest


def test_a_lesson_link_sends_the_lesson_score_to_a_line_item_it_finds_or_makes(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    # A link with no line item of its own: the tool makes one in the context's container.
    open_activity(
        client, platform, custom={"lesson": "fixture-lesson"}, **platform.ags(lineitem=None)
    )
    submit(app, client, "walk", solution(app, "walk"))
    assert len(platform.lineitems) == 1
    made = platform.lineitems[0]
    assert made["resourceLinkId"] == "resource-link-1" and made["scoreMaximum"] == 200.0
    score = platform.scores[-1]
    assert score["lineitem"] == made["id"]
    assert (score["scoreGiven"], score["scoreMaximum"]) == (100.0, 200.0)
    assert score["activityProgress"] == "InProgress"
    submit(app, client, "echo-loop", solution(app, "echo-loop"))
    assert len(platform.lineitems) == 1  # found again, not made twice
    score = platform.scores[-1]
    assert (score["scoreGiven"], score["activityProgress"]) == (200.0, "Completed")


def test_scores_go_to_the_column_deep_linking_made_not_a_second_one(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    """A deep-linked exercise's column carries ``resourceId`` "exercise:<id>" (and our tag
    "virttutor"): a launch that names only the line item container searched by its address
    as tag, found nothing and made a second column beside it."""
    deep_linked = {
        "id": f"{platform.base}/lineitems/dl-1",
        "label": "Walk",
        "scoreMaximum": 100,
        "resourceId": "exercise:walk",
        "tag": "virttutor",
    }
    taken = {**deep_linked, "id": f"{platform.base}/lineitems/other", "resourceLinkId": "x-9"}
    platform.lineitems.extend([taken, deep_linked])  # another link's column is never ours
    open_activity(client, platform, **platform.ags(lineitem=None))
    submit(app, client, "walk", solution(app, "walk"))
    assert len(platform.lineitems) == 2  # none made
    assert [s["lineitem"] for s in platform.scores] == [deep_linked["id"]]


def test_only_the_learners_own_links_and_exercises_are_sent(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    teacher = staff(app, platform)
    submit(app, teacher, "walk", solution(app, "walk"))  # staff work is not a learner's grade
    ungraded = app.test_client()
    open_activity(ungraded, platform, sub="no-ags", **UNGRADED)
    submit(app, ungraded, "walk", solution(app, "walk"))  # an ungraded activity
    open_activity(client, platform)
    submit(app, client, "echo-loop", solution(app, "echo-loop"))  # not the linked exercise
    assert platform.scores == []


def test_a_platform_that_keeps_failing_is_retried_then_shown_to_staff_who_retry(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    open_activity(client, platform)
    platform.score_failures = RETRIES + 1
    submit(app, client, "walk", solution(app, "walk"))
    assert platform.refused_scores == ["outage"] * (RETRIES + 1)  # every attempt reached it
    assert platform.scores == []
    teacher = staff(app, platform)
    slug = course_slug(teacher)
    assert f"/courses/{slug}/lms-grades" in teacher.get(f"/courses/{slug}").get_data(as_text=True)
    page = teacher.get(f"/courses/{slug}/lms-grades").get_data(as_text=True)
    assert "1 grade could not be sent to the LMS." in page
    assert "lms-user-42@lms.example" in page or "Ada Learner" in page
    assert "500" in page and "the gradebook is down" in page
    assert "The LMS failed or is busy just now" in page  # what the raw error means for staff
    assert f"<td>{RETRIES + 1}</td>" in page
    zh = teacher.get(f"/courses/{slug}/lms-grades?lang=zh").get_data(as_text=True)
    assert "有 1 个成绩未能发送到 LMS。" in zh and "立即重试" in zh
    assert "LMS 暂时出错或繁忙" in zh
    # The LMS is back: staff retry, the score arrives and the row says so.
    link_id = _link_id(app)
    response = teacher.post(f"/courses/{slug}/lms-grades/{link_id}/retry")
    assert response.status_code == 302
    assert [s["scoreGiven"] for s in platform.scores] == [100.0]
    page = teacher.get(f"/courses/{slug}/lms-grades").get_data(as_text=True)
    assert "could not be sent" not in page and ">sent<" in page


def test_a_grade_that_failed_every_retry_is_sent_again_by_the_sweeper(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    """An LMS down longer than the retries kept the grade out of its gradebook for good unless
    staff pressed "Retry now": the workers' sweeper sends failed grades again."""
    from tutor.queue.sweeper import Sweeper

    open_activity(client, platform)
    platform.score_failures = RETRIES + 1
    submit(app, client, "walk", solution(app, "walk"))
    assert platform.scores == []  # every retry failed: the link is "failed"
    app.config["LTI_PASSBACK_RESEND_SECONDS"] = 0
    counts = Sweeper(app, app.extensions["catalog"], lambda _: None).sweep()
    assert counts["passbacks"] == 1
    assert [s["scoreGiven"] for s in platform.scores] == [100.0]  # the LMS is back
    assert Sweeper(app, app.extensions["catalog"], lambda _: None).sweep()["passbacks"] == 0


def test_a_failure_that_clears_up_is_retried_by_the_queue(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    open_activity(client, platform)
    platform.score_failures = 2
    submit(app, client, "walk", solution(app, "walk"))
    assert platform.refused_scores == ["outage", "outage"]
    assert [s["scoreGiven"] for s in platform.scores] == [100.0]


def test_a_token_the_platform_refuses_is_recorded(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    open_activity(client, platform)
    platform.tool_jwks = {"keys": []}  # the LMS lost the tool's key: its assertions fail
    submit(app, client, "walk", solution(app, "walk"))
    assert platform.scores == [] and platform.token_requests == []
    from tutor.web.extensions import db
    from tutor.web.lti_grade_links import LtiGradeLink

    with app.app_context():
        link = db.session.execute(db.select(LtiGradeLink)).scalar_one()
        assert link.status == "failed"
        assert link.last_error is not None and "401" in link.last_error
    teacher = staff(app, platform)
    page = teacher.get(f"/courses/{course_slug(teacher)}/lms-grades").get_data(as_text=True)
    assert "The LMS refused VirtTutor&#39;s credentials" in page


REFUSED = "LtiServiceException: HTTP response [https://lms.example/"


@pytest.mark.parametrize(
    ("error", "meaning"),
    [
        ("ConnectionError: HTTPSConnectionPool(host='lms.example', port=443)", "not reach"),
        ("ReadTimeout: HTTPSConnectionPool(host='lms.example'): Read timed out.", "not reach"),
        (REFUSED + "token]: 401 - {}", "credentials"),
        (REFUSED + "x]: 400 - invalid_client", "credentials"),
        (REFUSED + "x]: 403 - scope", "does not let"),
        (REFUSED + "li/9/scores]: 404 - ", "no longer has"),
        (REFUSED + "x]: 429 - slow down", "busy"),
        (REFUSED + "x]: 503 - ", "busy"),
        ("LtiException: Invalid response", None),
        ("KeyError: 'lineItems'", None),
    ],
)
def test_staff_read_what_a_platform_error_means(
    app: Flask, error: str, meaning: str | None
) -> None:
    from tutor.web.lti_grades_page import error_meaning

    with app.test_request_context():
        said = error_meaning(error)
    assert (said is None) if meaning is None else (said is not None and meaning in said)


@pytest.mark.parametrize(
    ("url", "meaning"),
    [
        ("https://lms.example/oauth2/token", "credentials"),  # a mistyped token URL: 404
        ("https://lms.example/api/lti/courses/1/line_items/9/scores", "no longer has"),
        ("https://lms.example/api/lti/courses/1/line_items", "no longer has"),
    ],
)
def test_a_refused_token_request_is_read_as_the_registrations(
    app: Flask, url: str, meaning: str
) -> None:
    """A 404 from the token URL is a registration mistake, not a grade column gone."""
    from tutor.web.lti_grades_page import error_meaning

    claim = json.dumps(
        {
            "lineitems": "https://lms.example/api/lti/courses/1/line_items?x=1",
            "lineitem": "https://lms.example/api/lti/courses/1/line_items/9",
        }
    )
    with app.test_request_context():
        said = error_meaning(f"LtiServiceException: HTTP response [{url}]: 404 - ", claim)
    assert said is not None and meaning in said


def test_students_do_not_see_the_page(app: Flask, client: FlaskClient, platform: Platform) -> None:
    open_activity(client, platform)
    slug = course_slug(client)
    assert client.get(f"/courses/{slug}/lms-grades").status_code in (403, 404)
    assert client.post(f"/courses/{slug}/lms-grades/1/retry").status_code in (403, 404)


def test_a_regrade_sends_the_new_score(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, platform: Platform
) -> None:
    open_activity(client, platform)
    submit(app, client, "walk", solution(app, "walk"))
    from tutor.web.extensions import db
    from tutor.web.models import Submission

    # As if an earlier grader had got it wrong (and the LMS had received that).
    with app.app_context():
        db.session.execute(db.update(Submission).values(score=40.0))
        db.session.commit()
    result = runner.invoke(args=["tutor", "regrade", "--exercise", "walk"])
    assert result.exit_code == 0, result.output
    assert "1 changed" in result.output
    assert len(platform.scores) == 2
    assert platform.scores[-1]["scoreGiven"] == 100.0
    assert platform.scores[-1]["timestamp"] >= platform.scores[0]["timestamp"]


def test_a_learner_with_graded_work_sends_it_when_launching(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    open_activity(client, platform, **UNGRADED)  # ungraded at first
    submit(app, client, "walk", solution(app, "walk"))
    assert platform.scores == []
    open_activity(client, platform)  # the instructor made the activity graded
    assert [s["scoreGiven"] for s in platform.scores] == [100.0]


def _link_id(app: Flask) -> int:
    from tutor.web.extensions import db
    from tutor.web.lti_grade_links import LtiGradeLink

    with app.app_context():
        return int(db.session.execute(db.select(LtiGradeLink.id)).scalar_one())


def test_on_a_real_queue_the_worker_sends_the_score_and_retries_later(tmp_path: Path) -> None:
    """With an SQLite queue (as in production) the web request only stores and queues: the
    score is sent by the worker's passback task, and a failed send waits in Huey's schedule
    for its retry (30 s, then twice as long) instead of being tried at once."""
    from tutor.queue import heartbeat
    from tutor.web import create_app
    from tutor.web.extensions import db
    from tutor.web.lti_grade_links import LtiGradeLink

    app = create_app(
        {
            "TESTING": True,
            "LESSONS_DIR": str(FIXTURE_LESSONS),
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'worker.db'}",
            "QUEUE_URL": f"sqlite:///{tmp_path / 'worker-queue.db'}",
            "WTF_CSRF_ENABLED": False,
            "GRADER": "process",
            "GRADER_WAIT_SECONDS": 0,
        }
    )
    huey = app.extensions["grading_queue"].huey
    heartbeat.beat(huey, 1)  # a worker is alive: the web process accepts submissions
    client = app.test_client()
    client.get("/api/session")
    with running_platform() as platform:
        assert app.test_cli_runner().invoke(args=platform.register_args()).exit_code == 0
        platform.tool_jwks = client.get("/lti/jwks").get_json()
        open_activity(client, platform)
        reply = client.post("/api/exercises/walk/grade", json={"code": solution(app, "walk")})
        assert reply.status_code == 202
        grading = huey.dequeue()
        assert grading is not None and huey.dequeue() is None
        huey.execute(grading)  # the worker grades ...
        assert platform.scores == []  # ... and queues the passback: nothing sent yet
        passback = huey.dequeue()
        assert passback is not None and passback.name == "lti_grade_passback"
        platform.score_failures = 1
        huey.execute(passback)
        assert platform.scores == [] and huey.dequeue() is None
        (retry,) = huey.scheduled()
        assert retry.retries == RETRIES - 1 and retry.retry_delay == 60  # the next one doubles
        wait = retry.eta - datetime.now(UTC).replace(tzinfo=None)  # Huey's naive UTC
        assert timedelta(seconds=20) < wait <= timedelta(seconds=30)
        with app.app_context():
            link = db.session.execute(db.select(LtiGradeLink)).scalar_one()
            assert (link.status, link.attempts) == ("retrying", 1)
            assert link.last_error is not None and "500" in link.last_error
        due = huey.read_schedule(retry.eta)  # half a minute later
        assert [task.id for task in due] == [retry.id]
        assert huey.execute(due[0], retry.eta - timedelta(seconds=1)) is None
        assert platform.scores == [] and huey.scheduled()  # not due yet: back in the schedule
        (retry,) = huey.read_schedule(retry.eta)
        huey.execute(retry, retry.eta)
        assert [s["scoreGiven"] for s in platform.scores] == [100.0]
        with app.app_context():
            link = db.session.execute(db.select(LtiGradeLink)).scalar_one()
            assert (link.status, link.score_sent, link.last_error) == ("sent", 100.0, None)


def test_a_rotated_key_signs_only_after_platforms_that_cached_the_key_set_fetched_it(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, platform: Platform
) -> None:
    """The platform keeps the key set it fetched at registration (Canvas and Moodle cache it):
    right after ``rotate-key`` grades still reach it, and the new key is already published."""
    cached = {k["kid"] for k in platform.tool_jwks["keys"]}
    rotated = runner.invoke(args=["tutor", "lti", "rotate-key"])
    assert rotated.exit_code == 0 and "signs from" in rotated.output
    published = {k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]}
    assert cached < published and len(published) == 2
    assert "max-age" in client.get("/lti/jwks").headers["Cache-Control"]
    open_activity(client, platform)
    submit(app, client, "walk", solution(app, "walk"))
    assert [s["scoreGiven"] for s in platform.scores] == [100.0]
    # Rotating again while the new key waits would unpublish the key that signs: refused.
    again = runner.invoke(args=["tutor", "lti", "rotate-key"])
    assert again.exit_code != 0 and "--now" in again.output
    # Once the wait is over (here: none), the new key signs; the platform that fetched the set
    # again verifies it, the one still holding the old set does not.
    app.config["LTI_KEY_AHEAD_HOURS"] = 0
    fetched = client.get("/lti/jwks").get_json()
    platform.tool_jwks = {"keys": [k for k in fetched["keys"] if k["kid"] not in cached]}
    other = app.test_client()
    other.get("/api/session")
    open_activity(other, platform, sub="lms-user-43")
    submit(app, other, "walk", solution(app, "walk"))
    assert [s["scoreGiven"] for s in platform.scores] == [100.0, 100.0]


def test_rotate_now_signs_with_the_new_key_and_unpublishes_the_old(
    client: FlaskClient, runner: FlaskCliRunner, platform: Platform
) -> None:
    before = {k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]}
    result = runner.invoke(args=["tutor", "lti", "rotate-key", "--now"])
    assert result.exit_code == 0 and "signs now" in result.output
    after = {k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]}
    assert len(after) == 1 and not after & before


def test_a_student_in_two_lms_courses_is_graded_in_the_one_they_launched_from(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    """Last term's course and this term's both link the exercise: the Submit counts for the
    course the student opened it from, and its line item gets the score."""
    old = {"context": ("ctx-old", "Fall"), **platform.ags(lineitem="old-item")}
    new = {"context": ("ctx-new", "Spring"), **platform.ags(lineitem="new-item")}
    open_activity(client, platform, **old)
    old_slug = course_slug(client)
    open_activity(client, platform, **new)
    new_slug = course_slug(client)
    submit(app, client, "walk", solution(app, "walk"))
    assert [s["lineitem"].rsplit("/", 1)[-1] for s in platform.scores] == ["new-item"]
    open_activity(client, platform, **old)  # back to the old course's link
    submit(app, client, "walk", solution(app, "walk") + "\n# old\n")
    assert [s["lineitem"].rsplit("/", 1)[-1] for s in platform.scores][-1] == "old-item"
    from tutor.web.extensions import db
    from tutor.web.models import Course, Submission
    from tutor.web.roster import Membership

    with app.app_context():
        slugs = [
            db.session.get(Course, s.course_id).slug
            for s in db.session.execute(db.select(Submission).order_by(Submission.id)).scalars()
        ]
        assert slugs == [new_slug, old_slug]
        # A course the student has left never gets their work, even as the course launched.
        old_course = db.session.execute(db.select(Course).filter_by(slug=old_slug)).scalar_one()
        for row in db.session.execute(
            db.select(Membership).filter_by(course_id=old_course.id)
        ).scalars():
            row.left_at = datetime.now(UTC)
        db.session.commit()
    submit(app, client, "walk", solution(app, "walk") + "\n# after leaving\n")
    with app.app_context():
        latest = db.session.execute(
            db.select(Submission).order_by(Submission.id.desc()).limit(1)
        ).scalar_one()
        assert db.session.get(Course, latest.course_id).slug == new_slug
