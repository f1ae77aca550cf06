"""The grading server's fast JSON (#15) reads and writes exactly what the standard library does:
the same values of the same types, the same refusals, whichever library ran."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.grading.json_text import parse, plain


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (``1 == 1.0`` is not enough here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


data = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()  # 65-bit and wider too: orjson reads those as floats
    | st.integers(min_value=10**18, max_value=2**66)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),  # unpaired surrogates too
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(data)
def test_parse_reads_what_the_standard_library_reads(value: Any) -> None:
    text = json.dumps(value)
    assert same(parse(text), json.loads(text))
    raw = json.dumps(value, ensure_ascii=False)
    assert same(parse(raw), json.loads(raw))


@settings(max_examples=400, deadline=None)
@given(data)
def test_plain_writes_text_the_standard_library_reads_back_as_the_same_data(value: Any) -> None:
    assert same(json.loads(plain(value)), json.loads(json.dumps(value)))


@pytest.mark.parametrize(
    "text",
    [
        "[18446744073709551616]",  # one past 64 bits: a float in orjson, an int here
        '{"output": -123456789012345678901234567890}',
        "[1e400]",  # out of a float's range: inf, as the standard library reads it
        '"\\ud800"',  # an unpaired surrogate escape
        "[NaN, Infinity]",
        '{"a": 1, "a": 2}',
    ],
)
def test_what_orjson_would_read_otherwise_is_read_by_the_standard_library(text: str) -> None:
    assert same(parse(text), json.loads(text))


def test_parse_constant_still_refuses_non_finite_numbers() -> None:
    def refuse(name: str) -> None:
        raise ValueError(f"no {name}")

    with pytest.raises(ValueError, match="no NaN"):
        parse('{"x": NaN}', parse_constant=refuse)
    assert parse('{"x": 1.5}', parse_constant=refuse) == {"x": 1.5}


@pytest.mark.parametrize("text", ["", "[1,]", "[01]", "{'a': 1}", "[1] x"])
def test_malformed_text_is_refused_as_the_standard_library_refuses_it(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        parse(text)
