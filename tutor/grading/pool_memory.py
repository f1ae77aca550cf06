"""How much memory one sandbox pool may use as a whole, and what enforces it.

Per child, RLIMIT_AS bounds what learner code maps (``memory_mb``). Memory that is not mapped
into the child — SysV shared memory it detached, message queues, pipe buffers — would escape that
bound; the children's system-call filter refuses every call that creates such memory (pipes
excepted: they are few, small, and die with the child), so a pool's use is bounded by
``workers × (memory_mb + one zygote)``.

Where the kernel offers more, use it: with ``GRADER_CGROUP`` naming a cgroup v2 directory
delegated to the server (``memory`` and ``pids`` in its ``cgroup.subtree_control``), each pool
gets a child cgroup with ``memory.max`` at that bound, no swap and a ``pids.max``; every
bubblewrap, zygote and grading child of the pool is started inside it, so whatever the kernel
charges to them (page tables, kernel objects, anything this code did not foresee) is capped for
the pool as a whole. Without it — or on a machine whose cgroup v2 has no memory controller —
the server says so in its log at start.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

ZYGOTE_MB = 64  # a zygote and its bubblewrap (≈ 15 MB resident) with room to spare
PIDS_PER_MEMBER = 4  # bubblewrap, zygote, one child, one being reaped


class CgroupUnavailable(Exception):
    """GRADER_CGROUP is set but cannot be used; the message says why."""


@dataclass
class PoolMemory:
    limit_mb: int
    cgroup: Path | None
    description: str

    def release(self) -> None:
        """Remove the pool's cgroup once its processes are gone."""
        if self.cgroup is not None:
            with contextlib.suppress(OSError):
                self.cgroup.rmdir()
            self.cgroup = None


def pool_limit_mb(size: int, child_mb: int) -> int:
    return size * (child_mb + ZYGOTE_MB)


def plan(size: int, child_mb: int, parent: str | None) -> PoolMemory:
    """The pool's bound, in a fresh cgroup under ``parent`` when one is given."""
    limit = pool_limit_mb(size, child_mb)
    if not parent:
        return PoolMemory(
            limit,
            None,
            f"no cgroup for the grader pool ({_what_the_machine_has()}; set GRADER_CGROUP to a "
            f"delegated cgroup v2 folder to get one): memory is bounded per grading child by "
            f"RLIMIT_AS ({child_mb} MB) and per pool by {size} workers × ({child_mb} + "
            f"{ZYGOTE_MB}) MB = {limit} MB; SysV and POSIX IPC are refused, so nothing a child "
            "allocates outlives it",
        )
    folder = Path(parent)
    if not (folder / "cgroup.controllers").is_file():
        raise CgroupUnavailable(
            f"GRADER_CGROUP={parent} is not a cgroup v2 folder this server can read (no "
            f"{folder / 'cgroup.controllers'}): point it at a delegated cgroup v2 folder "
            "(docs/deployment.md), or leave it unset to bound memory per grading child"
        )
    controllers = _read(folder / "cgroup.controllers").split()
    if "memory" not in controllers:
        raise CgroupUnavailable(
            f"GRADER_CGROUP={parent} offers no memory controller (controllers: "
            f"{' '.join(controllers) or 'none'})"
        )
    enabled = _read(folder / "cgroup.subtree_control").split()
    wanted = [c for c in ("memory", "pids") if c in controllers and c not in enabled]
    try:
        if wanted:
            (folder / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in wanted))
        mine = folder / f"virttutor-pool-{os.getpid()}-{size}"
        mine.mkdir(exist_ok=True)
        (mine / "memory.max").write_text(str(limit * 1024 * 1024))
        for name, value in (("memory.swap.max", "0"), ("pids.max", str(size * PIDS_PER_MEMBER))):
            if (mine / name).exists():
                (mine / name).write_text(value)
    except OSError as exc:
        raise CgroupUnavailable(
            f"cannot set up a cgroup under GRADER_CGROUP={parent}: {exc}"
        ) from None
    return PoolMemory(
        limit, mine, f"the grader pool's cgroup {mine} has memory.max = {limit} MB, no swap"
    )


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError as exc:
        raise CgroupUnavailable(f"{path}: {exc.strerror or exc}") from None


def _what_the_machine_has() -> str:
    """One phrase on the cgroup v2 memory controller here, for the start-up log line."""
    try:
        mounts = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return "cgroups unknown"
    for line in mounts:
        left, _, right = line.partition(" - ")
        if right.split()[:1] == ["cgroup2"]:
            root = Path(left.split()[4])
            try:
                controllers = (root / "cgroup.controllers").read_text().split()
            except OSError:
                controllers = []
            if "memory" in controllers:
                return f"cgroup v2 at {root} has a memory controller"
            return f"cgroup v2 at {root} has no memory controller"
    return "no cgroup v2 on this machine"
