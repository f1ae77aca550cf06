"""Lesson 6's animation data: why virtual machines, in three scenes from real model runs.

- ``consolidate/…``: dedicated servers become VMs and are drained onto few hosts, with the
  power meter read after every move (``tutor.sim.consolidation``);
- ``snapshot``: an update is tried on a guest after a snapshot, fails its smoke test and is
  rolled back to the identical state hash (``tutor.sim.staging``);
- ``architecture``: a guest of the host's architecture is virtualised, one built for another
  is refused by admission control and runs under emulation (``tutor.sim.architecture``).
"""

from __future__ import annotations

import random
from typing import Any

from tutor.sim import SCHEMA_VERSION, Arch, Guest, Host, Trace, VmSpec
from tutor.sim.architecture import mixed_pool, run_guest
from tutor.sim.consolidation import Fleet, consolidate_fleet
from tutor.sim.staging import Write, apply_update, smoke_test

FLEETS = (Fleet(10, 15, target_pct=75), Fleet(8, 12, p_max=300.0, target_pct=60))
"""NRDC (2014) measured 12–18 % utilisation; watts are teaching values (approx.)."""
CONFIG = 4242


def _consolidate(fleet: Fleet) -> list[dict[str, Any]]:
    trace = Trace()
    consolidate_fleet(fleet, trace)
    return trace.events


def _snapshot() -> list[dict[str, Any]]:
    trace = Trace()
    guest = Guest("web", memory_pages=8, disk_blocks={"disk0": 8}, trace=trace)
    guest.start("host1")
    guest.run(4, random.Random(6))
    guest.write_memory(0, CONFIG)
    smoke_test(guest, 0, CONFIG)
    guest.snapshot("before-update")
    apply_update(guest, [Write(3, 77), Write(2, 51, "disk0"), Write(0, 13), Write(5, 64, "disk0")])
    smoke_test(guest, 0, CONFIG)
    guest.rollback("before-update")
    smoke_test(guest, 0, CONFIG)
    return trace.events


def _architecture() -> list[dict[str, Any]]:
    trace = Trace()
    pool = mixed_pool(
        [Host("x86-a", 16, 65_536, arch=Arch.X86_64), Host("x86-b", 16, 65_536, arch=Arch.X86_64)],
        trace,
    )
    run_guest(pool, VmSpec("web", 2, 4_096, 0.5, arch=Arch.X86_64))
    run_guest(pool, VmSpec("build-arm", 2, 4_096, 0.5, arch=Arch.ARM64))
    return trace.events


def consolidation() -> dict[str, Any]:
    scenes: list[dict[str, Any]] = [
        {
            "id": f"consolidate/{fleet.servers}x{fleet.utilisation_pct}",
            "kind": "consolidate",
            "events": _consolidate(fleet),
        }
        for fleet in FLEETS
    ]
    scenes.append({"id": "snapshot", "kind": "snapshot", "events": _snapshot()})
    scenes.append({"id": "architecture", "kind": "architecture", "events": _architecture()})
    return {"schema": SCHEMA_VERSION, "default": scenes[0]["id"], "scenes": scenes}
