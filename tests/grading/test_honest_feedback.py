"""The grading machinery's honesty rules, for every exercise and for the kit itself: practice
covers every hidden kind, reports count cases and group problems, a missing function is named,
hidden feedback never names the reference's values, and a process-graded exercise is not passed
by a lookup table."""

from __future__ import annotations

import json
import random
from types import SimpleNamespace

import pytest

from tutor.content.checker import check_kinds
from tutor.content.loader import load_catalog
from tutor.grading.harness import first_departure, practice
from tutor.grading.judge import Judge
from tutor.grading.protocol import Case, CaseResult, Report
from tutor.grading.runner import InProcessRunner

from ..conftest import ROOT

CATALOG = load_catalog(ROOT / "lessons")
IO_PATH = CATALOG.exercise("io-path")
VCPU = CATALOG.exercise("vcpu-run-loop")
OVERHEAD = CATALOG.exercise("layer-overhead")
assert IO_PATH is not None and VCPU is not None and OVERHEAD is not None
SEED = 1234567
JUDGE = Judge(InProcessRunner())


@pytest.mark.parametrize("exercise", CATALOG.exercises(), ids=lambda e: e.id)
def test_practice_cases_cover_every_kind_the_hidden_cases_test(exercise) -> None:  # type: ignore[no-untyped-def]
    assert check_kinds(exercise) == []
    practice_kinds = {k for c in exercise.cases(0, "practice") for k in c.kinds}
    for seed in range(5):
        for case in exercise.cases(seed, "hidden"):
            assert case.kinds and set(case.kinds) <= practice_kinds, case.name


def _fake(practice: list[Case], hidden: list[Case]) -> SimpleNamespace:
    return SimpleNamespace(
        id="fake",
        lesson_id="lesson",
        cases=lambda seed, variant: practice if variant == "practice" else hidden,
    )


def test_check_kinds_names_a_kind_no_practice_case_covers() -> None:
    practice = [Case("a", {}, kinds=("disk_read",))]
    hidden = [Case("b", {}, kinds=("disk_read",)), Case("c", {}, kinds=("net_send",))]
    problems = check_kinds(_fake(practice, hidden))  # type: ignore[arg-type]
    assert len(problems) == 1 and "'net_send'" in problems[0]
    unkinded = check_kinds(_fake([Case("a", {})], [Case("b", {})]))  # type: ignore[arg-type]
    assert any("declares no kinds" in p for p in unkinded)


def test_a_report_counts_cases_and_states_each_distinct_problem_once() -> None:
    same = {"en": "wrong layer", "zh": "层不对"}
    results = [
        CaseResult("a", True, 1.0),
        CaseResult("b", False, 1.0, message=same, rule="answer"),
        CaseResult("c", False, 1.0, message=same, rule="answer"),
        CaseResult("d", False, 1.0, message={"en": "other", "zh": "其他"}, rule="answer"),
    ]
    report = Report.from_results(results, scope="practice")
    assert (report.passed_count, report.total_count, report.scope) == (1, 4, "practice")
    assert [(p.message["en"], p.cases) for p in report.problems] == [
        ("wrong layer", ["b", "c"]),
        ("other", ["d"]),
    ]
    assert Report.from_results([CaseResult("a", True, 1.0)]).problems == []


def test_cases_failing_the_same_way_with_their_own_numbers_are_one_problem() -> None:
    def failing(name: str, en: str) -> CaseResult:
        return CaseResult(name, False, 1.0, message={"en": en, "zh": en}, rule="answer")

    report = Report.from_results(
        [
            failing("a", "memory_pages = 56 does not meet the workload of 'web'"),
            failing("b", "memory_pages = 1,024 does not meet the workload of 'db-2'"),
            failing("c", "vcpus = 2 does not meet the workload of 'web'"),
            failing("d", "the guest's disk is full, the host's is not"),
            failing("e", "the guest's memory is full, the host's is not"),
        ]
    )
    assert [p.cases for p in report.problems] == [["a", "b"], ["c"], ["d"], ["e"]]


