"""First-Fit-Decreasing placement of 10,000 VMs on 1,000 hosts (target: under 1 s in CPython)."""

from __future__ import annotations

import random

from bench.harness import Case
from tutor.sim import Host, ResourcePool, Trace, VmSpec
from tutor.sim.budget import StepBudget


def ffd_10k_on_1k() -> int:
    rng = random.Random(3)
    hosts = [Host(f"h{i:04d}", cores=64, memory_pages=65_536) for i in range(1_000)]
    vms = [
        VmSpec(f"vm{i:05d}", rng.choice((1, 2, 4, 8)), rng.choice((1024, 2048, 4096, 8192)))
        for i in range(10_000)
    ]
    pool = ResourcePool(hosts, Trace(StepBudget(1_000_000)))
    pool.place_all(vms, "first_fit_decreasing")
    return pool.hosts_on()


CASES = [Case("FFD: 10,000 VMs on 1,000 hosts", ffd_10k_on_1k, target_ms=1000.0)]
