"""Lesson 10's animation data: machine memory under two guests, each scene a real model run.

Scenes: content-based sharing then a copy-on-write break; the same guests with per-VM salting
(sharing only inside each guest, the default VMware chose in 2014–15); a balloon inflated in one
guest so an overcommitted host can back the other; and Belady's anomaly, FIFO replaying the
reference string 1,2,3,4,1,2,5,1,2,3,4,5 with 3 frames (9 misses) and then 4 (10 misses).
"""

from __future__ import annotations

from typing import Any

from tutor.sim import SCHEMA_VERSION, MachineMemory, Trace, page_faults

BELADY = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]


def _twins(salting: bool) -> list[dict[str, Any]]:
    """Two guests booted from the same image: pages 0-2 hold the same code (content 7), page 3
    each guest's own data. Sharing merges the identical frames; then guest B writes page 0."""
    mm = MachineMemory(frames=10, salting=salting)
    for name, data in (("A", 41), ("B", 42)):
        mm.add_guest(name, pages=4)
        for page in range(4):
            mm.map(name, page, page)
            mm.write(name, page, 7 if page < 3 else data)
    mm.share()
    mm.write("B", 0, 9)
    mm.check()
    return mm.trace.events


def _balloon() -> list[dict[str, Any]]:
    """Six frames, two guests of five pages: B cannot get its pages until A's balloon driver
    hands back the pages A's OS is not using."""
    mm = MachineMemory(frames=6)
    mm.add_guest("A", pages=5)
    mm.add_guest("B", pages=5)
    for page in range(2):
        mm.map("A", page, page)
        mm.write("A", page, 10 + page)
    for page in range(2, 5):  # A's OS used pages 2-4 for a while (a file cache), then freed
        mm.map("A", 9, page)  # them: still backed by frames, but mapped by nothing
        mm.write("A", 9, 10 + page)
    mm.map("A", 9, 0)
    mm.balloon_inflate("A", 3)
    for page in range(3):
        mm.map("B", page, page)
        mm.write("B", page, 20 + page)
    mm.check()
    return mm.trace.events


def _belady() -> list[dict[str, Any]]:
    trace = Trace()
    for frames in (3, 4):
        trace.emit("swap.frames", frames=frames, policy="fifo", refs=BELADY)
        page_faults(BELADY, frames, "fifo", trace=trace)
    return trace.events


def page_map() -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "default": "share",
        "scenes": [
            {"id": "share", "kind": "share", "events": _twins(salting=False)},
            {"id": "salted", "kind": "salted", "events": _twins(salting=True)},
            {"id": "balloon", "kind": "balloon", "events": _balloon()},
            {"id": "belady", "kind": "belady", "events": _belady()},
        ],
    }
