"""Lesson 3's animation data: a host partitioned into guests, a VM carried to another host as
files, and linked clones sharing one base image — each scene the trace of a real model run."""

from __future__ import annotations

import random
from typing import Any

from tutor.sim import SCHEMA_VERSION, Guest, Host, SecurityManager, Trace, copy_files

HOST_A = Host("host-a", cores=8, memory_pages=64)
HOST_B = Host("host-b", cores=8, memory_pages=64)


def _hosts(*hosts: Host) -> dict[str, dict[str, int]]:
    return {h.name: {"cores": h.cores, "pages": h.memory_pages} for h in hosts}


def partition_scene() -> dict[str, Any]:
    """Three guests carved out of one host, each working inside its own share."""
    trace = Trace()
    security = SecurityManager(trace)
    shapes = (("web", 2, 16, 32), ("db", 4, 32, 64), ("ci", 1, 8, 16))
    guests = []
    for name, vcpus, pages, blocks in shapes:
        guest = Guest(
            name, vcpus=vcpus, memory_pages=pages, disk_blocks={"disk0": blocks}, trace=trace
        )
        security.register(guest)
        guests.append(guest)
    for guest in guests:
        guest.start(HOST_A.name)
    rng = random.Random(3)
    for guest in guests:
        guest.run(2, rng)
    return {"id": "partition", "hosts": _hosts(HOST_A), "events": trace.events}


def files_scene() -> dict[str, Any]:
    """Suspend to files, copy them to another host, open them there and keep working."""
    trace = Trace()
    guest = Guest("web", vcpus=2, memory_pages=16, disk_blocks={"disk0": 32}, trace=trace)
    guest.start(HOST_A.name)
    rng = random.Random(7)
    guest.run(4, rng)
    files = guest.save()
    copied = copy_files(files, HOST_A.name, HOST_B.name, trace)
    moved = Guest.restore(copied, trace=trace, host=HOST_B.name)
    moved.run(3, rng)
    return {"id": "files", "hosts": _hosts(HOST_A, HOST_B), "events": trace.events}


def clones_scene() -> dict[str, Any]:
    """A golden image, three linked clones and their copy-on-write deltas."""
    trace = Trace()
    golden = Guest("golden", memory_pages=8, disk_blocks={"disk0": 32}, trace=trace)
    golden.start(HOST_A.name)
    for block, value in ((0, 11), (1, 12), (2, 13), (3, 14), (4, 15), (5, 16)):
        golden.write_disk("disk0", block, value)
    golden.stop()
    desks = [golden.linked_clone(f"desk{i}") for i in (1, 2, 3)]
    writes = {"desk1": [(6, 21)], "desk2": [(2, 31), (7, 32)], "desk3": [(6, 41)]}
    for desk in desks:
        desk.start()
        for block, value in writes[desk.name]:
            desk.write_disk("disk0", block, value)
    return {"id": "clones", "hosts": _hosts(HOST_A), "events": trace.events}


def vm_files() -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "default": "files",
        "scenes": [partition_scene(), files_scene(), clones_scene()],
    }
