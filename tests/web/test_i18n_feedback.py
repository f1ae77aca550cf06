"""Grading feedback in the interface's language (the page) and in both (the API).

Any exercise will do, so these run on the fixture lesson's walk: editing a course lesson's
wording cannot break them."""

from __future__ import annotations

import json
import re

from flask.testing import FlaskClient

from ..conftest import FIXTURE_LESSONS

LESSONS_DIR = FIXTURE_LESSONS
# Keeps the layers it should skip: wrong on every case that skips one.
KEEPS_SKIPPED = "def path(layers, skip):\n    return list(layers)\n"
ZH_FEEDBACK = "：它被标记为跳过"
EN_FEEDBACK = "never belongs in this path: it is marked to be skipped"


def submit_fragment(client: FlaskClient, code: str) -> str:
    response = client.post(
        "/exercises/walk/submit", data={"code": code}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_grading_feedback_follows_the_interface_language(client: FlaskClient) -> None:
    client.set_cookie("lang", "zh")
    fragment = submit_fragment(client, KEEPS_SKIPPED)
    assert 'data-verdict="failed"' in fragment and "<html" not in fragment
    # What the page shows (the replay data beside it carries both languages, for the script).
    shown = re.sub(
        r'<script type="application/json" class="report-data">.*?</script>',
        "",
        fragment,
        flags=re.S,
    )
    assert ZH_FEEDBACK in shown and re.search(r"第 \d+ 步", shown) and "个用例中有" in shown
    assert EN_FEEDBACK not in shown and not re.search(r"step \d+", shown)

    # The API returns both languages, whatever the interface language.
    body = client.post("/api/exercises/walk/grade", json={"code": KEEPS_SKIPPED}).get_json()
    assert set(body["message"]) == {"en", "zh"}
    assert EN_FEEDBACK in body["message"]["en"] and ZH_FEEDBACK in body["message"]["zh"]
    failing = next(case for case in body["cases"] if not case["passed"])
    assert failing["message"] == body["message"] and failing["rule"] == "answer"
    passing = next(case for case in body["cases"] if case["passed"])
    assert passing["message"] == {"en": "", "zh": ""}

    client.set_cookie("lang", "en")
    fragment = submit_fragment(client, KEEPS_SKIPPED)
    assert EN_FEEDBACK in fragment and ZH_FEEDBACK not in fragment


def test_errors_before_grading_are_in_chinese_too(client: FlaskClient) -> None:
    client.set_cookie("lang", "zh")
    assert "代码是空的" in submit_fragment(client, "   \n")
    fragment = submit_fragment(client, "def path(:\n")
    assert "语法错误 SyntaxError（第 1 行）" in fragment and "SyntaxError on line 1" not in fragment
    body = client.post("/api/exercises/walk/grade", json={"code": "def path(:\n"}).get_json()
    assert body["verdict"] == "error" and body["message"]["en"].startswith("SyntaxError on line 1")


def page_language_header(html: str) -> dict[str, str]:
    """What htmx sends with every request from this page (the body's ``hx-headers``)."""
    found = re.search(r"<body hx-headers='([^']*)'", html)
    assert found, "the page sets no headers for its htmx requests"
    return {
        name: value for name, value in json.loads(found.group(1)).items() if name != "X-CSRFToken"
    }


def test_a_submit_answers_in_the_language_of_the_page_it_was_sent_from(
    client: FlaskClient,
) -> None:
    # A learner reaches the lesson by a link with ?lang=zh; another tab has since chosen English.
    html = client.get(
        "/lessons/fixture-lesson?lang=zh", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    client.set_cookie("lang", "en")
    response = client.post(
        "/exercises/walk/submit",
        data={"code": KEEPS_SKIPPED},
        headers={"HX-Request": "true", "Accept-Language": "en", **page_language_header(html)},
    )
    fragment = response.get_data(as_text=True)
    assert ZH_FEEDBACK in fragment and "个用例中有" in fragment
    assert "cases pass" not in fragment
    # A pending verdict's polls carry the same header: the fragment varies with it.
    assert "X-Page-Lang" in response.headers["Vary"]
    assert "Accept-Language" in response.headers["Vary"]  # a page's language may come from it
