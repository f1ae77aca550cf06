"""Lesson 2's additions to the resource pool: recorded admission verdicts and host failure."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.sim import REFUSALS, Arch, Host, InvalidOperation, ResourcePool, Trace, VmSpec


def pool_of(*sizes: tuple[int, int]) -> ResourcePool:
    return ResourcePool(
        Host(f"h{i + 1}", cores=c, memory_pages=p) for i, (c, p) in enumerate(sizes)
    )


def kinds(pool: ResourcePool) -> list[str]:
    return [e["kind"] for e in pool.trace.events]


def test_each_refusal_names_its_reason() -> None:
    pool = pool_of((8, 32), (8, 32))
    assert pool.try_place(VmSpec("a", 6, 24)) == "h1"
    assert pool.try_place(VmSpec("b", 6, 24)) == "h2"
    assert pool.refusal(VmSpec("big", 4, 40)) == "too_big"
    assert pool.refusal(VmSpec("cpu", 9, 4)) == "too_big"
    assert pool.refusal(VmSpec("c", 4, 20)) == "pool_full"
    assert pool.refusal(VmSpec("d", 2, 12)) == "fragmented"
    assert pool.refusal(VmSpec("e", 2, 8)) is None
    assert pool.refusal(VmSpec("arm", 1, 1, arch=Arch.ARM64)) == "architecture"


def test_try_place_records_the_request_and_the_verdict_and_reserves_nothing_on_refusal() -> None:
    pool = pool_of((8, 32), (8, 32))
    pool.try_place(VmSpec("a", 6, 24))
    pool.try_place(VmSpec("b", 6, 24))
    before = pool.headroom()
    assert pool.try_place(VmSpec("d", 2, 12)) is None
    assert pool.headroom() == before
    request, refuse = pool.trace.events[-2:]
    assert request == {
        "seq": request["seq"],
        "kind": "pool.request",
        "vm": "d",
        "vcpus": 2,
        "pages": 12,
        "load": 1.0,
    }
    assert refuse["kind"] == "pool.refuse" and refuse["reason"] == "fragmented"
    assert (refuse["free_vcpus"], refuse["free_pages"]) == (4, 16)
    assert (refuse["best_vcpus"], refuse["best_pages"]) == (2, 8)


def test_decline_records_a_callers_reason_and_rejects_unknown_ones() -> None:
    pool = pool_of((4, 16))
    pool.decline(VmSpec("x", 1, 4), "pool_full")
    assert pool.trace.events[-1]["by"] == "caller"
    assert pool.headroom() == (4, 16)
    with pytest.raises(InvalidOperation) as raised:
        pool.decline(VmSpec("y", 1, 4), "no_reason")
    assert raised.value.zh


def test_a_failed_hosts_guests_restart_largest_first_on_the_survivors() -> None:
    pool = pool_of((8, 32), (8, 32), (8, 32))
    for name, v, p in (("s", 1, 4), ("l", 2, 16), ("m", 2, 8)):
        pool.try_place(VmSpec(name, v, p), "first_fit")
    assert pool.fail_host("h1") == {"l": "h2", "m": "h2", "s": "h2"}
    assert [e["vm"] for e in pool.trace.events if e["kind"] == "pool.restart"] == ["l", "m", "s"]
    assert pool.failed("h1") and not pool.powered_on("h1")
    assert (pool.capacity_vcpus, pool.capacity_pages) == (16, 64)
    pool.check()
    with pytest.raises(InvalidOperation):
        pool.fail_host("h1")


def test_without_headroom_a_guest_stays_stopped_with_the_reason() -> None:
    pool = pool_of((4, 16), (4, 16))
    pool.try_place(VmSpec("a", 2, 12))
    pool.try_place(VmSpec("b", 2, 4))
    pool.try_place(VmSpec("c", 2, 12), lambda vm, hosts: "h2")
    assert pool.fail_host("h1") == {"a": None, "b": "h2"}
    stranded = next(e for e in pool.trace.events if e["kind"] == "pool.refuse")
    assert (
        stranded["vm"] == "a" and stranded["source"] == "h1" and stranded["reason"] == "pool_full"
    )
    pool.check()


def test_nothing_lands_on_a_failed_host() -> None:
    pool = pool_of((4, 16), (4, 16))
    pool.fail_host("h2")
    pool.try_place(VmSpec("a", 4, 16))
    assert pool.refusal(VmSpec("b", 1, 1)) == "pool_full"
    assert pool.try_place(VmSpec("b", 1, 1)) is None


guest = st.tuples(st.integers(1, 6), st.integers(1, 40))


@settings(max_examples=150, deadline=None)
@given(
    hosts=st.lists(st.tuples(st.integers(2, 8), st.integers(8, 48)), min_size=1, max_size=5),
    guests=st.lists(guest, max_size=14),
    fail=st.integers(0, 4),
)
def test_reservations_never_exceed_capacity_whatever_is_asked_or_fails(
    hosts: list[tuple[int, int]], guests: list[tuple[int, int]], fail: int
) -> None:
    pool = pool_of(*hosts)
    for i, (v, p) in enumerate(guests):
        vm = VmSpec(f"g{i}", v, p)
        reason = pool.refusal(vm)
        fits = any(h.fits(vm) for h in pool.views())
        assert (reason is None) == fits
        assert reason is None or reason in REFUSALS
        assert (pool.try_place(vm) is not None) == fits
        pool.check()
        if i == len(guests) // 2 and fail < len(hosts):
            restarted = pool.fail_host(f"h{fail + 1}")
            assert all(pool.host_of(g) == h for g, h in restarted.items() if h)
            pool.check()
    assert pool.reserved_vcpus <= pool.capacity_vcpus
    assert pool.reserved_pages <= pool.capacity_pages


def test_the_events_replay_the_same_for_the_same_calls() -> None:
    def run() -> list[dict[str, object]]:
        pool = ResourcePool([Host("h1", 4, 16), Host("h2", 4, 16)], trace=Trace())
        pool.try_place(VmSpec("a", 2, 8))
        pool.try_place(VmSpec("b", 4, 20))
        pool.fail_host("h1")
        return pool.trace.events

    assert run() == run()
