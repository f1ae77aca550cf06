"""Loads ``lessons/`` and refuses to start on any problem, naming the file and field of each.

An author should see every mistake at once ("lessons/05-x/exercises/y/exercise.toml: title.zh:
missing"), not one per restart, so problems are collected and raised together.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import inspect
import json
import math
import random
import re
import tomllib
import traceback
from collections.abc import Callable, Collection
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from markdown_it import MarkdownIt

from tutor.explanations import problems as explanation_problems
from tutor.grading.limits import Limits
from tutor.grading.protocol import Case

from . import explanation_ids, rendered
from .glossary import GlossaryError, glossary_path, load_glossary
from .import_deadline import deadline
from .model import LANGUAGES, Catalog, CheckQuestion, Exercise, Lesson, WrongProgram


def markdown_parser() -> MarkdownIt:
    """The Markdown every lesson and prompt is rendered with (check-lessons parses it the same
    way, ``tutor.content.emphasis``): CommonMark plus tables."""
    return MarkdownIt("commonmark", {"typographer": False}).enable("table")


_markdown = markdown_parser()


class LessonError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("lesson content has problems:\n  " + "\n  ".join(problems))
        self.problems = problems


class _Problems:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[str] = []

    def add(self, path: Path, field: str, message: str) -> None:
        where = self.shown(path)
        self.items.append(f"{where}: {field}: {message}" if field else f"{where}: {message}")

    def shown(self, path: Path) -> str:
        """``path`` as problems name it: from the lessons folder's own name down."""
        return str(
            path.relative_to(self.root.parent) if path.is_relative_to(self.root.parent) else path
        )


# Ids go into URLs (/lessons/<id>), HTML ids and htmx targets (#result-<id>), where a space or
# an upper-case letter breaks the page or makes two spellings of one id: what every real lesson
# already uses.
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID_RULE = "lower-case letters, digits and single hyphens (it is used in URLs and HTML ids)"


def id_problem(value: str) -> str | None:
    """Why ``value`` cannot be a lesson or exercise id, with a spelling that can; None if it can."""
    if _ID.fullmatch(value):
        return None
    fixed = "-".join(re.findall(r"[a-z0-9]+", value.lower()))
    suggestion = f", e.g. {fixed!r}" if fixed else ""
    return f"{value!r} is not a valid id: use {ID_RULE}{suggestion}"


_EMPTY_HEADER = re.compile(r"<th((?: [a-z-]+=\"[^\"]*\")*)>\s*</th>")
_CELL = re.compile(r"<(t[dh])\b[^>]*>.*?</\1>", re.S)
_CODE = re.compile(r"<code>(.*?)</code>", re.S)
# Where a name or a call may break when a table cell is narrower than it: after a dot, an
# underscore, an opening bracket, a comma or a slash (never inside a word of letters).
_CODE_BREAK = re.compile(r"(?<=[._(,/])(?=[^\s<])")


def _breakable_code(cell: re.Match[str]) -> str:
    return _CODE.sub(lambda code: f"<code>{_CODE_BREAK.sub('<wbr>', code[1])}</code>", cell[0])


def render_markdown(text: str) -> str:
    """Code blocks and tables scroll sideways when wider than a phone (site.css), so each is a
    tab stop: a keyboard user can focus it and scroll it with the arrow keys (WCAG 2.1.1).

    Code in a table cell gets break opportunities (``<wbr>``) after ``. _ ( , /``: a call such
    as ``vcpu.complete(devices.port_read(exit.port))`` is wider than a phone, and the only other
    way to fit it (breaking anywhere) let a phone's table squeeze words of text to three letters
    a line."""
    html = str(_markdown.render(text))
    html = html.replace("<pre>", '<pre tabindex="0">').replace("<table>", '<table tabindex="0">')
    if "<table" in html:
        html = _CELL.sub(_breakable_code, html)
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
    glossary = _check_glossary(root, problems)
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
    return Catalog(sorted(lessons, key=lambda lesson: lesson.order), glossary=glossary)


def _check_glossary(root: Path, problems: _Problems) -> Path:
    """The glossary this folder's lessons are checked against and the /glossary page lists: its
    own ``glossary.toml``, else the installation's (``glossary_path``). A broken one is refused
    here, naming the file, rather than failing the page or ``check-lessons`` later."""
    path = glossary_path(root)
    try:
        load_glossary(path)
    except UnicodeDecodeError:
        problems.add(path, "", "not UTF-8")
    except OSError as exc:
        problems.add(path, "", f"cannot be read: {exc.strerror or exc}")
    except GlossaryError as exc:
        for problem in exc.problems:
            problems.add(path, "", problem)
    return path


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
    except OSError as exc:
        problems.add(path, "", f"cannot be read: {exc.strerror or exc}")
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
    return _read_or_none(path, problems) or ""


