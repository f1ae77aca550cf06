"""The harness (shared with the browser), the process runner's limits, and the judge."""

from __future__ import annotations

import pytest

from tutor.content import load_catalog
from tutor.grading.harness import SubmissionError, practice, run_cases
from tutor.grading.judge import Judge, variant_seed
from tutor.grading.limits import Limits
from tutor.grading.protocol import Case
from tutor.grading.runner import ProcessRunner, RunnerFailure

from ..conftest import ROOT

CATALOG = load_catalog(ROOT / "lessons")
IO_PATH = CATALOG.exercise("io-path")
VCPU = CATALOG.exercise("vcpu-run-loop")
assert IO_PATH is not None and VCPU is not None
PRACTICE = IO_PATH.cases(0, "practice")
FAST = Limits(cpu_seconds=1, wall_seconds=3, memory_mb=256, output_kb=64)


def test_practice_reports_per_case_verdicts_and_messages() -> None:
    judge = Judge(ProcessRunner())
    cases = judge.practice_payload(IO_PATH)
    report = practice(IO_PATH.starter, IO_PATH.driver, cases, 10_000)
    verdicts = {c["name"]: c["passed"] for c in report["cases"]}
    assert verdicts == {"type1 disk_read": True, "type2 disk_read": False, "kvm disk_read": False}
    assert report["verdict"] == "failed" and round(report["score"]) == 33
    assert "the path stops too early" in report["message"]


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(SubmissionError, match="SyntaxError on line 2"):
        run_cases("def path(k, o):\n    return [\n\n", IO_PATH.driver, [], 1000)


def test_learner_exception_names_the_line_of_their_code() -> None:
    code = "def path(kind, operation):\n    x = 1\n    return x / 0\n"
    (outcome,) = run_cases(
        code, IO_PATH.driver, [Case("c", {"kind": "kvm", "operation": "privileged"})], 1000
    )
    assert outcome.error is not None
    assert outcome.error["message"] == "ZeroDivisionError: division by zero (line 3 of your code)"


def test_step_budget_stops_a_loop_that_drives_the_model() -> None:
    code = "def run_vm(vcpu, devices):\n    while True:\n        vcpu.trace.emit('spin')\n"
    (outcome,) = run_cases(code, VCPU.driver, VCPU.cases(0, "practice")[:1], 500)
    assert outcome.error is not None and outcome.error["rule"] == "step-budget"
    assert "500 simulation steps" in outcome.error["message"]


def test_process_runner_stops_an_infinite_loop_by_cpu_time() -> None:
    with pytest.raises(RunnerFailure, match="1 s of CPU time"):
        ProcessRunner().run(
            "while True: pass\n", IO_PATH.driver, IO_PATH.cases(0, "practice"), FAST
        )


def test_process_runner_stops_sleep_by_wall_clock() -> None:
    with pytest.raises(RunnerFailure, match="3 s of wall-clock time"):
        ProcessRunner().run("import time\ntime.sleep(60)\n", IO_PATH.driver, PRACTICE, FAST)


def test_process_runner_caps_output() -> None:
    with pytest.raises(RunnerFailure, match="printed more than 64 KB"):
        code = "import os\nfor _ in range(100):\n    os.write(1, b'x' * 65536)\n"
        ProcessRunner().run(code, IO_PATH.driver, PRACTICE, FAST)


def test_process_runner_reports_exit_as_failure() -> None:
    with pytest.raises(RunnerFailure, match="do not call exit"):
        ProcessRunner().run("import os\nos._exit(0)\n", IO_PATH.driver, PRACTICE, FAST)


def test_printing_a_fake_result_does_not_pass() -> None:
    fake = "print('{\"outcomes\": []}')\ndef path(kind, operation):\n    return []\n"
    report = Judge(ProcessRunner()).grade(IO_PATH, fake, 1, "hidden")
    assert report.verdict == "failed" and report.score == 0


def test_judge_grades_solution_fully_and_variants_are_per_student() -> None:
    judge = Judge(ProcessRunner())
    seed_a = variant_seed("demo", "alice", "vcpu-run-loop")
    seed_b = variant_seed("demo", "bob", "vcpu-run-loop")
    assert seed_a == variant_seed("demo", "alice", "vcpu-run-loop") != seed_b
    assert VCPU.cases(seed_a, "hidden") != VCPU.cases(seed_b, "hidden")
    report = judge.grade(VCPU, VCPU.solution, seed_a, "hidden")
    assert report.verdict == "passed" and report.score == 100


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "the code is empty"),
        ("   \n", "the code is empty"),
        ("x = 1\n" * 50_000, "larger than 200 KB"),
        (b"def path(): pass", "must be text"),
        ("def path(k, o):\n  return [\n", "SyntaxError on line 2"),
        ("x = '\0'\n", "null bytes"),
    ],
)
def test_bad_submissions_get_a_clear_error(code: object, message: str) -> None:
    report = Judge(ProcessRunner()).grade(IO_PATH, code, 0, "hidden")
    assert report.verdict == "error" and message in report.message


def test_printing_too_much_fails_the_case_with_a_message() -> None:
    code = "def path(kind, operation):\n    while True:\n        print('x' * 1000)\n"
    (outcome,) = run_cases(code, IO_PATH.driver, PRACTICE[:1], 1000)
    assert outcome.error is not None and "printed more than" in outcome.error["message"]
    assert len(outcome.stdout) <= 10_000
