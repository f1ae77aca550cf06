"""break-the-vmm: a kernel that a Run fails must not score 100 on Submit.

Each practice machine with one hole (halt alone, sti alone, ...) is a kind of mistake a Run
catches; hidden machines that drew that hole only next to other holes (whose recipe a kernel
uses first) let the same kernel pass most variants. Every hidden set has each of them.
"""

from __future__ import annotations

import pytest

from tutor.content import load_catalog
from tutor.grading.judge import PRACTICE_SEED, Judge, variant_seed
from tutor.grading.runner import InProcessRunner

from ..conftest import ROOT

EXERCISE = load_catalog(ROOT / "lessons").exercise("break-the-vmm")
SEEDS = [variant_seed("course", f"learner-{i}", "break-the-vmm") for i in range(40)]
JUDGE = Judge(InProcessRunner())


def _holes(case) -> frozenset[str]:  # type: ignore[no-untyped-def]
    return frozenset(case.kinds) - {"virtualizable"}


def test_every_hidden_set_has_each_one_hole_machine_of_the_practice_set() -> None:
    assert EXERCISE is not None
    single = {_holes(c) for c in EXERCISE.cases(PRACTICE_SEED, "practice") if len(_holes(c)) == 1}
    assert {hole for holes in single for hole in holes} >= {"halt", "sti"}
    for seed in SEEDS:
        assert single <= {_holes(c) for c in EXERCISE.cases(seed, "hidden")}, seed


@pytest.mark.parametrize(
    "name", sorted(w.path.name for w in EXERCISE.wrong) if EXERCISE else [], ids=str
)
def test_a_wrong_kernel_fails_every_hidden_variant_as_it_fails_the_run(name: str) -> None:
    assert EXERCISE is not None
    wrong = next(w for w in EXERCISE.wrong if w.path.name == name)
    assert JUDGE.grade(EXERCISE, wrong.code, PRACTICE_SEED, "practice").verdict != "passed"
    passed = [s for s in SEEDS if JUDGE.grade(EXERCISE, wrong.code, s, "hidden").score == 100]
    assert passed == [], f"{name} scores 100 on {len(passed)} of {len(SEEDS)} hidden variants"


def test_the_halt_only_mistake_is_a_wrong_program_and_the_solution_passes_every_variant() -> None:
    assert EXERCISE is not None
    assert "halt_alone.py" in {w.path.name for w in EXERCISE.wrong}
    for seed in SEEDS:
        assert JUDGE.grade(EXERCISE, EXERCISE.solution, seed, "hidden").score == 100, seed
