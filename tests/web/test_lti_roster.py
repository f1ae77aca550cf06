"""Roster sync from the LMS (#12, Names and Role Provisioning) against the platform simulated on
127.0.0.1 (tests/web/lti_platform.py): its token endpoint verifies the tool's signed client
assertion, its membership list pages with ``Link: rel=next``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import FIXTURE_LESSONS

from .lti_platform import (
    INSTRUCTOR,
    LEARNER,
    TEACHING_ASSISTANT,
    Platform,
    running_platform,
)
from .test_lti import course_slug, launch, login

LESSONS_DIR = FIXTURE_LESSONS


@pytest.fixture
def platform(client: FlaskClient, runner: FlaskCliRunner) -> Iterator[Platform]:
    with running_platform() as platform:
        result = runner.invoke(args=platform.register_args())
        assert result.exit_code == 0, result.output
        platform.tool_jwks = client.get("/lti/jwks").get_json()  # pasted into the LMS
        yield platform


def launched(
    app: Flask, platform: Platform, sub: str, *roles: str, nrps: bool = True
) -> FlaskClient:
    """A browser of an LMS user who opened the course's VirtTutor activity."""
    browser = app.test_client()
    browser.get("/api/session")
    authorization = login(browser, platform)
    token = platform.id_token(
        authorization,
        sub=sub,
        roles=roles or (LEARNER,),
        custom={"exercise": "walk"},
        nrps=nrps,
        name=f"User {sub}",
    )
    assert launch(browser, authorization, token).status_code == 302
    return browser


def roster_page(browser: FlaskClient) -> str:
    response = browser.get(f"/courses/{course_slug(browser)}/lms-roster")
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def sync(browser: FlaskClient) -> str:
    """Presses "Sync" and returns the page it leads to."""
    response = browser.post(f"/courses/{course_slug(browser)}/lms-roster/sync")
    assert response.status_code == 302, response.get_data(as_text=True)
    return roster_page(browser)


def test_staff_sync_the_lms_members_with_their_roles_following_every_page(
    app: Flask, platform: Platform
) -> None:
    teacher = launched(app, platform, "teacher-1", INSTRUCTOR)
    platform.page_size = 2
    platform.members = [
        platform.member("teacher-1", (INSTRUCTOR,), name="Grace Teacher"),
        platform.member("ta-1", (TEACHING_ASSISTANT,), name="Tim Assistant"),
        platform.member("learner-1", name="Lin Learner"),
        platform.member("learner-2", name="Ann Learner"),
        platform.member("learner-3", name="Bo Learner"),
    ]
    course_roster = teacher.get(f"/courses/{course_slug(teacher)}/roster").get_data(as_text=True)
    assert f'href="/courses/{course_slug(teacher)}/lms-roster"' in course_roster  # the tab
    page = sync(teacher)
    assert "5 active members in the LMS course (3 pages read)." in page
    assert "Added: Tim Assistant, Lin Learner, Ann Learner, Bo Learner." in page
    # Three pages, the next-page addresses followed with their upper-case letters intact.
    assert len(platform.membership_requests) == 3
    assert platform.membership_requests[2].endswith("/CourseSection/ctx-7/Memberships?Page=2")
    roster = teacher.get(f"/courses/{course_slug(teacher)}/roster").get_data(as_text=True)
    assert "learner-3@lms.example" in roster
    assert "Tim Assistant" in roster and "Teaching assistant" in roster
    # The access token came from the platform's token endpoint, for the NRPS scope only.
    assert platform.token_requests[-1]["scopes"] == [
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
    ]
    # A synced learner who launches later is the same account: the TA sees one row for them.
    learner = launched(app, platform, "learner-2")
    assert course_slug(learner) == course_slug(teacher)
    ta = launched(app, platform, "ta-1", TEACHING_ASSISTANT)
    roster = ta.get(f"/courses/{course_slug(ta)}/roster").get_data(as_text=True)
    assert roster.count("<td>learner-2@lms.example</td>") == 1
    # A second sync with nothing new changes nothing.
    assert "Nothing changed" in sync(teacher)


def test_members_who_left_keep_their_work_but_no_longer_open_the_course(
    app: Flask, platform: Platform
) -> None:
    teacher = launched(app, platform, "teacher-1", INSTRUCTOR)
    leaver = launched(app, platform, "leaver-1")
    stays = launched(app, platform, "stays-1")
    code = str(app.extensions["catalog"].exercise("walk").solution)
    submitted = leaver.post("/exercises/walk/submit", data={"code": code})
    assert submitted.status_code == 200
    slug = course_slug(teacher)
    assert leaver.get(f"/courses/{slug}").status_code == 200
    platform.members = [
        platform.member("teacher-1", (INSTRUCTOR,)),
        platform.member("stays-1"),
        platform.member("leaver-1", status="Inactive"),
    ]
    page = sync(teacher)
    assert "can no longer open this course" in page and "leaver-1" in page
    assert "Left on" in page
    assert leaver.get(f"/courses/{slug}").status_code == 404
    assert stays.get(f"/courses/{slug}").status_code == 200
    # Their graded submission is still in the gradebook.
    gradebook = teacher.get(f"/courses/{slug}/gradebook").get_data(as_text=True)
    assert "leaver-1@lms.example" in gradebook
    # Members who drop out of the list entirely leave too; listed again, they are back.
    platform.members = [platform.member("teacher-1", (INSTRUCTOR,)), platform.member("leaver-1")]
    page = sync(teacher)
    assert "Back in the course: User leaver-1." in page
    assert "stays-1" in page and stays.get(f"/courses/{slug}").status_code == 404
    assert leaver.get(f"/courses/{slug}").status_code == 200


