"""What a learner's function must return, declared once by the driver and checked by the harness.

A driver writes ``RETURNS = {"path": [str]}`` or ``RETURNS = {"overhead": {"total": int,
"per_layer": {str: int}, "dominant": (str, None)}}`` instead of hand-written ``isinstance``
checks; the harness wraps the learner's function so a wrong shape fails with one clear sentence in
both languages ("overhead()['per_layer'] must be a dict of text -> whole number, not list").

A spec is a type (``int``, ``str``, ``float``, ``bool``), ``None``, a one-element list ``[spec]``
(a list of that), a dict ``{str: spec}`` with one type key (a mapping), a dict of named keys (a
record: each key required), or a tuple of specs (any one of them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NoReturn

Spec = Any

NAMES = {
    int: ("a whole number", "整数"),
    float: ("a number", "数字"),
    str: ("text", "文本"),
    bool: ("True or False", "True 或 False"),
    type(None): ("None", "None"),
}


class ShapeError(TypeError):
    """The learner's function returned something of the wrong shape; ``zh`` is the Chinese."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


def describe(spec: Spec) -> tuple[str, str]:
    """The spec in words, English and Chinese."""
    if spec is None:
        return NAMES[type(None)]
    if isinstance(spec, type):
        return NAMES.get(spec, (spec.__name__, spec.__name__))
    if isinstance(spec, tuple):
        words = [describe(s) for s in spec]
        return " or ".join(w[0] for w in words), _spaced("或".join(w[1] for w in words))
    if isinstance(spec, list):
        en, zh = describe(spec[0])
        return f"a list of {en}", _spaced(f"由{zh}组成的列表")
    if _is_mapping(spec):
        ((key, value),) = spec.items()
        ken, kzh = describe(key)
        ven, vzh = describe(value)
        return f"a dict of {ken} -> {ven}", f"dict（{kzh} -> {vzh}）"
    keys = ", ".join(repr(k) for k in spec)
    return f"a dict with the keys {keys}", f"含有键 {keys} 的 dict"


def _spaced(text: str) -> str:
    """A space wherever a Chinese character meets a Latin letter or digit, as the site's Chinese
    text is written (a type name such as None between Chinese words)."""
    out: list[str] = []
    for char in text:
        if out and ((_han(out[-1]) and _latin(char)) or (_latin(out[-1]) and _han(char))):
            out.append(" ")
        out.append(char)
    return "".join(out)


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _is_mapping(spec: Spec) -> bool:
    return isinstance(spec, dict) and len(spec) == 1 and isinstance(next(iter(spec)), type)


def _container_of(value: object, spec: Spec) -> bool:
    """Whether ``value`` is the dict or list ``spec`` asks for (its inside may still be wrong)."""
    if isinstance(spec, dict):
        return isinstance(value, dict)
    if isinstance(spec, list):
        return isinstance(value, (list, tuple))
    return False


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


# What a Chinese reader is told a wrong value was: Python's name, with the word for it.
KINDS_ZH = {
    "int": "整数",
    "float": "小数",
    "str": "文本",
    "bool": "True/False",
    "list": "列表",
    "tuple": "元组",
    "dict": "字典",
    "set": "集合",
}


def _kind_zh(value: object) -> str:
    name = _kind(value)
    word = KINDS_ZH.get(name)
    return f"{name}（{word}）" if word else name


def check(value: object, spec: Spec, where: str) -> None:
    """Raise ``ShapeError`` naming the first place where ``value`` departs from ``spec``."""
    if isinstance(spec, tuple):
        failures = []
        for option in spec:
            try:
                check(value, option, where)
                return
            except ShapeError as exc:
                failures.append((option, exc))
        for option, failure in failures:
            if _container_of(value, option):  # the right kind, wrong inside: say where
                raise failure
        _fail(value, spec, where)
    if spec is None or isinstance(spec, type):
        wanted = type(None) if spec is None else spec
        # bool is an int in Python, but True is not an answer for "how many cycles".
        if isinstance(value, bool) and wanted is not bool:
            _fail(value, spec, where)
        if wanted is float and isinstance(value, int):
            return
        if not isinstance(value, wanted):
            _fail(value, spec, where)
        return
    if isinstance(spec, list):
        if not isinstance(value, (list, tuple)):
            _fail(value, spec, where)
        for i, item in enumerate(value):
            check(item, spec[0], f"{where}[{i}]")
        return
    if not isinstance(value, dict):
        _fail(value, spec, where)
    if _is_mapping(spec):
        ((key_spec, value_spec),) = spec.items()
        for key, item in value.items():
            check(key, key_spec, f"a key of {where}")
            check(item, value_spec, f"{where}[{key!r}]")
        return
    for key, item_spec in spec.items():
        if key not in value:
            raise ShapeError(
                f"{where} has no key {key!r}; it must be {describe(spec)[0]}",
                _spaced(f"{where} 缺少键 {key!r}；它必须是 {describe(spec)[1]}"),
            )
        check(value[key], item_spec, f"{where}[{key!r}]")


def _fail(value: object, spec: Spec, where: str) -> NoReturn:
    en, zh = describe(spec)
    raise ShapeError(
        f"{where} must be {en}, not {_kind(value)}",
        _spaced(f"{where} 必须是{zh}，而不是{_kind_zh(value)}"),
    )


def returning(function: Callable[..., Any], spec: Spec, name: str) -> Callable[..., Any]:
    """``function``, whose every return value is checked against ``spec``."""

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        value = function(*args, **kwargs)
        check(value, spec, f"{name}()")
        return value

    return checked
