"""Why a VM's files open the way they do (lesson 3, open-vm-files): .vmx, .vmdk chains, .vmss."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Text, explain

EXPLANATIONS = {
    "state": {
        "stopped": {
            "en": "there is a .vmss file: it holds the memory and CPU state of a "
            "suspended VM, so the VM must open running and continue where it "
            "stopped, not boot from scratch",
            "zh": "这里有 .vmss 文件：它保存着挂起时虚拟机的内存和 CPU "
            "状态，所以虚拟机打开后必须是运行状态，从停下的地方继续，而不是重新启动",
        },
        "running": {
            "en": "there is no .vmss file: the VM was powered off when its files "
            "were written, so it opens powered off",
            "zh": "这里没有 .vmss 文件：写出这些文件时虚拟机是关机状态，所以打开后它仍是关机状态",
        },
    },
    "host": {
        "en": "the files were copied to this host to be opened here: pass host=... to "
        "Guest.restore",
        "zh": "这些文件被复制到这台宿主机上，就是要在这里打开：请把 host=... 传给 Guest.restore",
    },
    "config": {
        "en": "the .vmx file's config describes the virtual hardware; the VM must open "
        "with exactly it",
        "zh": ".vmx 文件里的 config 描述了虚拟硬件；虚拟机打开时必须与它完全一致",
    },
    "cpu": {
        "en": 'the CPU registers come from the .vmss file ("cpu")',
        "zh": 'CPU 寄存器来自 .vmss 文件（"cpu"）',
    },
    "memory": {
        "en": "memory differs from the memory the VM was suspended with: every page comes "
        'from the .vmss file ("memory"), and nothing else may be written to it',
        "zh": "内存与虚拟机挂起时的内存不一致：每一页都来自 .vmss "
        '文件（"memory"），不能再写入别的内容',
    },
    "keys": {
        "en": "everything you can see matches, but the state hash does not: in JSON the "
        'page and block numbers are text ("3"), while a guest numbers them with whole '
        "numbers; convert them with int()",
        "zh": "看得见的内容都对上了，但状态哈希不一致：JSON "
        '里的页号和块号是文本（"3"），而客户机用整数给它们编号；请用 int() 转换',
    },
    # Why a disk's contents differ: a layer of its chain left out, or applied out of order.
    "disk": {
        "empty": {
            "en": "disk {disk!r} is empty, but the VM wrote to it: its contents live in the "
            ".vmdk files, a .vmx alone only describes a new, blank VM",
            "zh": "磁盘 {disk!r} 是空的，但虚拟机曾写入过它：磁盘内容保存在 .vmdk 文件里，"
            "只有 .vmx 只能描述一台全新的空白虚拟机",
        },
        "missing": {
            "en": "disk {disk!r} is missing {count} block(s) the VM wrote: a delta file holds "
            "only what changed after its snapshot; the other blocks are stored in its parent "
            '(follow "parent" down to the base image)',
            "zh": "磁盘 {disk!r} 缺少虚拟机写过的 {count} 个块：增量文件只保存快照之后改变的内容，"
            '其余的块保存在它的父文件里（沿着 "parent" 一直找到基础镜像）',
        },
        "stale": {
            "en": "disk {disk!r} has an older value in {count} block(s): apply the chain from "
            "the base image up, so that a newer delta overrides what its parent holds",
            "zh": "磁盘 {disk!r} 有 {count} 个块的值是旧的：要从基础镜像开始向上逐层应用，"
            "让较新的增量覆盖父文件中的内容",
        },
        "extra": {
            "en": "disk {disk!r} has {count} block(s) the VM never wrote",
            "zh": "磁盘 {disk!r} 有 {count} 个虚拟机从未写过的块",
        },
        "reveal": {
            "en": " (block {block} should hold {value})",
            "zh": "（块 {block} 应为 {value}）",
        },
    },
}


def disk_problem(
    disk: str, want: Mapping[str, Any], got: Mapping[str, Any]
) -> tuple[Text, Text | None] | None:
    """Why a disk opened from its files differs from the saved one — a layer of its chain left
    out, or applied out of order — and the block that shows it (to name only when revealed)."""
    wrong = {
        "missing": [b for b in want if b not in got],
        "stale": [b for b in want if b in got and got[b] != want[b]],
        "extra": [b for b in got if b not in want],
    }
    kind = "empty" if want and not got else next((k for k, v in wrong.items() if v), None)
    if kind is None:
        return None
    message = explain(f"vm_files.disk.{kind}", disk=disk, count=len(wrong.get(kind, ())))
    shown = wrong["missing"] + wrong["stale"]
    if not shown:
        return message, None
    return message, explain("vm_files.disk.reveal", block=shown[0], value=want[shown[0]])
