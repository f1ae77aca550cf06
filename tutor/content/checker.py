"""The rules every exercise must satisfy before learners see it (``flask tutor check-lessons``).

Modelled on futurecoder: the reference solution must score 100 %, the starter must not, each
known wrong program must get the feedback written for it (and fail a practice case, so that a
Run never calls it solved), and grading must be repeatable.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable
from dataclasses import replace

from tutor.grading.child import SANDBOX_NOTE
from tutor.grading.harness import LearnerError
from tutor.grading.judge import PRACTICE_SEED, Judge, ReferenceFailure, variant_seed
from tutor.grading.protocol import Case
from tutor.grading.runner import InProcessRunner, Runner

from .emphasis import check_emphasis
from .model import Catalog, Exercise, Lesson
from .zh_checks import check_hints, check_lesson_chinese, check_zh_starter

SEEDS = [variant_seed("check", f"student-{i}", "") for i in range(3)]
# Hidden variants the reference solution must run cleanly on (an unlucky seed that breaks it
# would otherwise be met first by a learner; the grader then reports an internal error).
REFERENCE_SEEDS = [variant_seed("reference", f"student-{i}", "") for i in range(50)]
# Hidden variants sampled to learn which kinds of case learners will be graded on.
KIND_SEEDS = [variant_seed("kinds", f"student-{i}", "") for i in range(20)]


def _every_seed() -> list[tuple[int, str]]:
    hidden = dict.fromkeys([*SEEDS, *KIND_SEEDS, *REFERENCE_SEEDS])
    return [(PRACTICE_SEED, "practice"), *((seed, "hidden") for seed in hidden)]


def check_cases(exercise: Exercise) -> list[str]:
    """cases.py on every seed the other checks use: an exception, or something that is not a
    list of cases, is one line naming cases.py and the error (never a traceback), and the other
    checks, which all need the cases, are not run."""
    where = f"{exercise.lesson_id}/{exercise.id}"
    for seed, variant in _every_seed():
        try:
            exercise.cases(seed, variant)
        except Exception as exc:
            on = "the practice cases" if variant == "practice" else f"hidden seed {seed}"
            return [f"{where}: {exc} (on {on})"]
    return []


def _remembered(
    generate: Callable[[random.Random, str], list[Case]],
) -> Callable[[random.Random, str], list[Case]]:
    """The checks draw the same seeds again and again; some hidden(rng) take a tenth of a second
    (they search for a case with a property), so each seed's cases are drawn once."""
    drawn: dict[tuple[object, str], list[Case]] = {}

    def cases(rng: random.Random, variant: str) -> list[Case]:
        key = (rng.getstate(), variant)
        if key not in drawn:
            drawn[key] = generate(rng, variant)
        return copy.deepcopy(drawn[key])

    return cases


def check_kinds(exercise: Exercise) -> list[str]:
    """A Run that passes must not hide a Submit that fails for a kind of case never practised:
    every kind the hidden cases test (an operation, a hypervisor kind, an exit reason) must
    appear among the practice cases."""
    where = f"{exercise.lesson_id}/{exercise.id}"
    practice = exercise.cases(0, "practice")
    hidden = [case for seed in KIND_SEEDS for case in exercise.cases(seed, "hidden")]
    problems = [
        f"{where}: case {case.name!r} declares no kinds (give it kinds=[...])"
        for case in practice + hidden[: len(exercise.cases(KIND_SEEDS[0], "hidden"))]
        if not case.kinds
    ]
    covered = {kind for case in practice for kind in case.kinds}
    missing = sorted({kind for case in hidden for kind in case.kinds} - covered)
    if missing:
        problems.append(
            f"{where}: the hidden cases test kind(s) {', '.join(map(repr, missing))} that no "
            "practice case covers; add a practice case of each"
        )
    return problems


def check_references(exercise: Exercise, judge: Judge) -> list[str]:
    """The reference solution on many hidden seeds: it must run and satisfy its own compare()."""
    where = f"{exercise.lesson_id}/{exercise.id}"
    for seed in REFERENCE_SEEDS:
        try:
            judge.reference(exercise, exercise.cases(seed, "hidden"))
        except ReferenceFailure as exc:
            reason = _in_author_words(str(exc), exercise, "solution.py")
            return [f"{where}: the reference solution fails on hidden seed {seed}: {reason}"]
    return []


_YOUR_LINE = re.compile(r" \(line (\d+) of your code\)")


def _in_author_words(text: str, exercise: Exercise, file: str) -> str:
    """The harness words errors for a learner ("line 2 of your code", "grading runs in a
    sandbox"); an author reading check-lessons needs the file the error is in instead."""
    text = text.replace(f"the reference solution of {exercise.id!r}", file)
    text = _YOUR_LINE.sub(rf" ({file} line \1)", text)
    return text.replace(SANDBOX_NOTE, "")


# A driver whose run() calls nothing: what is left of a run is loading the code, as the harness
# loads a learner's (the same builtins, the driver's MODEL_ANSWERS, its ENTRY_POINTS check).
_LOAD_ONLY = "\n\n\ndef run(submission, args, trace):\n    return None\n"


def check_starters_load(exercise: Exercise, runner: Runner) -> list[str]:
    """The starter is the learner's first program: its top level must run in the learner's
    harness (an import of a name tutor.sim does not have would greet every learner with an
    ImportError before they write a line). Its functions are not called: a stub may raise."""
    where = f"{exercise.lesson_id}/{exercise.id}"
    problems = []
    for file, code in (("starter.py", exercise.starter), ("starter.zh.py", exercise.starter_zh)):
        if not code.strip():
            continue
        load = Case(name="load", args={})
        try:
            outcome = runner.run(code, exercise.driver + _LOAD_ONLY, [load], exercise.limits)[0]
        except LearnerError as exc:
            problems.append(
                f"{where}: {file} does not run: {_in_author_words(str(exc), exercise, file)}"
            )
            continue
        if outcome.error is not None:
            message = outcome.error.get("message")
            text = message.get("en") if isinstance(message, dict) else str(message)
            problems.append(
                f"{where}: {file} does not run: {_in_author_words(str(text), exercise, file)}"
            )
    return problems


