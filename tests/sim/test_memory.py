"""Memory virtualisation (lesson 10): two-level translation, sharing, balloon, idle tax, swap."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.sim import (
    CapacityExceeded,
    InvalidOperation,
    IsolationViolation,
    MachineMemory,
    TaxClient,
    idle_tax_allocation,
    page_faults,
    shares_per_page,
)

BELADY = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]


def test_belady_anomaly_with_fifo() -> None:
    assert page_faults(BELADY, 3, "fifo").misses == 9
    assert page_faults(BELADY, 4, "fifo").misses == 10


def test_lru_is_a_stack_algorithm_and_clock_approximates_it() -> None:
    assert page_faults(BELADY, 3, "lru").misses == 10
    assert page_faults(BELADY, 4, "lru").misses == 8
    for frames in range(1, 6):
        assert (
            page_faults(BELADY, frames + 1, "lru").misses
            <= page_faults(BELADY, frames, "lru").misses
        )
    assert page_faults(BELADY, 3, "clock").misses == 9
    hot = [1, 2, 1, 3, 1, 4, 1, 5]
    assert page_faults(hot, 2, "lru").misses == 5
    assert page_faults(hot, 2, "clock").misses == 6  # an approximation pays a little


def test_idle_tax_worked_example() -> None:
    # τ = 0.75 → k = 1/(1−τ) = 4; S = 1000, P = 100, f = 0.5:
    # ρ = 1000 / (100 · (0.5 + 4 · 0.5)) = 1000 / 250 = 4.0
    assert shares_per_page(1000, 100, 0.5, tau=0.75) == pytest.approx(4.0)
    assert shares_per_page(1000, 100, 1.0) == pytest.approx(10.0)  # fully active: no tax
    assert shares_per_page(1000, 100, 0.0) == pytest.approx(2.5)  # idle: pays k = 4 times
    # Equal shares, one VM busy and one idle, 500 pages for 800 wanted: at equilibrium
    # 1000/(P_a·1) = 1000/(P_b·4), so the busy VM ends with four times the idle one's pages.
    alloc = idle_tax_allocation(
        500,
        [TaxClient("busy", 1000, 1.0, max_pages=400), TaxClient("idle", 1000, 0.0, 400)],
    )
    assert alloc == {"busy": 400, "idle": 100}
    # τ = 0 is pure proportional share: shares alone decide
    assert idle_tax_allocation(
        300, [TaxClient("a", 2000, 1.0, 400), TaxClient("b", 1000, 0.0, 400)], tau=0.0
    ) == {"a": 200, "b": 100}


def two_guests(frames: int = 8) -> MachineMemory:
    mm = MachineMemory(frames)
    for name in ("A", "B"):
        mm.add_guest(name, pages=4)
        for v in range(4):
            mm.map(name, gvpn=100 + v, gppn=v)
    return mm


def test_two_level_translation() -> None:
    mm = two_guests()
    assert mm.translate("A", 102) == (2, None)
    mm.write("A", 102, 7)
    gppn, mpn = mm.translate("A", 102)
    assert gppn == 2 and mpn is not None
    assert mm.read("A", 102) == 7
    with pytest.raises(InvalidOperation, match="page fault"):
        mm.read("A", 999)


def test_page_sharing_and_copy_on_write() -> None:
    mm = two_guests()
    for v in range(4):
        mm.write("A", 100 + v, 42)  # e.g. zero pages or the same kernel text
        mm.write("B", 100 + v, 42 if v < 2 else v)
    assert mm.free_frames == 0
    assert mm.share() == 5  # six frames of 42 become one
    assert mm.free_frames == 5 and mm.shared_frames() == 1
    mm.write("B", 100, 9)  # copy-on-write break
    assert mm.read("B", 100) == 9 and mm.read("A", 100) == 42
    assert mm.trace.of_kind("mem.cow")
    mm.check()


def test_isolation_rules() -> None:
    mm = two_guests()
    mm.write("B", 101, 1234)
    _, mpn = mm.translate("B", 101)
    assert mpn is not None
    with pytest.raises(IsolationViolation, match="own pmap"):
        mm.read_machine("A", mpn)
    with pytest.raises(IsolationViolation, match="own physical memory"):
        mm.map("A", 1, 4)


def test_overcommit_swaps_and_balloon_reclaims() -> None:
    mm = MachineMemory(4, policy="fifo")
    for name in ("A", "B"):
        mm.add_guest(name, pages=4)
    assert mm.committed() == 2.0
    for v in range(3):
        mm.map("A", v, v)
        mm.write("A", v, 10 + v)
    mm.map("B", 0, 0)
    mm.write("B", 0, 99)
    mm.map("B", 1, 1)
    mm.write("B", 1, 98)  # no free frame: A's oldest page goes to swap
    assert mm.trace.of_kind("mem.swap_out")[0]["guest"] == "A"
    assert mm.read("A", 0) == 10  # swapped back in, content intact
    mm.check()
    taken = mm.balloon_inflate("A", 1)
    assert taken == [3]
    with pytest.raises(InvalidOperation, match="balloon"):
        mm.map("A", 9, 3)
    with pytest.raises(CapacityExceeded, match="unmapped pages"):
        mm.balloon_inflate("A", 5)
    mm.balloon_deflate("A", 1)
    mm.map("A", 9, 3)
    mm.check()


ops = st.lists(
    st.tuples(
        st.sampled_from(["write", "read", "share", "balloon", "deflate"]),
        st.sampled_from(["A", "B", "C"]),
        st.integers(0, 5),
        st.integers(0, 3),
    ),
    max_size=60,
)


@settings(max_examples=80, deadline=None)
@given(ops, st.sampled_from(["fifo", "lru", "clock"]))
def test_pages_conserved_and_guests_isolated_under_random_workloads(
    script: list[tuple[str, str, int, int]], policy: str
) -> None:
    mm = MachineMemory(7, policy=policy)
    expected: dict[tuple[str, int], int] = {}
    for name in ("A", "B", "C"):
        mm.add_guest(name, pages=6)
        for v in range(4):
            mm.map(name, v, v)
    for op, guest, page, value in script:
        v = page % 4
        tagged = {"A": 1000, "B": 2000, "C": 3000}[guest] + value
        if op == "write":
            mm.write(guest, v, tagged)
            expected[(guest, v)] = tagged
        elif op == "read":
            got = mm.read(guest, v)
            assert got == expected.get((guest, v), 0)  # never another guest's value
        elif op == "share":
            mm.share()
        elif op == "balloon" and len(mm.guests[guest].ballooned) < 2:
            mm.balloon_inflate(guest, 1)
        elif op == "deflate" and mm.guests[guest].ballooned:
            mm.balloon_deflate(guest, 1)
        mm.check()
    for (guest, v), value in expected.items():
        assert mm.read(guest, v) == value


class MostRecentlyUsed:
    """A learner's policy: evict the page used last (good for loops larger than memory)."""

    name = "mru"

    def __init__(self) -> None:
        self.order: list[object] = []

    def insert(self, page: object) -> None:
        self.order.append(page)

    def touch(self, page: object) -> None:
        self.order.remove(page)
        self.order.append(page)

    def remove(self, page: object) -> None:
        self.order.remove(page)

    def victim(self) -> object:
        return self.order[-1]


def test_a_learner_replacement_policy_plugs_in() -> None:
    loop = [1, 2, 3, 4] * 3
    assert page_faults(loop, 3, MostRecentlyUsed()).misses < page_faults(loop, 3, "lru").misses
    mm = MachineMemory(2, policy=MostRecentlyUsed())
    mm.add_guest("A", 3)
    for v in range(3):
        mm.map("A", v, v)
        mm.write("A", v, v + 1)
    assert [mm.read("A", v) for v in range(3)] == [1, 2, 3]
    mm.check()


class Liar(MostRecentlyUsed):
    def victim(self) -> object:
        return ("B", 0)


def test_a_policy_that_names_a_page_it_may_not_evict_is_refused() -> None:
    mm = MachineMemory(1, policy=Liar())
    mm.add_guest("A", 2)
    mm.map("A", 0, 0)
    mm.map("A", 1, 1)
    mm.write("A", 0, 5)
    with pytest.raises(InvalidOperation, match="not a resident private page"):
        mm.write("A", 1, 6)
    mm.check()