def test_a_missing_or_misnamed_function_is_named_with_its_signature() -> None:
    cases = JUDGE.practice_payload(IO_PATH)
    report = practice("def paths(kind, operation):\n    return []\n", IO_PATH.driver, cases, 10_000)
    message = report["message"]["en"]
    assert "define a function named `path(kind, operation)`" in message
    assert "'paths'" in message and "AttributeError" not in message
    assert "path(kind, operation)" in report["message"]["zh"]
    assert len(report["problems"]) == 1 and len(report["problems"][0]["cases"]) == len(cases)

    wrong_arity = practice("def path(kind):\n    return []\n", IO_PATH.driver, cases, 10_000)
    assert "cannot take them" in wrong_arity["message"]["en"]
    assert "TypeError" not in wrong_arity["message"]["en"]


def test_whether_a_function_takes_the_arguments_follows_its_defaults_not_only_its_code() -> None:
    """The answer is remembered per function code (it is asked for every case): the same code
    given a default later takes one argument fewer, and a wrapper's own signature counts."""
    cases = JUDGE.practice_payload(IO_PATH)
    body = IO_PATH.solution.replace("def path(kind, operation)", "def path(kind, operation, x)")
    assert body != IO_PATH.solution
    three = practice(body, IO_PATH.driver, cases, 10_000)
    assert "cannot take them" in three["message"]["en"]
    defaulted = practice(body + "\npath.__defaults__ = (None,)\n", IO_PATH.driver, cases, 10_000)
    assert defaulted["verdict"] == "passed", defaulted["message"]
    again = practice(body, IO_PATH.driver, cases, 10_000)
    assert "cannot take them" in again["message"]["en"]
    wrapped = practice(
        IO_PATH.solution + "\nimport inspect\n"
        "path.__signature__ = inspect.signature(lambda kind: None)\n",
        IO_PATH.driver,
        cases,
        10_000,
    )
    assert "cannot take them" in wrapped["message"]["en"]


def test_practice_feedback_names_the_expected_layer_only_when_revealed() -> None:
    code = IO_PATH.solution.replace('"world_switch", ', "")
    cases = JUDGE.practice_payload(IO_PATH)
    hidden_answer = practice(code, IO_PATH.driver, cases, 10_000)
    assert hidden_answer["verdict"] == "failed"
    assert "world_switch" not in json.dumps(hidden_answer["problems"])
    revealed = practice(code, IO_PATH.driver, [{**c, "reveal": True} for c in cases], 10_000)
    assert "The model's step 5 is 'world_switch'" in revealed["message"]["en"]


def _hidden_leaves(exercise, code: str) -> tuple[Report, list[object]]:  # type: ignore[no-untyped-def]
    report = JUDGE.grade(exercise, code, SEED, "hidden")
    cases = exercise.cases(SEED, "hidden")
    expected = JUDGE.reference(exercise, cases)
    return report, [o.output for o in expected]


def test_hidden_feedback_never_names_the_references_values() -> None:
    # A wrong serial: the hidden case's words must not appear in the feedback.
    drops = next(w for w in VCPU.wrong if w.path.name == "drops_serial.py")
    report, outputs = _hidden_leaves(VCPU, drops.code)
    assert report.verdict == "failed"
    text = json.dumps([c.message for c in report.cases])
    for output in outputs:
        assert output["serial"] not in text or not output["serial"]
    # Wrong register values: the reference's values are not named either.
    wrong_value = next(w for w in VCPU.wrong if w.path.name == "wrong_value.py")
    report, outputs = _hidden_leaves(VCPU, wrong_value.code)
    for result, output in zip(report.cases, outputs, strict=True):
        if not result.passed:
            assert f"should end as {output['regs']['b']}" not in result.message["en"]
            assert "it should end as" not in result.message["en"]
    # Textbook costs on measured machines: the measured totals stay unnamed.
    textbook = next(w for w in OVERHEAD.wrong if w.path.name == "textbook_costs.py")
    report, outputs = _hidden_leaves(OVERHEAD, textbook.code)
    for result, output in zip(report.cases, outputs, strict=True):
        if not result.passed:
            assert f"measured {output['total']}" not in result.message["en"]
            assert "expected" not in result.message["en"]


