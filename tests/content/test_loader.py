"""The loader refuses broken lessons and names the file and field of every problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.content import load_catalog

from ..conftest import FIXTURE_LESSONS, ROOT, lesson_problems

LESSON = FIXTURE_LESSONS / "01-fixture"


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    root = tmp_path / "lessons"
    shutil.copytree(LESSON, root / LESSON.name)
    return root


def test_real_lessons_load_with_text_in_both_languages() -> None:
    catalog = load_catalog(ROOT / "lessons")
    assert len(catalog.lessons) >= 6
    for lesson in catalog.lessons:
        assert "<h" in lesson.body_html["en"] and lesson.title["zh"] != lesson.title["en"]
        for exercise in lesson.exercises:
            assert exercise.wrong and exercise.hints["zh"]


def test_the_fixture_lesson_loads_in_both_languages() -> None:
    catalog = load_catalog(FIXTURE_LESSONS)
    lesson = catalog.lesson("fixture-lesson")
    assert lesson is not None
    assert "<h2>" in lesson.body_html["en"] and lesson.title["zh"] != lesson.title["en"]
    assert [e.id for e in lesson.exercises] == ["walk", "echo-loop"]
    exercise = catalog.exercise("echo-loop")
    assert exercise is not None and exercise.wrong and exercise.hints["zh"]


def test_missing_translation_names_file_and_field(lessons: Path) -> None:
    manifest = lessons / LESSON.name / "lesson.toml"
    manifest.write_text(manifest.read_text().replace('zh = "测试课：请求沿分层结构向下走"\n', ""))
    assert any(
        p.endswith("lesson.toml: title.zh: missing or empty") for p in lesson_problems(lessons)
    )


def test_invalid_toml_and_missing_files_are_all_reported_at_once(lessons: Path) -> None:
    exercise = lessons / LESSON.name / "exercises" / "walk"
    (exercise / "exercise.toml").write_text("id = [unclosed")
    (lessons / LESSON.name / "lesson.zh.md").unlink()
    problems = lesson_problems(lessons)
    assert any("walk/exercise.toml: not valid TOML" in p for p in problems)
    assert any(p.endswith("lesson.zh.md: file is missing") for p in problems)


def test_driver_without_compare_and_cases_that_crash(lessons: Path) -> None:
    exercise = lessons / LESSON.name / "exercises" / "echo-loop"
    driver = exercise / "driver.py"
    driver.write_text(driver.read_text().replace("def compare(", "def kompare("))
    (exercise / "cases.py").write_text("raise RuntimeError('boom')\n")
    problems = lesson_problems(lessons)
    assert any(p.endswith("echo-loop/driver.py: compare: function is missing") for p in problems)
    assert any("cases.py: cannot be imported: RuntimeError: boom" in p for p in problems)


def test_wrong_program_needs_an_expect_line(lessons: Path) -> None:
    wrong = lessons / LESSON.name / "exercises" / "walk" / "wrong" / "no_header.py"
    wrong.write_text("def path(kind, operation):\n    return []\n")
    assert any("no_header.py: line 1: must be '# expect:" in p for p in lesson_problems(lessons))


def test_unknown_limit_and_duplicate_ids(lessons: Path) -> None:
    exercise = lessons / LESSON.name / "exercises" / "walk" / "exercise.toml"
    exercise.write_text(exercise.read_text() + "\n[limits]\ncpu_secs = 2\n")
    vcpu = lessons / LESSON.name / "exercises" / "echo-loop" / "exercise.toml"
    vcpu.write_text(vcpu.read_text().replace('id = "echo-loop"', 'id = "walk"'))
    problems = lesson_problems(lessons)
    assert any("limits: unknown limit(s) ['cpu_secs']" in p for p in problems)
    assert any("id: 'walk' is also used by" in p for p in problems)


def test_non_utf8_prompt_is_reported(lessons: Path) -> None:
    prompt = lessons / LESSON.name / "exercises" / "walk" / "prompt.zh.md"
    prompt.write_bytes("路径".encode("gb18030"))
    assert any(p.endswith("walk/prompt.zh.md: not UTF-8") for p in lesson_problems(lessons))


def test_an_authors_cases_with_the_same_title_are_numbered_in_every_language() -> None:
    """An author's ``cases.py`` may title two cases alike ("bad update"); the learner's report
    must still say which one failed."""
    import random
    from types import SimpleNamespace

    from tutor.content.loader import _as_case_generator

    alike = {"en": "bad update", "zh": "坏的更新"}
    module = SimpleNamespace(
        PRACTICE=[
            {"args": {"n": 1}, "title": alike},
            {"args": {"n": 2}, "title": {"en": "good update", "zh": "好的更新"}},
            {"args": {"n": 3}, "title": alike},
            {"args": {"n": 4}, "title": alike},
        ]
    )
    cases = _as_case_generator(module)(random.Random(0), "practice")  # type: ignore[arg-type]
    assert [c.label()["en"] for c in cases] == [
        "bad update",
        "good update",
        "bad update (2)",
        "bad update (3)",
    ]
    assert [c.label()["zh"] for c in cases][2:] == ["坏的更新 (2)", "坏的更新 (3)"]
    assert [c.args for c in cases] == [{"n": n} for n in (1, 2, 3, 4)]


def test_an_exercise_is_found_by_its_id_without_walking_every_lesson(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """#15: every Submit looks its exercise up several times; each lookup walked every lesson's
    exercises. The first lookup indexes them, the rest use the index; an unknown id is None."""
    catalog = load_catalog(ROOT / "lessons")
    every = [e for lesson in catalog.lessons for e in lesson.exercises]
    walks = []
    walk = type(catalog).exercises
    monkeypatch.setattr(type(catalog), "exercises", lambda c: walks.append(1) or walk(c))
    assert all(catalog.exercise(e.id) is e for e in every)
    assert catalog.exercise(every[-1].id) is every[-1]
    assert len(walks) == 1
    assert catalog.exercise("no-such-exercise") is None
