"""Every figure lesson 12 (placement and consolidation at scale) states, computed by the model,
with its source."""

from __future__ import annotations

import math

from tutor.sim import Host, ResourcePool, Trace, VmSpec, optimal_bin_count
from tutor.web.placement_scenes import FIXTURE, bin_packing, fixture_vms


def _hosts_used(sizes: list[int], policy: str) -> int:
    pool = ResourcePool(
        [Host(f"h{i}", cores=len(sizes), memory_pages=100) for i, _ in enumerate(sizes)]
    )
    vms = [VmSpec(f"g{i:02d}", 1, size) for i, size in enumerate(sizes)]
    if policy == "first_fit_decreasing":
        pool.place_all(vms, policy)
    else:
        for vm in vms:
            pool.place(vm, policy)
    return pool.hosts_on()


def test_the_tight_fixture_ffd_11_hosts_optimum_9() -> None:
    # Dósa 2007 (ESCAPE), "The tightest bound for First Fit Decreasing bin-packing algorithm is
    # FFD(I) <= 11/9 OPT(I) + 6/9"; Dósa, Li, Han & Tuza, Theoretical Computer Science 2013.
    # Bin 100, items 51x6, 27x6, 26x6, 23x12.
    assert sorted(FIXTURE, reverse=True) == [51] * 6 + [27] * 6 + [26] * 6 + [23] * 12
    assert _hosts_used(FIXTURE, "first_fit_decreasing") == 11
    assert optimal_bin_count(FIXTURE, 100, limit=30) == 9
    assert 11 <= 11 / 9 * 9 + 6 / 9 and 11 / 9 * 9 == 11  # the bound's ratio is reached


def test_the_ffd_scene_fills_hosts_as_the_lesson_describes() -> None:
    events = next(s["events"] for s in bin_packing()["scenes"] if s["id"] == "ffd")
    where = {e["vm"]: e["host"] for e in events if e["kind"] == "pool.place"}
    size = {vm.name: vm.memory_pages for vm in fixture_vms()}
    used: dict[str, int] = {}
    for vm, host in where.items():
        used[host] = used.get(host, 0) + size[vm]
    # six hosts at 51 + 27 = 78, two of three 26s (78), three of four 23s (92)
    assert sorted(used.values()) == [78] * 8 + [92] * 3
    optimum = next(s["events"] for s in bin_packing()["scenes"] if s["id"] == "optimum")
    full: dict[str, int] = {}
    for e in optimum:
        if e["kind"] == "pool.place":
            full[e["host"]] = full.get(e["host"], 0) + size[e["vm"]]
    assert sorted(full.values()) == [100] * 9


def test_first_fit_bound_and_the_concept_check() -> None:
    # Dósa & Sgall, STACS 2013: First Fit uses at most floor(1.7 OPT) bins.
    sizes = [30, 30, 30, 70, 70, 70]
    assert _hosts_used(sizes, "first_fit") == 4
    assert _hosts_used(sizes, "first_fit_decreasing") == optimal_bin_count(sizes, 100) == 3
    assert math.floor(11 / 9 * 90 + 6 / 9) == 110 and math.floor(1.7 * 90) == 153


def test_the_overload_scene_and_question() -> None:
    events = next(s["events"] for s in bin_packing()["scenes"] if s["id"] == "overload")
    moves = [(e["vm"], e["source"], e["host"]) for e in events if e["kind"] == "pool.move"]
    assert moves == [("cache", "h0", "h1"), ("web", "h0", "h2")]
    # The same pool rebuilt: 76 % -> 75 % -> 50 % on h0, threshold 70 %.
    pool = ResourcePool([Host(f"h{i}", cores=4, memory_pages=100) for i in range(3)], Trace())
    for name, vcpus, pages, load, host in (
        ("db", 2, 40, 1.0, "h0"),
        ("web", 1, 20, 1.0, "h0"),
        ("cache", 1, 10, 0.05, "h0"),
        ("batch", 2, 30, 0.5, "h1"),
        ("mail", 1, 15, 0.4, "h1"),
    ):
        pool.place(VmSpec(name, vcpus, pages, load=load), lambda vm, hosts, h=host: h)
    assert round(pool.utilisation("h0") * 100) == 76
    pool.move("cache", "h1")
    assert round(pool.utilisation("h0") * 100) == 75
    pool.move("web", "h2")
    assert round(pool.utilisation("h0") * 100) == 50
    # concept check: moving web alone (cache stays) leaves (2 + 0.05) / 4 = 51 %
    assert round((2 + 0.05) / 4 * 100) == 51


def test_announce_records_every_guest_with_its_size() -> None:
    pool = ResourcePool([Host("h0", 4, 100)])
    pool.announce([VmSpec("a", 2, 30, load=0.5), VmSpec("b", 1, 10)])
    (event,) = pool.trace.of_kind("pool.demands")
    assert event["vms"] == [
        {"vm": "a", "vcpus": 2, "pages": 30, "load": 0.5},
        {"vm": "b", "vcpus": 1, "pages": 10, "load": 1.0},
    ]
