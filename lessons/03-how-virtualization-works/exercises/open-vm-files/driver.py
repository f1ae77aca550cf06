"""Writes a VM's files as a hypervisor lays them out, and opens them with the learner's open_vm.

The source guest runs, may take snapshots (each one adds a delta file on top of its disk) and is
then suspended (running: a .vmss memory file) or powered off (no .vmss). The learner's function
gets only the files, as JSON — so page and block numbers arrive as text — and must rebuild the
guest on another host with the same state hash.
"""

import random

from tutor.grading.feedback import Feedback
from tutor.sim import Guest

RETURNS = {"open_vm": Guest}


def write_files(guest):
    """The VM's files: a .vmx naming each disk's top file, one .vmdk per disk layer, a .vmss."""
    vm = guest.name
    files = {}
    tops = {}
    for disk, image in sorted(guest.disks.items()):
        layers = []
        layer = image
        while layer is not None:
            layers.append(layer)
            layer = layer.base
        parent = None
        for depth, layer in enumerate(reversed(layers)):
            name = f"{vm}-{disk}.vmdk" if depth == 0 else f"{vm}-{disk}-{depth:06d}.vmdk"
            blocks = {str(b): v for b, v in sorted(layer.delta.items())}
            files[name] = {"parent": parent, "blocks": blocks}
            parent = name
        tops[disk] = parent
    files[f"{vm}.vmx"] = {"config": guest.config(), "disk_files": tops}
    if guest.state == "saved":
        files[f"{vm}.vmss"] = {
            "memory": {str(p): v for p, v in sorted(guest.memory.items())},
            "cpu": dict(guest.cpu),
        }
    return files


def source_guest(args, trace):
    guest = Guest(
        args["name"],
        vcpus=args["vcpus"],
        memory_pages=args["pages"],
        disk_blocks=dict(args["disks"]),
        trace=trace,
    )
    guest.start(args["source"])
    rng = random.Random(args["seed"])
    for steps in args["work"]:  # a snapshot between two stretches of work
        if steps == "snapshot":
            guest.snapshot(f"s{len(guest.snapshots()) + 1}")
        else:
            guest.run(steps, rng)
    if args["running"]:
        guest.save()
    else:
        guest.stop()
    return guest


def run(submission, args, trace):
    guest = source_guest(args, trace)
    saved = guest.state_hash()
    opened = submission.open_vm(write_files(guest), args["target"], trace)
    return {
        "state": opened.state,
        "host": opened.host,
        "config": opened.config(),
        "disks": {
            d: {str(b): v for b, v in img.contents().items()} for d, img in opened.disks.items()
        },
        "memory": {str(p): v for p, v in sorted(opened.memory.items())},
        "cpu": dict(opened.cpu),
        "same_hash": opened.state_hash() == saved,
    }


# Keyed by the state the learner's VM is in, which is the wrong one.
STATE = {
    "stopped": {
        "en": "there is a .vmss file: it holds the memory and CPU state of a suspended VM, so the "
        "VM must open running and continue where it stopped, not boot from scratch",
        "zh": "这里有 .vmss 文件：它保存着挂起时虚拟机的内存和 CPU 状态，所以虚拟机打开后必须是运行"
        "状态，从停下的地方继续，而不是重新启动",
    },
    "running": {
        "en": "there is no .vmss file: the VM was powered off when its files were written, so it "
        "opens powered off",
        "zh": "这里没有 .vmss 文件：写出这些文件时虚拟机是关机状态，所以打开后它仍是关机状态",
    },
}
HOST = {
    "en": "the files were copied to this host to be opened here: pass host=... to Guest.restore",
    "zh": "这些文件被复制到这台宿主机上，就是要在这里打开：请把 host=... 传给 Guest.restore",
}
CONFIG = {
    "en": "the .vmx file's config describes the virtual hardware; the VM must open with exactly it",
    "zh": ".vmx 文件里的 config 描述了虚拟硬件；虚拟机打开时必须与它完全一致",
}
CPU = {
    "en": 'the CPU registers come from the .vmss file ("cpu")',
    "zh": 'CPU 寄存器来自 .vmss 文件（"cpu"）',
}
MEMORY = {
    "en": "memory differs from the memory the VM was suspended with: every page comes from the "
    '.vmss file ("memory"), and nothing else may be written to it',
    "zh": '内存与虚拟机挂起时的内存不一致：每一页都来自 .vmss 文件（"memory"），不能再写入别的内容',
}
KEYS = {
    "en": "everything you can see matches, but the state hash does not: in JSON the page and "
    'block numbers are text ("3"), while a guest numbers them with whole numbers; convert them '
    "with int()",
    "zh": '看得见的内容都对上了，但状态哈希不一致：JSON 里的页号和块号是文本（"3"），而客户机用整数'
    "给它们编号；请用 int() 转换",
}


def disk_problem(disk, want, got, reveal):
    """Why a disk's contents differ: a layer of its chain left out, or applied out of order."""
    missing = [b for b in want if b not in got]
    stale = [b for b in want if b in got and got[b] != want[b]]
    extra = [b for b in got if b not in want]
    if not got and want:
        en = (
            f"disk {disk!r} is empty, but the VM wrote to it: its contents live in the .vmdk "
            "files, a .vmx alone only describes a new, blank VM"
        )
        zh = (
            f"磁盘 {disk!r} 是空的，但虚拟机曾写入过它：磁盘内容保存"
            "在 .vmdk 文件里，只有 .vmx 只能描述一台全新的空白虚拟机"
        )
    elif missing:
        en = (
            f"disk {disk!r} is missing {len(missing)} block(s) the VM wrote: a delta file holds "
            "only what changed after its snapshot; the other blocks are stored in its parent "
            '(follow "parent" down to the base image)'
        )
        zh = (
            f"磁盘 {disk!r} 缺少虚拟机写过的 {len(missing)} "
            "个块：增量文件只保存快照之后改变的内容，"
            '其余的块保存在它的父文件里（沿着 "parent" 一直找到基础镜像）'
        )
    elif stale:
        en = (
            f"disk {disk!r} has an older value in {len(stale)} block(s): apply the chain from the "
            "base image up, so that a newer delta overrides what its parent holds"
        )
        zh = (
            f"磁盘 {disk!r} 有 {len(stale)} 个块的值是旧的：要从基础镜像开始向上逐层应用，"
            "让较新的增量覆盖父文件中的内容"
        )
    elif extra:
        en = f"disk {disk!r} has {len(extra)} block(s) the VM never wrote"
        zh = f"磁盘 {disk!r} 有 {len(extra)} 个虚拟机从未写过的块"
    else:
        return None
    if reveal and missing + stale:
        block = (missing + stale)[0]
        en += f" (block {block} should hold {want[block]})"
        zh += f"（块 {block} 应为 {want[block]}）"
    return {"en": en, "zh": zh}


def compare(args, expected, actual, reveal=False):
    check = Feedback(reveal)
    problem = check.first(
        check.equal("state", expected["state"], actual["state"], why=STATE),
        check.equal("host", expected["host"], actual["host"], why=HOST),
        check.equal("config", expected["config"], actual["config"], why=CONFIG),
    )
    if problem:
        return problem
    for disk, want in expected["disks"].items():
        problem = disk_problem(disk, want, actual["disks"].get(disk, {}), reveal)
        if problem:
            return problem
    if actual["memory"] != expected["memory"]:
        return MEMORY
    problem = check.equal("cpu", expected["cpu"], actual["cpu"], why=CPU)
    if problem:
        return problem
    if actual["same_hash"] != expected["same_hash"]:
        return KEYS
    return None
