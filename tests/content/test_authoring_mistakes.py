"""An instructor's own lessons folder (a copy of lessons/ under LESSONS_DIR) with the mistakes an
author makes: each is refused at load or reported by check-lessons in one line naming the file
and the problem, never a traceback, and never a site that starts only to fail a Submit."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask

from tutor.content import load_catalog
from tutor.content.checker import check_catalog, check_exercise, check_unlisted
from tutor.content.glossary import BUILTIN_GLOSSARY, load_glossary
from tutor.content.loader import id_problem
from tutor.content.zh_checks import check_lesson_chinese
from tutor.web import create_app

from ..conftest import FIXTURE_LESSONS, ROOT, lesson_problems

LESSON = "01-fixture"
WALK_CASES = f"lessons/{LESSON}/exercises/walk/cases.py"


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    root = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS / LESSON, root / LESSON)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def app_on(lessons: Path, tmp_path: Path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "LESSONS_DIR": str(lessons),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 't.db'}",
        }
    )


def check_lessons(app: Flask, *args: str) -> Result:
    result = app.test_cli_runner().invoke(args=["tutor", "check-lessons", *args])
    # The command ends by sys.exit (a message) or normally; any other exception is a traceback.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


# --- cases.py ------------------------------------------------------------------------------------

PLAIN = '{"args": {"layers": ["app", "kernel", "disk"], "skip": []}, "kinds": ["plain"]}'
HIDDEN_PLAIN = 'cases.append({"args": {"layers": layers, "skip": []}, "kinds": ["plain"]})'

REFUSED_AT_LOAD: dict[str, tuple[str, str, str]] = {
    "practice case without args": (PLAIN, '{"kinds": ["plain"]}', 'PRACTICE[0]: missing "args"'),
    "kinds as a string": (
        PLAIN,
        PLAIN.replace('["plain"]', '"plain"'),
        "PRACTICE[0]: kinds must be a list of non-empty strings",
    ),
    "hidden without rng": ("def hidden(rng):", "def hidden():", "hidden: must take one argument"),
    "PRACTICE not a list": ("PRACTICE = [", "PRACTICE = 3\n_UNUSED = [", "PRACTICE: must be a"),
    "a misspelt key": (
        PLAIN,
        PLAIN.replace('"kinds"', '"kind"'),
        "PRACTICE[0]: unknown key(s) 'kind'",
    ),
}


@pytest.mark.parametrize("mistake", sorted(REFUSED_AT_LOAD))
def test_cases_mistakes_visible_without_drawing_cases_stop_the_site(
    lessons: Path, tmp_path: Path, mistake: str
) -> None:
    old, new, expected = REFUSED_AT_LOAD[mistake]
    edit(lessons / LESSON / "exercises/walk/cases.py", old, new)
    problems = lesson_problems(lessons)
    assert any(p.startswith(f"{WALK_CASES}: {expected}") for p in problems), problems


REPORTED_BY_CHECK: dict[str, tuple[str, str, str]] = {
    "hidden raises": (
        "    cases = []\n",
        "    cases = []\n    1 / 0\n",
        "hidden(rng) raised ZeroDivisionError: division by zero (line 12)",
    ),
    "hidden returns None": (
        "    return cases\n",
        "    return None\n",
        "hidden(rng) returned None, not a non-empty list of cases",
    ),
    "hidden case without args": (
        HIDDEN_PLAIN,
        'cases.append({"kinds": ["plain"]})',
        'hidden(rng): case 0: missing "args"',
    ),
    "hidden kinds as a string": (
        HIDDEN_PLAIN,
        HIDDEN_PLAIN.replace('["plain"]', '"plain"'),
        "hidden(rng): case 0: kinds must be a list",
    ),
}


@pytest.mark.parametrize("mistake", sorted(REPORTED_BY_CHECK))
def test_cases_that_fail_when_drawn_are_one_problem_naming_cases_py(
    lessons: Path, tmp_path: Path, mistake: str
) -> None:
    old, new, expected = REPORTED_BY_CHECK[mistake]
    edit(lessons / LESSON / "exercises/walk/cases.py", old, new)
    catalog = load_catalog(lessons)  # nothing to see before cases are drawn
    walk = catalog.exercise("walk")
    assert walk is not None
    problems = check_exercise(walk)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"fixture-lesson/walk: {WALK_CASES}: {expected}"), problems
    assert "(on hidden seed " in problems[0]
    result = check_lessons(app_on(lessons, tmp_path))
    assert result.exit_code != 0 and expected in result.output


def test_a_case_generator_that_fails_raises_an_error_naming_the_file(lessons: Path) -> None:
    # What a grader's log says when a Submit meets such a cases.py.
    edit(lessons / LESSON / "exercises/walk/cases.py", "    return cases\n", "    return {}\n")
    walk = load_catalog(lessons).exercise("walk")
    assert walk is not None
    with pytest.raises(ValueError, match=re.escape(f"{WALK_CASES}: hidden(rng) returned {{}}")):
        walk.cases(1, "hidden")


# --- ids -----------------------------------------------------------------------------------------


def test_every_real_id_is_a_valid_id() -> None:
    catalog = load_catalog(ROOT / "lessons")
    ids = [lesson.id for lesson in catalog.lessons] + [e.id for e in catalog.exercises()]
    assert ids and [i for i in ids if id_problem(i)] == []


@pytest.mark.parametrize("bad", ["layer count", "Walk", "walk_down", "walk-", "-walk", "wälk"])
def test_ids_that_break_urls_or_html_ids_are_refused(lessons: Path, bad: str) -> None:
    edit(lessons / LESSON / "exercises/walk/exercise.toml", 'id = "walk"', f'id = "{bad}"')
    edit(lessons / LESSON / "lesson.toml", 'id = "fixture-lesson"', f'id = "{bad}-lesson"')
    problems = lesson_problems(lessons)
    for path, value in (("exercises/walk/exercise.toml", bad), ("lesson.toml", f"{bad}-lesson")):
        assert any(
            p.startswith(
                f"lessons/{LESSON}/{path}: id: {value!r} is not a valid id: use lower-case"
            )
            for p in problems
        ), problems
    assert "e.g. 'layer-count'" in " ".join(problems) or bad != "layer count"


# --- Chinese files that are English --------------------------------------------------------------


def test_a_zh_markdown_file_copied_from_english_is_reported(lessons: Path) -> None:
    folder = lessons / LESSON
    shutil.copy(folder / "lesson.en.md", folder / "lesson.zh.md")
    prompt = folder / "exercises/walk/prompt.zh.md"
    english = (folder / "exercises/walk/prompt.en.md").read_text(encoding="utf-8")
    # Half translated: the heading is Chinese, the paragraph below it was left in English.
    prompt.write_text("## 沿分层结构向下走\n\n" + english.split("\n", 1)[1], encoding="utf-8")
    lesson = load_catalog(lessons).lessons[0]
    problems = check_lesson_chinese(lesson)
    # A whole file in English is said once, not once per line.
    copied = [p for p in problems if p.startswith(f"lessons/{LESSON}/lesson.zh.md")]
    assert copied == [
        f"lessons/{LESSON}/lesson.zh.md: has no Chinese at all (a copy of lesson.en.md?)"
    ]
    walk = f"lessons/{LESSON}/exercises/walk/prompt.zh.md"
    assert any(re.match(rf"{walk}:\d+: untranslated: English left", p) for p in problems)


def test_code_urls_and_short_latin_names_in_chinese_markdown_pass(lessons: Path) -> None:
    folder = lessons / LESSON
    with (folder / "lesson.zh.md").open("a", encoding="utf-8") as out:
        out.write(
            "\n```python\nfor layer in layers: print(layer, 'is crossed on the way down')\n```\n\n"
            "    indented code that reads like an English sentence\n\n"
            "`path(layers, skip) returns the layers it crosses`\n\n"
            "https://www.linux-kvm.org/page/Running_Windows_on_KVM_Guests\n\n"
            '[1]: https://example.org/a-very-long-title-of-a-paper  "Title of a Paper"\n\n'
            "| Xen | KVM | Hyper-V |\n|---|---|---|\n| Type 1 | Type 1 | Type 1 |\n\n"
            "*Formal Requirements for Virtualizable Third Generation Architectures*\n"
        )
    assert check_lesson_chinese(load_catalog(lessons).lessons[0]) == []


def test_english_zh_titles_and_summaries_are_reported(lessons: Path) -> None:
    manifest = lessons / LESSON / "lesson.toml"
    edit(manifest, 'zh = "测试课：请求沿分层结构向下走"', 'zh = "Fixture: a request"')
    edit(manifest, 'zh = "工具包允许的最小的一课，供基础设施测试使用。"', 'zh = "Smallest lesson"')
    edit(
        lessons / LESSON / "exercises/walk/exercise.toml", 'zh = "沿分层结构向下走"', 'zh = "Walk"'
    )
    problems = check_lesson_chinese(load_catalog(lessons).lessons[0])
    assert problems == [
        f"lessons/{LESSON}/lesson.toml: title.zh is not Chinese: 'Fixture: a request'",
        f"lessons/{LESSON}/lesson.toml: summary.zh is not Chinese: 'Smallest lesson'",
        f"lessons/{LESSON}/exercises/walk/exercise.toml: title.zh is not Chinese: 'Walk'",
    ]


# --- the lessons folder's own glossary -----------------------------------------------------------

OWN_GLOSSARY = """
[[term]]
id = "layer"
en = "layer"
zh = "层次"
forbidden = ["各层"]
"""


def test_a_lessons_folder_is_checked_and_listed_with_its_own_glossary(
    lessons: Path, tmp_path: Path
) -> None:
    assert check_lesson_chinese(load_catalog(lessons).lessons[0]) == []
    (lessons / "glossary.toml").write_text(OWN_GLOSSARY, encoding="utf-8")
    catalog = load_catalog(lessons)
    assert catalog.glossary == lessons / "glossary.toml"
    # The fixture's goals.zh says 各层, which this course's glossary forbids.
    problems = check_lesson_chinese(catalog.lessons[0])
    assert any(
        p.startswith(f"lessons/{LESSON}/lesson.toml:9: glossary: '各层' translates 'layer'")
        for p in problems
    ), problems
    page = app_on(lessons, tmp_path).test_client().get("/glossary").get_data(as_text=True)
    assert 'id="term-layer"' in page and "层次" in page
    assert 'id="term-hypervisor"' not in page


def test_without_a_glossary_of_its_own_a_folder_uses_the_installations(
    lessons: Path, tmp_path: Path
) -> None:
    assert load_catalog(lessons).glossary == BUILTIN_GLOSSARY
    page = app_on(lessons, tmp_path).test_client().get("/glossary").get_data(as_text=True)
    assert all(f'id="term-{t.id}"' in page for t in load_glossary(BUILTIN_GLOSSARY).terms)


def test_a_broken_glossary_of_the_folder_is_refused_naming_it(lessons: Path) -> None:
    (lessons / "glossary.toml").write_text('[[term]]\nid = "layer"\nen = "layer"\n')
    assert "lessons/glossary.toml: term[0] (layer): zh missing or empty" in lesson_problems(lessons)


# --- starter, solution, folders and files --------------------------------------------------------


def test_a_starter_that_cannot_run_is_reported(lessons: Path) -> None:
    starter = lessons / LESSON / "exercises/walk/starter.py"
    starter.write_text("from tutor.sim import no_such_name\n\n\n" + starter.read_text())
    walk = load_catalog(lessons).exercise("walk")
    assert walk is not None
    problems = check_exercise(walk)
    assert problems == [
        "fixture-lesson/walk: starter.py does not run: ImportError: cannot import name "
        f"'no_such_name' from 'tutor.sim' ({ROOT / 'tutor/sim/__init__.py'}) (starter.py line 1)"
    ]


def test_a_failing_reference_solution_is_named_as_solution_py(lessons: Path) -> None:
    solution = lessons / LESSON / "exercises/walk/solution.py"
    solution.write_text("import os\n\nos.listdir('/no-such-folder')\n" + solution.read_text())
    walk = load_catalog(lessons).exercise("walk")
    assert walk is not None
    problems = check_exercise(walk)
    assert len(problems) == 1, problems
    assert problems[0].startswith(
        "fixture-lesson/walk: the reference solution fails on hidden seed "
    ), problems
    assert problems[0].endswith(
        ": solution.py fails on case 'plain': FileNotFoundError: [Errno 2] No such file or "
        "directory: '/no-such-folder' (solution.py line 3)"
    ), problems
    assert "your code" not in problems[0] and "sandbox" not in problems[0]


def test_an_exercise_folder_the_lesson_does_not_list_is_reported(lessons: Path) -> None:
    exercises = lessons / LESSON / "exercises"
    shutil.copytree(exercises / "walk", exercises / "walk-again")
    shutil.copytree(exercises / "walk", exercises / ".draft")  # a draft kept aside
    assert check_unlisted(load_catalog(lessons).lessons[0]) == [
        f"lessons/{LESSON}/exercises/walk-again: exercise folder not listed in lesson.toml's "
        "exercises; add 'walk-again' to that list (or rename the folder to .walk-again to keep "
        "it as a draft)"
    ]


def test_a_wrong_program_that_is_not_utf8_is_one_problem(lessons: Path) -> None:
    wrong = lessons / LESSON / "exercises/walk/wrong/latin1.py"
    wrong.write_bytes("# expect: the path stops after\n# café\n".encode("latin-1"))
    assert lesson_problems(lessons) == [
        f"lessons/{LESSON}/exercises/walk/wrong/latin1.py: not UTF-8"
    ]


OPTIONS = '[check.options]\nen = ["The request passes it by", "The request stops there"]\n'
HINTS = '[hints]\nen = ["Keep the order of layers.", "Leave out every layer that is in skip."]\n'
MANIFEST_MISTAKES: dict[str, tuple[str, list[tuple[str, str]], str]] = {
    "part as text": ("lesson.toml", [("order = 1\n", 'order = 1\npart = "two"\n')], "part: must"),
    "options as text": (
        "lesson.toml",
        [(OPTIONS, "[check.unused]\n"), ("answer = 0\n", 'answer = 0\noptions = "a, b"\n')],
        "check[0].options: needs en and zh lists",
    ),
    "hints as text": (
        "exercises/walk/exercise.toml",
        [(HINTS, '[unused]\nen = ["x"]\n'), ('id = "walk"\n', 'id = "walk"\nhints = "keep"\n')],
        "hints: needs non-empty en and zh lists",
    ),
    "animation as a number": (
        "lesson.toml",
        [('animation = "layer-stacks"', "animation = 3")],
        "animation: must be",
    ),
}


@pytest.mark.parametrize("mistake", sorted(MANIFEST_MISTAKES))
def test_manifest_values_of_the_wrong_type_are_named_not_a_traceback(
    lessons: Path, mistake: str
) -> None:
    file, edits, expected = MANIFEST_MISTAKES[mistake]
    for old, new in edits:
        edit(lessons / LESSON / file, old, new)
    problems = lesson_problems(lessons)
    assert any(p.startswith(f"lessons/{LESSON}/{file}: {expected}") for p in problems), problems


# --- check-lessons --lesson ----------------------------------------------------------------------


def add_lesson(lessons: Path, change: Callable[[str], str]) -> None:
    copy = lessons / "02-copy"
    shutil.copytree(lessons / LESSON, copy)
    shutil.rmtree(copy / "exercises")
    manifest = copy / "lesson.toml"
    body = manifest.read_text(encoding="utf-8").replace('id = "fixture-lesson"', 'id = "copy"')
    body = re.sub(
        r"exercises = \[[^\]]*\]", "exercises = []", body.replace("order = 1", "order = 2")
    )
    manifest.write_text(change(body), encoding="utf-8")


def test_check_lessons_checks_one_lesson_by_id_or_folder(lessons: Path, tmp_path: Path) -> None:
    add_lesson(lessons, lambda body: body.replace("测试课：请求沿分层结构向下走", "A copy"))
    app = app_on(lessons, tmp_path)
    whole = check_lessons(app)
    assert whole.exit_code != 0 and "02-copy/lesson.toml: title.zh is not Chinese" in whole.output
    one = check_lessons(app, "--lesson", "fixture-lesson")
    assert one.exit_code == 0, one.output
    assert "1 lesson(s), 2 exercise(s): all checks pass" in one.output
    other = check_lessons(app, "--lesson", "02-copy")
    assert other.exit_code != 0
    assert "title.zh is not Chinese" in other.output and "in 0 exercise(s)" in other.output
    unknown = check_lessons(app, "--lesson", "nope")
    assert unknown.exit_code != 0
    assert "no lesson 'nope'" in unknown.output and "fixture-lesson, copy" in unknown.output


def test_check_catalog_of_one_lesson_leaves_the_others_out(lessons: Path) -> None:
    add_lesson(lessons, lambda body: body.replace("测试课：请求沿分层结构向下走", "A copy"))
    catalog = load_catalog(lessons)
    assert check_catalog(catalog, "fixture-lesson") == []
    assert check_catalog(catalog, "copy") == [
        "lessons/02-copy/lesson.toml: title.zh is not Chinese: 'A copy'"
    ]