def _read_or_none(path: Path, problems: _Problems) -> str | None:
    """None when the file could not be read (already reported): a caller that goes on to judge
    the text would otherwise add a second, false problem about text that is not there."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.add(path, "", "file is missing")
        return None
    except UnicodeDecodeError:
        problems.add(path, "", "not UTF-8")
        return None
    except OSError as exc:
        problems.add(path, "", f"cannot be read: {exc.strerror or exc}")
        return None
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
    elif (wrong_id := id_problem(lesson_id)) is not None:
        problems.add(manifest_path, "id", wrong_id)
    order = manifest.get("order")
    if not isinstance(order, int) or isinstance(order, bool):
        problems.add(manifest_path, "order", "missing or not an integer")
        order = 0
    part = manifest.get("part", 1)
    if not isinstance(part, int) or isinstance(part, bool):
        problems.add(manifest_path, "part", "must be an integer (1 or 2)")
        part = 1
    animation = manifest.get("animation", "")
    if not isinstance(animation, str):
        problems.add(manifest_path, "animation", 'must be the name of an animation, or ""')
        animation = ""
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
        part=part,
        folder=folder,
        title=_text(manifest, "title", manifest_path, problems),
        summary=_text(manifest, "summary", manifest_path, problems),
        body_html=_per_language(folder, "lesson", problems, render),
        animation=animation,
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
    checks: list[CheckQuestion] = []
    raw_checks = manifest.get("check", [])
    if not isinstance(raw_checks, list) or not all(isinstance(c, dict) for c in raw_checks):
        problems.add(path, "check", "must be [[check]] tables")
        return checks
    for i, raw in enumerate(raw_checks):
        field = f"check[{i}]"
        options = raw.get("options", {})
        if not isinstance(options, dict) or not all(
            isinstance(options.get(lang), list) for lang in LANGUAGES
        ):
            problems.add(path, f"{field}.options", "needs en and zh lists")
            continue
        if len({len(options[lang]) for lang in LANGUAGES}) != 1:
            problems.add(path, f"{field}.options", "en and zh lists differ in length")
            continue
        answer = raw.get("answer")
        if (
            not isinstance(answer, int)
            or isinstance(answer, bool)
            or not 0 <= answer < len(options["en"])
        ):
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
    if (wrong_id := id_problem(exercise_id)) is not None:
        problems.add(manifest_path, "id", wrong_id)
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
    if cases_module is not None:
        _check_cases_module(cases_module, cases_path, problems)
    hints = manifest.get("hints", {})
    if not isinstance(hints, dict) or not all(
        isinstance(hints.get(lang), list)
        and hints[lang]
        and all(isinstance(h, str) and h.strip() for h in hints[lang])
        for lang in LANGUAGES
    ):
        problems.add(manifest_path, "hints", "needs non-empty en and zh lists of text")
        hints = {}
    return Exercise(
        id=exercise_id,
        lesson_id=lesson_id,
        folder=folder,
        title=_text(manifest, "title", manifest_path, problems),
        prompt_html=_per_language(folder, "prompt", problems, render),
        starter=starter,
        solution=_read_text(folder / "solution.py", problems),
        driver=driver,
        generate=_as_case_generator(cases_module, problems.shown(cases_path)),
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


class CasesError(ValueError):
    """cases.py gave no usable cases: its message names the file, the function and the problem,
    for check-lessons and for the log of a grader that could not grade a submission."""


CASE_KEYS = ("args", "kinds", "name", "title", "weight")


def case_problem(raw: object) -> str | None:
    """What is wrong with one case as cases.py wrote it (``None``: nothing). Checked at load for
    PRACTICE and on every call for hidden(rng), so a malformed case is named where it was
    written, never met as a KeyError in the middle of grading."""
    if isinstance(raw, Case):
        return None
    if not isinstance(raw, dict):
        return f"a case must be a dict like {{'args': {{...}}, 'kinds': [...]}}, not {raw!r:.60}"
    unknown = sorted(str(key) for key in raw if key not in CASE_KEYS)
    if unknown:
        return f"unknown key(s) {', '.join(map(repr, unknown))}; a case has {', '.join(CASE_KEYS)}"
    if "args" not in raw:
        return 'missing "args" (the JSON data the driver\'s run() receives)'
    try:
        json.dumps(raw["args"], allow_nan=False)
    except (TypeError, ValueError) as exc:
        return f"args must be JSON data (dicts, lists, text, numbers, booleans, None): {exc}"
    kinds = raw.get("kinds", [])
    if not isinstance(kinds, list | tuple) or not all(isinstance(k, str) and k for k in kinds):
        return f'kinds must be a list of non-empty strings such as ["plain"], not {kinds!r:.60}'
    if not isinstance(raw.get("name", ""), str):
        return "name must be text"
    title = raw.get("title")
    if title is not None and not (
        isinstance(title, dict)
        and all(isinstance(title.get(lang), str) and title[lang] for lang in LANGUAGES)
    ):
        return 'title must be {"en": "...", "zh": "..."}'
    weight = raw.get("weight", 1)
    if (
        isinstance(weight, bool)
        or not isinstance(weight, int | float)
        or not math.isfinite(weight)
        or weight < 0
    ):
        return f"weight must be a number of 0 or more, not {weight!r}"
    return None


def _accepts(function: Callable[..., Any], *args: object) -> bool:
    try:
        inspect.signature(function).bind(*args)
    except TypeError:
        return False
    except ValueError:  # no signature to read: the call will tell
        return True
    return True


def _check_cases_module(module: ModuleType, path: Path, problems: _Problems) -> None:
    """Everything about cases.py that can be known without drawing hidden cases: the shape of
    PRACTICE and of every practice case, and that the functions take the arguments the kit
    passes. A mistake here would otherwise let the site start and fail every Submit."""
    generate = getattr(module, "generate", None)
    if generate is not None:
        if not callable(generate) or not _accepts(generate, random.Random(0), "practice"):
            problems.add(path, "generate", "must be a function generate(rng, variant)")
        return
    practice = getattr(module, "PRACTICE", None)
    hidden = getattr(module, "hidden", None)
    if practice is None and hidden is None:
        problems.add(path, "PRACTICE", "define PRACTICE = [...] and def hidden(rng)")
        return
    if not isinstance(practice, list | tuple) or not practice:
        problems.add(path, "PRACTICE", "must be a non-empty list of cases")
    else:
        for i, case in enumerate(practice):
            if (problem := case_problem(case)) is not None:
                problems.add(path, f"PRACTICE[{i}]", problem)
    if not callable(hidden):
        problems.add(path, "hidden", "define def hidden(rng): returning a list of cases")
    elif not _accepts(hidden, random.Random(0)):
        signature = inspect.signature(hidden)
        problems.add(
            path,
            "hidden",
            f"must take one argument, the random generator: def hidden(rng), not "
            f"def hidden{signature}",
        )


def _as_case_generator(
    module: ModuleType | None, shown: str = "cases.py"
) -> Callable[[random.Random, str], list[Case]]:
    """``PRACTICE = [...]`` plus ``def hidden(rng)`` (or the older ``generate(rng, variant)``);
    the kit names the cases an author left unnamed, from their kinds. Whatever goes wrong in the
    author's code is a ``CasesError`` naming ``shown`` (the file) and the line."""

    def cases(rng: random.Random, variant: str) -> list[Case]:
        generate = getattr(module, "generate", None)
        call = "generate(rng, variant)" if callable(generate) else "hidden(rng)"
        try:
            if callable(generate):
                raw = generate(rng, variant)
            elif module is None:
                raw = []
            elif variant == "practice":
                call = "PRACTICE"
                raw = list(module.PRACTICE)
            else:
                raw = module.hidden(rng)
        except Exception as exc:
            where = getattr(module, "__file__", None)
            raise CasesError(f"{shown}: {call} raised {_error_in(exc, where)}") from exc
        if not isinstance(raw, list | tuple) or not raw:
            raise CasesError(f"{shown}: {call} returned {raw!r:.60}, not a non-empty list of cases")
        for i, case in enumerate(raw):
            if (problem := case_problem(case)) is not None:
                raise CasesError(f"{shown}: {call}: case {i}: {problem}")
        return _named([c if isinstance(c, Case) else _case(c) for c in raw])

    return cases


