"""Linked clones and copy-on-write storage (lesson 3, clone-storage)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import explain

EXPLANATIONS = {
    "guests": {
        "en": "it must name every guest of the plan, the golden VM included, and nothing else",
        "zh": "它必须列出计划中的每一台客户机（包括黄金镜像所在的虚拟机），不能多也不能少",
    },
    "written_twice": {
        "en": "that counts one per write, and a block written twice is stored once: a delta "
        "keeps one copy of each block, the latest value",
        "zh": "这是每次写入算一个，但同一个块写两次只存一份：增量只为每个块保存一份副本，"
        "也就是最新的值",
    },
    "frozen": {
        "en": "what {name!r} wrote before a linked clone was made from it was frozen into the "
        "shared, read-only base: its own delta started empty again at that moment",
        "zh": "从 {name!r} 制作链接克隆之前，它写入的内容已经被冻结进共享的只读基础镜像："
        "从那一刻起，它自己的增量重新从空开始",
    },
    "own_delta": {
        "en": "it is not the number of blocks in the own delta of {name!r}: count the distinct "
        "blocks it wrote since its delta was started (when it was created, or when a clone was "
        "last made from it)",
        "zh": "它不等于 {name!r} 自己的增量中的块数：数一数自它的增量开始以来（创建时，"
        "或最近一次从它制作克隆时）它写过的不同块",
    },
    "forgets_base": {
        "en": "that is only the guests' own deltas: it leaves out the frozen layers, such as the "
        "base image {golden!r} wrote before it was cloned, which are stored once and shared by "
        "every clone",
        "zh": "这只算了各台客户机自己的增量：它漏掉了被冻结的层，例如 {golden!r} "
        "在被克隆之前写入的基础镜像，这些层只存一份，由所有克隆共享",
    },
    "full_copies": {
        "en": "that is as if every clone were a full copy: a linked clone's disk points at the "
        "shared base, so only its copy-on-write delta is new storage",
        "zh": "这就好像每个克隆都是一份完整副本：链接克隆的磁盘指向共享的基础镜像，"
        "只有它的写时复制增量才占用新的存储",
    },
    "every_write": {
        "en": "that counts one per write, but a block written twice into the same layer is "
        "stored once",
        "zh": "这是每次写入算一个，但同一层里同一个块写两次只存一份",
    },
    "total": {
        "en": "it is not what the model stores: every layer once — the frozen shared layers plus "
        "each guest's own delta",
        "zh": "它与模型实际存储的不一致：每一层只算一次——被冻结的共享层，加上每台客户机自己的增量",
    },
}


def deltas(plan: Mapping[str, Any]) -> dict[str, list[list[int]]]:
    """Each guest's write lists, split where a clone froze its delta: {guest: [[blocks], ...]}."""
    split: dict[str, list[list[int]]] = {plan["golden"]: [[]]}
    for step in plan["steps"]:
        if step[0] == "write":
            split[step[1]][-1].extend(step[2])
        else:
            split[step[1]].append([])
            split[step[2]] = [[]]
    return split


def forecast_reasons(
    plan: Mapping[str, Any], measured: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What ``Feedback.items`` (per guest) and ``Feedback.equal`` (the total) say about a
    storage forecast: why each
    guest's delta holds what it does, and the counts the common mistakes give (every block a
    guest ever wrote, a block written twice counted twice, every write, full copies, the
    golden image's base forgotten) with why each is wrong."""
    split, golden = deltas(plan), plan["golden"]
    why_value: dict[str, Any] = {}
    mistakes: dict[str, Any] = {}
    for name in measured["per_guest"]:
        own = split[name][-1]
        every = len({b for layer in split[name] for b in layer})
        mistakes[name] = {every: explain("clones.frozen", name=name)}
        if len(own) != len(set(own)):
            mistakes[name][len(own)] = explain("clones.written_twice")
        why_value[name] = explain("clones.own_delta", name=name)
    writes = sum(len(layer) for guest in split.values() for layer in guest)
    total = {
        writes: explain("clones.every_write"),
        measured["full_copies"]: explain("clones.full_copies"),
        sum(measured["per_guest"].values()): explain("clones.forgets_base", golden=golden),
    }
    guests = explain("clones.guests")
    per_guest = {"why": guests, "why_extra": guests, "why_value": why_value, "mistakes": mistakes}
    return per_guest, {"why": explain("clones.total"), "mistakes": total}
