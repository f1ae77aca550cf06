"""The report size budget (#11, made fast in #15): the quick check (``_within``) agrees with the
copying pass on every report shape, and ``fitted_json`` stores exactly what ``fit`` keeps."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.grading import report_budget
from tutor.grading.report_budget import _bounded, _within, fit, fitted_json

# Small bounds, so that short generated strings and lists cross them.
SMALL = {"MAX_TEXT": 6, "MAX_PRINTED": 9, "MAX_ITEMS": 4}

keys = st.sampled_from(["name", "stdout", "trace", "message", "passed", "cases", "x" * 8])
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=6)
        | st.tuples(inner, inner)
        | st.dictionaries(keys | st.integers(0, 3), inner, max_size=5)
    ),
    max_leaves=20,
)
reports = st.dictionaries(keys, values, max_size=6)


@pytest.fixture(autouse=True)
def small_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SMALL.items():
        monkeypatch.setattr(report_budget, name, value)


@settings(max_examples=80, deadline=None)
@given(reports)
def test_the_quick_check_agrees_with_the_copying_pass(report: dict[Any, Any]) -> None:
    assert _within(report) is (_bounded(report) is report)


@settings(max_examples=60, deadline=None)
@given(reports, st.sampled_from([40, 120, 400, 10_000]))
def test_fitted_json_is_fit_serialised(report: dict[str, Any], budget: int) -> None:
    text = fitted_json(report, budget)
    assert json.loads(text) == json.loads(json.dumps(fit(report, budget)))


def test_an_over_long_string_or_list_is_still_cut() -> None:
    report = {"stdout": "p" * 20, "msg": "m" * 20, "trace": list(range(10)), "ok": "short"}
    stored = json.loads(fitted_json(report))
    assert stored["stdout"].startswith("p" * 9) and "11 more characters" in stored["stdout"]
    assert stored["msg"].startswith("m" * 6) and "14 more characters" in stored["msg"]
    assert stored["trace"][:4] == [0, 1, 2, 3] and "6 more not shown" in stored["trace"][4]
    assert stored["ok"] == "short"
    assert report["trace"] == list(range(10))  # never changed in place


@pytest.mark.parametrize(
    "report",
    [
        {"score": math.inf},
        {"cases": [{"trace": [{"at": 1.5}, {"at": math.nan}]}]},
        {"output": [1, -math.inf]},
        {"cases": [{"output": {"load": math.nan}}]},
    ],
)
def test_a_non_finite_number_anywhere_is_refused(report: dict[str, Any]) -> None:
    """orjson (the fast path, #15) would write ``null`` for it: the check must catch it."""
    with pytest.raises(ValueError):
        fitted_json(report)


@settings(max_examples=200, deadline=None)
@given(reports)
def test_fitted_json_stores_the_data_the_standard_library_would(report: dict[str, Any]) -> None:
    try:
        expected = json.loads(json.dumps(fit(report), ensure_ascii=False, allow_nan=False))
    except ValueError:
        with pytest.raises(ValueError):
            fitted_json(report)
        return
    assert json.loads(fitted_json(report)) == expected
