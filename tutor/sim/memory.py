"""Memory virtualisation: two translations, and the tricks that let guests share too few pages.

A guest OS believes it owns physical memory starting at page 0. It does not: the hypervisor adds a
second translation. The guest's page table maps a guest-virtual page to a guest-*physical* page
(gppn); the hypervisor's own map (the "pmap") maps that to a *machine* page (mpn), a real frame.
Because the hypervisor owns the second step, it can back a guest lazily, share one frame between
guests, take frames back, and so give guests more memory in total than the machine has
(overcommit). Waldspurger (OSDI 2002) describes the techniques modelled here:

- **ballooning**: a driver inside the guest allocates pages, so the guest OS itself picks what to
  give up, and the hypervisor frees the frames behind them;
- **content-based page sharing**: frames with identical contents are merged into one read-only
  frame; the first write to it breaks the sharing with a private copy (copy-on-write);
- **the idle memory tax**: when memory is short, take it from the client with the fewest shares
  per page, charging idle pages more (``shares_per_page``);
- **swapping** as the last resort, with a replacement policy choosing the victim (FIFO, LRU,
  CLOCK; ``page_faults`` replays a reference string, e.g. Belady's anomaly, and also knows
  Belady's OPT, the bound). CLOCK here is the textbook one (one use bit, a hand that sweeps in
  order); OSTEP's ``paging-policy.py`` CLOCK is a different, randomised multi-bit variant.

The security manager's rule is that a guest reaches machine memory only through its own maps:
a guest can never name, read or write a frame that holds another guest's data, and every frame is
always either free or owned (page conservation); ``check()`` proves both on the current state.
"""

from __future__ import annotations

import heapq
import itertools
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .errors import CapacityExceeded, InvalidOperation, IsolationViolation
from .quantities import (
    finite_number,
    hashable,
    limited_list,
    name_of,
    whole_number,
    within_limit,
)
from .trace import Trace

DEFAULT_TAU = 0.75
MAX_FRAMES = 1 << 20
"""Most machine frames ``MachineMemory`` (and ``page_faults``) models: 4 GiB of 4 KiB pages.
The free list holds every frame, so the frames are allocated when the machine is made."""
MAX_GUEST_PAGES = 1 << 20
"""Most guest-physical pages one guest may have: inflating a balloon looks at each of them."""
MAX_REFERENCES = 10_000
"""Longest reference string ``page_faults`` replays in one call (one event per reference)."""
MAX_TAX_CLIENTS = 100
"""Most clients ``idle_tax_allocation`` shares memory among: each reclaimed page compares them."""
MAX_TAX_RECLAIM = 10_000
"""Most pages ``idle_tax_allocation`` reclaims in one call, one page at a time."""

# ----- replacement policies ------------------------------------------------------------------


class ReplacementPolicy(Protocol):
    """Chooses which resident page to evict. Learners may write their own with these methods."""

    name: str

    def insert(self, page: Hashable) -> None: ...
    def touch(self, page: Hashable) -> None: ...
    def remove(self, page: Hashable) -> None: ...
    def victim(self) -> Hashable: ...


class Fifo:
    """Evict the page resident longest, however busy: simple, and subject to Belady's anomaly."""

    name = "fifo"

    def __init__(self) -> None:
        self._order: OrderedDict[Hashable, None] = OrderedDict()

    def insert(self, page: Hashable) -> None:
        self._order[page] = None

    def touch(self, page: Hashable) -> None:
        pass

    def remove(self, page: Hashable) -> None:
        self._order.pop(page, None)

    def victim(self) -> Hashable:
        return next(iter(self._order))


class Lru(Fifo):
    """Evict the page used least recently: a stack algorithm, so more frames never hurt."""

    name = "lru"

    def touch(self, page: Hashable) -> None:
        self._order.move_to_end(page)


