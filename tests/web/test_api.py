"""The JSON API, including every kind of bad input: a clear 4xx or a graded failure, never a 500."""

from __future__ import annotations

from flask.testing import FlaskClient

from ..conftest import FIXTURE_LESSONS

LESSONS_DIR = FIXTURE_LESSONS  # the app serves the fixture lesson (tests/conftest.py)

WALK = FIXTURE_LESSONS / "01-fixture/exercises/walk"
SOLUTION = (WALK / "solution.py").read_text()
URL = "/api/exercises/walk/grade"


def test_lessons_lists_ids_titles_and_exercises(client: FlaskClient) -> None:
    lessons = client.get("/api/lessons").get_json()["lessons"]
    (lesson,) = lessons
    assert lesson["id"] == "fixture-lesson" and lesson["exercises"] == ["walk", "echo-loop"]
    assert lesson["title"]["zh"] == "测试课：请求沿分层结构向下走"


def test_grade_a_correct_answer(client: FlaskClient) -> None:
    body = client.post(URL, json={"code": SOLUTION}).get_json()
    assert body["verdict"] == "passed" and body["score"] == 100 and body["status"] == "graded"
    assert (
        len(body["cases"]) == 8
    )  # the fixture's hidden cases: four stacks, with and without skips
    assert all(case["passed"] for case in body["cases"])


def test_grade_a_wrong_answer_has_partial_score_and_first_failure(client: FlaskClient) -> None:
    upside_down = "def path(layers, skip):\n    return [x for x in layers[::-1] if x not in skip]\n"
    body = client.post(f"{URL}?traces=1", json={"code": upside_down}).get_json()
    assert body["verdict"] == "failed" and 0 <= body["score"] < 100
    assert "step 1: " in body["message"]["en"] and "comes too early" in body["message"]["en"]
    # Hidden-case feedback never names the layer the model expects there.
    assert (
        "expected" not in body["message"]["en"] and "The model's step" not in body["message"]["en"]
    )
    failing = next(case for case in body["cases"] if not case["passed"])
    assert failing["rule"] == "answer"
    # Their own hidden case: nothing that could hold the model's answer, even asked for.
    assert not {"trace", "output", "departure"} & set(failing)


def test_empty_code_and_syntax_errors_are_graded_failures(client: FlaskClient) -> None:
    assert "empty" in client.post(URL, json={"code": ""}).get_json()["message"]["en"]
    body = client.post(URL, json={"code": "def path(:\n"}).get_json()
    assert body["verdict"] == "error" and "SyntaxError on line 1" in body["message"]["en"]


def test_a_two_megabyte_submission_is_413(client: FlaskClient) -> None:
    response = client.post(URL, json={"code": "#" * 2_000_000})
    assert response.status_code == 413 and "too large" in response.get_json()["error"]
    # Both limits in one unit: "1024 KB" beside "200 KB" read as decimal kilobytes both.
    said = response.get_json()["error"]
    assert "1,048,576 bytes" in said and "200,000 bytes" in said and "KB" not in said


def test_non_utf8_and_non_json_bodies_are_400(client: FlaskClient) -> None:
    bad = client.post(URL, data=b"\xff\xfe\x00garbage", content_type="application/json")
    assert bad.status_code == 400 and "not UTF-8" in bad.get_json()["error"]
    text = client.post(URL, data="code=1", content_type="application/json")
    assert text.status_code == 400 and "not valid JSON" in text.get_json()["error"]


def test_wrong_shapes_are_400(client: FlaskClient) -> None:
    assert client.post(URL, json=["code"]).status_code == 400
    assert '"code" must be a string' in client.post(URL, json={"code": 5}).get_json()["error"]
    assert client.post(URL, data=b"", content_type="application/json").status_code == 400


def test_unknown_exercise_is_404(client: FlaskClient) -> None:
    response = client.post("/api/exercises/nope/grade", json={"code": "x"})
    assert response.status_code == 404 and "GET /api/lessons" in response.get_json()["error"]
