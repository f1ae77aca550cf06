"""Lesson 1's model: a host carved into slices, where a guest's write lands only in its own."""

from __future__ import annotations

import random

import pytest

from tutor.sim import (
    CapacityExceeded,
    Disk,
    Host,
    InvalidOperation,
    IsolationViolation,
    Nic,
    SlicedHost,
    Trace,
)


def small_host(trace: Trace | None = None) -> SlicedHost:
    host = Host("h1", cores=8, memory_pages=64, disks=(Disk("sda", 48),), nics=(Nic("eth0", 1000),))
    return SlicedHost(host, trace=trace, hypervisor_pages=8)


def test_slices_are_disjoint_ranges_after_the_hypervisors_own_memory() -> None:
    host = small_host()
    a = host.carve("a", 2, 16, 16, 300)
    b = host.carve("b", 3, 8, 20, 200)
    assert a.cores == (0, 1) and b.cores == (2, 3, 4)
    assert a.memory == (8, 24) and b.memory == (24, 32)
    assert a.disk == (0, 16) and b.disk == (16, 36)
    assert host.free() == {"cores": 3, "memory": 32, "disk": 12, "nic": 500}
    host.check()


def test_the_same_guest_address_is_a_different_host_frame_per_guest() -> None:
    host = small_host()
    host.carve("a", 1, 16, 8, 0)
    host.carve("b", 1, 16, 8, 0)
    assert host.write("a", "memory", 2, 7) == 10
    assert host.write("b", "memory", 2, 9) == 26
    assert host.read("a", "memory", 2) == 7
    assert host.read("b", "memory", 2) == 9
    assert host.read("b", "disk", 0) == 0  # unwritten reads as zero


def test_an_address_past_the_slice_is_refused_with_a_chinese_reason() -> None:
    trace = Trace()
    host = small_host(trace)
    host.carve("a", 1, 4, 4, 0)
    host.carve("b", 1, 4, 4, 0)
    host.write("b", "memory", 0, 5)
    with pytest.raises(IsolationViolation) as error:
        host.read("a", "memory", 4)  # the first page of b's slice, were there no check
    assert error.value.zh and "边界检查" in error.value.zh
    assert trace.events[-1]["kind"] == "slice.refused"
    with pytest.raises(IsolationViolation):
        host.write("a", "disk", -1, 1)


def test_a_spec_larger_than_what_is_left_is_refused_and_changes_nothing() -> None:
    host = small_host()
    host.carve("a", 6, 40, 10, 900)
    before = host.free()
    for spec in ((3, 1, 1, 0), (1, 17, 1, 0), (1, 1, 39, 0), (1, 1, 1, 101)):
        with pytest.raises(CapacityExceeded) as error:
            host.carve("b", *spec)
        assert error.value.zh
    assert host.free() == before and list(host.slices) == ["a"]
    host.carve("b", *(before[r] for r in ("cores", "memory", "disk", "nic")))  # exactly fits
    assert host.free() == {"cores": 0, "memory": 0, "disk": 0, "nic": 0}


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_a_spec_needs_whole_positive_amounts(bad: object) -> None:
    with pytest.raises(InvalidOperation):
        small_host().carve("a", bad, 4, 4, 0)  # type: ignore[arg-type]


def test_restart_wipes_memory_but_keeps_disk_and_files_hold_both() -> None:
    host = small_host()
    host.carve("web", 2, 8, 8, 100)
    host.write("web", "memory", 1, 11)
    host.write("web", "disk", 3, 33)
    files = host.save("web")
    assert files.names() == ["web.vmx", "web-disk0.vmdk", "web.vmss"]
    assert files.memory == {1: 11} and files.disks == {"disk0": {3: 33}}
    assert files.config["vcpus"] == 2 and files.config["memory_pages"] == 8
    host.restart("web")
    assert host.read("web", "memory", 1) == 0 and host.read("web", "disk", 3) == 33


def test_random_writes_never_leave_their_slice_and_are_deterministic() -> None:
    def run(seed: int) -> str:
        trace = Trace()
        host = small_host(trace)
        sizes = {"a": 10, "b": 20, "c": 6}
        for name, pages in sizes.items():
            host.carve(name, 1, pages, 4, 0)
        rng = random.Random(seed)
        shadow: dict[tuple[str, int], int] = {}
        for _ in range(300):
            name = rng.choice(sorted(sizes))
            page = rng.randrange(sizes[name])
            value = rng.randrange(5)
            host.write(name, "memory", page, value)
            shadow[(name, page)] = value
            other = rng.choice(sorted(sizes))
            probe = rng.randrange(sizes[other])
            assert host.read(other, "memory", probe) == shadow.get((other, probe), 0)
        host.check()
        return trace.digest()

    assert run(3) == run(3) != run(4)
