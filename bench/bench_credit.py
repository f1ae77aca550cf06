"""Xen credit scheduler: 10 simulated seconds, 64 vCPUs on 16 pCPUs (target: under 200 ms)."""

from __future__ import annotations

from bench.harness import Case
from tutor.sim import CreditScheduler, Trace
from tutor.sim.budget import StepBudget


def credit_64_on_16() -> int:
    sched = CreditScheduler(16, Trace(StepBudget(1_000_000)))
    for i in range(64):
        sched.add(
            f"v{i:02d}",
            weight=(128, 256, 512)[i % 3],
            cap=50 if i % 8 == 0 else 0,
            pin=[i % 16] if i % 16 == 0 else None,
            burst_ms=20 if i % 4 == 1 else None,
            sleep_ms=40,
        )
    sched.run(10_000)
    return len(sched.trace.events)


CASES = [Case("Credit: 10 s, 64 vCPUs on 16 pCPUs", credit_64_on_16, target_ms=200.0)]
