"""What a guest's reads see on a host sliced among guests (lesson 1, who-sees-what)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Text, explain
from .slices import SIZE

EXPLANATIONS = {
    "unit": {
        "memory": {"en": "memory page {address}", "zh": "内存第 {address} 页"},
        "disk": {"en": "disk block {address}", "zh": "磁盘第 {address} 块"},
    },
    "count": {
        "en": "predict() returned {predicted} values, but the ops contain {reads} reads: one value "
        "per read, in order (writes and restarts add none)",
        "zh": "predict() 返回了 {predicted} 个值，但 ops 中有 {reads} 次读取：每次读取对应一个值，"
        "按顺序排列（写入和重启不产生值）",
    },
    "read": {
        "en": "read {n} ({guest!r}, {unit}): you predicted {guess!r}, which is wrong",
        "zh": "第 {n} 次读取（{guest!r}，{unit}）：你预测的是 {guess!r}，这不对",
    },
    "model_sees": {
        "en": " (the model's read sees {seen!r})",
        "zh": "（模型的这次读取看到的是 {seen!r}）",
    },
    "outside": {
        "en": "{address} is outside {own}: the hypervisor's bounds check refuses it, so it can "
        "never reach into the next guest's slice",
        "zh": "{address} 超出了{own}：虚拟机监控程序的边界检查拒绝了它，所以它永远伸不进下一台"
        "客户机的切片",
    },
    "negative": {
        "en": "{address} is outside {own}: a guest's addresses start at 0, so the hypervisor's "
        "bounds check refuses a negative one; it never wraps around to the end of the slice or "
        "reaches back into the previous guest's",
        "zh": "{address} 超出了{own}：客户机的地址从 0 开始，虚拟机监控程序的边界检查会拒绝负地址；"
        "它既不会绕回切片的末尾，也不会伸进前一台客户机的切片",
    },
    "inside": {
        "en": "{address} lies inside {own}, so the read is allowed",
        "zh": "{address} 在{own}之内，所以这次读取是允许的",
    },
    "refused_write": {
        "en": "{guess!r} was written by a refused write ({writer!r} past the end of its slice): a "
        "refused write lands nowhere, least of all in a neighbour's slice",
        "zh": "{guess!r} 来自一次被拒绝的写入（{writer!r} 越过了自己切片的末尾）：被拒绝的写入"
        "哪里都不会落下，更不会落进邻居的切片",
    },
    "refused_negative": {
        "en": "{guess!r} was written by a refused write ({writer!r} at a negative address): a "
        "refused write lands nowhere, neither at the end of the guest's own slice nor in a "
        "neighbour's",
        "zh": "{guess!r} 来自一次被拒绝的写入（{writer!r} 写的是负地址）：被拒绝的写入哪里都不会"
        "落下，既不会落在这台客户机自己切片的末尾，也不会落进邻居的切片",
    },
    "other_guest": {
        "en": "{guess!r} was written by {writer!r} into its own slice: {resource} {address} of "
        "{guest!r} is a different host frame, so it never sees another guest's writes",
        "zh": "{guess!r} 是 {writer!r} 写进它自己切片的：{guest!r} 的 {resource} "
        "{address} 是宿主机上另一个"
        "位置，所以它永远看不到别的客户机写入的内容",
    },
    "restart": {
        "memory": {
            "en": "a restart wipes the guest's memory (it is RAM); only its disk keeps what was "
            "written before",
            "zh": "重启会清空客户机的内存（它是 RAM）；只有磁盘会保留之前写入的内容",
        },
        "disk": {
            "en": "a restart keeps the disk: the virtual disk is a file on the host that survives "
            "power-off",
            "zh": "重启不会清空磁盘：虚拟磁盘是宿主机上的一个文件，断电后依然存在",
        },
    },
    "last_write": {
        "en": "a read sees the last value its own guest wrote at that address, or 0 if it never "
        "wrote there",
        "zh": "一次读取看到的，是它自己这台客户机最后一次写在这个地址的值；从没写过就是 0",
    },
}


def why_read(case: Mapping[str, Any], index: int, guess: Any, seen: Any) -> Text:
    """The isolation rule a prediction of read ``index`` breaks, worked out from the writes
    and restarts before it (``case``: the guests' sizes and the ops)."""
    ops, guests = case["ops"], case["guests"]
    reads = [i for i, op in enumerate(ops) if op[0] == "read"]
    history = ops[: reads[index]]
    _, guest, resource, address = ops[reads[index]]
    size = guests[guest][SIZE[resource]]
    own = explain(f"slices.slice.{resource}", size=size, guest=guest, last=size - 1)
    if seen == "refused" or guess == "refused":
        key = "inside" if seen != "refused" else "negative" if address < 0 else "outside"
        return explain(f"isolation.{key}", address=address, own=own)
    for op in (op for op in history if op[0] == "write" and op[4] == guess):
        if not 0 <= op[3] < guests[op[1]][SIZE[op[2]]]:
            key = "refused_negative" if op[3] < 0 else "refused_write"
            return explain(f"isolation.{key}", guess=guess, writer=op[1])
        if op[1] != guest:
            values = {"guess": guess, "writer": op[1], "resource": resource, "address": address}
            return explain("isolation.other_guest", guest=guest, **values)
    if any(op[0] == "restart" and op[1] == guest for op in history):
        return explain(f"isolation.restart.{resource}")
    return explain("isolation.last_write")


def wrong_read(case: Mapping[str, Any], index: int, guess: Any, seen: Any) -> Text:
    """The learner's prediction of read ``index`` and the isolation rule it breaks."""
    _, guest, resource, address = [op for op in case["ops"] if op[0] == "read"][index]
    unit = explain(f"isolation.unit.{resource}", address=address)
    head = explain("isolation.read", n=index + 1, guest=guest, unit=unit, guess=guess)
    why = why_read(case, index, guess, seen)
    return {"en": f"{head['en']}: {why['en']}", "zh": f"{head['zh']}：{why['zh']}"}
