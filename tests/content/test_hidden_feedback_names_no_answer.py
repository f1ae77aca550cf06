"""What a learner reads after Submit: hidden-case feedback never names the reference's answer,
and every case has a title of its own in each language.

On hidden cases ``compare`` is called with ``reveal=False``: a message must say which thing is
wrong and why the learner's value cannot be right, never what the right value is (a learner who
submits again and again would read the answer off the feedback). So every exercise's ``wrong/``
programs (and its starter) are graded on a few hidden seeds, and each failing case's message, in
both languages, is searched for a value of the reference's output for that case that the learner
could not know: one that is neither in the case's inputs nor in what the learner's own run
produced. A value counts as named when the message holds it as a number, as a quoted text
('web', "pmap", “…”, `…`), as the word None, True or False, or as a sum or difference that
comes to it ("total - native = 92762 - 90412").
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import pytest

from tutor.content import load_catalog
from tutor.content.zh_text import HAN
from tutor.grading.judge import Judge
from tutor.grading.protocol import Case, CaseResult
from tutor.grading.runner import InProcessRunner

from ..conftest import ROOT

CATALOG = load_catalog(ROOT / "lessons")
SEEDS = (0, 1, 2)
# A driver's run() may return the model's own answer beside the learner's (under this key) so
# that compare() can explain the difference: those values are the reference's, not the learner's.
MODEL_KEY = "model"
# "(line 12 of your code)" in a Python error names a line, not a value.
LINE_NUMBERS = re.compile(r"\(?line \d+ of your code\)?|第 \d+ 行")
SUM = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)\s*([-+])\s*(-?\d+(?:\.\d+)?)(?![\w.])")


def values(data: Any, skip: str | None = None, keys: bool = False) -> set[Any]:
    """The numbers and texts in ``data`` (with ``keys``, its dicts' keys too), leaving out
    subtrees under the key ``skip``."""
    found: set[Any] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(v for k, v in item.items() if k != skip)
            if keys:
                stack.extend(k for k in item if k != skip)
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, int | float | str) and not isinstance(item, bool):
            found.add(_number(item))  # None, True and False: see departed()
    return found


def counts(data: Any, skip: str | None = None) -> set[Any]:
    """Positions, lengths and totals of every list and dict in ``data``: a message numbers,
    counts and adds up ("read 3", "step 2", "0 complete rows of 5", "hands out 86 pages")."""
    found: set[Any] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict | list | tuple):
            found.update(range(len(item) + 2))
            inside = [v for k, v in item.items() if k != skip] if isinstance(item, dict) else item
            numbers = [v for v in inside if isinstance(v, int | float) and not isinstance(v, bool)]
            if numbers:
                found.add(_number(sum(numbers)))
            stack.extend(inside)
    return found


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _forms(value: Any, known: set[str]) -> list[re.Pattern[str]]:
    """How a message would name ``value`` (a number also rounded, as the helpers show one),
    leaving out a form that is also how a ``known`` value is written."""
    if value is None or isinstance(value, bool):
        return [re.compile(rf"(?<!\w){value}(?!\w)")]
    if isinstance(value, int | float):
        shown = {str(value)}
        if isinstance(value, float) and math.isfinite(value):
            shown |= {f"{value:.4g}", str(round(value, 2))}
        return [re.compile(rf"(?<![\w.]){re.escape(s)}(?![\w]|\.\d)") for s in shown - known]
    if isinstance(value, str) and value.strip():
        text = re.escape(value)
        return [re.compile(rf"'{text}'|\"{text}\"|“{text}”|`{text}`")]
    return []


SINGLETONS = (None, True, False)


def departures(expected: Any, actual: Any) -> Iterable[tuple[Any, Any]]:
    """``(reference's, learner's)`` at each place where the learner's output departs from the
    reference's (``...`` where it has nothing)."""
    if isinstance(expected, dict):
        got = actual if isinstance(actual, dict) else {}
        for key, value in expected.items():
            yield from departures(value, got.get(key, ...))
    elif isinstance(expected, list | tuple):
        got = list(actual) if isinstance(actual, list | tuple) else []
        for i, value in enumerate(expected):
            yield from departures(value, got[i] if i < len(got) else ...)
    elif type(expected) is not type(actual) or expected != actual:
        yield expected, actual


def departed(expected: Any, actual: Any) -> set[Any]:
    """None, True and False where the reference's output holds one and the learner's holds
    something else: common words, they are the answer only where the learner's own wrong value
    is not one of them too ("gppn is None, which is wrong")."""
    pairs = list(departures(expected, actual))
    theirs = {a for e, a in pairs if any(a is x for x in SINGLETONS)}
    return {e for e, a in pairs if any(e is x for x in SINGLETONS) and e not in theirs}


def named_answers(
    message: dict[str, str], expected: Any, args: Any, output: Any, answers: Any = ...
) -> list[tuple[str, Any]]:
    """``(language, value)`` for each value of the reference's ``expected`` output that
    ``message`` names though the learner could not know it: it is not in the case's ``args``,
    in the learner's ``output`` (but for the model's answer beside it) or in ``answers`` (what
    the learner's functions were handed and gave, when recorded); None, True and False count
    only where the learner's output holds something else."""
    said = values(args, keys=True) | values(output, skip=MODEL_KEY)
    if answers is not ...:
        said |= values(answers, keys=True)
    known = said | counts(args) | counts(output, skip=MODEL_KEY)
    known |= {v - 1 for v in values(args) if type(v) is int}  # the last of n pages: 0..n-1
    theirs = values(expected)
    secret = {v for v in theirs if v not in known and v != ""} | departed(expected, output)
    # A sum or difference that comes to the answer names it, even where the learner's own
    # numbers add up to it too (with total and native right, total - native is the answer).
    sums = {v for v in theirs if v not in said}
    written = {str(v) for v in known}
    found = []
    for lang in ("en", "zh"):
        text = LINE_NUMBERS.sub("", message.get(lang, ""))
        for value in secret:
            if any(form.search(text) for form in _forms(value, written)):
                found.append((lang, value))
        for a, op, b in SUM.findall(text):
            total = _number(float(a) + float(b) if op == "+" else float(a) - float(b))
            if total in sums:
                found.append((lang, f"{a} {op} {b}"))
    return found


def programs(exercise: Any) -> Iterable[tuple[str, str]]:
    for wrong in exercise.wrong:
        yield f"wrong/{wrong.path.name}", wrong.code
    yield "starter.py", exercise.starter


def answer_leaks(exercise: Any, seeds: Iterable[int] = SEEDS) -> list[str]:
    """Each hidden-case message of ``exercise`` that names the reference's answer."""
    judge, problems = Judge(InProcessRunner()), []
    for seed in seeds:
        cases: list[Case] = exercise.cases(seed, "hidden")
        expected = judge.reference(exercise, cases)
        for name, code in programs(exercise):
            results: list[CaseResult] = judge.grade(exercise, code, seed, "hidden").cases
            runs: list[Any] = []  # the learner's own run, made only for a message in doubt
            for i, (case, result) in enumerate(zip(cases, results, strict=True)):
                # A message raised by run() is made without the reference's output; compare()'s
                # messages (rule "answer") are the ones that see it.
                if result.passed or result.rule != "answer":
                    continue
                want, output = expected[i].output, result.output
                found = named_answers(result.message, want, case.args, output)
                if found:  # what the learner's functions were handed and gave may be named
                    runs = runs or InProcessRunner().run(
                        code, exercise.driver, cases, exercise.limits
                    )
                    answers, output = runs[i].answers, runs[i].output  # not clipped
                    found = named_answers(result.message, want, case.args, output, answers)
                problems += [
                    f"{name}, seed {seed}, case {case.name!r}: the {lang} message names "
                    f"{value!r} of the reference's answer: {result.message[lang]}"
                    for lang, value in found
                ]
    return problems


@pytest.mark.parametrize("exercise", CATALOG.exercises(), ids=lambda e: e.id)
def test_hidden_feedback_never_names_the_reference_answer(exercise: Any) -> None:
    assert answer_leaks(exercise) == []


def test_the_check_catches_a_message_that_names_the_answer() -> None:
    expected = {"spec": None, "overhead": 2350, "fault": "pmap", "model": {"mpn": 0}}
    output = {"spec": {"vcpus": 2}, "overhead": 92762, "fault": "page_table"}
    args = {"host": {"cores": 8}}

    def named(en: str, zh: str = "无") -> list[tuple[str, Any]]:
        return named_answers({"en": en, "zh": zh}, expected, args, output)

    assert named("no spec fits: return None", "请返回 None") == [("en", None), ("zh", None)]
    assert named("overhead must be total - native = 92762 - 90412") == [("en", "92762 - 90412")]
    assert named("so fault is 'pmap'") == [("en", "pmap")]
    # What the learner returned, and the case's inputs, may be named.
    assert named("spec asks for 2 vCPUs of 8; overhead is 92762", "fault 是 'page_table'") == []


HAS_HAN = re.compile(f"[{HAN}]")
WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize("exercise", CATALOG.exercises(), ids=lambda e: e.id)
def test_every_case_has_a_chinese_title(exercise: Any) -> None:
    """The Chinese report names each case in Chinese: a title left as the English case name
    ("three hosts · equal hosts") is not one, unless it has no words to translate ("τ = 0")."""
    untranslated = set()
    for variant, seeds in (("practice", [0]), ("hidden", SEEDS)):
        for seed in seeds:
            for case in exercise.cases(seed, variant):
                title = case.label()
                same = title["zh"] == title["en"] and not HAS_HAN.search(title["zh"])
                if same and WORD.search(title["en"]):
                    untranslated.add(f"{variant}: {title['en']!r}")
    assert sorted(untranslated) == []