class Clock:
    """LRU's cheap approximation: a hand sweeps the frames, sparing pages whose use bit is set.

    A page is loaded with its use bit set (it was just referenced), as in the textbook version.
    """

    name = "clock"

    def __init__(self) -> None:
        self._ring: list[Hashable] = []
        self._used: dict[Hashable, bool] = {}
        self._hand = 0

    def insert(self, page: Hashable) -> None:
        self._ring.insert(self._hand, page)
        self._hand = (self._hand + 1) % len(self._ring)
        self._used[page] = True

    def touch(self, page: Hashable) -> None:
        self._used[page] = True

    def remove(self, page: Hashable) -> None:
        i = self._ring.index(page)
        self._ring.pop(i)
        del self._used[page]
        if i < self._hand:
            self._hand -= 1
        if self._ring:
            self._hand %= len(self._ring)
        else:
            self._hand = 0

    def victim(self) -> Hashable:
        while True:
            page = self._ring[self._hand]
            if not self._used[page]:
                return page
            self._used[page] = False
            self._hand = (self._hand + 1) % len(self._ring)


REPLACEMENT: dict[str, type[Fifo] | type[Clock]] = {"fifo": Fifo, "lru": Lru, "clock": Clock}


def make_policy(policy: str | ReplacementPolicy) -> ReplacementPolicy:
    if isinstance(policy, str):
        try:
            return REPLACEMENT[policy]()
        except KeyError:
            hint = (
                " (opt reads the future, so only page_faults can replay it)"
                if policy == "opt"
                else ""
            )
            hint_zh = "（opt 要预知未来的访问，所以只有 page_faults 能重放它）" if hint else ""
            raise InvalidOperation(
                f"unknown replacement policy {policy!r}; use fifo, lru or clock{hint}",
                zh=f"未知的页面置换策略 {policy!r}；请使用 fifo、lru 或 clock{hint_zh}",
            ) from None
    return policy


class Opt:
    """Belady's OPT (MIN): evict the resident page whose next use lies furthest in the future.

    No real system can run it (it reads the future), but replaying a reference string it gives
    the fewest misses any policy can reach, the bound every other policy is measured against.
    It therefore needs the whole reference string up front and exists only in ``page_faults``.
    Ties (pages never used again) go to the page loaded most recently, as in OSTEP's
    ``vm-beyondphys-policy/paging-policy.py``, so the two agree page for page.
    """

    name = "opt"

    def __init__(self, refs: Sequence[Hashable]) -> None:
        self._refs = refs
        self._next_use: list[int] = [len(refs)] * len(refs)
        seen: dict[Hashable, int] = {}
        for i in range(len(refs) - 1, -1, -1):
            self._next_use[i] = seen.get(refs[i], len(refs))
            seen[refs[i]] = i
        self._at = -1
        self._when: dict[Hashable, int] = {}
        # The order pages were loaded in (a later load wins a tie), and a max-heap of
        # (next use, load order): the victim is its top, once entries made stale by a later
        # reference or an eviction are dropped. Two resident pages never share both numbers.
        self._loaded: dict[Hashable, int] = {}
        self._order = itertools.count()
        self._heap: list[tuple[int, int, Hashable]] = []

    def _advance(self, page: Hashable) -> None:
        self._at += 1
        self._when[page] = self._next_use[self._at]

    def insert(self, page: Hashable) -> None:
        self._advance(page)
        self._loaded[page] = next(self._order)
        heapq.heappush(self._heap, (-self._when[page], -self._loaded[page], page))

    def touch(self, page: Hashable) -> None:
        self._advance(page)
        heapq.heappush(self._heap, (-self._when[page], -self._loaded[page], page))

    def remove(self, page: Hashable) -> None:
        del self._loaded[page]
        del self._when[page]

    def victim(self) -> Hashable:
        # the victim is chosen before the missing page is inserted: look from the next reference
        heap = self._heap
        while heap:
            when, order, page = heap[0]
            if self._loaded.get(page) == -order and self._when[page] == -when:
                return page
            heapq.heappop(heap)
        raise IndexError("no resident page to evict")


@dataclass(frozen=True)
class FaultResult:
    misses: int
    hits: int
    resident: tuple[Hashable, ...]


