"""Deep linking (#12): an instructor adding an activity in the LMS picks lessons or exercises on
VirtTutor's page; they go back signed, as resource links with line items, and the platform
simulated on 127.0.0.1 (tests/web/lti_platform.py) verifies the answer against the tool's JWKS
before recording it. A later launch of such a link opens what was picked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import FIXTURE_LESSONS

from .lti_platform import CONTENT_ITEMS, INSTRUCTOR, LEARNER, LTI, Platform, running_platform
from .test_lti import REFUSED, launch, login

LESSONS_DIR = FIXTURE_LESSONS
PICKER_TITLE = "Add VirtTutor activities to your course"


@pytest.fixture
def platform(client: FlaskClient, runner: FlaskCliRunner) -> Iterator[Platform]:
    with running_platform() as platform:
        result = runner.invoke(args=platform.register_args())
        assert result.exit_code == 0, result.output
        platform.tool_jwks = client.get("/lti/jwks").get_json()
        yield platform


def open_picker(client: FlaskClient, platform: Platform, **claims: Any) -> str:
    """The LMS's deep-linking launch; returns the picker's address."""
    authorization = login(client, platform)
    token = platform.id_token(
        authorization, sub="teacher-1", roles=(INSTRUCTOR,), deep_linking=True, **claims
    )
    response = launch(client, authorization, token)
    assert response.status_code == 302, response.get_data(as_text=True)
    return str(response.headers["Location"])


def post_back(page: str) -> requests.Response:
    """What the auto-submitting form does in the browser: post the JWT to the LMS."""
    action = re.search(r'<form method="post" action="([^"]+)" id="deep-link-return"', page)
    token = re.search(r'name="JWT" value="([^"]+)"', page)
    assert action and token, page
    return requests.post(action[1], data={"JWT": token[1]}, timeout=10)


def test_picked_exercise_and_lesson_return_as_resource_links_with_line_items(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    picker = open_picker(client, platform)
    page = client.get(picker)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert PICKER_TITLE in text
    assert 'value="exercise:walk"' in text and 'value="lesson:fixture-lesson"' in text
    answer = client.post(picker, data={"item": ["exercise:walk", "lesson:fixture-lesson"]})
    assert answer.status_code == 200
    return_page = answer.get_data(as_text=True)
    # The form may post to the LMS: the page's CSP names the LMS in form-action.
    csp = answer.headers["Content-Security-Policy"]
    assert f"form-action 'self' {platform.base}" in csp
    received = post_back(return_page)
    assert received.status_code == 200, received.text
    assert platform.deep_link_refusals == []
    claims = platform.deep_link_responses[-1]
    assert claims["aud"] == [platform.issuer] and claims["iss"] == platform.client_id
    assert claims[LTI + "deployment_id"] == platform.deployment_id
    # The platform's opaque data comes back unchanged.
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "platform-opaque-data-1"
    exercise, lesson = claims[CONTENT_ITEMS]
    catalog = app.extensions["catalog"]
    assert exercise["type"] == "ltiResourceLink"
    assert exercise["custom"] == {"exercise": "walk"}
    assert exercise["title"] == catalog.exercise("walk").title["en"]
    assert exercise["lineItem"]["scoreMaximum"] == 100
    assert exercise["lineItem"]["resourceId"] == "exercise:walk"
    n = len(catalog.lesson("fixture-lesson").exercises)
    assert lesson["custom"] == {"lesson": "fixture-lesson"}
    assert lesson["lineItem"]["scoreMaximum"] == 100 * n
    assert urlsplit(lesson["url"]).path == "/lessons/fixture-lesson"
    # The picker answers once.
    assert client.post(picker, data={"item": ["exercise:walk"]}).status_code == 410


@pytest.mark.parametrize("chosen", ["exercise", "lesson"])
def test_a_launch_of_a_picked_link_opens_what_was_picked(
    app: Flask, client: FlaskClient, platform: Platform, chosen: str
) -> None:
    picker = open_picker(client, platform)
    value = "exercise:walk" if chosen == "exercise" else "lesson:fixture-lesson"
    post_back(client.post(picker, data={"item": value}).get_data(as_text=True))
    (item,) = platform.deep_link_responses[-1][CONTENT_ITEMS]
    learner = app.test_client()
    learner.get("/api/session")
    authorization = login(learner, platform)
    token = platform.id_token(
        authorization, sub="learner-1", custom=item["custom"], target=item["url"]
    )
    response = launch(learner, authorization, token)
    assert response.status_code == 302
    expected = "/lessons/fixture-lesson"
    if chosen == "exercise":
        expected += "#exercise-walk"
    assert response.headers["Location"] == expected
    assert learner.get(response.headers["Location"]).status_code == 200


def test_the_picker_is_in_chinese_for_a_chinese_instructor(
    client: FlaskClient, platform: Platform
) -> None:
    picker = open_picker(client, platform)
    page = client.get(picker, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "把 VirtTutor 的活动加入你的课程" in page
    assert "整节课" in page


def test_choosing_nothing_or_too_much_says_so_and_cancel_returns_no_items(
    client: FlaskClient, platform: Platform
) -> None:
    picker = open_picker(client, platform)
    empty = client.post(picker, data={})
    assert empty.status_code == 400
    assert "Choose at least one lesson or exercise." in empty.get_data(as_text=True)
    unknown = client.post(picker, data={"item": "exercise:no-such"})
    assert unknown.status_code == 400
    assert "exercise:no-such is not in the catalogue." in unknown.get_data(as_text=True)
    cancelled = client.post(picker, data={"cancel": "1"})
    assert cancelled.status_code == 200
    assert post_back(cancelled.get_data(as_text=True)).status_code == 200
    assert platform.deep_link_responses[-1][CONTENT_ITEMS] == []
    # An LMS that accepts one item at a time gets radio buttons and is held to one.
    single = open_picker(
        client,
        platform,
        **{
            "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings": {
                "deep_link_return_url": f"{platform.base}/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe"],
                "accept_multiple": False,
            }
        },
    )
    assert 'type="radio"' in client.get(single).get_data(as_text=True)
    two = client.post(single, data={"item": ["exercise:walk", "lesson:fixture-lesson"]})
    assert two.status_code == 400
    assert "accepts one activity here" in two.get_data(as_text=True)


def test_a_learner_cannot_deep_link_and_strangers_cannot_use_the_picker(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    authorization = login(client, platform)
    token = platform.id_token(authorization, sub="learner-1", roles=(LEARNER,), deep_linking=True)
    refused = launch(client, authorization, token)
    assert refused.status_code == 403
    assert REFUSED in refused.get_data(as_text=True)
    teacher = app.test_client()
    teacher.get("/api/session")
    picker = open_picker(teacher, platform)
    stranger = app.test_client()
    assert stranger.get(picker).status_code == 302  # sign in first
    assert client.get(picker).status_code in (302, 410)  # another browser's session
    assert stranger.post(picker, data={"item": "exercise:walk"}).status_code in (302, 400)
    assert platform.deep_link_responses == []
