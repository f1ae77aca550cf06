"""Scheduling: who runs on a CPU next. FIFO, SJF and round robin, then Xen's credit scheduler.

A hypervisor's scheduler has the same job as an OS scheduler, one level down: its "processes" are
virtual CPUs and its CPUs are physical cores (pCPUs). Round robin shows the basic trade-off
(short response time, long turnaround). The credit scheduler (Xen's ``sched/credit.c``) adds the
two knobs a cloud sells: a *weight* (a proportional share when CPUs are contended) and a *cap*
(a hard ceiling that holds even when the host is idle, so a customer gets exactly what they pay
for and no more).

Credit model, as in Xen credit1: time advances in 10 ms ticks; every tick the running vCPU pays
100 credits; every 30 ms (three ticks, one time slice) the accountant hands out 300 credits per
pCPU, split among active vCPUs in proportion to their weights (default 256), no vCPU receiving
more than one pCPU's worth or more than its cap. A vCPU with credit left is UNDER, one in debt is
OVER; UNDER always runs before OVER, so over time each vCPU's CPU time follows its weight. A vCPU
that wakes from sleep with credit left is BOOSTed ahead of everybody for one tick, which keeps
I/O-bound guests responsive. A capped vCPU in debt is *parked*: it may not run even on an idle
pCPU until the accountant pays it again. IDLE is what a pCPU runs when nothing else can. Credit
is kept between −300 and +300 (one slice's worth), so an idle vCPU cannot hoard credit for a
later burst, nor a busy one run up a debt it could never repay.

As in Xen, weight and cap are set on a *domain* (a guest): ``add("db", vcpus=2, cap=150)`` makes a
two-vCPU guest that may use one and a half pCPUs in total. The weight, though, counts *per active
vCPU*: Xen's ``csched_acct`` (``xen/common/sched/credit.c``) gives each domain
``weight × active vCPUs / Σ(weight × active vCPUs)`` of the credit, then splits it evenly among
its active vCPUs, so a busy two-vCPU domain gets twice the CPU of a busy one-vCPU domain of the
same weight (0.667 : 0.333 on one pCPU). The cap stays a ceiling for the domain as a whole. A
one-vCPU domain is named like its vCPU. (Xen's default scheduler has been credit2 since Xen 4.12;
credit1, modelled here, is still shipped and is the one the classic papers measure.)

Simplifications (stated so nobody mistakes them for Xen's): one global run queue stands in for
Xen's per-pCPU queues with work stealing, and decisions happen on tick boundaries only. A capped
vCPU is parked as soon as it is in debt; ``csched_acct`` parks it only below minus its share of
the cap, so Xen lets a capped vCPU run slightly longer bursts (the long-run share is the same),
and where the model clamps credit at +300 Xen stops paying such a vCPU and halves its credit.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from .errors import InvalidOperation, StepBudgetExceeded
from .quantities import finite_number, name_of, whole_number, within_limit
from .trace import Trace

# ----- round robin ---------------------------------------------------------------------------

MAX_JOBS = 10_000
"""Most jobs ``fifo``, ``sjf`` and ``round_robin`` take in one call."""
MAX_RR_TURNS = 100_000
"""Most turns ``round_robin`` may run in one call (one ``rr.run`` event each): the jobs'
lengths divided by the quantum, rounded up, added up. Checked before the first turn, so a
quantum far too small for the jobs is refused at once instead of running into the step budget.
"""


@dataclass(frozen=True)
class JobStats:
    job: int
    length: float
    response: float
    turnaround: float
    wait: float


@dataclass(frozen=True)
class RoundRobinResult:
    jobs: tuple[JobStats, ...]

    @property
    def average_turnaround(self) -> float:
        return math.fsum(j.turnaround for j in self.jobs) / len(self.jobs)

    @property
    def average_response(self) -> float:
        return math.fsum(j.response for j in self.jobs) / len(self.jobs)

    @property
    def average_wait(self) -> float:
        return math.fsum(j.wait for j in self.jobs) / len(self.jobs)


def round_robin(
    lengths: Sequence[float], quantum: float, trace: Trace | None = None
) -> RoundRobinResult:
    """Round robin with OSTEP ``cpu-sched/scheduler.py`` semantics.

    All jobs arrive at time 0 in list order. A job whose remaining time is at most one quantum
    runs to completion and the clock advances by the time it *actually* ran (OSTEP's current
    code; an old version advanced a full quantum, which gives 22.67 instead of 22.00 for jobs
    5, 10, 15 with quantum 2). Turnaround = completion time, response = first run time,
    wait = time spent in the queue.
    """
    finite_number(quantum, ("the quantum", "时间片长度 quantum"))
    if quantum <= 0:
        raise InvalidOperation(
            "the quantum must be a positive length of time", zh="时间片长度 quantum 必须是正数"
        )
    _check_lengths(lengths)
    if not lengths or any(length <= 0 for length in lengths):
        raise InvalidOperation(
            "round robin needs at least one job, each with a positive length",
            zh="时间片轮转至少需要一个作业，每个作业的长度都必须是正数",
        )
    shares = [length / quantum for length in lengths]  # a tiny quantum may overflow to inf
    within_limit(
        math.fsum(math.ceil(share) if share < 2**53 else share for share in shares),
        (
            "round robin's turns (each job's length / quantum, rounded up)",
            "时间片轮转的轮次数（每个作业的长度除以时间片长度后向上取整之和）",
        ),
        "MAX_RR_TURNS",
        MAX_RR_TURNS,
    )
    trace = trace if trace is not None else Trace()
    queue: deque[tuple[int, float]] = deque(enumerate(lengths))
    response: dict[int, float] = {}
    last_ran = dict.fromkeys(range(len(lengths)), 0.0)
    wait = dict.fromkeys(range(len(lengths)), 0.0)
    done: dict[int, float] = {}
    now: float = 0
    while queue:
        job, remaining = queue.popleft()
        response.setdefault(job, now)
        wait[job] += now - last_ran[job]
        ran = quantum if remaining > quantum else remaining
        now += ran
        last_ran[job] = now
        if remaining > quantum:
            queue.append((job, remaining - quantum))
            trace.emit("rr.run", job=job, start=now - ran, ran=ran, done=False)
        else:
            done[job] = now
            trace.emit("rr.run", job=job, start=now - ran, ran=ran, done=True)
    return RoundRobinResult(
        tuple(JobStats(j, lengths[j], response[j], done[j], wait[j]) for j in range(len(lengths)))
    )


def fifo(lengths: Sequence[float], trace: Trace | None = None) -> RoundRobinResult:
    """First in, first out with OSTEP ``cpu-sched/scheduler.py`` semantics: every job arrives at
    time 0 in list order and runs to completion; response = wait = its start time.

    One long job at the front makes every short job behind it wait (the convoy effect), which is
    why FIFO's average turnaround depends so much on the order of the list.
    """
    return _run_to_completion(
        _check_jobs(lengths, "FIFO"), list(range(len(lengths))), "fifo", trace
    )


def sjf(lengths: Sequence[float], trace: Trace | None = None) -> RoundRobinResult:
    """Shortest job first, as OSTEP ``scheduler.py -p SJF``: FIFO over the jobs sorted by length,
    ties kept in list order (a stable sort). With all jobs arriving at once this minimises the
    average turnaround; results are listed by job number, as for the other policies."""
    lengths = _check_jobs(lengths, "SJF")
    order = sorted(range(len(lengths)), key=lambda j: lengths[j])
    return _run_to_completion(lengths, order, "sjf", trace)


def _check_jobs(lengths: Sequence[float], policy: str) -> Sequence[float]:
    _check_lengths(lengths)
    if not lengths or any(length <= 0 for length in lengths):
        raise InvalidOperation(
            f"{policy} needs at least one job, each with a positive length",
            zh=f"{policy} 至少需要一个作业，每个作业的长度都必须是正数",
        )
    return lengths


def _check_lengths(lengths: Sequence[float]) -> None:
    if isinstance(lengths, str) or not isinstance(lengths, Sequence):
        raise InvalidOperation(
            f"the jobs are a list of their lengths, e.g. [5, 10, 15], not {lengths!r}",
            zh=f"作业应是由各作业长度组成的 list，例如 [5, 10, 15]，而不是 {lengths!r}",
        )
    within_limit(len(lengths), ("the number of jobs", "作业数"), "MAX_JOBS", MAX_JOBS)
    for job, length in enumerate(lengths):
        finite_number(length, (f"the length of job {job}", f"作业 {job} 的长度"))


def _run_to_completion(
    lengths: Sequence[float], order: Sequence[int], policy: str, trace: Trace | None
) -> RoundRobinResult:
    trace = trace if trace is not None else Trace()
    stats: dict[int, JobStats] = {}
    now: float = 0
    for job in order:
        trace.emit(f"{policy}.run", job=job, start=now, ran=lengths[job], done=True)
        stats[job] = JobStats(job, lengths[job], now, now + lengths[job], now)
        now += lengths[job]
    return RoundRobinResult(tuple(stats[j] for j in range(len(lengths))))


# ----- the credit scheduler ------------------------------------------------------------------

TICK_MS = 10
TICKS_PER_SLICE = 3
SLICE_MS = TICK_MS * TICKS_PER_SLICE
CREDITS_PER_TICK = 100
CREDITS_PER_SLICE = CREDITS_PER_TICK * TICKS_PER_SLICE
DEFAULT_WEIGHT = 256
MAX_PCPUS = 64
"""Most pCPUs one credit scheduler models: every tick visits each of them."""
MAX_VCPUS = 128
"""Most vCPUs of all domains together on one credit scheduler: every pCPU that needs work
scans the run queue, and every accounting pays each vCPU."""
MAX_RUN_WORK = 500_000
"""Most ticks × (pCPUs + vCPUs) one ``run(ms)`` simulates: a tick costs about a microsecond or
two per pCPU and vCPU in CPython, so the longest allowed run stays under a second."""


class Priority(IntEnum):
    """Lower value runs first: BOOST > UNDER > OVER > IDLE."""

    BOOST = 0
    UNDER = 1
    OVER = 2
    IDLE = 3


@dataclass(eq=False)
class SchedVcpu:
    """One vCPU as the credit scheduler sees it.

    ``burst_ms``/``sleep_ms`` describe the workload: ``None`` means always busy (CPU-bound);
    otherwise it runs ``burst_ms`` of CPU, then blocks for ``sleep_ms`` (an I/O-bound guest).
    Compared by identity (``eq=False``): two vCPUs are never "the same" because their numbers
    happen to match.
    """

    name: str
    weight: int = DEFAULT_WEIGHT
    cap: int = 0
    affinity: tuple[int, ...] | None = None
    burst_ms: int | None = None
    sleep_ms: int = 0
    credit: int = 0
    priority: Priority = Priority.UNDER
    runnable: bool = True
    parked: bool = False
    cpu_ms: int = 0
    _burst_left: int = 0
    _wake_at: int = 0
    domain: str = ""
    _ran_since_acct: bool = field(default=False, repr=False)


class CreditScheduler:
    """Xen's credit scheduler over ``pcpus`` physical CPUs (see the module docstring)."""

    def __init__(self, pcpus: int, trace: Trace | None = None) -> None:
        whole_number(pcpus, ("pcpus (physical CPUs)", "pcpus（物理 CPU 数）"))
        if pcpus < 1:
            raise InvalidOperation(
                "a host needs at least one pCPU", zh="宿主机至少需要一个物理 CPU"
            )
        within_limit(
            pcpus, ("pcpus (physical CPUs)", "pcpus（物理 CPU 数）"), "MAX_PCPUS", MAX_PCPUS
        )
        self.pcpus = pcpus
        self.trace = trace if trace is not None else Trace()
        self.now_ms = 0
        self.vcpus: dict[str, SchedVcpu] = {}
        self.running: list[SchedVcpu | None] = [None] * pcpus
        self.idle_ms = [0] * pcpus
        self._slice_used = [0] * pcpus
        self._runq: list[SchedVcpu] = []
        self._domains: dict[str, list[SchedVcpu]] = {}

    def add(
        self,
        name: str,
        weight: int = DEFAULT_WEIGHT,
        cap: int = 0,
        pin: Iterable[int] | None = None,
        burst_ms: int | None = None,
        sleep_ms: int = 0,
        vcpus: int = 1,
    ) -> SchedVcpu:
        """Add a domain (a guest) with ``vcpus`` vCPUs; returns its first vCPU.

        ``cap`` is a percentage of one pCPU for the whole domain (0 = uncapped, 50 = half a pCPU,
        150 = one and a half). vCPUs are named like the domain, or ``name.0``, ``name.1``, …
        when there are several. The workload (``burst_ms``, ``sleep_ms``) applies to each.
        """
        name_of(name, ("a domain's name", "域的名字"))
        whole_number(vcpus, (f"domain {name!r}: vcpus", f"域 {name!r} 的 vcpus"))
        if vcpus < 1:
            raise InvalidOperation("a domain needs at least one vCPU", zh="一个域至少需要一个 vCPU")
        within_limit(
            len(self.vcpus) + vcpus,
            (
                f"the scheduler's vCPUs with domain {name!r} added",
                f"加上域 {name!r} 之后这个调度程序的 vCPU 数",
            ),
            "MAX_VCPUS",
            MAX_VCPUS,
        )
        names = [name] if vcpus == 1 else [f"{name}.{i}" for i in range(vcpus)]
        if name in self._domains or any(n in self.vcpus for n in names):
            raise InvalidOperation(
                f"a domain or vCPU named {name!r} already exists",
                zh=f"名为 {name!r} 的域或 vCPU 已经存在",
            )
        self._check_weight(weight)
        self._check_cap(cap, vcpus)
        if burst_ms is not None:
            whole_number(burst_ms, (f"domain {name!r}: burst_ms", f"域 {name!r} 的 burst_ms"))
            whole_number(sleep_ms, (f"domain {name!r}: sleep_ms", f"域 {name!r} 的 sleep_ms"))
        if burst_ms is not None and (burst_ms <= 0 or sleep_ms < 0):
            raise InvalidOperation(
                "burst_ms must be positive and sleep_ms not negative",
                zh="burst_ms 必须是正数，sleep_ms 不能是负数",
            )
        affinity = self._affinity(pin)
        members = []
        for vname in names:
            vcpu = SchedVcpu(vname, weight, cap, affinity, burst_ms, sleep_ms, domain=name)
            vcpu._burst_left = burst_ms or 0
            self.vcpus[vname] = vcpu
            self._runq.append(vcpu)
            members.append(vcpu)
        self._domains[name] = members
        self.trace.emit(
            "sched.add",
            t=self.now_ms,
            vcpu=name,
            weight=weight,
            cap=cap,
            pin=list(affinity) if affinity is not None else None,
            vcpus=names,
        )
        return members[0]

    def pin(self, name: str, pcpus: Iterable[int] | None) -> None:
        """Restrict a vCPU to some pCPUs (``None`` = any); it moves at the next tick."""
        vcpu = self._vcpu(name)
        vcpu.affinity = self._affinity(pcpus)
        self.trace.emit(
            "sched.pin",
            t=self.now_ms,
            vcpu=name,
            pin=list(vcpu.affinity) if vcpu.affinity is not None else None,
        )

    def set_weight(self, name: str, weight: int) -> None:
        """Change a domain's weight (takes effect at the next accounting)."""
        self._check_weight(weight)
        for vcpu in self._domain(name):
            vcpu.weight = weight
        self.trace.emit("sched.weight", t=self.now_ms, vcpu=name, weight=weight)

    def set_cap(self, name: str, cap: int) -> None:
        """Change a domain's cap (% of one pCPU for the whole domain; 0 removes it)."""
        members = self._domain(name)
        self._check_cap(cap, len(members))
        for vcpu in members:
            vcpu.cap = cap
        self.trace.emit("sched.cap", t=self.now_ms, vcpu=name, cap=cap)

    def cpu_ms(self, name: str) -> int:
        """CPU time of a vCPU, or of all vCPUs of a domain."""
        if isinstance(name, str) and name in self.vcpus:
            return self.vcpus[name].cpu_ms
        return sum(v.cpu_ms for v in self._domain(name))

    def share(self, name: str) -> float:
        """pCPUs' worth of time a vCPU or domain got: 0.5 is half of one pCPU."""
        return self.cpu_ms(name) / self.now_ms if self.now_ms else 0.0

    def run(self, ms: int) -> None:
        """Advance simulated time by ``ms``, a whole number of 10 ms ticks (a multiple of 10)."""
        whole_number(ms, ("run(ms): ms", "run(ms) 的 ms"))
        if ms < 0:
            raise InvalidOperation(
                "time only runs forwards: ms must not be negative",
                zh="时间只会向前走：ms 不能是负数",
            )
        if ms % TICK_MS:
            raise InvalidOperation(
                f"run(ms): ms must be a whole number of {TICK_MS} ms ticks (a multiple of "
                f"{TICK_MS}), not {ms}: the scheduler decides only at tick boundaries",
                zh=f"run(ms) 的 ms 必须是整数个 {TICK_MS} 毫秒的节拍（{TICK_MS} 的倍数），"
                f"而不是 {ms}：调度程序只在节拍的边界上做决定",
            )
        ticks = ms // TICK_MS
        budget = self.trace.budget
        if ticks > budget.limit - budget.used:  # every tick is at least one event
            raise StepBudgetExceeded(budget.limit)
        within_limit(
            ticks * (self.pcpus + len(self.vcpus)),
            (
                f"run({ms}): {ticks} ticks × ({self.pcpus} pCPUs + {len(self.vcpus)} vCPUs)",
                f"run({ms})：{ticks} 个节拍 ×"
                f"（{self.pcpus} 个物理 CPU + {len(self.vcpus)} 个 vCPU）",
            ),
            "MAX_RUN_WORK",
            MAX_RUN_WORK,
        )
        for _ in range(ticks):
            self._tick()

    # ----- one tick -----------------------------------------------------------------------
    def _tick(self) -> None:
        self._wake_sleepers()
        if self.now_ms % SLICE_MS == 0:
            self._account()
        best = min((v.priority for v in self._runq), default=Priority.IDLE)
        for p in range(self.pcpus):
            current = self.running[p]
            if (
                current is None
                or self._slice_used[p] >= TICKS_PER_SLICE
                or not current.runnable
                or current.parked
                or not self._allowed(current, p)
                or best < current.priority
            ):
                self._switch(p)
                best = min((v.priority for v in self._runq), default=Priority.IDLE)
        running: list[str | None] = []
        for p, vcpu in enumerate(self.running):
            if vcpu is None:
                self.idle_ms[p] += TICK_MS
                running.append(None)
                continue
            running.append(vcpu.name)
            self._slice_used[p] += 1
            vcpu.cpu_ms += TICK_MS
            vcpu._ran_since_acct = True
            vcpu.credit -= CREDITS_PER_TICK
            if vcpu.priority == Priority.BOOST or vcpu.credit < 0:
                vcpu.priority = Priority.UNDER if vcpu.credit >= 0 else Priority.OVER
            if vcpu.burst_ms is not None:
                vcpu._burst_left -= TICK_MS
                if vcpu._burst_left <= 0:
                    vcpu.runnable = False
                    vcpu._wake_at = self.now_ms + TICK_MS + vcpu.sleep_ms
                    vcpu._burst_left = vcpu.burst_ms
        self.trace.emit("sched.tick", t=self.now_ms, running=running)
        self.now_ms += TICK_MS
        for p, vcpu in enumerate(self.running):
            if vcpu is not None and not vcpu.runnable:
                self.running[p] = None
                self.trace.emit("sched.block", t=self.now_ms, vcpu=vcpu.name, pcpu=p)

    def _switch(self, p: int) -> None:
        current = self.running[p]
        if current is not None and current.runnable and not current.parked:
            self._runq.append(current)
        at = self._choose(p)
        chosen = self._runq.pop(at) if at is not None else None
        self.running[p] = chosen
        self._slice_used[p] = 0
        if chosen is not current:
            self.trace.emit(
                "sched.dispatch",
                t=self.now_ms,
                pcpu=p,
                vcpu=chosen.name if chosen else None,
                prio=(chosen.priority if chosen else Priority.IDLE).name,
            )

    def _choose(self, p: int) -> int | None:
        """The run-queue index of the vCPU pCPU ``p`` runs next: one of the two decisions a
        credit scheduler makes (``credit_policy`` lets a learner make it instead)."""
        at, best = None, Priority.IDLE
        for i, vcpu in enumerate(self._runq):  # first of the highest priority = FIFO within it
            affinity = vcpu.affinity
            if vcpu.priority < best and (affinity is None or p in affinity):
                at, best = i, vcpu.priority
                if best == Priority.BOOST:
                    break
        return at

    def _wake_sleepers(self) -> None:
        for vcpu in self.vcpus.values():
            if not vcpu.runnable and vcpu._wake_at <= self.now_ms:
                vcpu.runnable = True
                if vcpu.priority == Priority.UNDER and not vcpu.parked:
                    vcpu.priority = Priority.BOOST
                if not vcpu.parked:
                    self._runq.append(vcpu)
                self.trace.emit(
                    "sched.wake", t=self.now_ms, vcpu=vcpu.name, prio=vcpu.priority.name
                )

    def _account(self) -> None:
        """Pay every vCPU its earnings for the next 30 ms, then update priorities and parking."""
        active: dict[str, list[SchedVcpu]] = {}
        for v in self.vcpus.values():
            if v.runnable or v._ran_since_acct:
                active.setdefault(v.domain, []).append(v)
        shares = self._earnings(active)
        for v in self.vcpus.values():
            v._ran_since_acct = False
            credit = v.credit + shares.get(v.name, 0)
            v.credit = max(-CREDITS_PER_SLICE, min(CREDITS_PER_SLICE, credit))
            if v.priority != Priority.BOOST or v.credit < 0:
                v.priority = Priority.UNDER if v.credit >= 0 else Priority.OVER
            should_park = v.cap > 0 and v.credit < 0
            if should_park and not v.parked:
                v.parked = True
                if v in self._runq:
                    self._runq.remove(v)
                self.trace.emit("sched.park", t=self.now_ms, vcpu=v.name, credit=v.credit)
            elif not should_park and v.parked:
                v.parked = False
                if v.runnable and v not in self.running:
                    self._runq.append(v)
                self.trace.emit("sched.unpark", t=self.now_ms, vcpu=v.name, credit=v.credit)
        self.trace.emit(
            "sched.account",
            t=self.now_ms,
            credit={v.name: v.credit for v in self.vcpus.values()},
            prio={v.name: v.priority.name for v in self.vcpus.values()},
        )

    def _earnings(self, active: dict[str, list[SchedVcpu]]) -> dict[str, int]:
        """Credits each active vCPU earns this period: 300 per pCPU by weight among active
        domains, respecting caps, each domain's part split evenly among its active vCPUs. The
        other decision a credit scheduler makes (``credit_policy`` lets a learner make it)."""
        limits = {}
        for dom, members in active.items():
            limit = CREDITS_PER_SLICE * len(members)  # no vCPU can use more than one pCPU
            cap = members[0].cap
            if cap:
                limit = min(limit, (cap * CREDITS_PER_SLICE + 99) // 100)
            limits[dom] = limit
        dom_share = dict.fromkeys(limits, 0)
        # Xen credit.c, csched_acct: a domain competes with weight × its *active* vCPUs, so the
        # weight is really per vCPU (two busy vCPUs at 256 outweigh one at 256, 2 : 1).
        weight = {dom: members[0].weight * len(members) for dom, members in active.items()}
        remaining = CREDITS_PER_SLICE * self.pcpus
        open_ = list(active)
        while open_ and remaining > 0:
            total_weight = sum(weight[d] for d in open_)
            saturated = [d for d in open_ if remaining * weight[d] // total_weight >= limits[d]]
            if not saturated:
                for d in open_:
                    dom_share[d] = remaining * weight[d] // total_weight
                break
            for d in saturated:
                dom_share[d] = limits[d]
                remaining -= limits[d]
                open_.remove(d)
        shares: dict[str, int] = {}
        for dom, members in active.items():
            each, extra = divmod(dom_share[dom], len(members))
            for i, v in enumerate(members):
                shares[v.name] = each + (1 if i < extra else 0)
        return shares

    # ----- helpers --------------------------------------------------------------------------
    def _allowed(self, vcpu: SchedVcpu, p: int) -> bool:
        return vcpu.affinity is None or p in vcpu.affinity

    def _affinity(self, pcpus: Iterable[int] | None) -> tuple[int, ...] | None:
        if pcpus is None:
            return None
        if isinstance(pcpus, str) or not isinstance(pcpus, Iterable):
            raise InvalidOperation(
                f"pin to a list of pCPU numbers, e.g. [0], not {pcpus!r}",
                zh=f"要绑定到由物理 CPU 编号组成的 list，例如 [0]，而不是 {pcpus!r}",
            )
        wanted = list(pcpus)
        for p in wanted:
            whole_number(p, ("a pCPU number to pin to", "要绑定的物理 CPU 编号"))
        chosen = tuple(sorted(set(wanted)))
        if not chosen or any(not 0 <= p < self.pcpus for p in chosen):
            raise InvalidOperation(
                f"pin to pCPUs between 0 and {self.pcpus - 1}; got {list(chosen)}",
                zh=f"只能绑定到编号 0 到 {self.pcpus - 1} 的物理 CPU；现在是 {list(chosen)}",
            )
        return chosen

    def _check_weight(self, weight: int) -> None:
        whole_number(weight, ("the weight", "权重"))
        if not 1 <= weight <= 65535:
            raise InvalidOperation(
                f"weight must be between 1 and 65535 (Xen's range), got {weight}",
                zh=f"权重必须在 1 到 65535 之间（Xen 的范围），现在是 {weight}",
            )

    def _check_cap(self, cap: int, vcpus: int) -> None:
        whole_number(cap, ("the cap", "上限"))
        if not 0 <= cap <= 100 * vcpus:
            raise InvalidOperation(
                f"cap is a percentage of one pCPU, between 0 (no cap) and {100 * vcpus} for "
                f"a domain of {vcpus} vCPU(s); got {cap}",
                zh=f"上限是一个物理 CPU 的百分比，对有 {vcpus} 个 vCPU 的域应在 0（无上限）到 "
                f"{100 * vcpus} 之间；现在是 {cap}",
            )

    def _domain(self, name: str) -> list[SchedVcpu]:
        try:
            return self._domains[name]
        except (KeyError, TypeError):
            raise InvalidOperation(
                f"no domain named {name!r}", zh=f"没有名为 {name!r} 的域"
            ) from None

    def _vcpu(self, name: str) -> SchedVcpu:
        try:
            return self.vcpus[name]
        except (KeyError, TypeError):
            raise InvalidOperation(
                f"no vCPU named {name!r}", zh=f"没有名为 {name!r} 的 vCPU"
            ) from None