def page_faults(
    refs: Iterable[Hashable],
    frames: int,
    policy: str | ReplacementPolicy = "fifo",
    trace: Trace | None = None,
) -> FaultResult:
    """Replay a page reference string through ``frames`` frames and count the misses.

    ``policy`` is "fifo", "lru", "clock", "opt" (Belady's optimal, which reads the rest of the
    string) or a policy object. ``resident`` lists the pages in the order they were loaded.
    """
    what = ("page_faults(refs, frames): frames", "page_faults(refs, frames) 的 frames")
    whole_number(frames, what)
    if frames < 1:
        raise InvalidOperation(
            "page replacement needs at least one frame", zh="页面置换至少需要一个页框"
        )
    whole_number(frames, what, least=1, below=MAX_FRAMES + 1, limit="MAX_FRAMES")
    if isinstance(refs, str | bytes) or not isinstance(refs, Iterable):
        raise InvalidOperation(
            f"the reference string is a list of pages, e.g. [1, 2, 3, 1], not {refs!r}",
            zh=f"引用串应是由页组成的 list，例如 [1, 2, 3, 1]，而不是 {refs!r}",
        )
    length = ("the length of the reference string", "引用串的长度")
    refs = limited_list(refs, length, "MAX_REFERENCES", MAX_REFERENCES)
    for page in refs:
        hashable(page, ("a page in the reference string", "引用串里的页"))
    chooser: ReplacementPolicy = Opt(refs) if policy == "opt" else make_policy(policy)
    trace = trace if trace is not None else Trace()
    resident: dict[Hashable, None] = {}  # in the order the pages were loaded
    misses = hits = 0
    for page in refs:
        if page in resident:
            hits += 1
            chooser.touch(page)
            trace.emit("swap.hit", page=page)
            continue
        misses += 1
        victim = None
        if len(resident) >= frames:
            victim = chooser.victim()
            try:
                resident_victim = victim in resident
            except TypeError:  # unhashable: not a page at all
                resident_victim = False
            if not resident_victim:
                raise InvalidOperation(
                    f"the replacement policy chose {victim!r}, which is not a resident page",
                    zh=f"页面置换策略选中了 {victim!r}，但它不是一个常驻内存的页",
                )
            chooser.remove(victim)
            del resident[victim]
        resident[page] = None
        chooser.insert(page)
        trace.emit("swap.miss", page=page, victim=victim, policy=chooser.name)
    return FaultResult(misses, hits, tuple(resident))


# ----- the idle memory tax -------------------------------------------------------------------


def shares_per_page(
    shares: float, pages: float, active_fraction: float, tau: float = DEFAULT_TAU
) -> float:
    """ρ = S / (P·(f + k(1−f))), k = 1/(1−τ): an idle page costs k times an active one.

    With τ = 0.75, k = 4, so a client hoarding idle memory "pays" four shares' worth for each
    idle page and is the first to lose memory when it is scarce.
    """
    _check_tau(tau)
    finite_number(shares, ("shares", "份额 shares"), least=0)
    finite_number(pages, ("pages", "页数 pages"), least=0)
    finite_number(active_fraction, ("active_fraction", "活跃比例 active_fraction"), least=0, most=1)
    return _rho(shares, pages, active_fraction, 1 / (1 - tau))


def _check_tau(tau: float) -> None:
    finite_number(tau, ("the tax rate τ", "税率 τ"))
    if not 0 <= tau < 1:
        raise InvalidOperation(
            "the tax rate τ must be in [0, 1): τ = 1 would make idle pages free",
            zh="税率 τ 必须在 [0, 1) 之内：τ = 1 会让空闲页不花任何代价",
        )


def _rho(shares: float, pages: float, active_fraction: float, k: float) -> float:
    """``shares_per_page`` of values already checked, with k = 1/(1−τ)."""
    if pages <= 0:
        return float("inf")
    return shares / (pages * (active_fraction + k * (1 - active_fraction)))


@dataclass(frozen=True)
class TaxClient:
    name: str
    shares: int
    active_fraction: float
    max_pages: int
    min_pages: int = 0


