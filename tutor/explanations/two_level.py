"""Two translations, guest-virtual to guest-physical to machine (lesson 10,
two-level-translation): which table a wrong translation misread, and which of the two faults."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Text, explain

FAULTS = (None, "page_table", "pmap")

EXPLANATIONS = {
    "access": {
        "en": "access {n} ({guest!r}, virtual page {gvpn}): {field} is {got!r}, which is wrong",
        "zh": "第 {n} 次访问（{guest!r} 的虚拟页 {gvpn}）：{field} 是 {got!r}，这不对",
    },
    "fault_values": {
        "en": "fault is None (both translations succeed), 'page_table' (the guest's page table "
        "has no entry) or 'pmap' (the hypervisor's pmap has none)",
        "zh": "fault 只能是 None（两层转换都成功）、'page_table'（客户机的页表里没有条目）"
        "或 'pmap'（虚拟机监控程序的 pmap 里没有条目）",
    },
    "no_entry": {
        "en": "virtual page {gvpn} has no entry in the guest's page table, so the first "
        "translation already faults: there is no guest-physical page to look up in the pmap, "
        "and the fault is the guest's own, in its own table (the guest OS handles it)",
        "zh": "虚拟页 {gvpn} 在客户机的页表里没有条目，所以第一层转换就发生缺页异常：没有可以拿去"
        "查 pmap 的客户机物理页，这次缺页异常出在客户机自己的表里（由客户机操作系统处理）",
    },
    "mapped": {
        "en": "virtual page {gvpn} is in the guest's page table, so the first translation "
        "succeeds and gives a guest-physical page",
        "zh": "虚拟页 {gvpn} 在客户机的页表里，所以第一层转换成功，得到一个客户机物理页",
    },
    "not_first": {
        "en": "virtual page {gvpn} is in the guest's page table, so the first translation "
        "succeeds; looking it up in the pmap instead, which has no entry for it, applies the two "
        "tables in the wrong order: the guest's page table comes first (guest-virtual to "
        "guest-physical), the hypervisor's pmap second (guest-physical to machine)",
        "zh": "虚拟页 {gvpn} 在客户机的页表里，所以第一层转换成功；改到 pmap 里去查它（pmap 里没有"
        "它的条目），就把两张表的使用顺序弄反了：先用客户机的页表（客户机虚拟页到客户机物理页），"
        "再用虚拟机监控程序的 pmap（客户机物理页到机器页框）",
    },
    "hidden_fault": {
        "en": "; the entry missing is the hypervisor's: its pmap has none for that guest-physical "
        "page, so it is the second translation that faults. The hypervisor backs the page with "
        "a frame (or swaps it back in) itself, and the guest never sees this fault",
        "zh": "；缺的是虚拟机监控程序那一层的条目：它的 pmap 里没有这个客户机物理页，所以发生缺页"
        "异常的是第二层转换。虚拟机监控程序自己为这个页分配页框（或者把它换入），"
        "客户机根本看不到这次缺页异常",
    },
    "tables_swapped": {
        "en": "that is what the pmap gives for virtual page {gvpn}: the two tables are applied in "
        "the wrong order: the guest's page table comes first (guest-virtual to guest-physical), "
        "the hypervisor's pmap second (guest-physical to machine)",
        "zh": "这是 pmap 对虚拟页 {gvpn} 给出的值：两张表的使用顺序弄反了：先用客户机的页表"
        "（客户机虚拟页到客户机物理页），再用虚拟机监控程序的 pmap（客户机物理页到机器页框）",
    },
    "virtual_in_pmap": {
        "en": "you looked virtual page {gvpn} up in the pmap, but the hypervisor's pmap is indexed "
        "by guest-physical pages: the guest's page table turns the virtual page into a "
        "guest-physical page, and the pmap turns that one into a machine frame",
        "zh": "你在 pmap 里查的是虚拟页 {gvpn}，但虚拟机监控程序的 pmap 是按客户机物理页索引的："
        "客户机的页表先把虚拟页转换成客户机物理页，pmap 再把这个客户机物理页转换成机器页框",
    },
    "wrong_gppn": {
        "en": "the guest's page table maps virtual page {gvpn} to another guest-physical page",
        "zh": "客户机的页表把虚拟页 {gvpn} 映射到的是另一个客户机物理页",
    },
    "skipped": {
        "en": "that is the guest-physical page itself, not a machine frame: the guest's page "
        "table reaches only guest-physical memory, and the second step, from guest-physical page "
        "{gppn} to a frame, is the hypervisor's pmap",
        "zh": "这只是客户机物理页本身，而不是机器页框：客户机的页表只能到达客户机物理内存，"
        "从客户机物理页 {gppn} 到页框的第二步归虚拟机监控程序的 pmap 管",
    },
    "skipped_unbacked": {
        "en": ", which has no entry for it here: the second translation faults",
        "zh": "，而这里的 pmap 没有它的条目：第二层转换发生缺页异常",
    },
    "not_backed": {
        "en": "guest-physical page {gppn} has no entry in the hypervisor's pmap: no frame backs "
        "it (it was never touched, or it was swapped out), so the second translation faults "
        "and reaches no frame",
        "zh": "客户机物理页 {gppn} 在虚拟机监控程序的 pmap 里没有条目：没有页框支撑它（从未被访问"
        "过，或者已被换出），所以第二层转换发生缺页异常，到达不了任何页框",
    },
    "backed": {
        "en": "the hypervisor's pmap has an entry for guest-physical page {gppn}: a frame backs "
        "it, so the access reaches that frame and neither translation faults",
        "zh": "虚拟机监控程序的 pmap 里有客户机物理页 {gppn} 的条目：有页框支撑它，所以这次访问"
        "到达那个页框，两层转换都不发生缺页异常",
    },
    "zero": {
        "gppn": {
            "en": "the guest's page table does have an entry for virtual page {gvpn}, and 0 is "
            "a page number like any other: ask whether the page table has an entry for the page "
            "(gvpn in page_table), not whether the number it holds is true",
            "zh": "客户机的页表里确实有虚拟页 {gvpn} 的条目，而 0 和其他页号一样有效："
            "要问的是页表里有没有这个页的条目（“gvpn in page_table”），"
            "而不是条目里的页号是否为真",
        },
        "mpn": {
            "en": "the hypervisor's pmap does have an entry for guest-physical page {gppn}, and "
            "0 is a frame number like any other: ask whether the pmap has an entry for the page "
            "(gppn in pmap), not whether the frame number it holds is true",
            "zh": "虚拟机监控程序的 pmap 里确实有客户机物理页 {gppn} 的条目，"
            "而 0 和其他页框号一样有效：要问的是 pmap 里有没有这个页的条目（“gppn in pmap”），"
            "而不是条目里的页框号是否为真",
        },
    },
    "wrong_mpn": {
        "en": "the hypervisor's pmap maps guest-physical page {gppn} to another frame. The pmap "
        "changes under the guest (sharing, copy-on-write and swapping move pages between "
        "frames), so read it as it is at this access",
        "zh": "虚拟机监控程序的 pmap 把客户机物理页 {gppn} 映射到的是另一个页框。pmap 会在客户机"
        "不知情时改变（页面共享、写时复制和换出都会让页换到别的页框），"
        "所以要按这次访问时的 pmap 来查",
    },
    "model": {
        "en": " (the model: gppn {gppn}, mpn {mpn}, fault {fault})",
        "zh": "（模型的结果：gppn {gppn}，mpn {mpn}，fault {fault}）",
    },
}


def departure(
    page_table: Mapping[int, int],
    pmap: Mapping[int, int],
    gvpn: int,
    want: Mapping[str, Any],
    got: Mapping[str, Any],
) -> tuple[str, Text, bool]:
    """The field of ``got`` to name (``gppn``, ``mpn`` or ``fault``), why it cannot be right,
    given the tables the learner was handed (the step of the walk it skipped or the table it
    misread), and whether that diagnosis is sure: ``want`` is the model's translation, ``got``
    differs from it. It is not sure where two misreadings give the same wrong answer (a
    hypervisor's fault taken for the guest's, or the pmap searched first for a virtual page it
    lacks), so a caller may prefer another access of the same case that tells them apart."""
    field, why = _why(page_table, pmap, gvpn, want, got)
    unsure = want["fault"] == "pmap" and got["gppn"] is None and gvpn not in pmap
    return field, why, not unsure


def zero_as_missing(gvpn: int, want: Mapping[str, Any], got: Mapping[str, Any]) -> Any:
    """``(field, why)`` when ``got`` is what a walk gives that takes guest-physical page 0 or
    machine frame 0 for a missing entry (``if not gppn``, ``if not mpn``), else ``None``. One
    such access can also be another misreading (the pmap searched for a virtual page it lacks),
    so a caller names it when every access the learner got wrong is of this kind."""
    if want["gppn"] == 0 and got == {"gppn": None, "mpn": None, "fault": "page_table"}:
        return "gppn", explain("two_level.zero.gppn", gvpn=gvpn)
    if want["mpn"] == 0 and got == {"gppn": want["gppn"], "mpn": None, "fault": "pmap"}:
        return "mpn", explain("two_level.zero.mpn", gppn=want["gppn"])
    return None


def _why(
    page_table: Mapping[int, int],
    pmap: Mapping[int, int],
    gvpn: int,
    want: Mapping[str, Any],
    got: Mapping[str, Any],
) -> tuple[str, Text]:
    read_as_virtual = pmap.get(gvpn)  # what the pmap says when asked for the virtual page
    gppn = got["gppn"]
    if got["fault"] not in FAULTS:
        return "fault", explain("two_level.fault_values")
    if want["fault"] == "page_table":
        field = next(key for key in ("fault", "gppn", "mpn") if got[key] != want[key])
        misread = read_as_virtual is not None and read_as_virtual in (gppn, got["mpn"])
        key = "virtual_in_pmap" if misread else "no_entry"
        return field, explain(f"two_level.{key}", gvpn=gvpn)
    if gppn != want["gppn"]:
        if gppn is None and want["fault"] is None and gvpn not in pmap:
            return "gppn", explain("two_level.not_first", gvpn=gvpn)
        if gppn is None:
            why = explain("two_level.mapped", gvpn=gvpn)
            if want["fault"] == "pmap":
                why = _joined(why, explain("two_level.hidden_fault"))
            return "gppn", why
        if gppn == read_as_virtual:
            return "gppn", explain("two_level.tables_swapped", gvpn=gvpn)
        return "gppn", explain("two_level.wrong_gppn", gvpn=gvpn)
    if got["fault"] != want["fault"]:
        if want["fault"] == "pmap" and got["fault"] == "page_table":
            why = explain("two_level.mapped", gvpn=gvpn)
            return "fault", _joined(why, explain("two_level.hidden_fault"))
        if want["fault"] == "pmap":
            return _wrong_frame(gvpn, gppn, got["mpn"], read_as_virtual, backed=False)
        if got["fault"] == "pmap" and gvpn not in pmap:
            return "fault", explain("two_level.virtual_in_pmap", gvpn=gvpn)
        return "fault", explain("two_level.backed", gppn=gppn)
    return _wrong_frame(gvpn, gppn, got["mpn"], read_as_virtual, backed=want["mpn"] is not None)


def _wrong_frame(
    gvpn: int, gppn: int, mpn: Any, read_as_virtual: int | None, backed: bool
) -> tuple[str, Text]:
    if mpn is not None and mpn == gppn:
        why = explain("two_level.skipped", gppn=gppn)
        return "mpn", why if backed else _joined(why, explain("two_level.skipped_unbacked"))
    if mpn is not None and mpn == read_as_virtual:
        return "mpn", explain("two_level.virtual_in_pmap", gvpn=gvpn)
    if not backed:
        field = "fault" if mpn is None else "mpn"
        return field, explain("two_level.not_backed", gppn=gppn)
    if mpn is None:
        return "mpn", explain("two_level.backed", gppn=gppn)
    return "mpn", explain("two_level.wrong_mpn", gppn=gppn)


def _joined(first: Text, then: Text) -> Text:
    return {lang: first[lang] + then[lang] for lang in first}
