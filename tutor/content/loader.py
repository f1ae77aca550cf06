"""Loads ``lessons/`` and refuses to start on any problem, naming the file and field of each.

An author should see every mistake at once ("lessons/05-x/exercises/y/exercise.toml: title.zh:
missing"), not one per restart, so problems are collected and raised together.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import random
import re
import tomllib
from collections.abc import Callable, Collection
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from markdown_it import MarkdownIt

from tutor.explanations import problems as explanation_problems
from tutor.grading.limits import Limits
from tutor.grading.protocol import Case

from . import explanation_ids, rendered
from .import_deadline import deadline
from .model import LANGUAGES, Catalog, CheckQuestion, Exercise, Lesson, WrongProgram

_markdown = MarkdownIt("commonmark", {"typographer": False}).enable("table")


class LessonError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("lesson content has problems:\n  " + "\n  ".join(problems))
        self.problems = problems


class _Problems:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[str] = []

    def add(self, path: Path, field: str, message: str) -> None:
        where = (
            path.relative_to(self.root.parent) if path.is_relative_to(self.root.parent) else path
        )
        self.items.append(f"{where}: {field}: {message}" if field else f"{where}: {message}")


_EMPTY_HEADER = re.compile(r"<th((?: [a-z-]+=\"[^\"]*\")*)>\s*</th>")


def render_markdown(text: str) -> str:
    """Code blocks and tables scroll sideways when wider than a phone (site.css), so each is a
    tab stop: a keyboard user can focus it and scroll it with the arrow keys (WCAG 2.1.1)."""
    html = str(_markdown.render(text))
    html = html.replace("<pre>", '<pre tabindex="0">').replace("<table>", '<table tabindex="0">')
    # An empty header cell (a table's corner) heads nothing: a plain cell, as WCAG's tables do.
    return _EMPTY_HEADER.sub(r"<td\1></td>", html)


def load_catalog(
    root: Path, animations: Collection[str] | None = None, renderings: Path | None = None
) -> Catalog:
    """``animations``: the registered animation names (the web layer's); a lesson naming any
    other is a problem, not a page that silently draws nothing. ``renderings``: a folder where
    rendered Markdown is kept for the next process (``tutor.content.rendered``)."""
    problems = _Problems(root)
    render = rendered.cached(render_markdown, renderings)
    lessons = []
    if not root.is_dir():
        raise LessonError([f"{root}: lessons folder not found"])
    problems.items.extend(explanation_problems())
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        lesson = _load_lesson(folder, problems, render)
        if lesson is not None:
            lessons.append(lesson)
    _check_unique(lessons, problems)
    registered = set(animations or ())
    for lesson in lessons if animations is not None else []:
        if lesson.animation and lesson.animation not in registered:
            known = ", ".join(sorted(registered)) or "none"
            problems.add(
                lesson.folder / "lesson.toml",
                "animation",
                f"unknown animation {lesson.animation!r}; registered: {known}",
            )
    if problems.items:
        raise LessonError(problems.items)
    return Catalog(sorted(lessons, key=lambda lesson: lesson.order))


def _check_unique(lessons: list[Lesson], problems: _Problems) -> None:
    seen: dict[str, Path] = {}
    for lesson in lessons:
        for item_id, folder, name in [(lesson.id, lesson.folder, "lesson.toml")] + [
            (e.id, e.folder, "exercise.toml") for e in lesson.exercises
        ]:
            if item_id in seen:
                problems.add(folder / name, "id", f"{item_id!r} is also used by {seen[item_id]}")
            seen[item_id] = folder


def _read_toml(path: Path, problems: _Problems) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.add(path, "", "file is missing")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.add(path, "", f"not valid TOML: {exc}")
    return None


def _text(table: dict[str, Any], key: str, path: Path, problems: _Problems) -> dict[str, str]:
    value = table.get(key)
    if not isinstance(value, dict):
        problems.add(path, key, "missing (a table with en and zh)")
        return dict.fromkeys(LANGUAGES, "")
    out = {}
    for lang in LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.add(path, f"{key}.{lang}", "missing or empty")
            text = ""
        out[lang] = text
    return out


def _read_text(path: Path, problems: _Problems) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.add(path, "", "file is missing")
        return ""
    except UnicodeDecodeError:
        problems.add(path, "", "not UTF-8")
        return ""
    if not text.strip():
        problems.add(path, "", "file is empty")
    return text


def _per_language(
    folder: Path, stem: str, problems: _Problems, render: Callable[[str], str]
) -> dict[str, str]:
    """Rendered Markdown per language, each ``:explain[id]`` replaced by that explanation."""
    html = {}
    for lang in LANGUAGES:
        path = folder / f"{stem}.{lang}.md"

        def report(message: str, path: Path = path) -> None:
            problems.add(path, "", message)

        text = explanation_ids.insert(_read_text(path, problems), lang, report)
        html[lang] = render(text)
    return html


def _load_lesson(folder: Path, problems: _Problems, render: Callable[[str], str]) -> Lesson | None:
    manifest_path = folder / "lesson.toml"
    manifest = _read_toml(manifest_path, problems)
    if manifest is None:
        return None
    lesson_id = manifest.get("id")
    if not isinstance(lesson_id, str) or not lesson_id:
        problems.add(manifest_path, "id", "missing")
        lesson_id = folder.name
    order = manifest.get("order")
    if not isinstance(order, int):
        problems.add(manifest_path, "order", "missing or not an integer")
        order = 0
    exercise_ids = manifest.get("exercises", [])
    if not isinstance(exercise_ids, list) or not all(isinstance(e, str) for e in exercise_ids):
        problems.add(manifest_path, "exercises", "must be a list of exercise folder names")
        exercise_ids = []
    exercises = []
    for name in exercise_ids:
        exercise = _load_exercise(folder / "exercises" / name, lesson_id, problems, render)
        if exercise is not None:
            exercises.append(exercise)
    return Lesson(
        id=lesson_id,
        order=order,
        part=int(manifest.get("part", 1)),
        folder=folder,
        title=_text(manifest, "title", manifest_path, problems),
        summary=_text(manifest, "summary", manifest_path, problems),
        body_html=_per_language(folder, "lesson", problems, render),
        animation=str(manifest.get("animation", "")),
        exercises=exercises,
        checks=_load_checks(manifest, manifest_path, problems),
        goals=_goals(manifest, manifest_path, problems),
        minutes=_minutes(manifest, manifest_path, problems),
    )


def _goals(manifest: dict[str, Any], path: Path, problems: _Problems) -> dict[str, list[str]]:
    """Optional ``[goals]`` with ``en`` and ``zh`` lists of the same length."""
    goals = manifest.get("goals")
    if goals is None:
        return {}
    if not isinstance(goals, dict) or not all(
        isinstance(goals.get(lang), list)
        and all(isinstance(g, str) and g.strip() for g in goals[lang])
        for lang in LANGUAGES
    ):
        problems.add(path, "goals", "needs en and zh lists of sentences")
        return {}
    if len(goals["en"]) != len(goals["zh"]):
        problems.add(path, "goals", "en and zh lists differ in length")
    return {lang: list(goals[lang]) for lang in LANGUAGES}


def _minutes(manifest: dict[str, Any], path: Path, problems: _Problems) -> int:
    minutes = manifest.get("minutes", 0)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= 600:
        problems.add(path, "minutes", "must be a whole number of minutes (0-600)")
        return 0
    return minutes


def _load_checks(manifest: dict[str, Any], path: Path, problems: _Problems) -> list[CheckQuestion]:
    checks = []
    for i, raw in enumerate(manifest.get("check", [])):
        field = f"check[{i}]"
        options = raw.get("options", {})
        if not all(isinstance(options.get(lang), list) for lang in LANGUAGES):
            problems.add(path, f"{field}.options", "needs en and zh lists")
            continue
        if len({len(options[lang]) for lang in LANGUAGES}) != 1:
            problems.add(path, f"{field}.options", "en and zh lists differ in length")
            continue
        answer = raw.get("answer")
        if not isinstance(answer, int) or not 0 <= answer < len(options["en"]):
            problems.add(path, f"{field}.answer", "must be the index of one option")
            continue
        checks.append(
            CheckQuestion(
                question=_text(raw, "question", path, problems),
                options=options,
                answer=answer,
                explain=_text(raw, "explain", path, problems),
            )
        )
    return checks


def _load_module(path: Path, name: str, problems: _Problems) -> ModuleType | None:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None or not path.is_file():
        problems.add(path, "", "file is missing")
        return None
    module = importlib.util.module_from_spec(spec)
    try:
        with deadline():  # a loop at import time must not hang the start
            exec(_compiled(str(path), path.read_bytes()), module.__dict__)
    except Exception as exc:
        problems.add(path, "", f"cannot be imported: {type(exc).__name__}: {exc}")
        return None
    return module


@functools.lru_cache(maxsize=1024)
def _compiled(filename: str, source: bytes) -> CodeType:
    """Each lesson module compiled once per process and content (as an import's bytecode cache
    would, which PYTHONDONTWRITEBYTECODE turns off): every app start loads every driver again,
    and an edited file is new bytes, so it is compiled afresh."""
    return compile(source, filename, "exec", dont_inherit=True)


def _load_exercise(
    folder: Path, lesson_id: str, problems: _Problems, render: Callable[[str], str]
) -> Exercise | None:
    manifest_path = folder / "exercise.toml"
    if not folder.is_dir():
        problems.add(folder, "", "exercise folder listed in lesson.toml is missing")
        return None
    manifest = _read_toml(manifest_path, problems)
    if manifest is None:
        return None
    exercise_id = manifest.get("id")
    if not isinstance(exercise_id, str) or not exercise_id:
        problems.add(manifest_path, "id", "missing")
        return None
    try:
        limits = Limits.from_manifest(manifest.get("limits", {}))
    except (TypeError, ValueError) as exc:
        problems.add(manifest_path, "limits", str(exc))
        limits = Limits()
    driver_path = folder / "driver.py"
    starter = _read_text(folder / "starter.py", problems)
    driver = _read_text(driver_path, problems) + _entry_points(starter, folder, problems)
    driver_module = _load_module(driver_path, f"_driver_{exercise_id}", problems)
    for unknown in explanation_ids.unknown_in_source(driver):
        problems.add(driver_path, "", unknown)
    for required in ("run", "compare"):
        if driver_module is not None and not callable(getattr(driver_module, required, None)):
            problems.add(driver_path, required, "function is missing")
    cases_path = folder / "cases.py"
    cases_module = _load_module(cases_path, f"_cases_{exercise_id}", problems)
    if cases_module is not None and not (
        callable(getattr(cases_module, "generate", None))
        or (
            isinstance(getattr(cases_module, "PRACTICE", None), list)
            and callable(getattr(cases_module, "hidden", None))
        )
    ):
        problems.add(cases_path, "PRACTICE", "define PRACTICE = [...] and def hidden(rng)")
    hints = manifest.get("hints", {})
    if not all(isinstance(hints.get(lang), list) and hints[lang] for lang in LANGUAGES):
        problems.add(manifest_path, "hints", "needs non-empty en and zh lists")
    return Exercise(
        id=exercise_id,
        lesson_id=lesson_id,
        folder=folder,
        title=_text(manifest, "title", manifest_path, problems),
        prompt_html=_per_language(folder, "prompt", problems, render),
        starter=starter,
        solution=_read_text(folder / "solution.py", problems),
        driver=driver,
        generate=_as_case_generator(cases_module),
        hints={lang: list(hints.get(lang, [])) for lang in LANGUAGES},
        limits=limits,
        wrong=_load_wrong(folder / "wrong", problems),
        shortcuts=[
            WrongProgram(path, _read_text(path, problems), "")
            for path in sorted((folder / "shortcut").glob("*.py"))
        ],
        starter_zh=_read_text(folder / "starter.zh.py", problems)
        if (folder / "starter.zh.py").is_file()
        else "",
    )


def _as_case_generator(module: ModuleType | None) -> Callable[[random.Random, str], list[Case]]:
    """``PRACTICE = [...]`` plus ``def hidden(rng)`` (or the older ``generate(rng, variant)``);
    the kit names the cases an author left unnamed, from their kinds."""

    def cases(rng: random.Random, variant: str) -> list[Case]:
        generate = getattr(module, "generate", None)
        if callable(generate):
            raw = generate(rng, variant)
        elif module is None:
            raw = []
        elif variant == "practice":
            raw = list(module.PRACTICE)
        else:
            raw = module.hidden(rng)
        return _named([c if isinstance(c, Case) else _case(c) for c in raw])

    return cases


def _case(raw: dict[str, Any]) -> Case:
    kinds = raw.get("kinds", ())
    return Case(
        name=str(raw.get("name") or ""),
        args=raw["args"],
        weight=float(raw.get("weight", 1)),
        kinds=(kinds,) if isinstance(kinds, str) else tuple(str(k) for k in kinds),
        title=raw.get("title"),
    )


def _named(cases: list[Case]) -> list[Case]:
    """Every case gets a unique name: the author's, else its kinds, else its position."""
    seen: dict[str, int] = {}
    named = []
    for i, case in enumerate(cases, 1):
        base = case.name or " · ".join(case.kinds) or f"case {i}"
        seen[base] = seen.get(base, 0) + 1
        name = base if seen[base] == 1 else f"{base} ({seen[base]})"
        named.append(Case(name, case.args, case.weight, case.kinds, case.title))
    return named


def _entry_points(starter: str, folder: Path, problems: _Problems) -> str:
    """The functions the starter defines are the ones the learner must define; the harness reads
    this to say "define a function named ``path(kind, operation)``" instead of an AttributeError."""
    try:
        tree = ast.parse(starter)
    except SyntaxError as exc:
        problems.add(folder / "starter.py", f"line {exc.lineno}", f"not valid Python: {exc.msg}")
        return ""
    signatures = {
        node.name: f"{node.name}({', '.join(a.arg for a in node.args.args)})"
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
    }
    if not signatures:
        return ""
    return (
        "\n\n# Added by the lesson loader from starter.py: what the learner must define.\n"
        f"ENTRY_POINTS = {signatures!r}\n"
    )


def _load_wrong(folder: Path, problems: _Problems) -> list[WrongProgram]:
    programs = []
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        code = _read_text(path, problems)
        first = code.splitlines()[0] if code else ""
        if not first.startswith("# expect:"):
            problems.add(path, "line 1", "must be '# expect: <words the feedback must contain>'")
            continue
        programs.append(WrongProgram(path, code, first.removeprefix("# expect:").strip()))
    return programs