def idle_tax_allocation(
    total_pages: int,
    clients: Sequence[TaxClient],
    tau: float = DEFAULT_TAU,
    trace: Trace | None = None,
) -> dict[str, int]:
    """Start everyone at what they want; while memory is over-subscribed, reclaim a page from the
    client with the lowest ρ (ties: name order). Returns pages per client."""
    whole_number(total_pages, ("total_pages", "总页数 total_pages"), least=0)
    _check_tau(tau)
    if isinstance(clients, str) or not isinstance(clients, Sequence):
        raise InvalidOperation(
            f"the clients are a list of TaxClient, not {clients!r}",
            zh=f"客户应是由 TaxClient 组成的 list，而不是 {clients!r}",
        )
    within_limit(
        len(clients), ("the number of clients", "客户数"), "MAX_TAX_CLIENTS", MAX_TAX_CLIENTS
    )
    for c in clients:
        if not isinstance(c, TaxClient):
            raise InvalidOperation(
                f"a client is a TaxClient(name, shares, active_fraction, max_pages), not {c!r}",
                zh=f"客户应是 TaxClient(name, shares, active_fraction, max_pages)，而不是 {c!r}",
            )
        name_of(c.name, ("a client's name", "客户的名字"))
        who = (f"client {c.name!r}", f"客户 {c.name!r}")
        whole_number(c.max_pages, (f"{who[0]}: max_pages", f"{who[1]} 的 max_pages"), least=0)
        whole_number(
            c.min_pages,
            (f"{who[0]}: min_pages", f"{who[1]} 的 min_pages"),
            least=0,
            below=c.max_pages + 1,
            hint=(
                "a client never gets more than its max_pages",
                "一个客户得到的页永远不会超过它的 max_pages",
            ),
        )
        finite_number(c.shares, (f"{who[0]}: shares", f"{who[1]} 的 shares"), least=0)
        finite_number(
            c.active_fraction,
            (f"{who[0]}: active_fraction", f"{who[1]} 的 active_fraction"),
            least=0,
            most=1,
        )
    pages = {c.name: c.max_pages for c in clients}
    if len(pages) != len(clients):
        raise InvalidOperation(
            "every client needs a name of its own", zh="每个客户都需要一个互不相同的名字"
        )
    need = sum(pages.values()) - total_pages
    if sum(c.min_pages for c in clients) > total_pages:
        minimums = sum(c.min_pages for c in clients)
        raise CapacityExceeded(
            f"the clients' guaranteed minimums ({minimums} pages) "
            f"exceed the {total_pages} pages the machine has",
            zh=f"各客户有保证的最少页数之和（{minimums} 页）超过了机器拥有的 {total_pages} 页",
        )
    within_limit(need, ("the pages to reclaim", "要回收的页数"), "MAX_TAX_RECLAIM", MAX_TAX_RECLAIM)
    trace = trace if trace is not None else Trace()
    k = 1 / (1 - tau)
    while need > 0:
        trace.budget.spend()  # one reclaimed page is one step: huge inputs stop cleanly
        candidates = [c for c in clients if pages[c.name] > c.min_pages]
        poorest = min(
            candidates,
            key=lambda c: (_rho(c.shares, pages[c.name], c.active_fraction, k), c.name),
        )
        pages[poorest.name] -= 1
        need -= 1
    trace.emit("mem.tax", tau=tau, pages=dict(pages))
    return pages


# ----- machine memory and guests -------------------------------------------------------------

PageKey = tuple[str, int]


@dataclass
class GuestMemory:
    """One guest's view: its page table (gvpn → gppn) and the hypervisor's pmap (gppn → mpn)."""

    name: str
    pages: int
    page_table: dict[int, int] = field(default_factory=dict)
    pmap: dict[int, int] = field(default_factory=dict)
    swapped: dict[int, int] = field(default_factory=dict)
    ballooned: set[int] = field(default_factory=set)
    salt: str | None = None


