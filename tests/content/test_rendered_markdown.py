"""Lesson Markdown is rendered once per text (tutor.content.rendered), yet an edit always shows."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.content import explanation_ids, rendered
from tutor.content.loader import render_markdown
from tutor.web import create_app

from ..conftest import FIXTURE_LESSONS, ROOT


def _app_lesson_html(lessons: Path, tmp_path: Path) -> str:
    app = create_app(
        {
            "TESTING": True,
            "LESSONS_DIR": str(lessons),
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
            "GRADER": "process",
            "QUEUE_URL": "immediate",
        }
    )
    client = app.test_client()
    response = client.get("/lessons/fixture-lesson")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_edited_lesson_shows_in_the_next_app(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS, lessons)
    page = lessons / "01-fixture" / "lesson.en.md"
    assert "Freshly edited paragraph" not in _app_lesson_html(lessons, tmp_path)
    page.write_text(page.read_text() + "\n\nFreshly edited *paragraph* 4242.\n")
    edited = _app_lesson_html(lessons, tmp_path)
    assert "Freshly edited <em>paragraph</em> 4242." in edited
    page.write_text(page.read_text().replace("4242", "4343"))
    again = _app_lesson_html(lessons, tmp_path)
    assert "Freshly edited <em>paragraph</em> 4343." in again
    assert "4242" not in again


# A fresh process (no memory of this one) loads the fixture lesson with a renderings folder and
# reports how many texts it rendered itself and what the lesson's HTML is.
_LOAD = """
import json, sys
from pathlib import Path
from tutor.content import loader
calls = []
real = loader.render_markdown
loader.render_markdown = lambda text: calls.append(text) or real(text)
catalog = loader.load_catalog(Path(sys.argv[1]), renderings=Path(sys.argv[2]))
lesson = catalog.lessons[0]
print(json.dumps({"rendered": len(calls), "body": lesson.body_html}))
"""


def _load_in_new_process(lessons: Path, renderings: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _LOAD, str(lessons), str(renderings)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_the_next_process_reads_renderings_instead_of_rendering(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS, lessons)
    renderings = tmp_path / "renderings"
    first = _load_in_new_process(lessons, renderings)
    assert first["rendered"] == 6  # lesson + two prompts, in two languages
    second = _load_in_new_process(lessons, renderings)
    assert second["rendered"] == 0
    assert second["body"] == first["body"]
    text = (lessons / "01-fixture" / "lesson.zh.md").read_text()
    fresh = render_markdown(explanation_ids.insert(text, "zh", pytest.fail))
    assert first["body"]["zh"] == fresh  # type: ignore[index]
    (lessons / "01-fixture" / "lesson.zh.md").write_text(text + "\n\n新的一段。\n")
    third = _load_in_new_process(lessons, renderings)
    assert third["rendered"] == 1
    assert "新的一段。" in third["body"]["zh"]  # type: ignore[index]


def test_a_changed_renderer_does_not_reuse_older_renderings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def counting(text: str) -> str:
        calls.append(text)
        return render_markdown(text)

    text = "A *unique* text for the renderer-version test 9137."
    rendered.cached(counting, tmp_path)(text)
    assert len(calls) == 1
    monkeypatch.setattr(rendered, "_renderer", "another-renderer")
    assert rendered.cached(counting, tmp_path)(text) == render_markdown(text)
    assert len(calls) == 2
    assert len(list(tmp_path.glob("*.html"))) == 2
