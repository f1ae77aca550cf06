"""The Chinese page starts from a Chinese starter; check-lessons catches a Chinese starter, hint or
lesson text that would let a learner down."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tutor.content import load_catalog
from tutor.content.checker import SEEDS
from tutor.content.model import Exercise
from tutor.content.zh_checks import check_hints, check_zh_starter
from tutor.grading.judge import Judge
from tutor.grading.runner import InProcessRunner
from tutor.web import create_app

from ..conftest import ROOT

LESSON = ROOT / "lessons" / "05-hypervisors"


def exercise(exercise_id: str) -> Exercise:
    found = load_catalog(ROOT / "lessons").exercise(exercise_id)
    assert found is not None
    return found


def editor_and_reset_starter(
    client: FlaskClient, language: str, exercise_id: str
) -> tuple[str, str]:
    client.get(f"/lang/{language}")
    page = client.get("/lessons/hypervisors").get_data(as_text=True)
    section = page.split(f'id="exercise-{exercise_id}"', 1)[1]
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", section, re.DOTALL)
    data = re.search(
        r'<script type="application/json" class="exercise-data">(.*?)</script>', section, re.DOTALL
    )
    assert textarea and data
    return unescape(textarea.group(1)), json.loads(data.group(1))["starter"]


@pytest.mark.parametrize("exercise_id", ["io-path", "vcpu-run-loop", "layer-overhead"])
def test_each_language_page_shows_and_resets_to_its_own_starter(
    client: FlaskClient, exercise_id: str
) -> None:
    folder = LESSON / "exercises" / exercise_id
    english = (folder / "starter.py").read_text(encoding="utf-8")
    chinese = (folder / "starter.zh.py").read_text(encoding="utf-8")
    shown, reset = editor_and_reset_starter(client, "zh", exercise_id)
    assert shown.strip() == chinese.strip() and reset == chinese
    assert re.search("[\u4e00-\u9fff]", shown)
    shown, reset = editor_and_reset_starter(client, "en", exercise_id)
    assert shown.strip() == english.strip() and reset == english


def test_lesson_5_chinese_starters_define_what_the_english_ones_do() -> None:
    judge = Judge(InProcessRunner())
    for exercise_id in ("io-path", "vcpu-run-loop", "layer-overhead"):
        found = exercise(exercise_id)
        assert found.starter_zh and found.starter_zh != found.starter
        assert check_zh_starter(found, judge, SEEDS[0]) == []
        assert check_hints(found) == []


def test_a_chinese_starter_that_drifts_from_the_english_one_is_reported() -> None:
    judge = Judge(InProcessRunner())
    io_path = exercise("io-path")
    renamed = io_path.starter_zh.replace(
        "def path(kind, operation):", "def path(kind, op, extra=1):"
    )
    problems = check_zh_starter(dataclasses.replace(io_path, starter_zh=renamed), judge, SEEDS[0])
    assert any("def path(kind, op, extra=1)" in p and "differs" in p for p in problems), problems
    extra = io_path.starter_zh + "\n\ndef helper():\n    return 1\n"
    problems = check_zh_starter(dataclasses.replace(io_path, starter_zh=extra), judge, SEEDS[0])
    assert any("defines 'def helper()'" in p for p in problems), problems
    # A zh starter that already passes gives the Chinese learner nothing to do.
    problems = check_zh_starter(
        dataclasses.replace(io_path, starter_zh=io_path.solution), judge, SEEDS[0]
    )
    assert any("already scores 100" in p for p in problems), problems


def test_a_chinese_starter_left_in_english_or_missing_is_reported() -> None:
    judge = Judge(InProcessRunner())
    loop = exercise("vcpu-run-loop")
    problems = check_zh_starter(dataclasses.replace(loop, starter_zh=loop.starter), judge, SEEDS[0])
    assert any("line 2: still in English" in p for p in problems), problems
    assert any("line 5: still in English" in p for p in problems), problems
    problems = check_zh_starter(dataclasses.replace(loop, starter_zh=""), judge, SEEDS[0])
    assert problems and "starter.zh.py: missing" in problems[0]


def test_a_zh_hint_left_in_english_is_reported() -> None:
    loop = exercise("vcpu-run-loop")
    hints = {"en": loop.hints["en"], "zh": [loop.hints["en"][0], *loop.hints["zh"][1:]]}
    problems = check_hints(dataclasses.replace(loop, hints=hints))
    english = loop.hints["en"][0]
    assert problems == [
        f"{loop.lesson_id}/vcpu-run-loop: exercise.toml: hints.zh[0] is not Chinese: {english!r}"
    ]


def test_check_lessons_reports_chinese_problems_with_file_and_line(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    shutil.copytree(LESSON, lessons / LESSON.name)
    prompt = lessons / LESSON.name / "exercises" / "io-path" / "prompt.zh.md"
    prompt.write_text(
        "客户机的访问会陷出，落到VMM中。\n\n" + prompt.read_text(encoding="utf-8"), encoding="utf-8"
    )
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
            "LESSONS_DIR": str(lessons),
        }
    )
    result = app.test_cli_runner().invoke(args=["tutor", "check-lessons"])
    assert result.exit_code != 0
    where = "lessons/05-hypervisors/exercises/io-path/prompt.zh.md:1"
    assert f"{where}: glossary: '陷出' translates 'trap'" in result.output
    assert f"{where}: spacing:" in result.output and "落到VMM中" in result.output
