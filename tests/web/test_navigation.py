"""Course navigation: the outline's goals, time and progress (kept on the server, so a reload
shows it), previous/next links between lessons, and the English ↔ Chinese glossary page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tutor.content.glossary import load_glossary
from tutor.web import create_app

from ..conftest import FIXTURE_LESSONS, ROOT

LESSONS_DIR = FIXTURE_LESSONS  # the app serves the fixture lesson (tests/conftest.py)
LESSON = "fixture-lesson"
SOLUTION = (FIXTURE_LESSONS / "01-fixture/exercises/walk/solution.py").read_text()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def lesson_item(html: str, lesson_id: str) -> str:
    found = re.search(
        rf'<li value="\d+" data-lesson-id="{lesson_id}"(.*?)</li>\s*(?=<li value|</ol>)', html, re.S
    )
    assert found, lesson_id
    return found.group(0)


def test_the_outline_shows_goals_time_and_progress_that_survive_a_reload(
    client: FlaskClient,
) -> None:
    outline = client.get("/").get_data(as_text=True)
    item = lesson_item(outline, LESSON)
    exercises = int(re.search(r'data-exercises="(\d+)"', item)[1])  # type: ignore[index]
    assert "You will be able to:" in text(item) and "about 10 min" in text(item)
    assert f"0 of {exercises} exercises solved" in text(item)

    wrong = "def path(layers, skip):\n    return layers[:1]\n"
    client.post("/exercises/walk/submit", data={"code": wrong})
    assert f"0 of {exercises} exercises solved" in text(
        lesson_item(client.get("/").get_data(as_text=True), LESSON)
    )
    client.post("/exercises/walk/submit", data={"code": SOLUTION})
    again = lesson_item(client.get("/").get_data(as_text=True), LESSON)
    assert f"1 of {exercises} exercises solved" in text(again) and 'data-solved="1"' in again

    # Another learner (another browser) has solved nothing.
    client.delete_cookie("session")
    fresh = lesson_item(client.get("/").get_data(as_text=True), LESSON)
    assert 'data-solved="0"' in fresh


def test_the_outline_in_chinese(client: FlaskClient) -> None:
    item = text(lesson_item(client.get("/?lang=zh").get_data(as_text=True), LESSON))
    assert "学完之后，你将能够：" in item and "约 10 分钟" in item and "个练习中的 0 个" in item


def test_lessons_link_to_their_neighbours_in_course_order(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    # The fixture lesson, then a copy of it after it with its own ids.
    lessons.mkdir()
    shutil.copy(ROOT / "lessons/glossary.toml", lessons / "glossary.toml")
    shutil.copytree(FIXTURE_LESSONS / "01-fixture", lessons / "01-fixture")
    copy = lessons / "99-copy"
    shutil.copytree(lessons / "01-fixture", copy)
    manifest = copy / "lesson.toml"
    body = (
        manifest.read_text()
        .replace('id = "fixture-lesson"', 'id = "copy"')
        .replace("order = 1", "order = 99")
    )
    manifest.write_text(re.sub(r"exercises = \[[^\]]*\]", "exercises = []", body))
    app: Flask = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "LESSONS_DIR": str(lessons),
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 't.db'}",
        }
    )
    client = app.test_client()
    first = client.get(f"/lessons/{LESSON}").get_data(as_text=True)
    assert 'rel="next" href="/lessons/copy"' in first and 'rel="prev"' not in first
    last = client.get("/lessons/copy").get_data(as_text=True)
    assert f'rel="prev" href="/lessons/{LESSON}"' in last and 'rel="next"' not in last


def test_the_glossary_page_lists_every_term_in_both_languages(client: FlaskClient) -> None:
    page = client.get("/glossary").get_data(as_text=True)
    terms = load_glossary().terms
    assert len(terms) > 50
    for term in terms:
        row = re.search(rf'<tr id="term-{re.escape(term.id)}">(.*?)</tr>', page, re.S)
        assert row, term.id
        assert term.zh in row.group(1)
    assert "/glossary" in client.get(f"/lessons/{LESSON}").get_data(as_text=True)
    assert "术语表" in client.get("/glossary?lang=zh").get_data(as_text=True)
