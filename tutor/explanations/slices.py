"""How a hypervisor translates a guest's addresses into its slice of the host (lesson 1,
translate-address and who-sees-what)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Text, explain

EXPLANATIONS = {
    "access": {
        "memory": {
            "en": "{guest!r} memory page {address}: you returned {got!r}, which is wrong",
            "zh": "{guest!r} 的内存第 {address} 页：你返回了 {got!r}，这不对",
        },
        "disk": {
            "en": "{guest!r} disk block {address}: you returned {got!r}, which is wrong",
            "zh": "{guest!r} 的磁盘第 {address} 块：你返回了 {got!r}，这不对",
        },
    },
    "slice": {
        "memory": {
            "en": "the {size} pages of {guest!r} (0..{last})",
            "zh": "{guest!r} 的 {size} 页（0..{last}）",
        },
        "disk": {
            "en": "the {size} blocks of {guest!r} (0..{last})",
            "zh": "{guest!r} 的 {size} 块（0..{last}）",
        },
    },
    "refused": {
        "en": "{address} is outside {slice}, so the hypervisor refuses it: it translates only "
        "a guest's own addresses, never one past either end of its slice",
        "zh": "{address} 超出了{slice}，虚拟机监控程序会拒绝它：它只换算客户机自己的地址，"
        "从不换算超出切片两端的地址",
    },
    "belongs": {
        "memory": {
            "en": "; host page {got} belongs to {owner}",
            "zh": "；宿主机第 {got} 页属于 {owner}",
        },
        "disk": {
            "en": "; host block {got} belongs to {owner}",
            "zh": "；宿主机第 {got} 块属于 {owner}",
        },
    },
    "hypervisor_itself": {"en": "the hypervisor itself", "zh": "虚拟机监控程序自己"},
    "inside": {
        "en": "{address} lies inside {slice}: translate it, do not refuse it",
        "zh": "{address} 在{slice}之内：应当换算，而不是拒绝",
    },
    "own_number": {
        "en": "that is the guest's own number; the host address adds where its slice starts",
        "zh": "这是客户机自己的编号；宿主机地址还要加上它切片的起点",
    },
    "hypervisor_pages": {
        "en": "the first {pages} host pages are the hypervisor's own: guests' memory starts after "
        "them",
        "zh": "宿主机最前面的 {pages} 页属于虚拟机监控程序自己：客户机的内存从它们之后开始",
    },
    "disk_from_zero": {
        "en": "the hypervisor keeps memory pages, not disk blocks: the first slice of the disk "
        "starts at block 0",
        "zh": "虚拟机监控程序保留的是内存页，不是磁盘块：磁盘上的第一片切片从第 0 块开始",
    },
    "carved_in_order": {
        "en": "the slice of {guest!r} starts where the slices carved before it end (on memory, "
        "after the hypervisor's own pages), and each slice is as large as its guest's size",
        "zh": "{guest!r} 的切片从先切分出的各片结束的地方开始（内存还要排在虚拟机监控程序自己的"
        "页之后），每片的大小就是它那台客户机的大小",
    },
    "model_answer": {"en": " (the model's answer is {want!r})", "zh": "（模型的答案是 {want!r}）"},
}


SIZE = {"memory": "memory_pages", "disk": "disk_blocks"}


def why_translated(
    layout: Mapping[str, Any], guest: str, resource: str, address: int, want: Any, got: Any
) -> Text:
    """Why ``got`` is not where ``guest``'s ``address`` lives on the host (``want``, or
    ``None`` outside its slice): the slicing rule the learner's arithmetic missed."""
    size = next(g for g in layout["guests"] if g["name"] == guest)[SIZE[resource]]
    own = explain(f"slices.slice.{resource}", size=size, guest=guest, last=size - 1)
    pages = layout["hypervisor_pages"]
    if want is None:
        owner = _owner(layout, resource, got) if isinstance(got, int) else None
        tail = explain(f"slices.belongs.{resource}", got=got, owner=owner) if owner else {}
        refused = explain("slices.refused", address=address, slice=own)
        return {lang: refused[lang] + tail.get(lang, "") for lang in refused}
    if got is None:
        return explain("slices.inside", address=address, slice=own)
    if got == address:
        return explain("slices.own_number")
    if resource == "memory" and got == want - pages:
        return explain("slices.hypervisor_pages", pages=pages)
    if resource == "disk" and got == want + pages:
        return explain("slices.disk_from_zero")
    return explain("slices.carved_in_order", guest=guest)


def _owner(layout: Mapping[str, Any], resource: str, where: int) -> Any:
    """Whose slice (or the hypervisor's own pages) host address ``where`` is in, if anyone's."""
    start = layout["hypervisor_pages"] if resource == "memory" else 0
    if resource == "memory" and 0 <= where < start:
        return explain("slices.hypervisor_itself")
    for g in layout["guests"]:
        size = g[SIZE[resource]]
        if start <= where < start + size:
            return repr(g["name"])
        start += size
    return None
