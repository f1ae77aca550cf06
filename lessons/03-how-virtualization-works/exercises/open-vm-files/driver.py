"""Writes a VM's files as a hypervisor lays them out, and opens them with the learner's open_vm.

The source guest runs, may take snapshots (each one adds a delta file on top of its disk) and is
then suspended (running: a .vmss memory file) or powered off (no .vmss). The learner's function
gets only the files, as JSON — so page and block numbers arrive as text — and must rebuild the
guest on another host with the same state hash.
"""

import random

from tutor.explanations import explain, table
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


STATE = table("vm_files.state")
HOST = explain("vm_files.host")
CONFIG = explain("vm_files.config")
CPU = explain("vm_files.cpu")
MEMORY = explain("vm_files.memory")
KEYS = explain("vm_files.keys")


def disk_problem(disk, want, got, reveal):
    """Why a disk's contents differ: a layer of its chain left out, or applied out of order."""
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
        return message
    answer = explain("vm_files.disk.reveal", block=shown[0], value=want[shown[0]])
    return Feedback(reveal).revealing(message, answer)


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
