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
    ],
)
def test_a_wrong_shape_is_named_where_it_departs(value: object, spec: object, says: str) -> None:
    with pytest.raises(ShapeError) as caught:
        check(value, spec, "path()")
    assert says in str(caught.value)
    assert caught.value.zh and caught.value.zh != str(caught.value)


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
    assert "path() 必须是：由文本组成的列表" in wrong["message"]["zh"]
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