def test_the_person_syncing_and_members_added_by_hand_are_never_removed(
    app: Flask, platform: Platform
) -> None:
    admin = launched(app, platform, "admin-1", INSTRUCTOR)
    slug = course_slug(admin)
    added = admin.post(
        f"/courses/{slug}/roster/add", data={"email": "local@x.example", "role": "student"}
    )
    assert added.status_code in (200, 302)
    platform.members = [platform.member("learner-9")]  # the LMS lists neither of them
    page = sync(admin)
    assert "Added: Member learner-9." in page
    assert "No longer in the LMS course" not in page and "Left on" not in page
    assert "local@x.example" in page and "Not from the LMS" in page
    assert admin.get(f"/courses/{slug}/roster").status_code == 200


def test_a_course_whose_launches_offered_no_roster_says_what_to_do(
    app: Flask, runner: FlaskCliRunner, platform: Platform
) -> None:
    teacher = launched(app, platform, "teacher-1", INSTRUCTOR, nrps=False)
    page = roster_page(teacher)
    assert "has not offered this course&#39;s roster" in page
    assert "Sync the roster from the LMS now" not in page
    refused = teacher.post(f"/courses/{course_slug(teacher)}/lms-roster/sync")
    assert refused.status_code == 409
    assert platform.membership_requests == []
    result = runner.invoke(args=["tutor", "lti", "sync-roster", course_slug(teacher)])
    assert result.exit_code != 0 and "has not offered this course's roster" in result.output


def test_students_cannot_sync(app: Flask, platform: Platform) -> None:
    learner = launched(app, platform, "learner-1")
    slug = course_slug(learner)
    assert learner.get(f"/courses/{slug}/lms-roster").status_code == 403
    assert learner.post(f"/courses/{slug}/lms-roster/sync").status_code == 403
    assert platform.membership_requests == []


def test_the_command_line_syncs_a_course(
    app: Flask, runner: FlaskCliRunner, platform: Platform
) -> None:
    teacher = launched(app, platform, "teacher-1", INSTRUCTOR)
    platform.members = [platform.member("teacher-1", (INSTRUCTOR,)), platform.member("cli-1")]
    result = runner.invoke(args=["tutor", "lti", "sync-roster", course_slug(teacher)])
    assert result.exit_code == 0, result.output
    assert "2 active members" in result.output and "Added: Member cli-1." in result.output
    missing = runner.invoke(args=["tutor", "lti", "sync-roster", "no-such-course"])
    assert missing.exit_code != 0 and "no course 'no-such-course'" in missing.output


def test_a_sync_from_the_command_line_never_leaves_the_course_without_an_instructor(
    app: Flask, runner: FlaskCliRunner, platform: Platform
) -> None:
    """A scheduled sync has no person syncing to keep: an LMS that lists the only instructor as
    a learner (or not at all) would leave nobody able to run the course."""
    teacher = launched(app, platform, "teacher-7", INSTRUCTOR)
    slug = course_slug(teacher)
    platform.members = [platform.member("teacher-7"), platform.member("cli-7")]  # both learners
    result = runner.invoke(args=["tutor", "lti", "sync-roster", slug])
    assert result.exit_code == 0, result.output
    assert "Kept as instructors" in result.output and "User teacher-7" in result.output
    assert "Role changed" not in result.output and "Added: Member cli-7." in result.output
    assert teacher.get(f"/courses/{slug}/settings").status_code == 200
    platform.members = [platform.member("cli-7")]  # not listed at all
    result = runner.invoke(args=["tutor", "lti", "sync-roster", slug])
    assert "Kept as instructors" in result.output and "No longer in the LMS" not in result.output
    assert teacher.get(f"/courses/{slug}/settings").status_code == 200
    # Another instructor listed: the LMS's word holds again.
    platform.members = [platform.member("teacher-7"), platform.member("cli-7", (INSTRUCTOR,))]
    result = runner.invoke(args=["tutor", "lti", "sync-roster", slug])
    assert "Kept as instructors" not in result.output and "Role changed" in result.output
    assert teacher.get(f"/courses/{slug}/settings").status_code in (403, 404)


def test_a_refused_token_request_is_a_clear_message_and_changes_nothing(
    app: Flask, platform: Platform
) -> None:
    teacher = launched(app, platform, "teacher-1", INSTRUCTOR)
    platform.members = [platform.member("teacher-1", (INSTRUCTOR,)), platform.member("new-1")]
    platform.tool_jwks = {"keys": []}  # the LMS does not know the tool's key
    response = teacher.post(f"/courses/{course_slug(teacher)}/lms-roster/sync")
    assert response.status_code == 502
    page = response.get_data(as_text=True)
    assert "The LMS refused to give the roster (HTTP 401" in page
    assert "new-1" not in page
