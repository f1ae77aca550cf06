"""A learner's code shares its process with the driver and the model, so it can forge what that
process reports: replace the driver's ``run``, patch the driver's functions through the frames,
patch the model. Programs that solve nothing and forged a passing run scored 100 and reached the
gradebook (#11). The judge now replays the learner's recorded answers on its own copy of the
model (``tutor.grading.transcript``) wherever the exercise's functions take and give plain data,
and grades that run: each forgery below must fail, through the real sandbox, while the same
exercise's reference solution still passes the same way."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tutor.content import Catalog, load_catalog
from tutor.grading.judge import Judge
from tutor.grading.sandbox import SandboxPool, SandboxRunner

from ..conftest import ROOT

REPLACE_RUN = (
    "import sys\n"
    "sys._getframe(1).f_locals['driver'].run = lambda submission, args, trace: {forged}\n"
)
WALK_TO_DRIVER = (
    "import sys\n"
    "def _driver_globals():\n"
    "    frame = sys._getframe(1)\n"
    "    while frame.f_globals.get('__name__') != 'driver':\n"
    "        frame = frame.f_back\n"
    "    return frame.f_globals\n"
)
FORGERIES = {
    "translate-address": REPLACE_RUN.format(
        forged="{'model': [0] * len(args['accesses']), 'yours': [0] * len(args['accesses'])}"
    )
    + "def translate(layout, guest, resource, address):\n    return None\n",
    "who-sees-what": REPLACE_RUN.format(forged="{'observed': [], 'predicted': []}")
    + "def predict(guests, ops):\n    return []\n",
    "credit-settings": REPLACE_RUN.format(
        forged="{'shares': {d['name']: d['target'] for d in args['domains']}, "
        "'settings': {d['name']: {'weight': 1, 'cap': 0} for d in args['domains']}}"
    )
    + "def configure(pcpus, domains):\n"
    "    return {d['name']: {'weight': 1, 'cap': 0} for d in domains}\n",
    "break-the-vmm": REPLACE_RUN.format(
        forged="{'program': [['nop', 0]], 'too_long': False, 'diverges': True}"
    )
    + "def divergent_program(runs_in_user_mode):\n    return None\n",
    # The driver's own helper, replaced from inside the learner's function while it runs.
    "failover-placement": WALK_TO_DRIVER + "def plan(hosts, guests):\n"
    "    _driver_globals()['stranded_guests'] = lambda *a: {}\n"
    "    return {}\n",
    # A recording written by hand: the "answers" of a run that never happened.
    "clone-storage": WALK_TO_DRIVER + "def predict_storage(plan):\n"
    "    g = _driver_globals()\n"
    "    g['cloned_storage'] = lambda plan, trace: {'forged': 1}\n"
    "    return {'forged': 1}\n",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "lessons")


@pytest.fixture(scope="module")
def judge() -> Iterator[Judge]:
    pool = SandboxPool(1)
    pool.start()
    try:
        yield Judge(SandboxRunner(pool))
    finally:
        pool.close()


@pytest.mark.parametrize("exercise_id", sorted(FORGERIES))
def test_a_forged_run_does_not_pass(judge: Judge, catalog: Catalog, exercise_id: str) -> None:
    exercise = catalog.exercise(exercise_id)
    assert exercise is not None
    forged = judge.grade(exercise, FORGERIES[exercise_id], 12345, "hidden")
    assert forged.verdict != "passed" and (forged.score or 0) < 50, forged.to_json()
    honest = judge.grade(exercise, exercise.solution, 12345, "hidden")
    assert honest.verdict == "passed" and honest.score == 100, honest.to_json()


def test_a_hand_written_recording_that_does_not_match_the_run_is_refused(
    judge: Judge, catalog: Catalog
) -> None:
    """The learner's process may send any recording; answers for calls the judge's own run
    never makes (or too few) are a failed case, not a crash or a pass."""
    from tutor.grading.harness import replay_cases

    exercise = catalog.exercise("round-robin")
    assert exercise is not None
    case = exercise.cases(1, "hidden")[0]
    for answers in ([], [{"name": "nope", "args": [[], {}], "result": []}], "not a list"):
        (outcome,) = replay_cases(exercise.driver, [(case, answers)], exercise.limits.step_budget)
        assert outcome.error is not None and outcome.error["type"] == "ReplayMismatch"


def test_every_exercise_that_takes_plain_data_is_replayed(catalog: Catalog) -> None:
    """Which exercises the judge replays is the reference run's to say: an exercise's functions
    taking and giving plain data. The ones that hand the learner model objects are listed in
    docs/security.md; a new exercise of that kind must be added there knowingly."""
    from tutor.grading.runner import InProcessRunner

    not_replayed = set()
    for lesson in catalog.lessons:
        for exercise in lesson.exercises:
            cases = exercise.cases(3, "hidden")
            outcomes = InProcessRunner().run(
                exercise.solution, exercise.driver, cases, exercise.limits
            )
            if any(o.answers is None for o in outcomes):
                not_replayed.add(exercise.id)
    documented = (ROOT / "docs/security.md").read_text()
    for exercise_id in not_replayed:
        assert f"`{exercise_id}`" in documented, exercise_id
    assert len(not_replayed) <= 10, sorted(not_replayed)
