"""The authoring kit: declared return shapes checked by the harness, and comparison helpers whose
sentences come from one catalogue and name the expected value only when allowed."""

from __future__ import annotations

import pytest

from tutor.grading.feedback import RULES, Feedback
from tutor.grading.harness import practice
from tutor.grading.shapes import ShapeError, check, describe

OVERHEAD = {"per_layer": {str: int}, "total": int, "dominant": (str, None)}


@pytest.mark.parametrize(
    ("value", "spec", "says"),
    [
        ("disk", [str], "path() must be a list of text, not str"),
        (["a", 3], [str], "path()[1] must be text, not int"),
        ({"total": 1, "dominant": None}, OVERHEAD, "has no key 'per_layer'"),
        ({"per_layer": [], "total": 1, "dominant": "x"}, OVERHEAD, "['per_layer'] must be a dict"),
        ({"per_layer": {"vm_exit": 1.5}, "total": 1, "dominant": "x"}, OVERHEAD, "whole number"),
        ({"per_layer": {}, "total": True, "dominant": "x"}, OVERHEAD, "['total'] must be a whole"),
        ({"per_layer": {}, "total": 1, "dominant": 4}, OVERHEAD, "text or None, not int"),
        # "a dict or None" (vm-spec's answer): a dict with a wrong inside says what is wrong,
        # never "must be a dict ... or None, not dict"
        ({"vcpus": 2.0}, ({"vcpus": int}, None), "path()['vcpus'] must be a whole number, not"),
        ({"vcpus": "2"}, ({"vcpus": int}, None), "path()['vcpus'] must be a whole number, not"),
        ({}, ({"vcpus": int}, None), "path() has no key 'vcpus'"),
        (["x", 1], ([str], None), "path()[1] must be text, not int"),
        ({"a": 1.5}, ({str: int}, None), "path()['a'] must be a whole number"),
        (3, ({"vcpus": int}, None), "must be a dict with the keys 'vcpus' or None, not int"),
    ],
)
def test_a_wrong_shape_is_named_where_it_departs(value: object, spec: object, says: str) -> None:
    with pytest.raises(ShapeError) as caught:
        check(value, spec, "path()")
    assert says in str(caught.value)
    assert caught.value.zh and caught.value.zh != str(caught.value)


@pytest.mark.parametrize(
    ("spec", "zh"),
    [
        ((str, None), "文本或 None"),
        ([bool], "由 True 或 False 组成的列表"),
        (({"vcpus": int}, None), "含有键 'vcpus' 的 dict 或 None"),
        ([str], "由文本组成的列表"),
    ],
)
def test_the_chinese_shape_words_are_spaced_as_the_sites_chinese(spec: object, zh: str) -> None:
    assert describe(spec)[1] == zh


def test_a_right_shape_passes() -> None:
    check(["a", "b"], [str], "f()")
    check({"per_layer": {"vm_exit": 2}, "total": 3, "dominant": None}, OVERHEAD, "f()")
    check(2, float, "f()")
    assert describe({str: int})[0] == "a dict of text -> a whole number"


DRIVER = """
RETURNS = {"path": [str]}
ENTRY_POINTS = {"path": "path(kind)"}


def run(submission, args, trace):
    return {"path": submission.path(args["kind"])}


def compare(args, expected, actual, reveal=False):
    return None
"""


def test_the_harness_checks_the_declared_shape_of_what_the_learner_returns() -> None:
    cases = [{"name": "one", "args": {"kind": "x"}, "expected": {"path": []}}]
    wrong = practice("def path(kind):\n    return 'disk'\n", DRIVER, cases, 1000)
    assert wrong["verdict"] == "failed"
    assert "path() must be a list of text, not str" in wrong["message"]["en"]
    assert "path() 必须是由文本组成的列表，而不是" in wrong["message"]["zh"]
    right = practice("def path(kind):\n    return []\n", DRIVER, cases, 1000)
    assert right["verdict"] == "passed"


def test_feedback_names_the_expected_value_only_when_revealed() -> None:
    why = {"en": "add every layer", "zh": "把每一层加起来"}
    hidden = Feedback(reveal=False).equal("total", 95_150, 91_150, why=why)
    assert hidden == {
        "en": "total is 91150, which is wrong: add every layer",
        "zh": "total 是 91150，这个值不对：把每一层加起来",
    }
    shown = Feedback(reveal=True).equal("total", 95_150, 91_150)
    assert shown is not None and shown["en"].endswith("(expected 95150)")
    assert Feedback().equal("total", 1, 1) is None


