"""Binary translation vs hardware assist (lesson 8: technique-choice, break-even)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Text, explain

EXPLANATIONS = {
    "names": {
        "native": {"en": "native", "zh": "原生"},
        "bt": {"en": "binary translation", "zh": "二进制翻译"},
        "hw": {"en": "hardware assist", "zh": "硬件辅助"},
    },
    "cycles": {
        "missing": {
            "en": "cycles has no entry {technique!r} ({name})",
            "zh": "cycles 里缺少 {technique!r}（{name}）",
        },
        "published": {
            "en": "cycles[{technique!r}] is {got}, what the published table gives, but this CPU "
            "was measured: take each operation's cost from per_op in its event",
            "zh": "cycles[{technique!r}] 是 {got}，这是公开表格给出的值，"
            "但这台 CPU 是实测过的：每种操作的代价要从它的事件里的 per_op 读取",
        },
        "sum": {
            "en": "cycles[{technique!r}] is {got}, not the sum over the events of count × "
            "per_op[{technique!r}] ({name})",
            "zh": "cycles[{technique!r}] 是 {got}，不等于各事件的 count × "
            "per_op[{technique!r}] 之和（{name}）",
        },
    },
    "cheaper": {
        "en": "cheaper is {got!r}, but it must name the technique, 'bt' or 'hw', with fewer "
        "cycles by your own (correct) totals; a tie goes to 'hw'",
        "zh": "cheaper 是 {got!r}，但它必须是周期数更少的技术（'bt' 或 'hw'），"
        "按你自己（正确）的总数来判断；相等时算 'hw'",
    },
    "decisive": {
        "en": "decisive is {got!r}, but that is not the operation whose count × (loser's cost − "
        "winner's cost) is largest: the one that decided the comparison",
        "zh": "decisive 是 {got!r}，但它不是 count ×（落败者的代价 − "
        "胜出者的代价）最大的那种操作，也就是决定胜负的那种操作",
    },
    "decisive_tie": {
        "en": "decisive is {got!r}, which ties for the largest count × (loser's cost − winner's "
        "cost) with an operation that comes before it in events: a tie goes to the first one",
        "zh": "decisive 是 {got!r}，它的 count ×（落败者的代价 − 胜出者的代价）与 events 中"
        "排在它前面的一种操作并列最大：并列时取排在前面的那种",
    },
    "expected": {"en": " (expected {value})", "zh": "（应为 {value}）"},
    "break_even": {
        "negative": {
            "en": "break_even returned {n}: a number of writes is 0 or more",
            "zh": "break_even 返回了 {n}：写入次数是 0 或更大的整数",
        },
        "never": {
            "en": "on this hardware one PTE write costs hardware assist {hw} cycles and binary "
            "translation {bt}: each extra write favours hardware assist, so no number of writes "
            "makes BT cheaper",
            "zh": "在这种硬件上，一次页表项写入在硬件辅助下花 {hw} 个周期，"
            "在二进制翻译下花 {bt} 个：每多一次写入都对硬件辅助更有利，"
            "所以再多的写入也不会让二进制翻译更便宜",
        },
        "missed": {
            "en": "you answered None, but here one PTE write costs hardware assist {hw} cycles "
            "and binary translation only {bt}: enough extra writes always make BT cheaper",
            "zh": "你回答了 None，但在这里一次页表项写入在硬件辅助下花 {hw} 个周期，"
            "在二进制翻译下只花 {bt} 个：只要写入足够多，二进制翻译总会更便宜",
        },
        "too_small": {
            "en": "with {n} extra PTE writes the model still finds hardware assist no slower than "
            "binary translation (a tie goes to hardware assist): the answer is larger",
            "zh": "多加 {n} 次页表项写入后，模型算出硬件辅助仍不比二进制翻译慢"
            "（相等时算硬件辅助）：答案应该更大",
        },
        "too_large": {
            "en": "with {n} extra PTE writes binary translation is cheaper, but the model finds "
            "it cheaper with one write fewer too: the break-even point is the smallest number "
            "of extra writes at which binary translation is cheaper",
            "zh": "多加 {n} 次页表项写入时二进制翻译确实更便宜，但模型算出少写一次时它也已经"
            "更便宜了：平衡点是让二进制翻译更便宜的最少额外写入次数",
        },
    },
}


def break_even_problem(
    want: int | None, actual: Mapping[str, Any], cost: Mapping[str, int]
) -> tuple[Text, Text | None] | None:
    """What is wrong with a predicted break-even point (the model's verdicts at it and one
    write before it in ``actual``; ``cost``: a page-table write's cycles under each technique),
    and the reference's point, to name only when revealed."""
    n = actual["writes"]
    if want is None or n is None:
        key = "never" if n is not None else "missed" if want is not None else None
        if key is None:
            return None
        message = explain(f"techniques.break_even.{key}", hw=cost["hw"], bt=cost["bt"])
        return message, explain("techniques.expected", value=want)
    if actual["bt_wins_at"] and not actual["bt_wins_before"]:
        return None
    # Said on the learner's own number: n - 1 would be the answer itself when n is one too many.
    key = "too_large" if actual["bt_wins_at"] else "too_small"
    message = explain(f"techniques.break_even.{key}", n=n)
    return message, explain("techniques.expected", value=want)
