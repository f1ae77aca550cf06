"""Live migration by pre-copy (Clark et al., NSDI 2005): move a running guest, pause it briefly.

Copy all memory while the guest keeps running; the guest dirties pages meanwhile, so copy those
again, and again, each round shorter than the last if the network outpaces the dirtying. When
what is left is small, pause the guest, copy the rest (stop-and-copy) and resume it on the new
host. The pause is the *downtime*; the paper measured 210 ms for a SPECweb server and 60 ms for a
Quake 3 server.

With memory M, a constant dirty rate d and bandwidth B, round i sends V_i = M·(d/B)^i: a
geometric series that converges only if d < B. If it does not, the rounds never shrink, and
the stop rules end pre-copy anyway. Two presets, exact to Xen's code (``StopRules``):
'xen-4.5' (Xen <= 4.5: at most 29 live rounds, stop after a round that sent under 50 pages or
once more than 3x memory is sent) and 'xen-v2' (Xen >= 4.6, migration v2: at most 5 live
rounds, stop after a round that sent under 50 pages), the default.

The paper also proposed an adaptive rate (§5): the first round at 100 Mb/s, each later one at
the dirty rate just observed plus 50 Mb/s, capped at 500 Mb/s, the cap also for stop-and-copy.
No released Xen enabled it, so it is offered as the paper's (``bandwidth_mbps=None``).

Units: memory in MB, rates in Mb/s (megabits), so a rate r moves r/8 MB per second.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Protocol

from .errors import InvalidOperation
from .pool import ResourcePool
from .quantities import finite_number, name_of, whole_number
from .trace import Trace

PAGE_MB = 4096 / 1_000_000
MAX_SIMULATED_WRITES = 5_000_000
MAX_VOLUME_ROUNDS = 1_000
"""Most rounds ``precopy_volumes`` lists in one call."""

# The paper's adaptive rate (Clark et al., NSDI 2005, §5): first round at 100 Mb/s, each later
# one at the dirty rate just observed + 50 Mb/s, capped at 500 Mb/s. Xen carried it behind an
# ADAPTIVE_SAVE ifdef that no release enabled (removed in commit e611ad5b31, 2011).
PAPER_MIN_RATE_MBPS = 100.0
PAPER_MAX_RATE_MBPS = 500.0
PAPER_RATE_INCREMENT_MBPS = 50.0


@dataclass(frozen=True)
class StopRules:
    """When pre-copy gives up on live rounds and pauses the guest.

    Every Xen version decides *after* a live round, on what that round sent: stop once it sent
    fewer than ``stop_below_pages`` pages, once ``max_live_rounds`` rounds are done, or (legacy
    only) once everything sent so far exceeds ``max_factor`` × memory. The stop-and-copy that
    follows sends what the guest dirtied during the last live round. ``empty_round_counts``: the
    legacy loop still walks memory when nothing is dirty (a round that sends 0 pages), where
    migration v2 goes straight to stop-and-copy.
    """

    name: str
    max_live_rounds: int
    stop_below_pages: float
    max_factor: float | None
    empty_round_counts: bool
    source: str

    def __post_init__(self) -> None:
        name_of(self.name, ("the stop rules' name", "停止规则的名字"))
        whole_number(
            self.max_live_rounds,
            (
                f"stop rules {self.name!r}: max_live_rounds",
                f"停止规则 {self.name!r} 的 max_live_rounds",
            ),
            least=1,
        )
        finite_number(
            self.stop_below_pages,
            (
                f"stop rules {self.name!r}: stop_below_pages",
                f"停止规则 {self.name!r} 的 stop_below_pages",
            ),
            least=0,
        )
        if self.max_factor is not None:
            finite_number(
                self.max_factor,
                (f"stop rules {self.name!r}: max_factor", f"停止规则 {self.name!r} 的 max_factor"),
                positive=True,
                hint=("or None for no such rule", "没有这条规则时用 None"),
            )


XEN_LEGACY = StopRules(
    name="xen-4.5",
    max_live_rounds=29,
    stop_below_pages=50,
    max_factor=3.0,
    empty_round_counts=True,
    source=(
        "Xen <= 4.5, tools/libxc/xc_domain_save.c, xc_domain_save(): DEF_MAX_ITERS 29 "
        "('limit us to 30 times round loop'), DEF_MAX_FACTOR 3; after each live iteration "
        "stop if iter >= max_iters, sent_this_iter + skip_this_iter < 50, or "
        "total_sent > p2m_size * max_factor"
    ),
)
XEN_V2 = StopRules(
    name="xen-v2",
    max_live_rounds=5,
    stop_below_pages=50,
    max_factor=None,
    empty_round_counts=False,
    source=(
        "Xen >= 4.6 (migration v2), tools/libs/guest/xg_sr_save.c, simple_precopy_policy() "
        "and send_memory_live(): SPP_MAX_ITERATIONS 5, SPP_TARGET_DIRTY_COUNT 50 (stop when "
        "dirty_count < 50 or iteration >= 5). Xen 4.6-4.9 hard-coded 5 and 50 in "
        "tools/libxc/xc_sr_save.c, send_memory_live(), continuing while dirty_count > 50, so "
        "a round of exactly 50 pages also stopped there"
    ),
)
STOP_RULES: dict[str, StopRules] = {r.name: r for r in (XEN_LEGACY, XEN_V2)}
DEFAULT_STOP_RULES = XEN_V2


def stop_rules(rules: StopRules | str) -> StopRules:
    """A preset by name ('xen-4.5', 'xen-v2') or a custom ``StopRules`` as given."""
    if isinstance(rules, StopRules):
        return rules
    if rules not in STOP_RULES:
        raise InvalidOperation(
            f"unknown stop rules {rules!r}; choose one of {sorted(STOP_RULES)}",
            zh=f"没有名为 {rules!r} 的停止规则；可选：{sorted(STOP_RULES)}",
        )
    return STOP_RULES[rules]


class DirtyModel(Protocol):
    """How a running guest dirties memory while a round of copying takes ``seconds``."""

    def dirtied_mb(self, seconds: float) -> float: ...


@dataclass
class ConstantDirtyRate:
    """The fluid model behind V_i = M·(d/B)^i: ``rate_mbps`` of memory dirtied per second,
    never more than the whole memory."""

    memory_mb: float
    rate_mbps: float

    def __post_init__(self) -> None:
        finite_number(self.memory_mb, ("memory_mb", "memory_mb（内存 MB 数）"), positive=True)
        finite_number(self.rate_mbps, ("rate_mbps", "rate_mbps（每秒弄脏的 Mb 数）"), least=0)

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
        finite_number(memory_mb, ("memory_mb", "memory_mb（内存 MB 数）"), positive=True)
        finite_number(writes_per_s, ("writes_per_s", "writes_per_s（每秒写入次数）"), least=0)
        finite_number(
            hot_fraction, ("hot_fraction", "hot_fraction（热点写入的比例）"), least=0, most=1
        )
        self.pages = max(1, int(memory_mb / PAGE_MB))
        whole_number(hot_pages, ("hot_pages", "hot_pages（热点页数）"))
        if not 0 < hot_pages <= self.pages:
            raise InvalidOperation(
                f"hot_pages must be between 1 and {self.pages}",
                zh=f"hot_pages 必须介于 1 和 {self.pages} 之间",
            )
        self.writes_per_s = writes_per_s
        self.hot_pages = hot_pages
        self.hot_fraction = hot_fraction
        self.rng = random.Random(seed)

    def dirtied_mb(self, seconds: float) -> float:
        writes = int(self.writes_per_s * seconds)
        if writes > MAX_SIMULATED_WRITES:
            raise InvalidOperation(
                f"{writes} writes in one round are too many to simulate page by page (limit "
                f"{MAX_SIMULATED_WRITES}); lower writes_per_s or use ConstantDirtyRate",
                zh=f"一轮里有 {writes} 次写入，太多了，无法逐页模拟（上限 "
                f"{MAX_SIMULATED_WRITES}）；请降低 writes_per_s，或改用 ConstantDirtyRate",
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
    rules: str = DEFAULT_STOP_RULES.name


def precopy_volumes(
    memory_mb: float, dirty_mbps: float, bandwidth_mbps: float, n: int
) -> list[float]:
    """The closed form V_i = M·(d/B)^i for i = 0..n-1, to compare a simulation against."""
    finite_number(memory_mb, ("memory_mb", "memory_mb（内存 MB 数）"), positive=True)
    finite_number(dirty_mbps, ("dirty_mbps", "dirty_mbps（每秒弄脏的 Mb 数）"), least=0)
    finite_number(bandwidth_mbps, ("bandwidth_mbps", "bandwidth_mbps"), positive=True)
    whole_number(
        n,
        ("precopy_volumes: n (the number of rounds)", "precopy_volumes 的 n（轮数）"),
        least=0,
        below=MAX_VOLUME_ROUNDS + 1,
        limit="MAX_VOLUME_ROUNDS",
    )
    ratio = dirty_mbps / bandwidth_mbps
    volumes = []
    for i in range(n):
        try:
            volume = memory_mb * ratio**i
        except OverflowError:
            volume = math.inf
        if not math.isfinite(volume):
            raise InvalidOperation(
                f"round {i} would send more than any number can hold: with d/B = {ratio:g} > 1 "
                "the rounds grow instead of shrinking (pre-copy never converges); ask for fewer "
                "rounds",
                zh=f"第 {i} 轮要发送的量会超出任何数能表示的范围：d/B = {ratio:g} > 1 时"
                "各轮越来越大而不是越来越小（预复制永远不会收敛）；请少要几轮",
            )
        volumes.append(volume)
    return volumes


def _stop_reason(
    rules: StopRules, rounds: int, sent_mb: float, total_mb: float, memory_mb: float
) -> str | None:
    """The rules' verdict after a live round; any one stops pre-copy (Xen ORs them), and a
    round that sent under the threshold is reported as converged even when it was the last."""
    if sent_mb < rules.stop_below_pages * PAGE_MB:
        return "converged"
    if rounds >= rules.max_live_rounds:
        return "max_rounds"
    if rules.max_factor is not None and total_mb > rules.max_factor * memory_mb:
        return "max_sent"
    return None


STOP_REASONS = ("converged", "max_rounds", "max_sent", "clean")


class MigrationLink:
    """A guest being migrated over a link, one transfer at a time: what ``precopy`` drives, and
    what an exercise hands a learner who writes the pre-copy loop. Every transfer is an event,
    so a loop that sends the wrong volume, or stops for the wrong reason, shows in the trace.

    ``send`` is a live round (the guest keeps running and dirtying memory); ``stop_and_copy``
    pauses the guest, sends the rest and ends the migration. Rates are fixed at
    ``bandwidth_mbps`` unless ``send`` is given one (the paper's adaptive rate).
    """

    def __init__(
        self,
        memory_mb: float,
        dirty: DirtyModel,
        bandwidth_mbps: float,
        *,
        rules: str = DEFAULT_STOP_RULES.name,
        trace: Trace | None = None,
        guest: str = "vm",
        adaptive: bool = False,
    ) -> None:
        finite_number(memory_mb, ("memory_mb", "memory_mb"), positive=True)
        finite_number(bandwidth_mbps, ("bandwidth_mbps", "bandwidth_mbps"), positive=True)
        name_of(guest, ("the migrated guest's name", "被迁移客户机的名字"))
        name_of(rules, ("the name of the stop rules", "停止规则的名字"))
        self.memory_mb = memory_mb
        self.bandwidth_mbps = bandwidth_mbps
        self.dirty = dirty
        self.trace = trace if trace is not None else Trace()
        self.guest = guest
        self.rounds: list[Round] = []
        self.total_sent_mb = 0.0
        self.total_seconds = 0.0
        self.finished: MigrationResult | None = None
        self.rules = rules
        self.trace.emit(
            "migrate.start",
            guest=guest,
            memory_mb=memory_mb,
            fixed_rate=None if adaptive else bandwidth_mbps,
            rules=rules,
        )

    def _check_volume(self, mb: float) -> float:
        if self.finished is not None:
            raise InvalidOperation(
                "the migration is over: stop_and_copy was already called",
                zh="迁移已经结束：stop_and_copy 已经调用过了",
            )
        if isinstance(mb, bool) or not isinstance(mb, int | float) or not 0 <= mb <= self.memory_mb:
            raise InvalidOperation(
                f"a transfer must be between 0 and the guest's {self.memory_mb} MB, not {mb!r}",
                zh=f"一次传输必须在 0 到客户机的 {self.memory_mb} MB 之间，而不是 {mb!r}",
            )
        return float(mb)

    def send(self, mb: float, rate_mbps: float | None = None) -> float:
        """Send ``mb`` while the guest runs; return the MB it dirtied meanwhile (to send next)."""
        mb = self._check_volume(mb)
        rate = self.bandwidth_mbps if rate_mbps is None else _rate(rate_mbps)
        seconds = _finite_time(mb / (rate / 8), mb, rate)
        dirtied = self.dirty.dirtied_mb(seconds)
        self.rounds.append(Round(len(self.rounds), mb, rate, seconds, dirtied))
        self.total_sent_mb += mb
        self.total_seconds += seconds
        self.trace.emit(
            "migrate.round",
            guest=self.guest,
            round=len(self.rounds) - 1,
            sent_mb=mb,
            rate_mbps=rate,
            seconds=seconds,
            dirtied_mb=dirtied,
        )
        return dirtied

    def stop_and_copy(self, mb: float, reason: str, rate_mbps: float | None = None) -> float:
        """Pause the guest, send the last ``mb`` and resume it on the target; return the
        downtime in ms. ``reason`` is the stop rule that ended the live rounds."""
        mb = self._check_volume(mb)
        if reason not in STOP_REASONS:
            raise InvalidOperation(
                f"reason must be one of {list(STOP_REASONS)}, not {reason!r}",
                zh=f"reason 必须是 {list(STOP_REASONS)} 之一，而不是 {reason!r}",
            )
        rate = self.bandwidth_mbps if rate_mbps is None else _rate(rate_mbps)
        downtime_ms = _finite_time(mb / (rate / 8), mb, rate) * 1000
        self.total_sent_mb += mb
        self.total_seconds += downtime_ms / 1000
        self.trace.emit("migrate.stop", guest=self.guest, reason=reason, rounds=len(self.rounds))
        self.trace.emit("migrate.stop_copy", guest=self.guest, sent_mb=mb, downtime_ms=downtime_ms)
        self.trace.emit(
            "migrate.done",
            guest=self.guest,
            total_sent_mb=self.total_sent_mb,
            total_seconds=self.total_seconds,
        )
        self.finished = MigrationResult(
            tuple(self.rounds),
            reason,
            mb,
            downtime_ms,
            self.total_sent_mb,
            self.total_seconds,
            self.rules,
        )
        return downtime_ms


def _finite_time(seconds: float, mb: float, rate: float) -> float:
    """How long sending ``mb`` at ``rate`` takes, unless that is more than a number can hold."""
    if not math.isfinite(seconds * 1000):
        raise InvalidOperation(
            f"sending {mb:g} MB at {rate:g} Mb/s would take longer than any number can hold; "
            "use sizes and rates of real machines",
            zh=f"以 {rate:g} Mb/s 发送 {mb:g} MB 所需的时间超出了任何数能表示的范围；"
            "请使用真实机器的大小和速率",
        )
    return seconds


def _rate(rate_mbps: object) -> float:
    """A transfer's own rate (the paper's adaptive one), in Mb/s: more than nothing."""
    return finite_number(
        rate_mbps, ("rate_mbps (the transfer's rate)", "rate_mbps（这次传输的速率）"), positive=True
    )


def precopy(
    memory_mb: float,
    dirty: DirtyModel,
    *,
    bandwidth_mbps: float | None = None,
    rules: StopRules | str = DEFAULT_STOP_RULES,
    min_rate_mbps: float = PAPER_MIN_RATE_MBPS,
    max_rate_mbps: float = PAPER_MAX_RATE_MBPS,
    trace: Trace | None = None,
    guest: str = "vm",
) -> MigrationResult:
    """Run live pre-copy rounds until ``rules`` say stop, then stop-and-copy.

    Round 0 sends all memory; round i+1 sends what the guest dirtied during round i. After
    each round the rules look at what it sent (see ``StopRules``); the stop-and-copy then sends
    what was dirtied during the last live round, with the guest paused: that time is the
    downtime. ``rules`` defaults to Xen's migration v2 ('xen-v2'); 'xen-4.5' is the legacy one.

    With ``bandwidth_mbps`` every transfer uses that fixed rate (the textbook model, and what
    Xen does: it sends as fast as the link allows). Without it, the paper's adaptive rate (§5)
    is used: ``min_rate_mbps`` first, then the observed dirty rate + 50 Mb/s, capped at
    ``max_rate_mbps``, which the stop-and-copy uses.
    """
    if bandwidth_mbps is not None:
        finite_number(bandwidth_mbps, ("bandwidth_mbps", "bandwidth_mbps"), positive=True)
    finite_number(min_rate_mbps, ("min_rate_mbps", "min_rate_mbps"), positive=True)
    finite_number(max_rate_mbps, ("max_rate_mbps", "max_rate_mbps"), least=min_rate_mbps)
    chosen = stop_rules(rules)
    adaptive = bandwidth_mbps is None
    link = MigrationLink(
        memory_mb,
        dirty,
        max_rate_mbps if bandwidth_mbps is None else bandwidth_mbps,
        rules=chosen.name,
        trace=trace,
        guest=guest,
        adaptive=adaptive,
    )
    to_send = memory_mb
    rate = min_rate_mbps if adaptive else link.bandwidth_mbps
    reason: str | None = None
    while reason is None:
        if to_send <= 0 and link.rounds and not chosen.empty_round_counts:
            reason = "clean"
            break
        dirtied = link.send(to_send, rate)
        reason = _stop_reason(chosen, len(link.rounds), to_send, link.total_sent_mb, memory_mb)
        if reason is None and adaptive:
            seconds = link.rounds[-1].seconds
            observed = dirtied * 8 / seconds if seconds > 0 else max_rate_mbps
            rate = min(max_rate_mbps, max(min_rate_mbps, observed + PAPER_RATE_INCREMENT_MBPS))
        to_send = dirtied
    link.stop_and_copy(to_send, reason)
    assert link.finished is not None
    return link.finished


def live_migrate(
    pool: ResourcePool,
    vm_name: str,
    host_name: str,
    memory_mb: float,
    dirty: DirtyModel,
    bandwidth_mbps: float | None = None,
    rules: StopRules | str = DEFAULT_STOP_RULES,
) -> MigrationResult:
    """Pre-copy a placed guest, then move its reservation; it keeps running except for the
    downtime. The target's capacity is checked *before* copying starts, because a real
    migration reserves the destination first rather than discover at the end that it is full."""
    pool.check_move(vm_name, host_name)
    result = precopy(
        memory_mb,
        dirty,
        bandwidth_mbps=bandwidth_mbps,
        rules=rules,
        trace=pool.trace,
        guest=vm_name,
    )
    pool.move(vm_name, host_name)
    return result
