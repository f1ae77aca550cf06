"""Salted page sharing: the isolation/efficiency trade-off VMware chose in 2014–15.

Content-based sharing across VMs is a timing side channel (Flush+Reload on deduplicated pages,
Irazoqui et al., RAID 2014); VMware's KB 2080735 / 2097593 made inter-VM transparent page
sharing off by default through per-VM salting. The model shares only between equal salts.
"""

from __future__ import annotations

import pytest

from tutor.sim import MachineMemory
from tutor.sim.errors import InvalidOperation


def _three_guests(mm: MachineMemory, salts: dict[str, str | None]) -> None:
    for name in ("a", "b", "c"):
        mm.add_guest(name, pages=4, salt=salts.get(name))
        for page in range(4):
            mm.map(name, page, page)
            mm.write(name, page, 7 if page < 3 else 100 + ord(name))  # 3 zero-like pages each


def test_without_salt_every_guest_shares_with_every_other() -> None:
    mm = MachineMemory(frames=16)
    _three_guests(mm, {})
    assert mm.share() == 8  # nine pages of 7 become one frame
    assert mm.shared_frames() == 1
    mm.check()


def test_salting_keeps_sharing_inside_each_guest_only() -> None:
    mm = MachineMemory(frames=16, salting=True)
    _three_guests(mm, {})
    assert mm.share() == 6  # each guest's three pages of 7 become one frame of its own
    assert mm.shared_frames() == 3
    for mpn in range(16):
        owners = {name for name in mm.guests if mpn in mm.guests[name].pmap.values()}
        assert len(owners) <= 1  # no frame is mapped by two guests
    mm.check()


def test_guests_given_one_salt_share_among_themselves_only() -> None:
    mm = MachineMemory(frames=16, salting=True)
    _three_guests(mm, {"a": "tenant-1", "b": "tenant-1"})
    assert mm.share() == 7  # a+b: six pages -> one frame; c: three -> one
    a_frame = mm.translate("a", 0)[1]
    assert mm.translate("b", 0)[1] == a_frame
    assert mm.translate("c", 0)[1] != a_frame
    shares = [e for e in mm.trace.of_kind("mem.share")]
    assert {e["salt"] for e in shares} == {"tenant-1", "c"}


def test_a_write_to_a_salted_shared_page_still_breaks_copy_on_write() -> None:
    mm = MachineMemory(frames=16, salting=True)
    _three_guests(mm, {})
    mm.share()
    mm.write("a", 0, 8)
    assert mm.read("a", 0) == 8
    assert mm.read("a", 1) == 7
    assert mm.trace.of_kind("mem.cow")
    mm.check()


def test_bad_salt_is_refused_with_a_reason() -> None:
    mm = MachineMemory(frames=4)
    with pytest.raises(InvalidOperation, match="salt is a non-empty string"):
        mm.add_guest("a", 2, salt="")
