"""The harness (shared with the browser), the process runner's limits, and the judge."""

from __future__ import annotations

import pytest

from tutor.content import load_catalog
from tutor.grading.harness import SubmissionError, practice, run_cases
from tutor.grading.judge import Judge, variant_seed
from tutor.grading.limits import Limits
from tutor.grading.protocol import Case
from tutor.grading.runner import ProcessRunner, RunnerFailure

from ..conftest import FIXTURE_LESSONS

CATALOG = load_catalog(FIXTURE_LESSONS)
IO_PATH = CATALOG.exercise("walk")
VCPU = CATALOG.exercise("echo-loop")
assert IO_PATH is not None and VCPU is not None
PRACTICE = IO_PATH.cases(0, "practice")
FAST = Limits(cpu_seconds=1, wall_seconds=3, memory_mb=256, output_kb=64)


def test_practice_reports_per_case_verdicts_and_messages() -> None:
    judge = Judge(ProcessRunner())
    cases = judge.practice_payload(IO_PATH)
    report = practice(IO_PATH.starter, IO_PATH.driver, cases, 10_000)
    verdicts = {c["name"]: c["passed"] for c in report["cases"]}
    # The starter forgets the skipped layers: the plain stack passes, the one with a skip fails.
    assert verdicts == {case.name: case.name == "plain" for case in PRACTICE}
    assert len(verdicts) == 2
    assert report["verdict"] == "failed" and round(report["score"]) == round(100 / len(verdicts))
    assert (report["scope"], report["passed_count"], report["total_count"]) == (
        "practice",
        1,
        len(verdicts),
    )
    assert "never belongs in this path: it is marked to be skipped" in report["message"]["en"]


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(SubmissionError, match="SyntaxError on line 2"):
        run_cases("def path(k, o):\n    return [\n\n", IO_PATH.driver, [], 1000)


def test_learner_exception_names_the_line_of_their_code() -> None:
    code = "def path(layers, skip):\n    x = 1\n    return x / 0\n"
    (outcome,) = run_cases(code, IO_PATH.driver, [Case("c", {"layers": ["a"], "skip": []})], 1000)
    assert outcome.error is not None
    assert outcome.error["message"] == {
        "en": "ZeroDivisionError: division by zero (line 3 of your code)",
        "zh": "ZeroDivisionError: division by zero（你的代码第 3 行）",
    }


def test_step_budget_stops_a_loop_that_drives_the_model() -> None:
    code = "def run_vm(vcpu, devices):\n    while True:\n        vcpu.trace.emit('spin')\n"
    (outcome,) = run_cases(code, VCPU.driver, VCPU.cases(0, "practice")[:1], 500)
    assert outcome.error is not None and outcome.error["rule"] == "step-budget"
    assert "500 simulation steps" in outcome.error["message"]["en"]


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
    fake = "print('{\"outcomes\": []}')\ndef path(layers, skip):\n    return []\n"
    report = Judge(ProcessRunner()).grade(IO_PATH, fake, 1, "hidden")
    assert report.verdict == "failed" and report.score == 0


def test_judge_grades_solution_fully_and_variants_are_per_student() -> None:
    judge = Judge(ProcessRunner())
    seed_a = variant_seed("demo", "alice", "echo-loop")
    seed_b = variant_seed("demo", "bob", "echo-loop")
    assert seed_a == variant_seed("demo", "alice", "echo-loop") != seed_b
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
        ("x = '\0'\n", "NUL character"),
    ],
)
def test_bad_submissions_get_a_clear_error(code: object, message: str) -> None:
    report = Judge(ProcessRunner()).grade(IO_PATH, code, 0, "hidden")
    assert report.verdict == "error" and message in report.message["en"]


def test_printing_too_much_fails_the_case_with_a_message() -> None:
    code = "def path(layers, skip):\n    while True:\n        print('x' * 1000)\n"
    (outcome,) = run_cases(code, IO_PATH.driver, PRACTICE[:1], 1000)
    assert outcome.error is not None and "printed more than" in outcome.error["message"]["en"]
    assert len(outcome.stdout) <= 10_000


def test_step_budget_and_syntax_errors_carry_chinese_text() -> None:
    code = "def run_vm(vcpu, devices):\n    while True:\n        vcpu.trace.emit('spin')\n"
    (outcome,) = run_cases(code, VCPU.driver, VCPU.cases(0, "practice")[:1], 500)
    assert outcome.error is not None
    message = outcome.error["message"]
    assert message["en"].startswith("stopped after 500 simulation steps (the step budget)")
    assert message["zh"].startswith("模拟执行了 500 步后被停止（超出步数预算）")

    broken = "def path(k, o):\n    return [\n\n"
    with pytest.raises(SubmissionError) as raised:
        run_cases(broken, IO_PATH.driver, [], 1000)
    assert str(raised.value).startswith("SyntaxError on line 2: ")
    assert raised.value.zh is not None and raised.value.zh.startswith(
        "语法错误 SyntaxError（第 2 行）"
    )
    report = practice(broken, IO_PATH.driver, [], 1000)
    assert report["verdict"] == "error" and report["message"] == {
        "en": str(raised.value),
        "zh": raised.value.zh,
    }


def test_chinese_text_survives_the_grading_process() -> None:
    """The model's own errors (lesson 5's InvalidOperation) and the learner's line numbers cross
    the process boundary in both languages; a limit the runner enforces is bilingual too."""
    never_stops = "def run_vm(vcpu, devices):\n    while True:\n        vcpu.run()\n"
    outcomes = ProcessRunner().run(never_stops, VCPU.driver, VCPU.cases(0, "practice")[:1], FAST)
    error = outcomes[0].error
    assert error is not None and error["rule"] == "protocol"
    assert "already halted" in error["message"]["en"]
    assert "已经停机的 vCPU" in error["message"]["zh"]
    assert "already halted" not in error["message"]["zh"]

    divide = "def path(layers, skip):\n    return 1 / 0\n"
    (outcome,) = ProcessRunner().run(divide, IO_PATH.driver, PRACTICE[:1], FAST)
    assert outcome.error is not None
    assert outcome.error["message"]["zh"].endswith("（你的代码第 2 行）")

    with pytest.raises(RunnerFailure) as raised:
        ProcessRunner().run("while True: pass\n", IO_PATH.driver, PRACTICE, FAST)
    assert raised.value.zh is not None and "1 秒 CPU 时间" in raised.value.zh


def test_a_plain_string_from_compare_falls_back_to_english() -> None:
    driver = IO_PATH.driver + "\n\ndef compare(args, expected, actual):\n    return 'nope'\n"
    cases = Judge(ProcessRunner()).practice_payload(IO_PATH)
    report = practice(IO_PATH.solution, driver, cases, 10_000)
    assert report["message"] == {"en": "nope", "zh": "nope"}


def test_an_exercise_sets_how_much_its_cases_may_print() -> None:
    code = "def path(layers, skip):\n    print('x' * 2000)\n    return []\n"
    tight = Limits(cpu_seconds=1, wall_seconds=3, memory_mb=256, output_kb=1)
    (outcome,) = ProcessRunner().run(code, IO_PATH.driver, PRACTICE[:1], tight)
    assert outcome.error is not None
    assert "printed more than 1 KB" in outcome.error["message"]["en"]
    (roomy,) = ProcessRunner().run(code, IO_PATH.driver, PRACTICE[:1], FAST)
    assert roomy.error is None and roomy.stdout.startswith("x" * 100)
