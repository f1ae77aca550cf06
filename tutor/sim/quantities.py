"""What the model accepts as a count, a size or a name, checked where a call hands it over.

A learner's call gives the model counts (vCPUs, pages, blocks), page and block numbers, sizes
(MB, watts, a load) and names. Python itself would take a float where a count belongs, ``True``
for a number, NaN for a size or a dict for a name, and the model would then either go on in a
state that means nothing (a pool with NaN pages free) or fail later with an error about Python
instead of the rule. Each function here refuses such a value at the call that passed it, as an
``InvalidOperation`` in English and Chinese that names the argument and the values it takes.

Two choices hold everywhere: ``bool`` is not a number here (``True`` is not one page), and NaN
and infinity are not sizes of anything. A value that passes is returned unchanged, so a valid
call behaves, and traces, exactly as it did before the check.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Sized
from typing import TypeVar

from .errors import InvalidOperation

T = TypeVar("T")

Words = tuple[str, str]
"""One phrase in both languages: ``(English, Chinese)``, e.g. the argument a check is about."""

_SHOWN = 60
"""Longest repr of a refused value shown in a message."""


def whole_number(
    value: object,
    what: Words,
    *,
    least: int | None = None,
    below: int | None = None,
    hint: Words | None = None,
    limit: str | None = None,
) -> int:
    """``value`` as a count or a number of a page, block, port ...: an ``int`` (not a bool),
    at least ``least`` and below ``below`` where they are given. ``limit`` names the module
    constant ``below - 1`` comes from, for a size the model limits: a value above it is refused
    with ``limit_hint``."""
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and (least is None or value >= least)
        and (below is None or value < below)
    ):
        return value
    if (
        limit is not None
        and below is not None
        and isinstance(value, int)
        and not isinstance(value, bool)
        and value >= below
    ):
        named = limit_hint(limit, below - 1)
        hint = named if hint is None else (f"{hint[0]}; {named[0]}", f"{hint[1]}；{named[1]}")
    if least is not None and below is not None:
        rule = (
            f"a whole number from {least} to {below - 1}",
            f"介于 {least} 到 {below - 1} 之间的整数",
        )
    elif least is not None:
        rule = (f"a whole number of at least {least}", f"不小于 {least} 的整数")
    elif below is not None:
        rule = (f"a whole number below {below}", f"小于 {below} 的整数")
    else:
        rule = ("a whole number (an int)", "整数（int）")
    raise _refused(value, what, rule, hint)


def finite_number(
    value: object,
    what: Words,
    *,
    least: float | None = None,
    most: float | None = None,
    positive: bool = False,
    hint: Words | None = None,
) -> float:
    """``value`` as a size or a rate: an ``int`` or ``float`` (not a bool, NaN or infinity),
    greater than 0 if ``positive``, within ``least`` and ``most`` where they are given."""
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and (not positive or value > 0)
        and (least is None or value >= least)
        and (most is None or value <= most)
    ):
        return value
    if least is not None and most is not None:
        rule = (
            f"a number from {least} to {most}",
            f"介于 {least} 到 {most} 之间的有限数",
        )
    elif positive:
        rule = ("a number greater than 0", "大于 0 的有限数")
    elif least is not None:
        rule = (f"a number of at least {least}", f"不小于 {least} 的有限数")
    elif most is not None:
        rule = (f"a number of at most {most}", f"不大于 {most} 的有限数")
    else:
        rule = ("a finite number", "有限数")
    raise _refused(value, what, rule, hint)


def name_of(value: object, what: Words, *, hint: Words | None = None) -> str:
    """``value`` as the name of a guest, host, disk, snapshot ...: a non-empty ``str``."""
    if isinstance(value, str) and value:
        return value
    raise _refused(value, what, ("a name (a non-empty str)", "名字（非空的 str）"), hint)


def hashable(value: object, what: Words, *, hint: Words | None = None) -> Hashable:
    """``value`` as something the model can keep as a key: a number, a str, a tuple of them."""
    try:
        hash(value)
    except TypeError:
        rule = ("a number, a str or a tuple of them", "数、str 或由它们组成的 tuple")
        raise _refused(value, what, rule, hint) from None
    return value


def limit_hint(name: str, limit: int) -> Words:
    """Why a size above ``limit`` is refused: the module constant ``name`` that sets the limit.

    Every size that drives the model's work (servers, jobs, frames, vCPUs ...) has such a
    limit, chosen so that the largest allowed call stays quick in CPython and in Pyodide."""
    return (
        f"{name} = {limit} is the model's limit, so that one call stays quick",
        f"模型的上限是 {name} = {limit}，这样一次调用才能很快完成",
    )


def within_limit(count: float, what: Words, name: str, limit: int) -> float:
    """``count`` (how much work a call would give the model: jobs, turns, vCPUs ...) if it is
    at most ``limit``; refused above it, naming the limit, before any of the work is done."""
    if count <= limit:
        return count
    text = str(int(count)) if math.isfinite(count) and count < 1e15 else f"{count:.3g}"
    hint_en, hint_zh = limit_hint(name, limit)
    raise InvalidOperation(
        f"{what[0]}: {text} is more than {limit}; {hint_en}",
        zh=f"{what[1]}：{text} 超过了 {limit}；{hint_zh}",
    )


def limited_list(items: Iterable[T], what: Words, name: str, limit: int) -> list[T]:
    """``items`` as a list, refused (naming ``name``) when there are more than ``limit``; a
    generator is read no further than one past the limit, so an endless one is refused too."""
    if not isinstance(items, Sized):
        items = itertools.islice(items, limit + 1)
        what = (
            f"{what[0]}, counted to one past the limit",
            f"{what[1]}（只数到比上限多一个）",
        )
    else:
        within_limit(len(items), what, name, limit)  # before copying a huge list
    listed = list(items)
    within_limit(len(listed), what, name, limit)
    return listed


def shown(value: object) -> Words:
    """A refused value as a message shows it: its repr, and why it is not what was asked."""
    text = repr(value)
    if len(text) > _SHOWN:
        text = text[: _SHOWN - 1] + "…"
    if isinstance(value, bool):
        return (
            f"{text} (True and False are not numbers here)",
            f"{text}（True 和 False 在这里不算数）",
        )
    if isinstance(value, float) and not math.isfinite(value):
        return (
            f"{text} (NaN and infinity are not values the model accepts)",
            f"{text}（NaN 和无穷大不是有效的数值）",
        )
    if isinstance(value, int | float):
        return text, text
    kind = type(value).__name__
    return f"{text} (a {kind})", f"{text}（{kind} 类型）"


def _refused(value: object, what: Words, rule: Words, hint: Words | None) -> InvalidOperation:
    value_en, value_zh = shown(value)
    what_zh, rule_zh = what[1], rule[1]
    en = f"{what[0]} must be {rule[0]}, not {value_en}"
    zh = f"{what_zh}：必须是{rule_zh}，而不是 {value_zh}"
    if hint is not None:
        hint_zh = hint[1]
        en, zh = f"{en}; {hint[0]}", f"{zh}；{hint_zh}"
    return InvalidOperation(en, zh=zh)
