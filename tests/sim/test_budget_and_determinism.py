"""Every model spends the step budget (runaway code stops) and is deterministic for a seed."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.sim import parity_scenario
from tutor.sim import (
    CapacityExceeded,
    ConstantDirtyRate,
    CreditScheduler,
    Guest,
    Host,
    MachineMemory,
    ResourcePool,
    StepBudgetExceeded,
    StopRules,
    Trace,
    VirtualSwitch,
    VmSpec,
    precopy,
)
from tutor.sim.budget import StepBudget


def small() -> Trace:
    return Trace(StepBudget(50))


def forever_scheduling() -> None:
    s = CreditScheduler(2, small())
    s.add("spin")
    s.run(10**9)


def forever_placing() -> None:
    pool = ResourcePool([Host("h", 10**6, 10**9)], small())
    i = 0
    while True:
        pool.place(VmSpec(f"vm{i}", 1, 1))
        i += 1


def forever_writing() -> None:
    mm = MachineMemory(4, small())
    mm.add_guest("A", 4)
    mm.map("A", 0, 0)
    while True:
        mm.write("A", 0, 1)


def forever_migrating() -> None:
    precopy(
        1024.0,
        ConstantDirtyRate(1024.0, 999.0),
        bandwidth_mbps=1000.0,
        rules=StopRules("forever", 10**9, 0, None, True, "a test that never stops"),
        trace=small(),
    )


def forever_running() -> None:
    g = Guest("g", trace=small())
    g.start()
    g.run(10**9, random.Random(1))


def forever_switching() -> None:
    sw = VirtualSwitch(trace=small())
    sw.attach("a", "aa")
    while True:
        sw.send("a", "aa", "ff:ff:ff:ff:ff:ff")


@pytest.mark.parametrize(
    "runaway",
    [
        forever_scheduling,
        forever_placing,
        forever_writing,
        forever_migrating,
        forever_running,
        forever_switching,
    ],
)
def test_runaway_code_stops_with_step_budget_exceeded(runaway: Callable[[], None]) -> None:
    with pytest.raises(StepBudgetExceeded, match="step budget"):
        runaway()


def test_the_fixed_scenario_is_deterministic() -> None:
    assert parity_scenario.run() == parity_scenario.run()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31))
def test_same_seed_same_trace_digest(seed: int) -> None:
    def workload() -> str:
        rng = random.Random(seed)
        trace = Trace()
        pool = ResourcePool([Host(f"h{i}", 8, 256) for i in range(4)], trace)
        for i in range(12):
            with contextlib.suppress(CapacityExceeded):
                pool.place(
                    VmSpec(f"vm{i}", rng.randint(1, 4), rng.randint(16, 128)),
                    rng.choice(["first_fit", "best_fit", "worst_fit"]),
                )
        g = Guest("g", trace=trace)
        g.start()
        g.run(30, rng)
        return trace.digest()

    assert workload() == workload()
