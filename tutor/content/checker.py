"""The rules every exercise must satisfy before learners see it (``flask tutor check-lessons``).

Modelled on futurecoder: the reference solution must score 100 %, the starter must not, each
known wrong program must get the feedback written for it (and fail a practice case, so that a
Run never calls it solved), and grading must be repeatable.
"""

from __future__ import annotations

from tutor.grading.judge import PRACTICE_SEED, Judge, ReferenceFailure, variant_seed
from tutor.grading.runner import InProcessRunner, Runner

from .model import Catalog, Exercise
from .zh_checks import check_hints, check_lesson_chinese, check_zh_starter

SEEDS = [variant_seed("check", f"student-{i}", "") for i in range(3)]
# Hidden variants the reference solution must run cleanly on (an unlucky seed that breaks it
# would otherwise be met first by a learner; the grader then reports an internal error).
REFERENCE_SEEDS = [variant_seed("reference", f"student-{i}", "") for i in range(50)]
# Hidden variants sampled to learn which kinds of case learners will be graded on.
KIND_SEEDS = [variant_seed("kinds", f"student-{i}", "") for i in range(20)]


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
            return [f"{where}: the reference solution fails on hidden seed {seed}: {exc}"]
    return []


def check_exercise(exercise: Exercise, runner: Runner | None = None) -> list[str]:
    judge = Judge(runner or InProcessRunner())
    problems = check_kinds(exercise)
    where = f"{exercise.lesson_id}/{exercise.id}"
    try:
        return problems + check_references(exercise, judge) + _check_grading(exercise, judge)
    except ReferenceFailure as exc:
        return [*problems, f"{where}: the reference solution fails: {exc}"]


def _check_grading(exercise: Exercise, judge: Judge) -> list[str]:
    problems: list[str] = []
    where = f"{exercise.lesson_id}/{exercise.id}"
    for seed in SEEDS:
        for variant in ("practice", "hidden"):
            report = judge.grade(exercise, exercise.solution, seed, variant)
            if report.score != 100:
                message = report.message["en"]
                problems.append(f"{where}: solution scores {report.score} ({message})")
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


def check_catalog(catalog: Catalog) -> list[str]:
    chinese = [p for lesson in catalog.lessons for p in check_lesson_chinese(lesson)]
    return chinese + [p for exercise in catalog.exercises() for p in check_exercise(exercise)]