def _error_in(exc: BaseException, filename: str | None) -> str:
    """``ZeroDivisionError: division by zero (line 12)``: the last line of ``filename`` the
    error passed through, which is where the author looks."""
    line = next(
        (
            frame.lineno
            for frame in reversed(traceback.extract_tb(exc.__traceback__))
            if frame.filename == filename
        ),
        None,
    )
    said = " ".join(str(exc).split())  # one line, whatever the exception's text holds
    text = f"{type(exc).__name__}: {said}" if said else type(exc).__name__
    return f"{text} (line {line})" if line else text


def _case(raw: dict[str, Any]) -> Case:
    kinds = raw.get("kinds", ())
    return Case(
        name=str(raw.get("name") or ""),
        args=raw["args"],
        weight=float(raw.get("weight", 1)),
        kinds=tuple(str(k) for k in kinds),
        title=raw.get("title"),
    )


def _named(cases: list[Case]) -> list[Case]:
    """Every case gets a unique name: the author's, else its kinds, else its position; and a
    title no other case of the list has (a report saying "bad update" failed, of two cases
    titled so, does not say which): a repeated title is numbered, in every language."""
    seen: dict[str, int] = {}
    titles: dict[str, int] = {}
    named = []
    for i, case in enumerate(cases, 1):
        base = case.name or " · ".join(case.kinds) or f"case {i}"
        seen[base] = seen.get(base, 0) + 1
        name = base if seen[base] == 1 else f"{base} ({seen[base]})"
        title = case.title
        if title is not None:
            label = case.label()
            shown = repr(sorted(label.items()))
            titles[shown] = titles.get(shown, 0) + 1
            if titles[shown] > 1:
                title = {lang: f"{text} ({titles[shown]})" for lang, text in label.items()}
        named.append(Case(name, case.args, case.weight, case.kinds, title))
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
        code = _read_or_none(path, problems)
        if code is None:
            continue  # already reported; its first line cannot be judged
        first = code.splitlines()[0] if code else ""
        if not first.startswith("# expect:"):
            problems.add(path, "line 1", "must be '# expect: <words the feedback must contain>'")
            continue
        programs.append(WrongProgram(path, code, first.removeprefix("# expect:").strip()))
    return programs