def check_exercise(exercise: Exercise, runner: Runner | None = None) -> list[str]:
    """Every rule for one exercise; whatever goes wrong while checking is a problem named with
    the exercise, never a traceback that hides the exercises after it."""
    where = f"{exercise.lesson_id}/{exercise.id}"
    judge = Judge(runner or InProcessRunner())
    exercise = replace(exercise, generate=_remembered(exercise.generate))
    problems: list[str] = []
    try:
        problems += check_cases(exercise)
        if problems:
            return problems
        problems += check_kinds(exercise)
        problems += check_starters_load(exercise, judge.runner)
        references = check_references(exercise, judge)
        if references:  # grading the other programs would only fail on it again
            return problems + references
        return problems + _check_grading(exercise, judge)
    except ReferenceFailure as exc:
        reason = _in_author_words(str(exc), exercise, "solution.py")
        return [*problems, f"{where}: the reference solution fails: {reason}"]
    except Exception as exc:
        return [*problems, f"{where}: checking stopped: {type(exc).__name__}: {exc}"]


def _check_grading(exercise: Exercise, judge: Judge) -> list[str]:
    problems: list[str] = []
    where = f"{exercise.lesson_id}/{exercise.id}"
    for seed in SEEDS:
        for variant in ("practice", "hidden"):
            report = judge.grade(exercise, exercise.solution, seed, variant)
            if report.score != 100:
                message = _in_author_words(report.message["en"], exercise, "solution.py")
                problems.append(f"{where}: solution.py scores {report.score} ({message})")
    starter = judge.grade(exercise, exercise.starter, SEEDS[0], "hidden")
    if starter.score >= 100:
        problems.append(f"{where}: the starter code already scores 100")
    problems += check_zh_starter(exercise, judge, SEEDS[0]) + check_hints(exercise)
    for wrong in exercise.wrong:
        report = judge.grade(exercise, wrong.code, SEEDS[0], "hidden")
        # `# expect:` matches the English text; the matching feedback must have a Chinese one.
        messages = [report.message] + [c.message for c in report.cases]
        matching = [m for m in messages if wrong.expect in m["en"]]
        if report.verdict == "passed":
            problems.append(f"{where}: {wrong.path.name} passes but is a wrong answer")
        elif not matching:
            problems.append(
                f"{where}: {wrong.path.name} should get {wrong.expect!r}, "
                f"got {report.message['en']!r}"
            )
        elif all(m["zh"] == m["en"] for m in matching):
            problems.append(
                f"{where}: {wrong.path.name} gets {wrong.expect!r} only in English; return "
                '{"en": ..., "zh": ...} from compare() (or give the SimError its zh=)'
            )
        # A Run is all a self-study learner gets: it must not call this misconception solved.
        # The practice cases of the lesson page (fixed seed), graded as Run grades them.
        if judge.grade(exercise, wrong.code, PRACTICE_SEED, "practice").verdict == "passed":
            problems.append(
                f"{where}: wrong/{wrong.path.name} passes every practice case, so a Run tells a "
                "learner who writes this misconception that the exercise is solved; add a "
                "practice case that this misconception fails"
            )
    first = judge.grade(exercise, exercise.solution, SEEDS[1], "hidden").to_json()
    if first != judge.grade(exercise, exercise.solution, SEEDS[1], "hidden").to_json():
        problems.append(f"{where}: grading the same code with the same seed differs")
    for shortcut in exercise.shortcuts:
        for seed, variant in ((SEEDS[0], "hidden"), (0, "practice")):
            if judge.grade(exercise, shortcut.code, seed, variant).verdict == "passed":
                problems.append(
                    f"{where}: shortcut/{shortcut.path.name} passes the {variant} cases without "
                    "solving the exercise (hide the model's answer with MODEL_ANSWERS, or grade "
                    "the process with GRADE_TRACE)"
                )
    if not exercise.wrong:
        problems.append(f"{where}: no wrong/ programs; add at least one known wrong answer")
    return problems


def check_unlisted(lesson: Lesson) -> list[str]:
    """An exercise folder that lesson.toml does not list is never shown or checked, and its
    author would not know why; a folder named with a leading ``.`` is a draft kept aside."""
    folder = lesson.folder / "exercises"
    listed = {exercise.folder.name for exercise in lesson.exercises}
    root = lesson.folder.parent.parent
    return [
        f"{path.relative_to(root)}: exercise folder not listed in lesson.toml's exercises; add "
        f"{path.name!r} to that list (or rename the folder to .{path.name} to keep it as a draft)"
        for path in (sorted(folder.iterdir()) if folder.is_dir() else [])
        if path.is_dir() and path.name not in listed and not path.name.startswith((".", "__"))
    ]


def check_catalog(catalog: Catalog, lesson_id: str | None = None) -> list[str]:
    """Every lesson, or only the one with ``lesson_id`` (``check-lessons --lesson ID``: the
    whole course takes a minute)."""
    lessons = [lesson for lesson in catalog.lessons if lesson_id is None or lesson.id == lesson_id]
    texts = [
        p
        for lesson in lessons
        for p in check_unlisted(lesson) + check_lesson_chinese(lesson) + check_emphasis(lesson)
    ]
    exercises = [exercise for lesson in lessons for exercise in lesson.exercises]
    return texts + [p for exercise in exercises for p in check_exercise(exercise)]