# A run_vm that never runs the guest: it fills in what a halted guest would show.
LOOKUP_TABLE = (VCPU.folder / "shortcut/lookup_table.py").read_text()


def test_a_process_graded_exercise_is_not_passed_without_driving_the_model() -> None:
    solution = JUDGE.grade(VCPU, VCPU.solution, SEED, "hidden")
    assert solution.verdict == "passed"
    report = JUDGE.grade(VCPU, LOOKUP_TABLE, SEED, "hidden")
    assert report.verdict == "failed", report.message
    assert all("not by driving the model" in c.message["en"] for c in report.cases)


def test_each_case_reports_printed_output_state_and_departure() -> None:
    code = IO_PATH.solution.replace('"world_switch", ', "").replace(
        "def path(kind, operation):\n", "def path(kind, operation):\n    print('kind', kind)\n"
    )
    report = JUDGE.grade(IO_PATH, code, SEED, "hidden")
    assert all(c.stdout.startswith("kind ") for c in report.cases)
    failing = [c for c in report.cases if not c.passed]
    assert failing and all(c.output and "path" in c.output for c in failing)
    for case in failing:
        # The departure points at the first layer.enter that differs from the model's path.
        event = case.trace[case.departure]
        assert event["kind"] == "layer.enter" and event["layer"] == "host_vmm_driver"
    assert all(c.departure is None for c in report.cases if c.passed)


def test_first_departure() -> None:
    a, b, c = {"kind": "a"}, {"kind": "b"}, {"kind": "c"}
    assert first_departure([a, b], [a, b]) is None
    assert first_departure([a, b], [a, c]) == 1
    assert first_departure([a, b], [a]) == 1
    assert first_departure([a], [a, b]) == 1


def test_case_names_are_unique_and_titles_bilingual() -> None:
    for exercise in CATALOG.exercises():
        for variant, seed in (("practice", 0), ("hidden", random.Random(7).randrange(10**9))):
            cases = exercise.cases(seed, variant)
            assert len({c.name for c in cases}) == len(cases)
            assert all(set(c.label()) == {"en", "zh"} for c in cases)


def test_the_models_own_answer_is_out_of_reach_of_learner_code() -> None:
    shortcuts = {s.path.name: s.code for s in IO_PATH.shortcuts}
    assert {"model_answer.py", "model_table.py", "model_trace.py"} <= set(shortcuts)
    for name, code in shortcuts.items():
        report = JUDGE.grade(IO_PATH, code, SEED, "hidden")
        assert report.verdict == "failed" and report.score == 0, name
        assert "the model's own answer" in report.message["en"], name
        assert "模型" in report.message["zh"]
    # Other imports from the same modules still work.
    code = "from tutor.sim import LAYERS\n" + IO_PATH.solution
    assert JUDGE.grade(IO_PATH, code, SEED, "hidden").verdict == "passed"


def test_check_lessons_fails_a_shortcut_that_passes() -> None:
    from dataclasses import replace

    from tutor.content.checker import check_exercise
    from tutor.content.model import WrongProgram

    leaky = replace(IO_PATH, driver=IO_PATH.driver.replace("MODEL_ANSWERS = {", "_OFF = {"))
    assert any("shortcut/model_answer.py passes" in p for p in check_exercise(leaky))
    assert not any("shortcut/" in p for p in check_exercise(IO_PATH))
    assert isinstance(IO_PATH.shortcuts[0], WrongProgram)


@pytest.mark.parametrize(
    ("code", "zh"),
    [
        ("def f(:\n", "语法不正确"),
        ("x = (1,\n", "括号没有闭合"),
        ("if x\n    pass\n", "缺少冒号"),
        ("  x = 1\n", "多了缩进"),
    ],
)
def test_a_syntax_error_is_explained_in_chinese_too(code: str, zh: str) -> None:
    """A Chinese reader got "语法错误 SyntaxError（第 1 行）：invalid syntax": Python's words
    alone. Python's own message stays, after the Chinese."""
    from tutor.grading.harness import SubmissionError, compile_submission

    with pytest.raises(SubmissionError) as refused:
        compile_submission(code)
    assert zh in str(refused.value.zh) and "（第 1 行）" in str(refused.value.zh)
