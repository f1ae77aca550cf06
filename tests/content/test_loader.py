"""The loader refuses broken lessons and names the file and field of every problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.content import LessonError, load_catalog

from ..conftest import ROOT

LESSON = ROOT / "lessons" / "05-hypervisors"


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    root = tmp_path / "lessons"
    shutil.copytree(LESSON, root / LESSON.name)
    return root


def problems_of(root: Path) -> list[str]:
    with pytest.raises(LessonError) as info:
        load_catalog(root)
    return info.value.problems


def test_real_lessons_load_with_text_in_both_languages() -> None:
    catalog = load_catalog(ROOT / "lessons")
    lesson = catalog.lesson("hypervisors")
    assert lesson is not None
    assert "<h" in lesson.body_html["en"] and lesson.title["zh"] != lesson.title["en"]
    assert [e.id for e in lesson.exercises][:2] == ["io-path", "vcpu-run-loop"]
    exercise = catalog.exercise("vcpu-run-loop")
    assert exercise is not None and exercise.wrong and exercise.hints["zh"]


def test_missing_translation_names_file_and_field(lessons: Path) -> None:
    manifest = lessons / LESSON.name / "lesson.toml"
    manifest.write_text(
        manifest.read_text().replace('zh = "虚拟机监控程序：类型 1 与类型 2"\n', "")
    )
    assert any(p.endswith("lesson.toml: title.zh: missing or empty") for p in problems_of(lessons))


def test_invalid_toml_and_missing_files_are_all_reported_at_once(lessons: Path) -> None:
    exercise = lessons / LESSON.name / "exercises" / "io-path"
    (exercise / "exercise.toml").write_text("id = [unclosed")
    (lessons / LESSON.name / "lesson.zh.md").unlink()
    problems = problems_of(lessons)
    assert any("io-path/exercise.toml: not valid TOML" in p for p in problems)
    assert any(p.endswith("lesson.zh.md: file is missing") for p in problems)


def test_driver_without_compare_and_cases_that_crash(lessons: Path) -> None:
    exercise = lessons / LESSON.name / "exercises" / "vcpu-run-loop"
    driver = exercise / "driver.py"
    driver.write_text(driver.read_text().replace("def compare(", "def kompare("))
    (exercise / "cases.py").write_text("raise RuntimeError('boom')\n")
    problems = problems_of(lessons)
    assert any(
        p.endswith("vcpu-run-loop/driver.py: compare: function is missing") for p in problems
    )
    assert any("cases.py: cannot be imported: RuntimeError: boom" in p for p in problems)


def test_wrong_program_needs_an_expect_line(lessons: Path) -> None:
    wrong = lessons / LESSON.name / "exercises" / "io-path" / "wrong" / "no_header.py"
    wrong.write_text("def path(kind, operation):\n    return []\n")
    assert any("no_header.py: line 1: must be '# expect:" in p for p in problems_of(lessons))


def test_unknown_limit_and_duplicate_ids(lessons: Path) -> None:
    exercise = lessons / LESSON.name / "exercises" / "io-path" / "exercise.toml"
    exercise.write_text(exercise.read_text() + "\n[limits]\ncpu_secs = 2\n")
    vcpu = lessons / LESSON.name / "exercises" / "vcpu-run-loop" / "exercise.toml"
    vcpu.write_text(vcpu.read_text().replace('id = "vcpu-run-loop"', 'id = "io-path"'))
    problems = problems_of(lessons)
    assert any("limits: unknown limit(s) ['cpu_secs']" in p for p in problems)
    assert any("id: 'io-path' is also used by" in p for p in problems)


def test_non_utf8_prompt_is_reported(lessons: Path) -> None:
    prompt = lessons / LESSON.name / "exercises" / "io-path" / "prompt.zh.md"
    prompt.write_bytes("路径".encode("gb18030"))
    assert any(p.endswith("io-path/prompt.zh.md: not UTF-8") for p in problems_of(lessons))
