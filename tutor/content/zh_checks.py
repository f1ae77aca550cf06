"""``check-lessons`` rules for a lesson's Chinese: authors see them before learners do.

- The lesson's Chinese follows the glossary, spaces Chinese and Latin text, and leaves no English
  sentence behind (``zh_review``).
- Every zh hint is Chinese, not the English one copied over.
- A ``starter.zh.py`` (the starter with Chinese docstrings and comments, shown on the Chinese
  page) defines exactly what ``starter.py`` defines, with the same signatures, and does not pass
  either: the Chinese learner starts from the same exercise.
"""

from __future__ import annotations

import ast
import io
import tokenize

from tutor.grading.judge import Judge

from .model import Exercise, Lesson
from .zh_review import review_files
from .zh_text import has_han, lesson_sources


def check_lesson_chinese(lesson: Lesson) -> list[str]:
    root = lesson.folder.parent.parent
    return [finding.describe(root) for finding in review_files(lesson_sources(lesson.folder))]


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
