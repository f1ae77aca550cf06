"""An isolated test environment: snapshot a guest, try an update, roll back if a test fails.

A VM can be frozen (``Guest.snapshot``) and returned to that exact moment (``Guest.rollback``):
CPU, memory and every disk block, so its state hash afterwards equals the hash at the snapshot.
That is why VMs suit deployment and testing: an update is tried on the real system and, if the
service breaks, undone completely, with nothing left over. The smoke test here is the simplest
such check: the service answers only while its configuration page holds the value it expects.
"""

from __future__ import annotations

from dataclasses import dataclass

from .guest import Guest
from .quantities import whole_number
from .trace import Trace


@dataclass(frozen=True)
class Write:
    """One change an update makes: a memory page (``disk`` None) or a disk block."""

    target: int
    value: int
    disk: str | None = None


def apply_update(guest: Guest, writes: list[Write]) -> None:
    """Install an update: every write lands in the running guest's memory or disks."""
    for write in writes:
        if write.disk is None:
            guest.write_memory(write.target, write.value)
        else:
            guest.write_disk(write.disk, write.target, write.value)


def smoke_test(guest: Guest, page: int, expected: int, trace: Trace | None = None) -> bool:
    """Does the service still answer? Here: its configuration page holds ``expected``."""
    whole_number(expected, ("smoke_test: expected", "smoke_test 的 expected"))
    passed = guest.read_memory(page) == expected
    (trace if trace is not None else guest.trace).emit(
        "test.run", guest=guest.name, page=page, passed=passed, hash=guest.state_hash()
    )
    return passed
