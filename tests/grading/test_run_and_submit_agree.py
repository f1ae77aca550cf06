"""Run and Submit tell a learner the same thing about odd code: an answer Python cannot write
down (a number of thousands of digits) is the learner's mistake, told plainly, never "your code
broke the grader" or a traceback advising ``sys.set_int_max_str_digits``; empty code is empty
on both; a leading byte order mark is dropped, as Python drops it from a file."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT
from tutor.content import load_catalog
from tutor.content.model import Exercise
from tutor.grading.child import handle
from tutor.grading.harness import practice
from tutor.grading.judge import variant_seed

HUGE = (
    "def spec(*args, **kwargs):\n"
    "    return {'vcpus': 10**5000, 'memory_pages': 1, 'disk_blocks': 1, 'nic_mbps': 1}\n"
)


@pytest.fixture(scope="module")
def exercise() -> Exercise:
    found = load_catalog(ROOT / "lessons").exercise("vm-spec")
    assert found is not None
    return found


def test_submit_says_the_number_is_too_large(exercise: Exercise) -> None:
    cases = exercise.cases(variant_seed("c", "learner", exercise.id), "hidden")
    request = {
        "code": HUGE,
        "driver": exercise.driver,
        "cases": [{"name": c.name, "args": c.args, "weight": c.weight} for c in cases],
        "step_budget": 1_000_000,
    }
    reply = json.loads(handle(request))
    assert "submission_error" not in reply
    errors = [outcome["error"] for outcome in reply["outcomes"]]
    assert errors and all("more than 4,300 digits" in e["message"]["en"] for e in errors)
    assert all("4,300" in e["message"]["zh"] for e in errors)
    assert "set_int_max_str_digits" not in json.dumps(reply)


def test_run_says_the_same(exercise: Exercise) -> None:
    payload = [
        {"name": c.name, "args": c.args, "weight": c.weight, "expected": None}
        for c in exercise.cases(0, "practice")
    ]
    report = practice(HUGE, exercise.driver, payload, 1_000_000)
    assert report["verdict"] != "passed"
    messages = [case["message"]["en"] for case in report["cases"]]
    assert messages and all("more than 4,300 digits" in m for m in messages), messages


def test_run_and_submit_agree_on_empty_code_and_a_byte_order_mark(exercise: Exercise) -> None:
    from tutor.grading.judge import check_code

    payload = [
        {"name": c.name, "args": c.args, "weight": c.weight, "expected": None}
        for c in exercise.cases(0, "practice")
    ]
    empty = practice("  \n", exercise.driver, payload, 1_000_000)
    assert empty["message"]["en"] == "the code is empty: write your function first"
    with pytest.raises(Exception, match="the code is empty"):
        check_code("  \n")
    nul = practice("x = 1\x00\n", exercise.driver, payload, 1_000_000)
    assert nul["message"]["en"].startswith("the code holds a NUL character")
    with pytest.raises(Exception, match="the code holds a NUL character"):
        check_code("x = 1\x00\n")
    # Some editors save a byte order mark first: no part of the program, as in a Python file.
    marked = practice("\ufeff" + exercise.solution, exercise.driver, payload, 1_000_000)
    assert "SyntaxError" not in json.dumps(marked)
