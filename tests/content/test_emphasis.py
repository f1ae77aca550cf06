"""Bold and italics that CommonMark does not close show as ``**`` on the page: check-lessons
names each one with its file and line, in every language, and the course has none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.content import load_catalog
from tutor.content.checker import check_catalog
from tutor.content.emphasis import check_emphasis, emphasis_problems
from tutor.content.loader import render_markdown

from ..conftest import FIXTURE_LESSONS, ROOT

LESSON = "01-fixture"

# What a Chinese tester saw on a phone: the closing marker follows Chinese punctuation and
# precedes a character, so it cannot close.
STRAY = {
    "lesson.zh.md": "- **等价性：**程序在 VMM 下的行为与在裸机上完全相同。\n",
    "exercises/walk/prompt.zh.md": "定理 1：*如果敏感指令都是特权指令，就有 VMM。*"
    "构造方法是陷入并模拟。\n",
    "lesson.en.md": "**Note:**the request never visits a skipped layer.\n",
}
# Markers that do pair, but with the wrong partner: the text between two bold phrases is bold.
MISPAIRED = "- **独立。**虚拟机启动自己的操作系统，即**客户机操作系统**；它可以开机。\n"


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    root = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS / LESSON, root / LESSON)
    return root


def append(path: Path, text: str) -> int:
    """Append a paragraph to ``path``; the line it starts on."""
    body = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(body + text, encoding="utf-8")
    return body.count("\n") + 1


def test_the_reported_texts_render_with_literal_asterisks() -> None:
    # The premise: this is what the learner's page shows.
    for text in STRAY.values():
        assert "*" in render_markdown(text).replace("<strong>", "").replace("<em>", "")
    assert render_markdown(MISPAIRED).count("<strong>") == 2
    assert "<strong>独立。<strong>" in render_markdown(MISPAIRED)


def test_stray_and_mispaired_emphasis_is_reported_with_file_and_line(lessons: Path) -> None:
    folder = lessons / LESSON
    lines = {name: append(folder / name, text) for name, text in STRAY.items()}
    mispaired = append(folder / "lesson.zh.md", MISPAIRED)
    problems = check_emphasis(load_catalog(lessons).lessons[0])
    for name in STRAY:
        where = f"lessons/{LESSON}/{name}:{lines[name]}: emphasis: "
        found = [p for p in problems if p.startswith(where)]
        assert len(found) == 2, problems  # the opening and the closing marker
        assert all(" left as text in “" in p for p in found)
    zh = f"lessons/{LESSON}/lesson.zh.md:{mispaired}: emphasis: bold opens inside bold at "
    assert any(p.startswith(zh) for p in problems), problems
    assert len(problems) == 7, problems
    assert "put the punctuation outside: **等价性**：" in problems[0]
    # check-lessons reports them with the lesson's other problems.
    assert set(problems) <= set(check_catalog(load_catalog(lessons)))


def test_the_fix_and_asterisks_that_are_not_emphasis_pass(lessons: Path) -> None:
    folder = lessons / LESSON
    append(folder / "lesson.zh.md", "- **等价性**：程序在 VMM 下的行为与在裸机上完全相同。\n")
    append(folder / "lesson.zh.md", "练习“证明隔离：谁能看到哪次写入？”要求你预测每一次读取。\n")
    append(
        folder / "lesson.en.md",
        "P(u) = P_idle + (P_max − P_idle)·u, 2 * 3 = 6, an escaped \\*, a `**code**` span, "
        "*Formal Requirements for Virtualizable Third Generation Architectures*, "
        "snake_case and **bold**: fine.\n\n```text\n**等价性：**程序\n```\n",
    )
    append(
        folder / "exercises/walk/prompt.zh.md", "| 指令 | 说明 |\n|---|---|\n| `**` | **乘方** |\n"
    )
    assert check_emphasis(load_catalog(lessons).lessons[0]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**等价性：**程序", 2),
        ("**等价性**：程序", 0),
        ("*如果…的 VMM。*构造", 2),
        ("*如果…的 VMM*。构造", 0),
        ("x**", 1),
        ("_a", 1),
        ("V_i = M·(d/B)^i", 0),
        ("a \\* b", 0),
        ("2 * 3", 0),
    ],
)
def test_emphasis_problems(text: str, expected: int) -> None:
    assert len(emphasis_problems(text)) == expected


COURSE = load_catalog(ROOT / "lessons")


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_no_lesson_or_prompt_of_the_course_shows_a_stray_emphasis_marker(lesson) -> None:  # type: ignore[no-untyped-def]
    assert check_emphasis(lesson) == []
