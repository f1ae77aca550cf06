"""Lesson 12's animation data: hosts as bins filling up, from real ``ResourcePool`` runs.

Three scenes: First-Fit-Decreasing on the tight fixture (bin 100, items 51×6, 27×6, 26×6,
23×12) lights 11 hosts; the optimum packs the same guests into 9 (every host exactly full); and
an overloaded host hands its smallest guests, by live migration, to hosts that stay under the
CPU threshold. Each scene starts with ``pool.demands`` so every guest's size is known before it
lands, and the overload scene with ``pool.threshold``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tutor.sim import SCHEMA_VERSION, Demand, Host, HostView, ResourcePool, Trace, VmSpec

BIN = 100
FIXTURE = [51] * 6 + [27] * 6 + [26] * 6 + [23] * 12
THRESHOLD = 0.7


def fixture_vms() -> list[VmSpec]:
    return [VmSpec(f"v{i:02d}", 1, size) for i, size in enumerate(FIXTURE)]


def optimal_plan() -> dict[str, str]:
    """The fixture in 9 full hosts: 51+26+23 six times, then 27+27+23+23 three times."""
    vms = fixture_vms()
    big, b27, b26, b23 = vms[0:6], vms[6:12], vms[12:18], vms[18:30]
    plan = {}
    for k in range(6):
        for vm in (big[k], b26[k], b23[k]):
            plan[vm.name] = f"h{k}"
    for k in range(3):
        for vm in (b27[2 * k], b27[2 * k + 1], b23[6 + 2 * k], b23[7 + 2 * k]):
            plan[vm.name] = f"h{6 + k}"
    return plan


def _fixture_pool() -> ResourcePool:
    return ResourcePool([Host(f"h{i}", cores=8, memory_pages=BIN) for i in range(11)], Trace())


def _ffd() -> list[dict[str, Any]]:
    pool = _fixture_pool()
    pool.announce(fixture_vms())
    pool.place_all(fixture_vms(), "first_fit_decreasing")
    return pool.trace.events


def _optimum() -> list[dict[str, Any]]:
    pool = _fixture_pool()
    plan = optimal_plan()

    def optimum(vm: Demand, hosts: Sequence[HostView]) -> str:
        return plan[vm.name]

    pool.announce(fixture_vms())
    pool.place_all(fixture_vms(), optimum)
    return pool.trace.events


def _overload() -> list[dict[str, Any]]:
    pool = ResourcePool([Host(f"h{i}", cores=4, memory_pages=BIN) for i in range(3)], Trace())
    guests = [
        VmSpec("db", 2, 40, load=1.0),
        VmSpec("web", 1, 20, load=1.0),
        VmSpec("cache", 1, 10, load=0.05),
        VmSpec("batch", 2, 30, load=0.5),
        VmSpec("mail", 1, 15, load=0.4),
    ]
    pool.announce(guests)
    for vm in guests[:3]:
        pool.place(vm, "first_fit")

    def by_hand(vm: Demand, hosts: Sequence[HostView]) -> str:
        """The operator's choice (the policy's name is what the narration says)."""
        return "h1"

    pool.place(guests[3], by_hand)
    pool.place(guests[4], by_hand)
    pool.trace.emit("pool.threshold", threshold=THRESHOLD)
    pool.relieve(THRESHOLD)
    return pool.trace.events


def bin_packing() -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "default": "ffd",
        "scenes": [
            {"id": "ffd", "kind": "ffd", "events": _ffd()},
            {"id": "optimum", "kind": "optimum", "events": _optimum()},
            {"id": "overload", "kind": "overload", "events": _overload()},
        ],
    }
