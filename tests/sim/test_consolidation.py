"""Lesson 6's models: consolidation on a power meter, snapshot/rollback testing, architectures."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from typing import Any

import pytest

from tutor.sim import Arch, Guest, Host, InvalidOperation, ResourcePool, Trace, VmSpec
from tutor.sim.architecture import EMULATED, VIRTUALISED, mixed_pool, run_guest
from tutor.sim.consolidation import Fleet, consolidate_fleet
from tutor.sim.staging import Write, apply_update, smoke_test

FLEETS = [
    Fleet(servers, u, target_pct=target, p_max=p_max, p_idle=p_max * ratio)
    for servers in (1, 6, 10, 13)
    for u in (10, 12, 15, 18)
    for target in (60, 75, 100)
    for p_max, ratio in ((200.0, 0.5), (300.0, 0.6))
]


@pytest.mark.parametrize("fleet", FLEETS, ids=repr)
def test_saving_is_the_idle_power_of_the_hosts_switched_off(fleet: Fleet) -> None:
    result = consolidate_fleet(fleet)
    switched_off = result.hosts_before - result.hosts_after
    assert result.watts_saved == pytest.approx(switched_off * fleet.idle_watts)
    per_host = fleet.target_pct // fleet.utilisation_pct
    assert result.hosts_after == math.ceil(fleet.servers / per_host)


@pytest.mark.parametrize("fleet", FLEETS[::5], ids=repr)
def test_no_running_host_exceeds_the_target_and_every_vm_is_still_placed(fleet: Fleet) -> None:
    trace = Trace()
    consolidate_fleet(fleet, trace)
    where: dict[str, str] = {}
    on: set[str] = set()
    for event in trace.events:
        if event["kind"] in ("pool.place", "pool.move"):
            where[str(event["vm"])] = str(event["host"])
        if event["kind"] == "host.power":
            (on.add if event["on"] else on.discard)(str(event["host"]))
    assert len(where) == fleet.servers
    per_host: dict[str, int] = {}
    for host in where.values():
        per_host[host] = per_host.get(host, 0) + 1
    assert set(per_host) == on
    assert all(n * fleet.utilisation_pct <= fleet.target_pct for n in per_host.values())


def test_meter_moves_only_when_a_host_powers_off() -> None:
    fleet = Fleet(10, 15, target_pct=75)
    trace = Trace()
    consolidate_fleet(fleet, trace)
    readings = [e["watts"] for e in trace.events if e["kind"] == "power.meter"]
    assert readings[0] == pytest.approx(10 * 115.0)
    events = trace.events
    meter_at = [i for i, e in enumerate(events) if e["kind"] == "power.meter"]
    for before, after in itertools.pairwise(meter_at):
        powered_off = any(
            e["kind"] == "host.power" and not e["on"] for e in events[before + 1 : after]
        )
        change = float(events[before]["watts"]) - float(events[after]["watts"])
        assert change == pytest.approx(fleet.idle_watts if powered_off else 0.0)
    assert readings[-1] == pytest.approx(2 * 175.0)


def test_same_fleet_gives_the_same_trace() -> None:
    one, two = Trace(), Trace()
    consolidate_fleet(Fleet(9, 15, target_pct=70), one)
    consolidate_fleet(Fleet(9, 15, target_pct=70), two)
    assert one.digest() == two.digest()


@pytest.mark.parametrize("servers, u, target", [(0, 15, 75), (5, 80, 75), (5, 0, 75), (5, 15, 101)])
def test_impossible_fleets_are_refused_in_both_languages(servers: int, u: int, target: int) -> None:
    with pytest.raises(InvalidOperation) as error:
        Fleet(servers, u, target_pct=target)
    assert error.value.zh


def test_rollback_returns_the_identical_state_after_memory_and_disk_writes() -> None:
    guest = Guest("web", memory_pages=8, disk_blocks={"disk0": 8})
    guest.start("h")
    guest.run(10, random.Random(3))
    guest.write_memory(0, 4242)
    before = guest.state_hash()
    guest.snapshot("s")
    apply_update(guest, [Write(0, 1), Write(3, 9, "disk0"), Write(5, 7)])
    assert not smoke_test(guest, 0, 4242)
    assert guest.state_hash() != before
    guest.rollback("s")
    assert guest.state_hash() == before
    assert smoke_test(guest, 0, 4242)
    tests = guest.trace.of_kind("test.run")
    assert [e["passed"] for e in tests] == [False, True]
    assert tests[-1]["hash"] == before


def test_a_guest_of_another_architecture_is_emulated_not_virtualised() -> None:
    trace = Trace()
    pool = ResourcePool([Host("x", 8, 4096, arch=Arch.X86_64)], trace)
    assert run_guest(pool, VmSpec("web", 1, 64, arch=Arch.X86_64)) == VIRTUALISED
    assert run_guest(pool, VmSpec("arm", 1, 64, arch=Arch.ARM64)) == EMULATED
    refuse = trace.of_kind("arch.refuse")[0]
    emulate = trace.of_kind("arch.emulate")[0]
    assert refuse["rule"] == "architecture" and refuse["host_arches"] == ["x86_64"]
    assert emulate["translator"] == "QEMU TCG" and emulate["guest_arch"] == "arm64"
    assert pool.guests_on("x") == ["web"]


def test_a_pool_with_a_host_of_that_architecture_virtualises_it() -> None:
    pool = ResourcePool([Host("x", 8, 4096), Host("a", 8, 4096, arch=Arch.ARM64)])
    assert run_guest(pool, VmSpec("arm", 1, 64, arch=Arch.ARM64)) == VIRTUALISED
    assert pool.host_of("arm") == "a"


def _savings_reference() -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The consolidation-savings exercise's reference solution, which grading compares against."""
    import importlib.util
    from pathlib import Path

    path = (
        Path(__file__).resolve().parents[2]
        / "lessons/06-why-virtual-machines/exercises/consolidation-savings/solution.py"
    )
    spec = importlib.util.spec_from_file_location("savings_solution", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    savings: Callable[[dict[str, Any]], dict[str, Any]] = module.savings
    return savings


@pytest.mark.parametrize("fleet", FLEETS, ids=repr)
def test_the_exercise_reference_predicts_what_the_model_does(fleet: Fleet) -> None:
    predicted = _savings_reference()(
        {
            "servers": fleet.servers,
            "utilisation_pct": fleet.utilisation_pct,
            "cores": fleet.cores,
            "p_max": fleet.p_max,
            "p_idle": fleet.idle_watts,
            "target_pct": fleet.target_pct,
            "hours": 8760,
            "pue": 1.5,
        }
    )
    result = consolidate_fleet(fleet)
    assert predicted["hosts_after"] == result.hosts_after
    assert predicted["watts_before"] == pytest.approx(result.watts_before)
    assert predicted["watts_after"] == pytest.approx(result.watts_after)
    assert predicted["kwh_saved"] == pytest.approx(result.watts_saved * 8760 / 1000 * 1.5)


def test_a_mixed_pool_names_each_hosts_architecture_first() -> None:
    trace = Trace()
    pool = mixed_pool([Host("x", 8, 4096), Host("a", 8, 4096, arch=Arch.ARM64)], trace)
    assert trace.events[0]["kind"] == "arch.hosts"
    assert trace.events[0]["arches"] == {"x": "x86_64", "a": "arm64"}
    assert run_guest(pool, VmSpec("edge", 1, 64, arch=Arch.ARM64)) == VIRTUALISED
    assert run_guest(pool, VmSpec("web", 1, 64, arch=Arch.X86_64)) == VIRTUALISED
    assert (pool.host_of("edge"), pool.host_of("web")) == ("a", "x")