class MachineMemory:
    """The machine's frames and every guest's second-level map, run by one hypervisor."""

    def __init__(
        self,
        frames: int,
        trace: Trace | None = None,
        policy: str | ReplacementPolicy = "lru",
        salting: bool = False,
    ) -> None:
        """``salting=True`` gives every guest its own salt by default (VMware's default since
        2015): pages are then shared only within a guest, never across guests."""
        what = ("MachineMemory(frames): frames", "MachineMemory(frames) 的 frames")
        whole_number(frames, what)
        if frames < 1:
            raise InvalidOperation(
                "machine memory needs at least one frame", zh="机器内存至少需要一个页框"
            )
        whole_number(frames, what, least=1, below=MAX_FRAMES + 1, limit="MAX_FRAMES")
        self.frames = frames
        self.salting = salting
        self.trace = trace if trace is not None else Trace()
        self.policy = make_policy(policy)
        self.guests: dict[str, GuestMemory] = {}
        self._free: list[int] = list(range(frames))
        self._content: dict[int, int] = {}
        self._owners: dict[int, set[PageKey]] = {}
        self._shared: set[int] = set()
        self.trace.emit("mem.create", frames=frames, policy=self.policy.name)

    # ----- guests and the first translation ---------------------------------------------------
    def add_guest(self, name: str, pages: int, salt: str | None = None) -> GuestMemory:
        """``salt``: pages are merged only between guests with the same salt. ``None`` means the
        machine's default: no salt (every guest shares with every other) or, with ``salting``,
        the guest's own name (sharing only inside the guest). Guests that trust each other, say
        one customer's VMs, can be given one salt to share among themselves again."""
        name_of(name, ("a guest's name", "客户机的名字"))
        if name in self.guests:
            raise InvalidOperation(
                f"a guest named {name!r} already has memory here",
                zh=f"名为 {name!r} 的客户机在这里已经有内存了",
            )
        whole_number(pages, (f"guest {name!r}: pages", f"客户机 {name!r} 的 pages"))
        if pages < 1:
            raise InvalidOperation(
                "a guest needs at least one page of memory", zh="客户机至少需要一页内存"
            )
        whole_number(
            pages,
            (f"guest {name!r}: pages", f"客户机 {name!r} 的 pages"),
            least=1,
            below=MAX_GUEST_PAGES + 1,
            limit="MAX_GUEST_PAGES",
        )
        if salt is not None and (not isinstance(salt, str) or not salt):
            raise InvalidOperation(
                "a salt is a non-empty string (or None for the default)",
                zh="盐值是一个非空字符串（或者用 None 表示默认值）",
            )
        salt = salt if salt is not None else (name if self.salting else None)
        guest = GuestMemory(name, pages, salt=salt)
        self.guests[name] = guest
        self.trace.emit(
            "mem.guest", guest=name, pages=pages, overcommit=self.committed(), salt=salt
        )
        return guest

    def committed(self) -> float:
        """Guest-physical pages promised per machine frame; above 1.0 means overcommitted."""
        return sum(g.pages for g in self.guests.values()) / self.frames

    def map(self, guest: str, gvpn: int, gppn: int) -> None:
        """The guest OS maps a virtual page to one of *its* physical pages (its page table)."""
        g = self._guest(guest)
        _check_gvpn(g, gvpn)
        whole_number(gppn, (f"{guest!r}: a guest-physical page", f"{guest!r} 的客户机物理页号"))
        if not 0 <= gppn < g.pages:
            raise IsolationViolation(
                f"{guest!r} tried to map guest-physical page {gppn}, but its memory is pages "
                f"0..{g.pages - 1}: a guest can only reach its own physical memory",
                zh=f"{guest!r} 试图映射客户机物理页 {gppn}，但它的内存是第 0..{g.pages - 1} "
                "页：客户机只能访问它自己的物理内存",
            )
        if gppn in g.ballooned:
            raise InvalidOperation(
                f"{guest!r}: guest-physical page {gppn} belongs to the balloon driver; "
                "deflate the balloon before the guest maps it again",
                zh=f"{guest!r} 的客户机物理页 {gppn} 属于气球驱动程序；"
                "要先放气（deflate），客户机才能再次映射它",
            )
        g.page_table[gvpn] = gppn
        self.trace.emit("mem.map", guest=guest, gvpn=gvpn, gppn=gppn)

    def translate(self, guest: str, gvpn: int) -> tuple[int, int | None]:
        """guest-virtual → guest-physical (guest's table) → machine (hypervisor's pmap).

        The machine page is ``None`` while the page is not backed (never touched, or swapped).
        """
        g = self._guest(guest)
        gppn = self._gppn(g, gvpn)
        mpn = g.pmap.get(gppn)
        self.trace.emit("mem.translate", guest=guest, gvpn=gvpn, gppn=gppn, mpn=mpn)
        return gppn, mpn

    def read(self, guest: str, gvpn: int) -> int:
        g = self._guest(guest)
        gppn = self._gppn(g, gvpn)
        if gppn not in g.pmap and gppn not in g.swapped:
            self.trace.emit("mem.read", guest=guest, gvpn=gvpn, gppn=gppn, mpn=None, value=0)
            return 0  # an untouched page reads as zeros and costs no frame
        mpn = self._back(g, gppn)
        value = self._content[mpn]
        self.trace.emit("mem.read", guest=guest, gvpn=gvpn, gppn=gppn, mpn=mpn, value=value)
        return value

    def write(self, guest: str, gvpn: int, value: int) -> None:
        g = self._guest(guest)
        gppn = self._gppn(g, gvpn)
        whole_number(
            value,
            (f"the value {guest!r} writes to page {gvpn}", f"{guest!r} 写入第 {gvpn} 页的值"),
        )
        mpn = self._back(g, gppn)
        if mpn in self._shared:
            mpn = self._break_cow(g, gppn, mpn)
        self._content[mpn] = value
        self.trace.emit("mem.write", guest=guest, gvpn=gvpn, gppn=gppn, mpn=mpn, value=value)

    def read_machine(self, guest: str, mpn: int) -> int:
        """A guest asking for a machine frame by number: allowed only if the frame is its own."""
        g = self._guest(guest)
        whole_number(mpn, (f"{guest!r}: a machine page number", f"{guest!r} 的机器页号"))
        owners = self._owners.get(mpn, set())
        if not any(owner == g.name for owner, _ in owners):
            raise IsolationViolation(
                f"{guest!r} asked for machine page {mpn}, which is not mapped by {guest!r}: the "
                "security manager lets a guest reach machine memory only through its own pmap",
                zh=f"{guest!r} 请求机器页 {mpn}，但它并没有映射这一页：安全管理器只允许客户机"
                "通过它自己的 pmap 访问机器内存",
            )
        return self._content[mpn]

    # ----- backing, swapping and copy-on-write ------------------------------------------------
    def _back(self, g: GuestMemory, gppn: int) -> int:
        mpn = g.pmap.get(gppn)
        if mpn is not None:
            if mpn not in self._shared:
                self.policy.touch((g.name, gppn))
            return mpn
        mpn = self._take_frame()
        content = g.swapped.pop(gppn, None)
        self._content[mpn] = 0 if content is None else content
        self._own(g, gppn, mpn)
        kind = "mem.swap_in" if content is not None else "mem.alloc"
        self.trace.emit(kind, guest=g.name, gppn=gppn, mpn=mpn)
        return mpn

    def _own(self, g: GuestMemory, gppn: int, mpn: int) -> None:
        g.pmap[gppn] = mpn
        self._owners.setdefault(mpn, set()).add((g.name, gppn))
        self.policy.insert((g.name, gppn))

    def _take_frame(self) -> int:
        if not self._free:
            self._swap_out()
        return heapq.heappop(self._free)

    def _swap_out(self) -> None:
        try:
            victim = self.policy.victim()
        except (StopIteration, IndexError):
            raise CapacityExceeded(
                f"all {self.frames} machine frames are in use and none can be swapped out "
                "(shared frames stay resident): reclaim memory with the balloon or add frames",
                zh=f"全部 {self.frames} 个机器页框都在使用中，而且没有一个能换出"
                "（共享的页框必须常驻内存）：用内存气球回收内存，或者增加页框",
            ) from None
        if not self._is_private_resident(victim):
            raise InvalidOperation(
                f"the replacement policy chose {victim!r}, which is not a resident private page",
                zh=f"页面置换策略选中了 {victim!r}，但它不是一个常驻内存的私有页",
            )
        assert isinstance(victim, tuple)
        name, gppn = str(victim[0]), int(victim[1])
        g = self.guests[name]
        mpn = g.pmap.pop(gppn)
        self.policy.remove(victim)
        g.swapped[gppn] = self._content.pop(mpn)
        del self._owners[mpn]
        heapq.heappush(self._free, mpn)
        self.trace.emit("mem.swap_out", guest=name, gppn=gppn, mpn=mpn, policy=self.policy.name)

    def _is_private_resident(self, key: Hashable) -> bool:
        if not (isinstance(key, tuple) and len(key) == 2 and key[0] in self.guests):
            return False
        mpn = self.guests[key[0]].pmap.get(key[1])
        return mpn is not None and mpn not in self._shared

    def _break_cow(self, g: GuestMemory, gppn: int, shared_mpn: int) -> int:
        owners = self._owners[shared_mpn]
        owners.discard((g.name, gppn))
        content = self._content[shared_mpn]
        if len(owners) == 1:
            # the last sharer keeps the frame as its private page again
            self._shared.discard(shared_mpn)
            self.policy.insert(next(iter(owners)))
        mpn = self._take_frame()
        self._content[mpn] = content
        self._own(g, gppn, mpn)
        self.trace.emit("mem.cow", guest=g.name, gppn=gppn, shared=shared_mpn, mpn=mpn)
        return mpn

    # ----- content-based page sharing ----------------------------------------------------------
    def share(self) -> int:
        """Merge frames with identical contents into one read-only frame; return frames freed.

        ESX hashes page contents and compares on a hash match; here contents are small ints, so
        the content itself is the hash. Only frames of guests with the same salt are merged.

        Sharing keeps *direct* isolation (a shared frame is read-only, any write gets a private
        copy first) but not isolation against timing: a write to a shared page is slow (the COW
        break), and a shared frame read by another guest is already in the cache, so one guest
        can learn whether another holds a page with given contents (memory-deduplication and
        Flush+Reload attacks, e.g. Irazoqui et al. 2014 recovering AES keys across VMs). For
        this reason VMware turned inter-VM transparent page sharing off by default in 2014–15
        (salting, KB 2080735 / 2097593). ``salting=True`` models that default.
        """
        by_content: dict[tuple[str, int], list[int]] = {}
        for mpn in sorted(self._owners):
            name = min(self._owners[mpn])[0]
            salt = self.guests[name].salt
            key = ("" if salt is None else "salt:" + salt, self._content[mpn])
            by_content.setdefault(key, []).append(mpn)
        freed = 0
        for (group, content), mpns in sorted(by_content.items()):
            if len(mpns) < 2:
                continue
            keep, rest = mpns[0], mpns[1:]
            if keep not in self._shared:
                for key in sorted(self._owners[keep]):
                    self.policy.remove(key)
                self._shared.add(keep)
            for mpn in rest:
                for name, gppn in sorted(self._owners.pop(mpn)):
                    if mpn not in self._shared:
                        self.policy.remove((name, gppn))
                    self.guests[name].pmap[gppn] = keep
                    self._owners[keep].add((name, gppn))
                self._shared.discard(mpn)
                del self._content[mpn]
                heapq.heappush(self._free, mpn)
                freed += 1
            self.trace.emit(
                "mem.share",
                mpn=keep,
                salt=group[5:] if group else None,
                content=content,
                pages=sorted([list(k) for k in self._owners[keep]]),
                freed=rest,
            )
        return freed

    # ----- ballooning ---------------------------------------------------------------------------
    def balloon_inflate(self, guest: str, pages: int) -> list[int]:
        """The balloon driver in ``guest`` takes ``pages`` pages the guest OS is not using; the
        hypervisor frees the frames behind them. Returns the guest-physical pages taken."""
        g = self._guest(guest)
        whole_number(
            pages,
            ("balloon_inflate(guest, pages): pages", "balloon_inflate(guest, pages) 的 pages"),
            least=0,
        )
        in_use = set(g.page_table.values())
        candidates = [
            p for p in range(g.pages - 1, -1, -1) if p not in in_use and p not in g.ballooned
        ]
        if pages > len(candidates):
            raise CapacityExceeded(
                f"{guest!r} has only {len(candidates)} unmapped pages to give to its balloon, "
                f"asked for {pages}: the guest OS would have to page out its own memory first",
                zh=f"{guest!r} 只有 {len(candidates)} 个未映射的页可以交给它的内存气球，却要了 "
                f"{pages} 页：客户机操作系统得先把它自己的内存换出去",
            )
        taken = candidates[:pages]
        for gppn in taken:
            g.ballooned.add(gppn)
            g.swapped.pop(gppn, None)
            mpn = g.pmap.pop(gppn, None)
            if mpn is not None:
                self._drop(g.name, gppn, mpn)
        self.trace.emit("mem.balloon", guest=guest, inflate=pages, gppns=taken)
        return taken

    def balloon_deflate(self, guest: str, pages: int) -> list[int]:
        g = self._guest(guest)
        whole_number(
            pages,
            ("balloon_deflate(guest, pages): pages", "balloon_deflate(guest, pages) 的 pages"),
            least=0,
        )
        if pages > len(g.ballooned):
            raise InvalidOperation(
                f"{guest!r}'s balloon holds only {len(g.ballooned)} pages",
                zh=f"{guest!r} 的内存气球里只有 {len(g.ballooned)} 页",
            )
        given = sorted(g.ballooned)[:pages]
        g.ballooned.difference_update(given)
        self.trace.emit("mem.balloon", guest=guest, deflate=pages, gppns=given)
        return given

    def _drop(self, name: str, gppn: int, mpn: int) -> None:
        owners = self._owners[mpn]
        owners.discard((name, gppn))
        if mpn not in self._shared:
            self.policy.remove((name, gppn))
        if not owners:
            self._shared.discard(mpn)
            del self._owners[mpn]
            del self._content[mpn]
            heapq.heappush(self._free, mpn)
        elif len(owners) == 1 and mpn in self._shared:
            self._shared.discard(mpn)
            self.policy.insert(next(iter(owners)))

    # ----- state and invariants -----------------------------------------------------------------
    @property
    def free_frames(self) -> int:
        return len(self._free)

    def resident(self, guest: str) -> int:
        return len(self._guest(guest).pmap)

    def shared_frames(self) -> int:
        return len(self._shared)

    def check(self) -> None:
        """Page conservation and isolation, re-derived from scratch."""
        used = set(self._owners)
        if len(self._free) + len(used) != self.frames or used & set(self._free):
            raise CapacityExceeded(
                f"page conservation broken: {len(self._free)} free + {len(used)} used "
                f"!= {self.frames} frames",
                zh=f"页守恒被破坏：{len(self._free)} 个空闲 + {len(used)} 个已用 "
                f"!= {self.frames} 个页框",
            )
        for mpn, owners in self._owners.items():
            if not owners:
                raise CapacityExceeded(
                    f"machine page {mpn} is used but owned by nobody",
                    zh=f"机器页 {mpn} 正在使用，却不属于任何客户机",
                )
            guests = sorted({name for name, _ in owners})
            if len(owners) > 1 and mpn not in self._shared:
                raise IsolationViolation(
                    f"machine page {mpn} is writable and mapped by {guests}",
                    zh=f"机器页 {mpn} 是可写的，却被 {guests} 同时映射",
                )
            for name, gppn in owners:
                if self.guests[name].pmap.get(gppn) != mpn:
                    raise CapacityExceeded(
                        f"pmap of {name!r} disagrees about machine page {mpn}",
                        zh=f"{name!r} 的 pmap 与机器页 {mpn} 的记录不一致",
                    )
        for g in self.guests.values():
            for gppn, mpn in g.pmap.items():
                if (g.name, gppn) not in self._owners.get(mpn, set()):
                    raise IsolationViolation(
                        f"{g.name!r} maps machine page {mpn} it does not own",
                        zh=f"{g.name!r} 映射了不属于它的机器页 {mpn}",
                    )
            if set(g.pmap) & set(g.swapped):
                raise CapacityExceeded(
                    f"{g.name!r} has a page both resident and swapped",
                    zh=f"{g.name!r} 有一页既常驻内存又被换出",
                )

    def _gppn(self, g: GuestMemory, gvpn: int) -> int:
        _check_gvpn(g, gvpn)
        try:
            return g.page_table[gvpn]
        except KeyError:
            raise InvalidOperation(
                f"page fault in {g.name!r}: virtual page {gvpn} is not in its page table "
                "(map it first: the guest OS owns the first translation)",
                zh=f"{g.name!r} 发生缺页异常：虚拟页 {gvpn} 不在它的页表里"
                "（先映射它：第一层地址转换归客户机操作系统管）",
            ) from None

    def _guest(self, name: str) -> GuestMemory:
        try:
            return self.guests[name]
        except (KeyError, TypeError):
            raise InvalidOperation(
                f"no guest named {name!r} has memory here",
                zh=f"这里没有名为 {name!r} 的客户机的内存",
            ) from None


def _check_gvpn(g: GuestMemory, gvpn: object) -> None:
    whole_number(gvpn, (f"{g.name!r}: a guest-virtual page", f"{g.name!r} 的客户机虚拟页号"))
