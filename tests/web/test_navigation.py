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

from ..conftest import ROOT

IO_SOLUTION = (ROOT / "lessons/05-hypervisors/exercises/io-path/solution.py").read_text()


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
    item = lesson_item(outline, "hypervisors")
    exercises = int(re.search(r'data-exercises="(\d+)"', item)[1])  # type: ignore[index]
    assert "You will be able to:" in text(item) and "about 45 min" in text(item)
    assert f"0 of {exercises} exercises solved" in text(item)

    wrong = IO_SOLUTION.replace('"world_switch", ', "")
    client.post("/exercises/io-path/submit", data={"code": wrong})
    assert f"0 of {exercises} exercises solved" in text(
        lesson_item(client.get("/").get_data(as_text=True), "hypervisors")
    )
    client.post("/exercises/io-path/submit", data={"code": IO_SOLUTION})
    again = lesson_item(client.get("/").get_data(as_text=True), "hypervisors")
    assert f"1 of {exercises} exercises solved" in text(again) and 'data-solved="1"' in again

    # Another learner (another browser) has solved nothing.
    client.delete_cookie("session")
    fresh = lesson_item(client.get("/").get_data(as_text=True), "hypervisors")
    assert 'data-solved="0"' in fresh


def test_the_outline_in_chinese(client: FlaskClient) -> None:
    item = text(lesson_item(client.get("/?lang=zh").get_data(as_text=True), "hypervisors"))
    assert "学完之后，你将能够：" in item and "约 45 分钟" in item and "个练习中的 0 个" in item


def test_lessons_link_to_their_neighbours_in_course_order(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    # Lesson 5 alone (other lessons come and go), then a copy of it after it with its own ids.
    lessons.mkdir()
    shutil.copy(ROOT / "lessons/glossary.toml", lessons / "glossary.toml")
    shutil.copytree(ROOT / "lessons/05-hypervisors", lessons / "05-hypervisors")
    copy = lessons / "99-copy"
    shutil.copytree(lessons / "05-hypervisors", copy)
    manifest = copy / "lesson.toml"
    body = (
        manifest.read_text()
        .replace('id = "hypervisors"', 'id = "copy"')
        .replace("order = 5", "order = 99")
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
    first = client.get("/lessons/hypervisors").get_data(as_text=True)
    assert 'rel="next" href="/lessons/copy"' in first and 'rel="prev"' not in first
    last = client.get("/lessons/copy").get_data(as_text=True)
    assert 'rel="prev" href="/lessons/hypervisors"' in last and 'rel="next"' not in last


def test_the_glossary_page_lists_every_term_in_both_languages(client: FlaskClient) -> None:
    page = client.get("/glossary").get_data(as_text=True)
    terms = load_glossary().terms
    assert len(terms) > 50
    for term in terms:
        row = re.search(rf'<tr id="term-{re.escape(term.id)}">(.*?)</tr>', page, re.S)
        assert row, term.id
        assert term.zh in row.group(1)
    assert "/glossary" in client.get("/lessons/hypervisors").get_data(as_text=True)
    assert "术语表" in client.get("/glossary?lang=zh").get_data(as_text=True)
