"""Live migration by pre-copy (Clark et al., NSDI 2005): move a running guest, pause it briefly.

Copy all memory while the guest keeps running; the guest dirties pages meanwhile, so copy those
again, and again, each round shorter than the last if the network outpaces the dirtying. When
what is left is small, pause the guest, copy the rest (stop-and-copy) and resume it on the new
host. The pause is the *downtime*; the paper measured 210 ms for a SPECweb server and 60 ms for a
Quake 3 server.

With memory M, a constant dirty rate d and bandwidth B, round i sends V_i = M·(d/B)^i: a
geometric series that converges only if d < B. If it does not, the rounds never shrink, and
Xen's stop rules end pre-copy anyway: at most 30 rounds, at most 3× the memory sent in total.
Xen also adapts its rate: the first round goes at 100 Mb/s, each later one at the dirty rate just
observed plus 50 Mb/s, capped at 500 Mb/s; stop-and-copy uses the cap. A slow start leaves
bandwidth to the guest's own traffic; a rising rate catches up with the dirtying.

Units: memory in MB, rates in Mb/s (megabits), so a rate r moves r/8 MB per second.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Protocol

from .errors import InvalidOperation
from .pool import ResourcePool
from .trace import Trace

MAX_ROUNDS = 30
MAX_FACTOR = 3.0
MIN_RATE_MBPS = 100.0
MAX_RATE_MBPS = 500.0
RATE_INCREMENT_MBPS = 50.0
PAGE_MB = 4096 / 1_000_000
MAX_SIMULATED_WRITES = 5_000_000


class DirtyModel(Protocol):
    """How a running guest dirties memory while a round of copying takes ``seconds``."""

    def dirtied_mb(self, seconds: float) -> float: ...


@dataclass
class ConstantDirtyRate:
    """The fluid model behind V_i = M·(d/B)^i: ``rate_mbps`` of memory dirtied per second,
    never more than the whole memory."""

    memory_mb: float
    rate_mbps: float

    def dirtied_mb(self, seconds: float) -> float:
        return min(self.memory_mb, self.rate_mbps / 8 * seconds)


class HotPageDirtier:
    """Page-level writes from a seeded ``random.Random``: ``hot_fraction`` of the writes land in
    a small hot set (the *writable working set*), the rest anywhere. Rewriting a page already
    dirty costs nothing extra, which is why real migrations converge to roughly the WWS."""

    def __init__(
        self,
        memory_mb: float,
        writes_per_s: float,
        hot_pages: int,
        hot_fraction: float = 0.9,
        seed: int = 0,
    ) -> None:
        self.pages = max(1, int(memory_mb / PAGE_MB))
        if not 0 < hot_pages <= self.pages:
            raise InvalidOperation(f"hot_pages must be between 1 and {self.pages}")
        self.writes_per_s = writes_per_s
        self.hot_pages = hot_pages
        self.hot_fraction = hot_fraction
        self.rng = random.Random(seed)

    def dirtied_mb(self, seconds: float) -> float:
        writes = int(self.writes_per_s * seconds)
        if writes > MAX_SIMULATED_WRITES:
            raise InvalidOperation(
                f"{writes} writes in one round are too many to simulate page by page (limit "
                f"{MAX_SIMULATED_WRITES}); lower writes_per_s or use ConstantDirtyRate"
            )
        dirty: set[int] = set()
        for _ in range(writes):
            if self.rng.random() < self.hot_fraction:
                dirty.add(self.rng.randrange(self.hot_pages))
            else:
                dirty.add(self.rng.randrange(self.pages))
        return len(dirty) * PAGE_MB


@dataclass(frozen=True)
class Round:
    index: int
    sent_mb: float
    rate_mbps: float
    seconds: float
    dirtied_mb: float


@dataclass(frozen=True)
class MigrationResult:
    rounds: tuple[Round, ...]
    stop_reason: str
    final_mb: float
    downtime_ms: float
    total_sent_mb: float
    total_seconds: float


def precopy_volumes(
    memory_mb: float, dirty_mbps: float, bandwidth_mbps: float, n: int
) -> list[float]:
    """The closed form V_i = M·(d/B)^i for i = 0..n-1, to compare a simulation against."""
    return [memory_mb * (dirty_mbps / bandwidth_mbps) ** i for i in range(n)]


def precopy(
    memory_mb: float,
    dirty: DirtyModel,
    *,
    bandwidth_mbps: float | None = None,
    max_rounds: int = MAX_ROUNDS,
    max_factor: float = MAX_FACTOR,
    min_rate_mbps: float = MIN_RATE_MBPS,
    max_rate_mbps: float = MAX_RATE_MBPS,
    stop_below_mb: float = 50 * PAGE_MB,
    trace: Trace | None = None,
    guest: str = "vm",
) -> MigrationResult:
    """Run pre-copy rounds, then stop-and-copy.

    With ``bandwidth_mbps`` set, every round and the final copy use that fixed rate (the textbook
    model); without it, Xen's adaptive rate is used. Stop when what is dirty is at most
    ``stop_below_mb`` (default: Xen's 50 pages), after ``max_rounds`` rounds, or when sending
    another round would push the total above ``max_factor`` × memory.
    """
    if memory_mb <= 0:
        raise InvalidOperation("memory_mb must be positive")
    if bandwidth_mbps is not None and bandwidth_mbps <= 0:
        raise InvalidOperation("bandwidth_mbps must be positive")
    trace = trace if trace is not None else Trace()
    trace.emit("migrate.start", guest=guest, memory_mb=memory_mb, fixed_rate=bandwidth_mbps)
    rounds: list[Round] = []
    to_send = memory_mb
    rate = bandwidth_mbps if bandwidth_mbps is not None else min_rate_mbps
    total_sent = 0.0
    total_seconds = 0.0
    reason = "max_rounds"
    while len(rounds) < max_rounds:
        if total_sent + to_send > max_factor * memory_mb:
            reason = "max_sent"
            break
        seconds = to_send / (rate / 8)
        dirtied = dirty.dirtied_mb(seconds)
        rounds.append(Round(len(rounds), to_send, rate, seconds, dirtied))
        total_sent += to_send
        total_seconds += seconds
        trace.emit(
            "migrate.round",
            guest=guest,
            round=len(rounds) - 1,
            sent_mb=to_send,
            rate_mbps=rate,
            seconds=seconds,
            dirtied_mb=dirtied,
        )
        to_send = dirtied
        if to_send <= stop_below_mb:
            reason = "converged"
            break
        if bandwidth_mbps is None:
            observed = dirtied * 8 / seconds if seconds > 0 else max_rate_mbps
            rate = min(max_rate_mbps, max(min_rate_mbps, observed + RATE_INCREMENT_MBPS))
    final_rate = bandwidth_mbps if bandwidth_mbps is not None else max_rate_mbps
    downtime_ms = to_send / (final_rate / 8) * 1000
    total_sent += to_send
    total_seconds += downtime_ms / 1000
    trace.emit("migrate.stop", guest=guest, reason=reason, rounds=len(rounds))
    trace.emit("migrate.stop_copy", guest=guest, sent_mb=to_send, downtime_ms=downtime_ms)
    trace.emit("migrate.done", guest=guest, total_sent_mb=total_sent, total_seconds=total_seconds)
    return MigrationResult(tuple(rounds), reason, to_send, downtime_ms, total_sent, total_seconds)


def live_migrate(
    pool: ResourcePool,
    vm_name: str,
    host_name: str,
    memory_mb: float,
    dirty: DirtyModel,
    bandwidth_mbps: float | None = None,
) -> MigrationResult:
    """Pre-copy a placed guest, then move its reservation; it keeps running except for the
    downtime. The target's capacity is checked *before* copying starts, because a real
    migration reserves the destination first rather than discover at the end that it is full."""
    pool.check_move(vm_name, host_name)
    result = precopy(
        memory_mb, dirty, bandwidth_mbps=bandwidth_mbps, trace=pool.trace, guest=vm_name
    )
    pool.move(vm_name, host_name)
    return result
