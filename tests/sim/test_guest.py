"""Guests as files (lessons 1, 3, 6): save/restore, snapshot/rollback, linked clones, isolation."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.sim import (
    Guest,
    Host,
    InvalidOperation,
    IsolationViolation,
    ResourcePool,
    SecurityManager,
    Trace,
    storage_blocks,
)


def busy_guest(name: str = "web", seed: int = 1) -> Guest:
    g = Guest(name, vcpus=2, memory_pages=32, disk_blocks={"disk0": 64, "data": 16})
    g.start("h0")
    g.run(50, random.Random(seed))
    return g


def test_save_and_restore_give_the_same_state_hash_on_another_host() -> None:
    g = busy_guest()
    before = g.state_hash()
    files = g.save()
    assert files.names() == ["web.vmx", "web-data.vmdk", "web-disk0.vmdk", "web.vmss"]
    restored = Guest.restore(files, host="h1")
    assert restored.state_hash() == before
    assert restored.state == "running" and restored.host == "h1"
    restored.run(5, random.Random(2))
    assert restored.state_hash() != before


def test_snapshot_and_rollback_give_the_identical_state() -> None:
    g = busy_guest()
    g.snapshot("before-upgrade")
    at_snapshot = g.state_hash()
    g.run(40, random.Random(9))
    g.write_disk("data", 3, 777)
    assert g.state_hash() != at_snapshot
    g.rollback("before-upgrade")
    assert g.state_hash() == at_snapshot
    assert g.read_disk("data", 3) != 777 or at_snapshot == g.state_hash()
    g.run(3, random.Random(1))
    g.rollback("before-upgrade")  # a snapshot can be returned to again and again
    assert g.state_hash() == at_snapshot
    with pytest.raises(InvalidOperation, match="no snapshot"):
        g.rollback("nope")


def test_linked_clones_share_the_base_and_copy_on_write() -> None:
    golden = Guest("golden", disk_blocks={"disk0": 100})
    golden.start()
    for block in range(100):
        golden.write_disk("disk0", block, block + 1)
    golden.stop()
    clones = [golden.linked_clone(f"desk{i}") for i in range(10)]
    for i, c in enumerate(clones):
        c.start()
        c.write_disk("disk0", i, -1)  # each clone changes one block
    assert clones[3].read_disk("disk0", 3) == -1
    assert clones[4].read_disk("disk0", 3) == 4  # siblings still see the base
    assert golden.read_disk("disk0", 3) == 4
    assert storage_blocks([golden, *clones]) == 100 + 10  # one base + ten one-block deltas
    with pytest.raises(InvalidOperation, match="read-only"):
        clones[0].disks["disk0"].base.write(0, 5)  # type: ignore[union-attr]


def test_guests_are_placed_and_moved_like_any_demand() -> None:
    pool = ResourcePool([Host("h0", 4, 64), Host("h1", 4, 64)])
    g = Guest("app", vcpus=2, memory_pages=32, trace=pool.trace)
    g.start(pool.place(g))
    g.write_memory(1, 5)
    before = g.state_hash()
    pool.move("app", "h1")
    g.move_to("h1")
    assert g.state_hash() == before and g.host == "h1"


def test_security_manager_enforces_isolation() -> None:
    sm = SecurityManager()
    a, b = busy_guest("A", 1), busy_guest("B", 2)
    sm.register(a)
    sm.register(b)
    b.write_memory(0, 4242)
    assert sm.read_memory("B", "B", 0) == 4242
    with pytest.raises(IsolationViolation, match="security manager"):
        sm.read_memory("A", "B", 0)
    with pytest.raises(IsolationViolation):
        sm.write_disk("A", "B", "disk0", 0, 1)
    with pytest.raises(IsolationViolation, match="outside its memory"):
        a.write_memory(32, 1)
    with pytest.raises(IsolationViolation, match="outside disk"):
        a.write_disk("disk0", 64, 1)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 60), st.integers(1, 60))
def test_guest_a_never_sees_guest_b(seed: int, steps_a: int, steps_b: int) -> None:
    trace = Trace()
    a = Guest("A", memory_pages=8, disk_blocks={"disk0": 8}, trace=trace)
    b = a.linked_clone("B")
    a.start()
    b.start()
    a.run(steps_a, random.Random(seed))
    snapshot_a = a.state_hash()
    b.run(steps_b, random.Random(seed + 1))
    assert a.state_hash() == snapshot_a  # nothing B did is visible to A
    files = a.save()
    assert Guest.restore(files).state_hash() == snapshot_a
