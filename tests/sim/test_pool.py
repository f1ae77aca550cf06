"""Resource pool: capacity, admission control, placement policies, power (lessons 2, 6, 12)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.sim import (
    Arch,
    ArchitectureMismatch,
    CapacityExceeded,
    Demand,
    Guest,
    Host,
    HostView,
    InvalidOperation,
    ResourcePool,
    VmSpec,
    optimal_bin_count,
)


def bins(n: int, size: int = 100) -> list[Host]:
    return [Host(f"h{i}", cores=64, memory_pages=size) for i in range(n)]


FIXTURE = [51] * 6 + [27] * 6 + [26] * 6 + [23] * 12


def fixture_vms() -> list[VmSpec]:
    return [VmSpec(f"vm{i}", 1, size) for i, size in enumerate(FIXTURE)]


def test_ffd_uses_11_bins_on_the_fixture_where_9_suffice() -> None:
    pool = ResourcePool(bins(20))
    pool.place_all(fixture_vms(), "first_fit_decreasing")
    assert pool.hosts_on() == 11
    pool.check()


def test_the_fixture_fits_in_9_bins_with_a_hand_packing() -> None:
    pool = ResourcePool(bins(9))
    plan = {}
    vms = fixture_vms()
    big, b27, b26, b23 = vms[0:6], vms[6:12], vms[12:18], vms[18:30]
    for k in range(6):
        plan[big[k].name] = f"h{k}"
        plan[b26[k].name] = f"h{k}"
        plan[b23[k].name] = f"h{k}"
    for k in range(3):
        for vm in (b27[2 * k], b27[2 * k + 1], b23[6 + 2 * k], b23[7 + 2 * k]):
            plan[vm.name] = f"h{6 + k}"

    def by_plan(vm: Demand, hosts: Sequence[HostView]) -> str | None:
        return plan[vm.name]

    pool.place_all(vms, by_plan)
    assert pool.hosts_on() == 9
    assert all(v.free_pages == 0 for v in pool.views())


def test_first_fit_in_given_order_and_best_fit() -> None:
    pool = ResourcePool(bins(3))
    assert pool.place(VmSpec("a", 1, 60)) == "h0"
    assert pool.place(VmSpec("b", 1, 50)) == "h1"
    # best fit picks the host left tightest: h1 (50 free) over h0 (40 free)? 35 fits both
    assert pool.place(VmSpec("c", 1, 35), "best_fit") == "h0"
    assert pool.place(VmSpec("d", 1, 45), "worst_fit") == "h2"


def test_admission_control_names_fragmentation_and_exhaustion() -> None:
    pool = ResourcePool(bins(2))
    pool.place(VmSpec("a", 1, 60))
    pool.place(VmSpec("b", 1, 60))
    with pytest.raises(CapacityExceeded, match="fragmented"):
        pool.place(VmSpec("c", 1, 70))
    with pytest.raises(CapacityExceeded, match="never exceed capacity"):
        pool.place(VmSpec("d", 1, 90))
    with pytest.raises(CapacityExceeded, match="largest host"):
        pool.place(VmSpec("e", 1, 101))
    pool.check()


def test_learner_policy_cannot_overcommit() -> None:
    pool = ResourcePool(bins(2))
    pool.place(VmSpec("a", 1, 80))
    with pytest.raises(CapacityExceeded, match="only"):
        pool.place(VmSpec("b", 1, 30), lambda vm, hosts: "h0")
    with pytest.raises(InvalidOperation):
        pool.place(VmSpec("b", 1, 30), lambda vm, hosts: "nowhere")
    pool.check()


def test_power_model_and_hosts_switch_off_when_empty() -> None:
    h = Host("h", cores=10, memory_pages=100, p_max=200.0)
    assert h.power(0.0) == 100.0  # P_idle ≈ 0.5·P_max
    assert h.power(0.5) == 150.0
    assert h.power(1.0) == 200.0
    assert h.power(0.7, powered_on=False) == 0.0
    pool = ResourcePool([h, Host("g", cores=10, memory_pages=100)])
    assert pool.power() == 0.0
    pool.place(VmSpec("a", 2, 10, load=0.5))
    assert pool.utilisation("h") == pytest.approx(0.1)
    assert pool.power() == pytest.approx(110.0)
    pool.move("a", "g")
    assert not pool.powered_on("h") and pool.powered_on("g")
    pool.remove("a")
    assert pool.hosts_on() == 0 and pool.power() == 0.0
    kinds = [e["kind"] for e in pool.trace.events]
    assert kinds.count("host.power") == 4


def test_consolidation_switches_hosts_off_and_saves_power() -> None:
    pool = ResourcePool(Host(f"h{i}", cores=8, memory_pages=100) for i in range(10))
    for i in range(10):
        pool.place(VmSpec(f"vm{i}", 1, 20, load=0.15), lambda vm, hosts, i=i: f"h{i}")
    before = pool.power()
    off = pool.consolidate()
    assert off == 8 and pool.hosts_on() == 2
    assert pool.power() < before / 4
    pool.check()


demands = st.lists(
    st.tuples(st.integers(1, 8), st.integers(1, 120), st.sampled_from(["place", "remove"])),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(demands, st.sampled_from(["first_fit", "best_fit", "worst_fit"]))
def test_capacity_is_never_exceeded_under_random_workloads(
    ops: list[tuple[int, int, str]], policy: str
) -> None:
    pool = ResourcePool([Host(f"h{i}", cores=8, memory_pages=100) for i in range(4)])
    placed: list[str] = []
    for n, (vcpus, pages, op) in enumerate(ops):
        if op == "remove" and placed:
            pool.remove(placed.pop(0))
        else:
            try:
                pool.place(VmSpec(f"vm{n}", vcpus, pages), policy)
                placed.append(f"vm{n}")
            except CapacityExceeded:
                pass
        pool.check()
        assert pool.reserved_pages <= pool.capacity_pages


def test_exact_optimum_on_small_cases() -> None:
    assert optimal_bin_count([51, 26, 23, 27, 27, 23, 23], 100) == 2
    assert optimal_bin_count([60, 50, 40], 100) == 2
    assert optimal_bin_count([51, 51, 51], 100) == 3
    # The fixture: its sizes add up to 900, so 9 bins is a lower bound that the hand packing
    # above meets; 9 is the optimum and FFD's 11 is 11/9 of it (the bound is tight).
    assert sum(FIXTURE) == 9 * 100
    assert optimal_bin_count(FIXTURE, 100, limit=30) == 9


def bins_used(sizes: list[int], policy: str) -> int:
    pool = ResourcePool(bins(len(sizes)))
    vms = [VmSpec(f"vm{i:02d}", 1, s) for i, s in enumerate(sizes)]
    if policy == "first_fit_decreasing":
        pool.place_all(vms, policy)
    else:
        for vm in vms:
            pool.place(vm, policy)
    return pool.hosts_on()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 100), min_size=1, max_size=12))
def test_first_fit_and_ffd_stay_within_their_proven_bounds(sizes: list[int]) -> None:
    opt = optimal_bin_count(sizes, 100)
    ffd = bins_used(sizes, "first_fit_decreasing")
    ff = bins_used(sizes, "first_fit")
    assert opt <= ffd <= 11 / 9 * opt + 6 / 9  # Dósa 2007, tight
    assert opt <= ff <= math.floor(1.7 * opt)  # ⌊1.7·OPT⌋ for every OPT (Dósa & Sgall, STACS 2013)


moves = st.lists(
    st.tuples(
        st.sampled_from(["place", "remove", "move", "consolidate"]),
        st.integers(1, 6),
        st.integers(1, 90),
        st.integers(0, 4),
    ),
    max_size=50,
)


@settings(max_examples=60, deadline=None)
@given(moves)
def test_moves_and_consolidation_keep_every_invariant(ops: list[tuple[str, int, int, int]]) -> None:
    pool = ResourcePool([Host(f"h{i}", cores=8, memory_pages=100) for i in range(5)])
    placed: list[str] = []
    for n, (op, vcpus, pages, target) in enumerate(ops):
        try:
            if op == "place":
                pool.place(VmSpec(f"vm{n}", vcpus, pages, load=0.5))
                placed.append(f"vm{n}")
            elif op == "remove" and placed:
                pool.remove(placed.pop(target % len(placed)))
            elif op == "move" and placed:
                pool.move(placed[target % len(placed)], f"h{target}")
            elif op == "consolidate":
                before = pool.hosts_on()
                pool.consolidate()
                assert pool.hosts_on() <= before
        except CapacityExceeded:
            pass
        pool.check()
        assert sorted(name for v in pool.views() for name in v.vms) == sorted(placed)
        assert pool.power() <= sum(h.p_max for h in pool.hosts)


def test_overload_triggered_migration_relieves_hot_hosts() -> None:
    pool = ResourcePool(Host(f"h{i}", cores=4, memory_pages=100) for i in range(3))
    for i in range(4):
        pool.place(VmSpec(f"vm{i}", 1, 10, load=1.0), lambda vm, hosts: "h0")
    assert pool.overloaded(0.75) == ["h0"]
    moves = pool.relieve(0.75)
    assert moves == [("vm0", "h0", "h1")]
    assert pool.overloaded(0.75) == []
    pool.check()


def test_guests_only_land_on_hosts_of_their_architecture() -> None:
    pool = ResourcePool(
        [Host("x0", 4, 100), Host("a0", 4, 100, arch=Arch.ARM64), Host("a1", 4, 100, "arm64")]
    )
    assert pool.place(VmSpec("any", 1, 10)) == "x0"  # no arch named: any host
    assert pool.place(VmSpec("pi", 1, 10, arch=Arch.ARM64)) == "a0"
    assert pool.place(Guest("mac", memory_pages=10, arch=Arch.ARM64), "best_fit") == "a0"
    with pytest.raises(ArchitectureMismatch, match="QEMU TCG"):
        pool.move("pi", "x0")
    with pytest.raises(ArchitectureMismatch):
        pool.place(VmSpec("y", 1, 10, arch=Arch.ARM64), lambda vm, hosts: "x0")
    x86_only = ResourcePool([Host("x", 4, 100)])
    with pytest.raises(ArchitectureMismatch, match="emulation"):
        x86_only.place(VmSpec("z", 1, 10, arch=Arch.ARM64))
    pool.check()
