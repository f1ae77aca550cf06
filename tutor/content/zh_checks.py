"""``check-lessons`` rules for a lesson's Chinese: authors see them before learners do.

- The lesson's Chinese follows the glossary, spaces Chinese and Latin text, and leaves no English
  sentence behind (``zh_review``).
- Every zh hint is Chinese, not the English one copied over; so are the zh title, summary, goals
  and concept-check texts, and the Chinese Markdown files.
- A ``starter.zh.py`` (the starter with Chinese docstrings and comments, shown on the Chinese
  page) defines exactly what ``starter.py`` defines, with the same signatures, and does not pass
  either: the Chinese learner starts from the same exercise.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

from tutor.grading.judge import Judge

from .glossary import glossary_path, load_glossary
from .model import Exercise, Lesson
from .zh_review import review_files
from .zh_text import has_han, lesson_sources


def check_lesson_chinese(lesson: Lesson) -> list[str]:
    """The rules of ``zh_review`` with the glossary of the lesson's own lessons folder, and
    Chinese where only Chinese belongs."""
    root = lesson.folder.parent.parent
    glossary = load_glossary(glossary_path(lesson.folder.parent))
    english = _english_markdown(lesson)
    # A Markdown file with no Chinese at all is one problem, not one per line of it.
    findings = review_files(
        [p for p in lesson_sources(lesson.folder) if p not in english], glossary
    )
    return (
        [finding.describe(root) for finding in findings]
        + _not_chinese(lesson, root)
        + [
            f"{_shown(path, root)}: has no Chinese at all (a copy of "
            f"{path.name.replace('.zh.', '.en.')}?)"
            for path in english
        ]
    )


def _english_markdown(lesson: Lesson) -> list[Path]:
    markdown = [lesson.folder / "lesson.zh.md"]
    markdown += [exercise.folder / "prompt.zh.md" for exercise in lesson.exercises]
    found = []
    for path in markdown:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the loader names it
        if text.strip() and not has_han(text):
            found.append(path)
    return found


def _not_chinese(lesson: Lesson, root: Path) -> list[str]:
    """A zh text with no Chinese in it at all: the English copied over. The ``untranslated``
    rule needs four English words in a row, which a short title need not have."""
    manifest = lesson.folder / "lesson.toml"
    texts = [
        (manifest, "title.zh", lesson.title["zh"]),
        (manifest, "summary.zh", lesson.summary["zh"]),
    ]
    texts += [
        (manifest, f"goals.zh[{i}]", goal) for i, goal in enumerate(lesson.goals.get("zh", []))
    ]
    for i, check in enumerate(lesson.checks):
        texts += [
            (manifest, f"check[{i}].question.zh", check.question["zh"]),
            (manifest, f"check[{i}].explain.zh", check.explain["zh"]),
        ]
    texts += [
        (exercise.folder / "exercise.toml", "title.zh", exercise.title["zh"])
        for exercise in lesson.exercises
    ]
    return [
        f"{_shown(path, root)}: {field} is not Chinese: {text!r}"
        for path, field, text in texts
        if text.strip() and not has_han(text)
    ]


def _shown(path: Path, root: Path) -> Path:
    return path.relative_to(root) if path.is_relative_to(root) else path


def check_hints(exercise: Exercise) -> list[str]:
    where = f"{exercise.lesson_id}/{exercise.id}: exercise.toml"
    problems = []
    english = exercise.hints.get("en", [])
    for i, hint in enumerate(exercise.hints.get("zh", [])):
        if not has_han(hint):
            problems.append(f"{where}: hints.zh[{i}] is not Chinese: {hint!r}")
        elif i < len(english) and hint.strip() == english[i].strip():
            problems.append(f"{where}: hints.zh[{i}] repeats the English hint")
    if len(exercise.hints.get("zh", [])) != len(english):
        problems.append(f"{where}: hints.en and hints.zh differ in length")
    return problems


def definitions(code: str) -> dict[str, str]:
    """What a module defines at top level: each function and class with its signature, and each
    assigned name (``NATIVE_PATHS``): what a learner's code is graded on, docstrings aside."""
    found: dict[str, str] = {}
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[node.name] = f"def {node.name}({ast.unparse(node.args)})"
        elif isinstance(node, ast.ClassDef):
            found[node.name] = f"class {node.name}"
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = (
                        f"{target.id} = {ast.unparse(node.value) if node.value else ''}"
                    )
    return found


def notes(code: str) -> list[tuple[int, str]]:
    """The docstrings and comments of a starter, with their lines: the prose a learner reads in
    the editor."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                found.append((first.lineno, first.value.value))
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == tokenize.COMMENT:
            found.append((token.start[0], token.string.lstrip("# ")))
    return sorted(found)


def check_zh_starter(exercise: Exercise, judge: Judge, seed: int) -> list[str]:
    where = f"{exercise.lesson_id}/{exercise.id}: starter.zh.py"
    if not exercise.starter_zh:
        try:
            english = notes(exercise.starter)
        except SyntaxError:
            return []
        if english:
            return [
                f"{where}: missing; starter.py has docstrings or comments (line {english[0][0]}), "
                "so the Chinese page needs them in Chinese"
            ]
        return []
    try:
        zh = definitions(exercise.starter_zh)
    except SyntaxError as exc:
        return [f"{where}: line {exc.lineno}: not valid Python: {exc.msg}"]
    try:
        en = definitions(exercise.starter)
    except SyntaxError:
        return []  # the loader already names starter.py's syntax error
    problems = [
        f"{where}: line {line}: still in English: {text.splitlines()[0]!r}"
        for line, text in notes(exercise.starter_zh)
        if text.strip() and not has_han(text)
    ]
    for name in sorted(en.keys() | zh.keys()):
        if name not in zh:
            problems.append(f"{where}: does not define {en[name]!r} as starter.py does")
        elif name not in en:
            problems.append(f"{where}: defines {zh[name]!r}, which starter.py does not")
        elif en[name] != zh[name]:
            problems.append(f"{where}: {zh[name]!r} differs from starter.py's {en[name]!r}")
    report = judge.grade(exercise, exercise.starter_zh, seed, "hidden")
    if report.score >= 100:
        problems.append(f"{where}: the Chinese starter code already scores 100")
    return problems
