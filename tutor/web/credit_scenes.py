"""Lesson 9's animation data: round robin, then Xen's credit scheduler, each a real model run.

Four short runs, so every 10 ms tick is one step a learner can follow: round robin on OSTEP's
jobs 5, 10, 15 with quantum 2 (average turnaround 22.00); weights 512 : 256 on one pCPU (2 : 1);
a two-vCPU domain against a one-vCPU domain at the same weight (2 : 1 as well, because a weight
counts once per active vCPU); and a domain capped at 50 % alone on four idle pCPUs (it is parked
half of the time while three and a half pCPUs stay idle).
"""

from __future__ import annotations

from typing import Any

from tutor.sim import SCHEMA_VERSION, CreditScheduler, Trace, round_robin

RUN_MS = 360
"""Simulated time of each credit scene: twelve 30 ms accounting periods, 36 ticks (where the
two-vCPU scene's shares are exactly 2 : 1)."""


def _credit(pcpus: int, domains: list[dict[str, Any]]) -> list[dict[str, Any]]:
    sched = CreditScheduler(pcpus, Trace())
    for domain in domains:
        sched.add(**domain)
    sched.run(RUN_MS)
    return sched.trace.events


def credit_gantt() -> dict[str, Any]:
    rr = Trace()
    round_robin([5, 10, 15], 2, trace=rr)
    return {
        "schema": SCHEMA_VERSION,
        "default": "weights",
        "tick_ms": 10,
        "slice_ms": 30,
        "credit_max": 300,
        "scenes": [
            {"id": "round-robin", "kind": "rr", "lengths": [5, 10, 15], "events": rr.events},
            {
                "id": "weights",
                "kind": "weights",
                "events": _credit(1, [{"name": "web", "weight": 512}, {"name": "db"}]),
            },
            {
                "id": "per-vcpu",
                "kind": "per-vcpu",
                "events": _credit(1, [{"name": "smp", "vcpus": 2}, {"name": "up"}]),
            },
            {
                "id": "cap-idle",
                "kind": "cap",
                "events": _credit(4, [{"name": "batch", "cap": 50}]),
            },
        ],
    }