def test_feedback_on_mappings_explains_extra_and_missing_items_from_tables() -> None:
    roles = {"vm_exit": {"en": "the trap is overhead", "zh": "陷入是开销"}}
    native = {"disk": {"en": "the device is not overhead", "zh": "设备不是开销"}}
    check = Feedback()
    extra = check.items("per_layer", {"vm_exit": 1}, {"vm_exit": 1, "disk": 9}, roles, native)
    assert extra == {
        "en": "per_layer lists 'disk', which does not belong there: the device is not overhead",
        "zh": "per_layer 列出了 'disk'，但它不应该出现在这里：设备不是开销",
    }
    missing = check.items("per_layer", {"vm_exit": 1}, {}, roles)
    assert (
        missing is not None
        and missing["en"] == "per_layer is missing 'vm_exit': the trap is overhead"
    )
    value = check.items("per_layer", {"vm_exit": 1}, {"vm_exit": 2})
    assert value is not None and "expected" not in value["en"]
    assert Feedback.first(None, missing, extra) == missing
    # Every rule of the catalogue speaks both languages.
    assert all(set(text) == {"en", "zh"} for text in RULES.values())


def test_numbers_checks_the_length_then_the_first_number_off() -> None:
    why = {"en": "one per round", "zh": "每轮一个"}
    check = Feedback(reveal=True)
    assert check.numbers("sent", [1.0, 0.5], [1.0, 0.5 + 1e-12]) is None
    short = check.numbers("sent", [1.0, 0.5], [1.0], why_count=why)
    assert (
        short is not None
        and short["en"] == "len(sent) is 1, which is wrong: one per round (expected 2)"
    )
    off = Feedback().numbers("sent", [1.0, 0.5], [1.0, 0.25], why=why)
    assert off is not None and off["en"] == "sent[1] is 0.25, which is wrong: one per round"
    assert off["zh"] == "sent[1] 是 0.25，这个值不对：每轮一个"


def test_broken_names_the_first_rule_that_holds_with_its_own_values() -> None:
    rules = [(False, "bad_page"), (True, "too_long", {"length": 9}), (True, "bad_page")]
    message = Feedback.broken("paging.belady", rules, limit=8, page=3, pages=4)
    assert message is not None
    assert message["en"] == "the string has 9 references, more than the 8 allowed"
    assert message["zh"] == "序列有 9 次访问，超过了允许的 8 次"
    assert Feedback.broken("paging.belady", [(False, "too_long")]) is None


def test_revealing_adds_an_answer_only_when_there_is_one_to_reveal() -> None:
    message = {"en": "wrong", "zh": "不对"}
    answer = {"en": " (it is {x})", "zh": "（应为 {x}）"}
    assert Feedback(reveal=True).revealing(message, None) == message
    assert Feedback(reveal=False).revealing(message, answer, x=1) == message
    assert Feedback(reveal=True).revealing(message, answer, x=1)["zh"] == "不对（应为 1）"
    literal = {"en": " (a set {1, 2})", "zh": "（集合 {1, 2}）"}  # already filled: braces stay
    assert Feedback(reveal=True).revealing(message, literal)["en"] == "wrong (a set {1, 2})"
    assert Feedback.joined(message, {"en": ". More", "zh": "。更多"})["zh"] == "不对。更多"


def test_a_step_that_never_belongs_is_not_explained_by_why_it_is_crossed_elsewhere() -> None:
    """``why`` says why a layer is crossed; said after "never belongs in this path" it read as
    the opposite ("'guest_app' never belongs in this path: the request starts in an application
    inside the guest"). Only ``why_not`` explains an item that is not there."""
    crossed = {"app": {"en": "the request starts in an application", "zh": "请求从应用开始"}}
    never = Feedback().sequence("path", ["kernel", "disk"], ["app", "disk"], why=crossed)
    assert never is not None and "never belongs" in never["en"]
    assert "starts in an application" not in never["en"] and "应用" not in never["zh"]
    skipped = {"app": {"en": "it is marked to be skipped", "zh": "它被标记为跳过"}}
    told = Feedback().sequence("path", ["kernel", "disk"], ["app", "disk"], why_not=skipped)
    assert told is not None and told["en"].endswith("it is marked to be skipped")
    # A revealed step is still explained by why it is crossed.
    revealed = Feedback(reveal=True).sequence(
        "path", ["app", "disk"], ["kernel", "disk"], why=crossed, known=["app", "kernel", "disk"]
    )
    assert revealed is not None and "starts in an application" in revealed["en"]
