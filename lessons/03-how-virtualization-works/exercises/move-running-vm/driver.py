"""Runs a guest on its source host, hands it to the learner's move(), then keeps it working.

A twin of the guest does the same work without moving, in a trace of its own. The moved guest
must arrive running on the target, be the same VM there (equal state hash), and, given the same
further work as the twin, stay equal to it: a guest that was moved cannot tell it was moved.
"""

import random

from tutor.grading.feedback import Feedback
from tutor.sim import Guest, Trace

RETURNS = {"move": Guest}


def busy_guest(args, trace):
    guest = Guest(
        args["name"], memory_pages=args["pages"], disk_blocks=dict(args["disks"]), trace=trace
    )
    guest.start(args["source"])
    rng = random.Random(args["seed"])
    for steps in args["work"]:
        if steps == "snapshot":
            guest.snapshot("before-move")
        else:
            guest.run(steps, rng)
    return guest


def run(submission, args, trace):
    guest = busy_guest(args, trace)
    twin = busy_guest(args, Trace())
    start = len(trace.events)
    moved = submission.move(guest, args["target"], trace)
    events = trace.events[start:]
    copies = [e for e in events if e["kind"] == "guest.copy" and e["host"] == args["target"]]
    arrived = moved.state_hash() == twin.state_hash()
    kept = False
    if moved.state == "running":
        moved.run(args["after"], random.Random(args["seed"] + 1))
        twin.run(args["after"], random.Random(args["seed"] + 1))
        kept = moved.state_hash() == twin.state_hash()
    return {
        "host": moved.host,
        "state": moved.state,
        "original": "same object" if moved is guest else guest.state,
        "copied_to_target": bool(copies),
        "same_on_arrival": arrived,
        "same_after_work": kept,
    }


def compare(args, expected, actual, reveal=False):
    source, target, name = args["source"], args["target"], args["name"]
    check = Feedback(reveal)
    if actual["host"] != target:
        return {
            "en": f"the guest you returned runs on {actual['host']!r}, not on the target: the "
            "restored VM must be placed on the host its files were copied to (host=...)",
            "zh": f"你返回的客户机运行在 {actual['host']!r} "
            "上，而不是目标宿主机上：恢复出来的虚拟机"
            "必须放在它的文件被复制到的那台宿主机上（host=...）",
        }
    if not actual["copied_to_target"]:
        return {
            "en": f"{name!r} now says it runs on {target!r}, but its files never reached "
            f"{target!r}: a host can only run a VM whose files it has, so save the VM, copy its "
            "files with copy_files(...) and restore them there",
            "zh": f"{name!r} 声称自己在 {target!r} 上运"
            f"行，但它的文件从未到达 {target!r}：宿主机只能"
            "运行它拥有文件的虚拟机，所以要先保存虚拟机，用 copy_files(...) 复制文件，再在那里恢复",
        }
    if actual["original"] == "running":
        return {
            "en": f"two copies of {name!r} now run, on {source!r} and on {target!r}, and will "
            "drift apart: suspend the original with save() (files() leaves it running) before "
            "copying its files",
            "zh": f"现在有两份 {name!r} 在运行，分别在 {source!r} "
            f"和 {target!r} 上，它们会越走越远："
            "复制文件之前，要先用 save() 挂起原来的虚拟机（files() 会让它继续运行）",
        }
    if actual["state"] != "running":
        return {
            "en": f"the guest arrived on {target!r} but is {actual['state']}: it must keep "
            "running there; a suspended VM's .vmss file restores it running",
            "zh": f"客户机到达了 {target!r}，但它的状态是 {actual['state']}：它必须在那里继续运行；"
            "被挂起的虚拟机有 .vmss 文件，恢复后就是运行状态",
        }
    return check.first(
        check.equal(
            "same_on_arrival",
            expected["same_on_arrival"],
            actual["same_on_arrival"],
            why={
                "en": "the guest on the target is not the VM that left the source: its memory or "
                "CPU differ. Powering off (stop) loses memory; suspend with save() instead, so "
                "the .vmss file carries memory and CPU along",
                "zh": "目标宿主机上的客户机已经不是离开源宿主机"
                "的那台虚拟机了：它的内存或 CPU 不同。"
                "关机（stop）会丢掉内存；请改用 save() 挂起，让 .vmss 文件把内存和 CPU 一起带过去",
            },
        ),
        check.equal(
            "same_after_work",
            expected["same_after_work"],
            actual["same_after_work"],
            why={
                "en": "after the move the guest did the same work as a twin that never moved, but "
                "ended in a different state: return the restored guest itself, untouched",
                "zh": "迁移之后，客户机做了与一台从未迁移的孪生虚拟机相同的工作，最后状态却不同："
                "请原样返回恢复出来的那台客户机",
            },
        ),
    )
