"""The resource pool: many hosts merged into one capacity, carved into guests.

Pooling is the first half of virtualisation's bargain: a guest asks the *pool* for 2 vCPUs and
1 GiB, not a particular machine, so the pool can pack guests tightly and switch empty hosts off.
The second half is the catch: capacity is still physical. A guest must fit on *one* host, so a
pool with plenty of free memory in total can still refuse a guest because the free memory is
scattered in pieces too small to use (fragmentation). Admission control says which case it is.

Placement is bin packing, which is NP-hard, so real placers use heuristics with proven bounds:
First Fit uses at most ⌊1.7·OPT⌋ hosts, First-Fit-Decreasing at most 11/9·OPT + 6/9 (Dósa 2007,
tight). The fixture in the tests shows FFD using 11 hosts where 9 suffice.

Every reservation is checked against the host it lands on, so no sequence of calls, however
wrong, can overcommit memory or vCPUs: the call fails with ``CapacityExceeded`` instead.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .errors import ArchitectureMismatch, CapacityExceeded, InvalidOperation
from .hardware import Arch, Host, arch_of
from .quantities import finite_number, limit_hint, limited_list, name_of, whole_number
from .trace import Trace


class Demand(Protocol):
    """What a placer needs to know about a guest: its size, and how busy its vCPUs are."""

    @property
    def name(self) -> str: ...
    @property
    def vcpus(self) -> int: ...
    @property
    def memory_pages(self) -> int: ...
    @property
    def load(self) -> float: ...


@dataclass(frozen=True)
class VmSpec:
    """A request for a guest. ``load`` is the average fraction of its vCPUs that are busy;
    ``arch`` (if set) is the CPU architecture its code was built for."""

    name: str
    vcpus: int
    memory_pages: int
    load: float = 1.0
    arch: Arch | None = None


@dataclass(frozen=True)
class HostView:
    """A read-only picture of one host, handed to learner-written placement policies."""

    index: int
    name: str
    cores: int
    memory_pages: int
    free_vcpus: int
    free_pages: int
    powered_on: bool
    vms: tuple[str, ...]
    arch: Arch = Arch.X86_64

    def fits(self, vm: Demand) -> bool:
        arch = _arch_of(vm)
        return (
            vm.vcpus <= self.free_vcpus
            and vm.memory_pages <= self.free_pages
            and (arch is None or arch == self.arch)
        )


Policy = Callable[[Demand, Sequence[HostView]], str | None]
MAX_POOL_HOSTS = 1_000
"""Most hosts one ``ResourcePool`` holds: a learner's policy is shown every host at every
placement, and consolidating or relieving the pool compares hosts with hosts."""
MAX_EXACT_ITEMS = 30
"""Most items ``optimal_bin_count`` accepts, whatever its ``limit``."""
MAX_SEARCH_NODES = 50_000
"""Most partial packings ``optimal_bin_count``'s branch and bound may visit before it gives up
(about 15 µs each in CPython): bin packing is NP-hard, and a few hard cases of 24 items and more
need more than that."""
POLICIES: tuple[str, ...] = ("first_fit", "first_fit_decreasing", "best_fit", "worst_fit")
REFUSALS: tuple[str, ...] = ("too_big", "pool_full", "fragmented", "architecture")
"""Why admission control refuses a guest: bigger than any one host; more than the whole pool
has left; enough in total but in pieces too small (a guest cannot span hosts); or built for a CPU
architecture no host has."""


class _FitIndex:
    """A max-segment-tree over free (vCPUs, pages), so First Fit finds the lowest host that fits
    in O(log n) instead of scanning every host: 10,000 guests on 1,000 hosts stay well under 1 s.
    """

    def __init__(self, free_v: list[int], free_m: list[int]) -> None:
        size = 1
        while size < len(free_v):
            size *= 2
        self.size = size
        self.mv = [-1] * (2 * size)
        self.mm = [-1] * (2 * size)
        self.mv[size : size + len(free_v)] = free_v
        self.mm[size : size + len(free_m)] = free_m
        for node in range(size - 1, 0, -1):
            self.mv[node] = max(self.mv[2 * node], self.mv[2 * node + 1])
            self.mm[node] = max(self.mm[2 * node], self.mm[2 * node + 1])

    def set(self, index: int, free_v: int, free_m: int) -> None:
        node = index + self.size
        mv, mm = self.mv, self.mm
        mv[node], mm[node] = free_v, free_m
        node //= 2
        while node:
            left, right = 2 * node, 2 * node + 1
            mv[node] = mv[left] if mv[left] > mv[right] else mv[right]
            mm[node] = mm[left] if mm[left] > mm[right] else mm[right]
            node //= 2

    def first(self, vcpus: int, pages: int) -> int:
        mv, mm, size = self.mv, self.mm, self.size
        stack = [1]
        while stack:
            node = stack.pop()
            if mv[node] < vcpus or mm[node] < pages:
                continue
            if node >= size:
                return node - size
            stack.append(2 * node + 1)
            stack.append(2 * node)
        return -1


class _FreeOrder:
    """Every host as (free pages, free vCPUs, index), kept sorted, so Best Fit and Worst Fit
    find their host by bisection instead of comparing every host: the same host the full scan
    would choose (fewest or most free pages, then vCPUs, then the lowest index)."""

    def __init__(self, free_v: list[int], free_m: list[int]) -> None:
        self.keys = [(m, v, i) for i, (v, m) in enumerate(zip(free_v, free_m, strict=True))]
        self.order = sorted(self.keys)

    def set(self, index: int, free_v: int, free_m: int) -> None:
        order, old = self.order, self.keys[index]
        del order[bisect.bisect_left(order, old)]
        self.keys[index] = (free_m, free_v, index)
        bisect.insort(order, self.keys[index])

    def best(self, vcpus: int, pages: int) -> int:
        order = self.order
        for k in range(bisect.bisect_left(order, (pages, vcpus, -1)), len(order)):
            if order[k][1] >= vcpus:
                return order[k][2]
        return -1

    def worst(self, vcpus: int, pages: int) -> int:
        order = self.order
        for k in range(len(order) - 1, -1, -1):
            free_m, free_v, _ = order[k]
            if free_m < pages:
                break
            if free_v >= vcpus:  # the lowest index among hosts with just as much free
                return order[bisect.bisect_left(order, (free_m, free_v, -1))][2]
        return -1


class ResourcePool:
    """Hosts pooled into one capacity; guests are placed, moved and removed through it.

    ``vcpu_ratio`` is how many vCPUs one core may carry (CPU overcommit; memory is never
    overcommitted at this level, see ``memory.py`` for how hypervisors reclaim it).
    """

    def __init__(
        self, hosts: Iterable[Host], trace: Trace | None = None, vcpu_ratio: int = 1
    ) -> None:
        counted = ("the pool's hosts", "资源池的宿主机数")
        self.hosts: list[Host] = limited_list(hosts, counted, "MAX_POOL_HOSTS", MAX_POOL_HOSTS)
        if not self.hosts:
            raise InvalidOperation(
                "a resource pool needs at least one host", zh="资源池至少需要一台宿主机"
            )
        for host in self.hosts:
            if not isinstance(host, Host):
                raise InvalidOperation(
                    f"a resource pool is built from Host(name, cores, memory_pages), not {host!r}",
                    zh=f"资源池由 Host(name, cores, memory_pages) 组成，而不是 {host!r}",
                )
        names = [h.name for h in self.hosts]
        if len(set(names)) != len(names):
            raise InvalidOperation(
                "host names in a pool must be unique", zh="资源池里各台宿主机的名字必须互不相同"
            )
        whole_number(
            vcpu_ratio,
            ("vcpu_ratio (vCPUs per core)", "vcpu_ratio（每个核心可承载的 vCPU 数）"),
            least=1,
        )
        self.trace = trace if trace is not None else Trace()
        self.vcpu_ratio = vcpu_ratio
        self._index = {h.name: i for i, h in enumerate(self.hosts)}
        self._free_v = [h.cores * vcpu_ratio for h in self.hosts]
        self._free_m = [h.memory_pages for h in self.hosts]
        self._busy = [0.0] * len(self.hosts)
        self._on = [False] * len(self.hosts)
        self._failed = [False] * len(self.hosts)
        self._vms: list[dict[str, Demand]] = [{} for _ in self.hosts]
        self._where: dict[str, int] = {}
        self._fit = _FitIndex(self._free_v, self._free_m)
        self._free_order = _FreeOrder(self._free_v, self._free_m)
        self._arches = {h.arch for h in self.hosts}
        self.trace.emit(
            "pool.create",
            hosts=[{"name": h.name, "cores": h.cores, "pages": h.memory_pages} for h in self.hosts],
        )

    # ----- capacity -------------------------------------------------------------------------
    @property
    def capacity_vcpus(self) -> int:
        """vCPUs the working hosts can carry: a failed host's cores leave the pool."""
        return sum(h.cores for i, h in enumerate(self.hosts) if not self._failed[i]) * (
            self.vcpu_ratio
        )

    @property
    def capacity_pages(self) -> int:
        return sum(h.memory_pages for i, h in enumerate(self.hosts) if not self._failed[i])

    @property
    def reserved_vcpus(self) -> int:
        return self.capacity_vcpus - sum(self._free_v)

    @property
    def reserved_pages(self) -> int:
        return self.capacity_pages - sum(self._free_m)

    def headroom(self) -> tuple[int, int]:
        """Free (vCPUs, pages) in the whole pool; a guest needs them on *one* host, though."""
        return sum(self._free_v), sum(self._free_m)

    def views(self) -> list[HostView]:
        return [self._view(i) for i in range(len(self.hosts))]

    def _view(self, i: int) -> HostView:
        h = self.hosts[i]
        return HostView(
            i,
            h.name,
            h.cores,
            h.memory_pages,
            self._free_v[i],
            self._free_m[i],
            self._on[i],
            tuple(self._vms[i]),
            h.arch,
        )

    def host_of(self, vm_name: str) -> str:
        try:
            return self.hosts[self._where[vm_name]].name
        except (KeyError, TypeError):
            raise _not_placed(vm_name) from None

    def guests_on(self, host_name: str) -> list[str]:
        return list(self._vms[self._host_index(host_name)])

    def powered_on(self, host_name: str) -> bool:
        return self._on[self._host_index(host_name)]

    # ----- utilisation and power ------------------------------------------------------------
    def utilisation(self, host_name: str | None = None) -> float:
        """Busy cores / cores: of one host, or of the powered-on part of the pool."""
        if host_name is not None:
            i = self._host_index(host_name)
            return min(1.0, self._busy[i] / self.hosts[i].cores)
        on = [i for i in range(len(self.hosts)) if self._on[i]]
        cores = sum(self.hosts[i].cores for i in on)
        return 0.0 if not cores else min(1.0, math.fsum(self._busy[i] for i in on) / cores)

    def power(self) -> float:
        """Watts drawn by the whole pool: P(u) summed over hosts, 0 W for hosts switched off."""
        return math.fsum(
            h._watts(min(1.0, self._busy[i] / h.cores), self._on[i])
            for i, h in enumerate(self.hosts)
        )

    def hosts_on(self) -> int:
        return sum(self._on)

    # ----- admission and placement ----------------------------------------------------------
    def admit(self, vm: Demand) -> None:
        """Admission control: refuse, with the reason, a guest that no single host can hold."""
        _check_demand(vm)
        if vm.name in self._where:
            raise _already_placed(vm.name)
        arch = _arch_of(vm)
        if arch is not None and arch not in self._arches:
            arches = ", ".join(sorted(a.value for a in self._arches))
            raise ArchitectureMismatch(
                f"admission control refused {vm.name!r}: it is built for {arch.value} and the "
                f"pool has only {arches} hosts; "
                "running it would need emulation or binary translation (e.g. QEMU TCG), not a "
                "VMM alone",
                zh=f"准入控制拒绝了 {vm.name!r}：它是为 {arch.value} 构建的，而资源池里只有 "
                f"{arches} 宿主机；运行它需要模拟或二进制翻译（例如 QEMU TCG），仅靠 VMM 不够",
            )
        if self._first_fit(vm) >= 0:
            return
        biggest_v = max(h.cores for h in self.hosts) * self.vcpu_ratio
        biggest_m = max(h.memory_pages for h in self.hosts)
        if vm.vcpus > biggest_v or vm.memory_pages > biggest_m:
            raise CapacityExceeded(
                f"admission control refused {vm.name!r}: it needs {vm.vcpus} vCPUs and "
                f"{vm.memory_pages} pages, more than even the largest host has ({biggest_v} "
                f"vCPUs, {biggest_m} pages); a guest must fit on one host",
                zh=f"准入控制拒绝了 {vm.name!r}：它需要 {vm.vcpus} 个 vCPU 和 "
                f"{vm.memory_pages} 页，比最大的宿主机还多（{biggest_v} 个 vCPU，"
                f"{biggest_m} 页）；一台客户机必须放得进一台宿主机",
            )
        free_v, free_m = self.headroom()
        if vm.vcpus > free_v or vm.memory_pages > free_m:
            raise CapacityExceeded(
                f"admission control refused {vm.name!r}: it reserves {vm.vcpus} vCPUs and "
                f"{vm.memory_pages} pages but the whole pool has only {free_v} vCPUs and "
                f"{free_m} pages unreserved (reservations may never exceed capacity)",
                zh=f"准入控制拒绝了 {vm.name!r}：它要预留 {vm.vcpus} 个 vCPU 和 "
                f"{vm.memory_pages} 页，但整个资源池未预留的只有 {free_v} 个 vCPU 和 "
                f"{free_m} 页（预留永远不能超过容量）",
            )
        raise CapacityExceeded(
            f"admission control refused {vm.name!r}: the pool has {free_v} vCPUs and {free_m} "
            f"pages free in total, but no single host has {vm.vcpus} vCPUs and "
            f"{vm.memory_pages} pages free (a guest cannot span hosts: the free capacity is "
            "fragmented)",
            zh=f"准入控制拒绝了 {vm.name!r}：资源池总共还有 {free_v} 个 vCPU 和 {free_m} "
            f"页空闲，但没有哪一台宿主机同时空闲 {vm.vcpus} 个 vCPU 和 {vm.memory_pages} "
            "页（一台客户机不能跨越多台宿主机：空闲容量是零碎的）",
        )

    def announce(self, vms: Iterable[Demand]) -> None:
        """Record the guests a placement is about to handle, with their sizes and loads, in
        one event: ``pool.place`` names only guest and host, and an animation of a packing
        must draw each guest's size before it lands (lesson 12)."""
        vms = list(vms)
        for vm in vms:
            _check_demand(vm)
        self.trace.emit(
            "pool.demands",
            vms=[
                {"vm": v.name, "vcpus": v.vcpus, "pages": v.memory_pages, "load": v.load}
                for v in vms
            ],
        )

    def place(self, vm: Demand, policy: str | Policy = "first_fit") -> str:
        """Choose a host for one guest with ``policy`` and reserve its resources there."""
        self.admit(vm)
        label = policy if isinstance(policy, str) else getattr(policy, "__name__", "custom")
        i = self._choose(vm, policy)
        self._reserve(i, vm, "pool.place", policy=label)
        return self.hosts[i].name

    def place_all(self, vms: Iterable[Demand], policy: str | Policy = "first_fit") -> list[str]:
        """Place guests in order; ``first_fit_decreasing`` first sorts them largest first.

        "Largest" means most memory, then most vCPUs, then name: memory is the resource a host
        cannot lend out twice, so it is what packing must get right.
        """
        items = list(vms)
        if policy == "first_fit_decreasing":
            items.sort(key=lambda v: (-v.memory_pages, -v.vcpus, v.name))
        return [self.place(vm, policy) for vm in items]

    def _choose(self, vm: Demand, policy: str | Policy) -> int:
        if callable(policy):
            views = self.views()
            chosen = policy(vm, views)
            if chosen is None:
                raise CapacityExceeded(
                    f"your placement policy found no host for {vm.name!r} (it returned None)",
                    zh=f"你的放置策略没有为 {vm.name!r} 找到宿主机（它返回了 None）",
                )
            if not isinstance(chosen, str) or chosen not in self._index:
                raise InvalidOperation(
                    f"a placement policy must return a host name or None, got {chosen!r}",
                    zh=f"放置策略必须返回一台宿主机的名字或 None，而它返回了 {chosen!r}",
                )
            i = self._index[chosen]
            self._check_arch(i, vm)
            if not views[i].fits(vm):
                raise CapacityExceeded(
                    f"your policy put {vm.name!r} ({vm.vcpus} vCPUs, {vm.memory_pages} pages) "
                    f"on {chosen!r}, which has only {views[i].free_vcpus} vCPUs and "
                    f"{views[i].free_pages} pages free",
                    zh=f"你的策略把 {vm.name!r}（{vm.vcpus} 个 vCPU，{vm.memory_pages} 页）"
                    f"放到了 {chosen!r} 上，但那里只剩 {views[i].free_vcpus} 个 vCPU 和 "
                    f"{views[i].free_pages} 页空闲",
                )
            return i
        if policy in ("first_fit", "first_fit_decreasing"):
            return self._first_fit(vm)
        if policy in ("best_fit", "worst_fit"):
            if _arch_of(vm) is None or len(self._arches) == 1:
                find = self._free_order.best if policy == "best_fit" else self._free_order.worst
                return find(vm.vcpus, vm.memory_pages)
            return self._scan_fit(vm, policy)
        raise InvalidOperation(
            f"unknown placement policy {policy!r}; use one of {', '.join(POLICIES)} "
            "or a function (vm, hosts) -> host name",
            zh=f"未知的放置策略 {policy!r}；请使用 {'、'.join(POLICIES)} 之一，"
            "或一个返回宿主机名字的函数 (vm, hosts)",
        )

    def _scan_fit(self, vm: Demand, policy: str) -> int:
        """Best Fit or Worst Fit by comparing every host (for a guest that names its
        architecture in a pool of several)."""
        sign = 1 if policy == "best_fit" else -1
        best, best_key = -1, (0, 0)
        for i in range(len(self.hosts)):
            if (
                self._free_v[i] >= vm.vcpus
                and self._free_m[i] >= vm.memory_pages
                and self._arch_ok(i, vm)
            ):
                key = (
                    sign * (self._free_m[i] - vm.memory_pages),
                    sign * (self._free_v[i] - vm.vcpus),
                )
                if best < 0 or key < best_key:
                    best, best_key = i, key
        return best

    def _first_fit(self, vm: Demand) -> int:
        """The lowest-numbered host that fits; the index is exact when all hosts share one
        architecture, and a mixed pool scans only for guests that name their architecture."""
        if _arch_of(vm) is None or len(self._arches) == 1:
            return self._fit.first(vm.vcpus, vm.memory_pages)
        for i in range(len(self.hosts)):
            if (
                self._free_v[i] >= vm.vcpus
                and self._free_m[i] >= vm.memory_pages
                and self._arch_ok(i, vm)
            ):
                return i
        return -1

    def _arch_ok(self, i: int, vm: Demand) -> bool:
        arch = _arch_of(vm)
        return arch is None or self.hosts[i].arch == arch

    def _check_arch(self, i: int, vm: Demand) -> None:
        if not self._arch_ok(i, vm):
            raise ArchitectureMismatch(
                f"{vm.name!r} is built for {_arch_of(vm)} but {self.hosts[i].name!r} is "
                f"{self.hosts[i].arch.value}: that needs emulation (e.g. QEMU TCG), not a VMM",
                zh=f"{vm.name!r} 是为 {_arch_of(vm)} 构建的，但 {self.hosts[i].name!r} 是 "
                f"{self.hosts[i].arch.value}：这需要模拟（例如 QEMU TCG），而不是 VMM",
            )

    def _reserve(self, i: int, vm: Demand, kind: str, **extra: object) -> None:
        self._check_arch(i, vm)
        if self._free_v[i] < vm.vcpus or self._free_m[i] < vm.memory_pages:
            raise CapacityExceeded(
                f"{self.hosts[i].name!r} cannot hold {vm.name!r}: it needs {vm.vcpus} vCPUs "
                f"and {vm.memory_pages} pages, the host has {self._free_v[i]} vCPUs and "
                f"{self._free_m[i]} pages free",
                zh=f"{self.hosts[i].name!r} 容纳不下 {vm.name!r}：它需要 {vm.vcpus} 个 vCPU "
                f"和 {vm.memory_pages} 页，这台宿主机只有 {self._free_v[i]} 个 vCPU 和 "
                f"{self._free_m[i]} 页空闲",
            )
        if not self._on[i]:
            self._set_power(i, True)
        self._free_v[i] -= vm.vcpus
        self._free_m[i] -= vm.memory_pages
        self._busy[i] += vm.vcpus * vm.load
        self._vms[i][vm.name] = vm
        self._where[vm.name] = i
        self._fit.set(i, self._free_v[i], self._free_m[i])
        self._free_order.set(i, self._free_v[i], self._free_m[i])
        self.trace.emit(kind, vm=vm.name, host=self.hosts[i].name, **extra)

    def _release(self, vm_name: str) -> tuple[int, Demand]:
        try:
            i = self._where.pop(vm_name)
        except (KeyError, TypeError):
            raise _not_placed(vm_name) from None
        vm = self._vms[i].pop(vm_name)
        self._free_v[i] += vm.vcpus
        self._free_m[i] += vm.memory_pages
        self._busy[i] = max(0.0, self._busy[i] - vm.vcpus * vm.load) if self._vms[i] else 0.0
        self._fit.set(i, self._free_v[i], self._free_m[i])
        self._free_order.set(i, self._free_v[i], self._free_m[i])
        return i, vm

    def remove(self, vm_name: str) -> None:
        i, _ = self._release(vm_name)
        self.trace.emit("pool.remove", vm=vm_name, host=self.hosts[i].name)
        self._power_off_if_empty(i)

    def check_move(self, vm_name: str, host_name: str) -> None:
        """Raise the reason ``move`` would fail, without changing anything."""
        target = self._host_index(host_name)
        source = self._where.get(vm_name) if isinstance(vm_name, str) else None
        if source is None:
            raise _not_placed(vm_name)
        if source == target:
            return
        vm = self._vms[source][vm_name]
        self._check_arch(target, vm)
        if self._free_v[target] < vm.vcpus or self._free_m[target] < vm.memory_pages:
            raise CapacityExceeded(
                f"cannot move {vm_name!r} to {host_name!r}: it needs {vm.vcpus} vCPUs and "
                f"{vm.memory_pages} pages, the host has {self._free_v[target]} vCPUs and "
                f"{self._free_m[target]} pages free",
                zh=f"无法把 {vm_name!r} 移到 {host_name!r}：它需要 {vm.vcpus} 个 vCPU 和 "
                f"{vm.memory_pages} 页，这台宿主机只有 {self._free_v[target]} 个 vCPU 和 "
                f"{self._free_m[target]} 页空闲",
            )

    def move(self, vm_name: str, host_name: str) -> None:
        """Move a guest (its reservation) to another host; an emptied host powers off."""
        self.check_move(vm_name, host_name)
        target = self._host_index(host_name)
        source = self._where[vm_name]
        if source == target:
            return
        vm = self._vms[source][vm_name]
        self._release(vm_name)
        self._reserve(target, vm, "pool.move", source=self.hosts[source].name)
        self._power_off_if_empty(source)

    def overloaded(self, threshold: float = 0.8) -> list[str]:
        """Hosts whose CPU utilisation exceeds ``threshold``: candidates to migrate away from."""
        _check_threshold(threshold)
        return [
            h.name
            for i, h in enumerate(self.hosts)
            if self._on[i] and self._busy[i] / h.cores > threshold
        ]

    def relieve(self, threshold: float = 0.8) -> list[tuple[str, str, str]]:
        """Overload-triggered migration: while a host's CPU utilisation is above ``threshold``,
        move its smallest guest to the first host that stays at or under ``threshold`` with it.

        Returns the moves as (guest, from, to). A host that cannot be relieved (nowhere to put
        its guests) is left as it is: moving the problem around would not solve it.
        """
        _check_threshold(threshold)
        moves: list[tuple[str, str, str]] = []
        for i, host in enumerate(self.hosts):
            while self._on[i] and self._busy[i] / host.cores > threshold:
                candidates = sorted(self._vms[i].values(), key=lambda v: (v.memory_pages, v.name))
                moved = False
                stuck: list[Demand] = []  # guests no host could take, in this state
                for vm in candidates:
                    if any(_needs_as_much(vm, other_vm) for other_vm in stuck):
                        continue  # it asks at least as much as a guest nobody could take
                    for j, other in enumerate(self.hosts):
                        if (
                            j != i
                            and self._arch_ok(j, vm)
                            and self._free_v[j] >= vm.vcpus
                            and self._free_m[j] >= vm.memory_pages
                            and (self._busy[j] + vm.vcpus * vm.load) / other.cores <= threshold
                        ):
                            self.move(vm.name, other.name)
                            moves.append((vm.name, host.name, other.name))
                            moved = True
                            break
                    if moved:
                        break
                    stuck.append(vm)
                if not moved:
                    break
        return moves

    def consolidate(self) -> int:
        """Empty the least-loaded hosts by moving their guests First-Fit onto fuller ones.

        A host is emptied only if *all* its guests fit elsewhere, so no guest is left stranded;
        returns the number of hosts switched off.
        """
        switched_off = 0
        order = sorted(
            (i for i in range(len(self.hosts)) if self._on[i]),
            key=lambda i: (self.hosts[i].memory_pages - self._free_m[i], i),
        )
        for i in order:
            if not self._on[i]:
                continue
            free_v, free_m = list(self._free_v), list(self._free_m)
            plan: list[tuple[str, int]] = []
            for name, vm in sorted(self._vms[i].items(), key=lambda kv: -kv[1].memory_pages):
                target = next(
                    (
                        j
                        for j in range(len(self.hosts))
                        if j != i
                        and self._on[j]
                        and self._arch_ok(j, vm)
                        and free_v[j] >= vm.vcpus
                        and free_m[j] >= vm.memory_pages
                    ),
                    -1,
                )
                if target < 0:
                    plan = []
                    break
                free_v[target] -= vm.vcpus
                free_m[target] -= vm.memory_pages
                plan.append((name, target))
            if plan:
                for name, target in plan:
                    self.move(name, self.hosts[target].name)
                switched_off += 1
        return switched_off

    # ----- admission with a recorded verdict, and host failure (lesson 2) --------------------
    def refusal(self, vm: Demand) -> str | None:
        """Why admission control would refuse ``vm`` (one of ``REFUSALS``), or None if it fits.

        The order is the order of the questions an operator asks: can the pool ever run it (its
        architecture, a host big enough), is there enough left in total, and is what is left in
        one piece. Only the last answer changes when guests are moved around.
        """
        _check_demand(vm)
        live = [i for i in range(len(self.hosts)) if not self._failed[i]]
        arch = _arch_of(vm)
        if not live or (arch is not None and all(self.hosts[i].arch != arch for i in live)):
            return "architecture" if live else "pool_full"
        if self._first_fit(vm) >= 0:
            return None
        if vm.vcpus > max(self.hosts[i].cores for i in live) * self.vcpu_ratio or (
            vm.memory_pages > max(self.hosts[i].memory_pages for i in live)
        ):
            return "too_big"
        free_v, free_m = self.headroom()
        if vm.vcpus > free_v or vm.memory_pages > free_m:
            return "pool_full"
        return "fragmented"

    def _request(self, vm: Demand) -> None:
        _check_demand(vm)
        if vm.name in self._where:
            raise _already_placed(vm.name)
        self.trace.emit(
            "pool.request", vm=vm.name, vcpus=vm.vcpus, pages=vm.memory_pages, load=vm.load
        )

    def _refuse(self, vm: Demand, reason: str, **extra: object) -> None:
        free_v, free_m = self.headroom()
        live = [i for i in range(len(self.hosts)) if not self._failed[i]]
        self.trace.emit(
            "pool.refuse",
            vm=vm.name,
            reason=reason,
            free_vcpus=free_v,
            free_pages=free_m,
            # The most one host can still give: what tells "fragmented" from "pool_full".
            best_vcpus=max((self._free_v[i] for i in live), default=0),
            best_pages=max((self._free_m[i] for i in live), default=0),
            **extra,
        )

    def try_place(self, vm: Demand, policy: str | Policy = "first_fit") -> str | None:
        """Ask the pool for a guest and record the verdict: ``pool.request``, then
        ``pool.place`` with the host chosen by ``policy``, or ``pool.refuse`` with the reason
        (``refusal``), in which case nothing is reserved and None is returned."""
        self._request(vm)
        reason = self.refusal(vm)
        if reason is not None:
            self._refuse(vm, reason)
            return None
        label = policy if isinstance(policy, str) else getattr(policy, "__name__", "custom")
        i = self._choose(vm, policy)
        self._reserve(i, vm, "pool.place", policy=label)
        return self.hosts[i].name

    def decline(self, vm: Demand, reason: str) -> None:
        """Record a refusal decided outside the pool (a learner's admission control), so its
        run can be replayed beside the model's; nothing is reserved."""
        if reason not in REFUSALS:
            raise InvalidOperation(
                f"a refusal reason is one of {', '.join(REFUSALS)}, got {reason!r}",
                zh=f"拒绝的原因必须是 {'、'.join(REFUSALS)} 之一，而不是 {reason!r}",
            )
        self._request(vm)
        self._refuse(vm, reason, by="caller")

    def failed(self, host_name: str) -> bool:
        return self._failed[self._host_index(host_name)]

    def fail_host(
        self, host_name: str, policy: str | Policy = "first_fit"
    ) -> dict[str, str | None]:
        """A host breaks: its guests stop, its capacity leaves the pool, and each guest is
        restarted on another host (largest first, chosen by ``policy``) if admission control
        finds room. Returns guest -> new host, or None for a guest left stopped.

        This is the pool's promise made concrete (and what HA clusters do): a guest is bound
        to the pool, not to a machine, but only if the surviving hosts have the headroom.
        """
        i = self._host_index(host_name)
        if self._failed[i]:
            raise InvalidOperation(
                f"host {host_name!r} has already failed", zh=f"宿主机 {host_name!r} 已经发生过故障"
            )
        guests = list(self._vms[i].values())
        self.trace.emit("host.fail", host=host_name, vms=[vm.name for vm in guests])
        for vm in guests:
            self._release(vm.name)
        self._failed[i] = True
        self._on[i] = False
        self._free_v[i] = self._free_m[i] = 0
        self._busy[i] = 0.0
        self._fit.set(i, -1, -1)
        self._free_order.set(i, 0, 0)
        restarted: dict[str, str | None] = {}
        for vm in sorted(guests, key=lambda v: (-v.memory_pages, -v.vcpus, v.name)):
            reason = self.refusal(vm)
            if reason is not None:
                self._refuse(vm, reason, source=host_name)
                restarted[vm.name] = None
                continue
            j = self._choose(vm, policy)
            self._reserve(j, vm, "pool.restart", source=host_name)
            restarted[vm.name] = self.hosts[j].name
        return restarted

    # ----- invariants -----------------------------------------------------------------------
    def check(self) -> None:
        """Re-derive every host's usage from its guests and compare (used by tests and grader)."""
        for i, h in enumerate(self.hosts):
            if self._failed[i]:
                if self._vms[i] or self._on[i]:
                    raise CapacityExceeded(
                        f"host {h.name!r} failed but still holds guests",
                        zh=f"宿主机 {h.name!r} 已经故障，却仍然有客户机",
                    )
                continue
            used_v = sum(vm.vcpus for vm in self._vms[i].values())
            used_m = sum(vm.memory_pages for vm in self._vms[i].values())
            if used_v > h.cores * self.vcpu_ratio or used_m > h.memory_pages:
                raise CapacityExceeded(
                    f"host {h.name!r} is overcommitted", zh=f"宿主机 {h.name!r} 被过量分配了"
                )
            if used_v + self._free_v[i] != h.cores * self.vcpu_ratio:
                raise CapacityExceeded(
                    f"host {h.name!r}: vCPU bookkeeping is inconsistent",
                    zh=f"宿主机 {h.name!r} 的 vCPU 账目对不上",
                )
            if used_m + self._free_m[i] != h.memory_pages:
                raise CapacityExceeded(
                    f"host {h.name!r}: page bookkeeping is inconsistent",
                    zh=f"宿主机 {h.name!r} 的内存页账目对不上",
                )
            if self._on[i] != bool(self._vms[i]):
                raise CapacityExceeded(
                    f"host {h.name!r}: power state does not match its guests",
                    zh=f"宿主机 {h.name!r} 的电源状态与它上面的客户机不符",
                )

    def _set_power(self, i: int, on: bool) -> None:
        self._on[i] = on
        self.trace.emit("host.power", host=self.hosts[i].name, on=on)

    def _power_off_if_empty(self, i: int) -> None:
        if self._on[i] and not self._vms[i]:
            self._set_power(i, False)

    def _host_index(self, host_name: str) -> int:
        try:
            return self._index[host_name]
        except (KeyError, TypeError):
            raise InvalidOperation(
                f"no host named {host_name!r} in this pool",
                zh=f"这个资源池里没有名为 {host_name!r} 的宿主机",
            ) from None


def _not_placed(vm_name: object) -> InvalidOperation:
    return InvalidOperation(
        f"no guest named {vm_name!r} is placed in this pool",
        zh=f"这个资源池里没有已放置的、名为 {vm_name!r} 的客户机",
    )


def _already_placed(vm_name: str) -> InvalidOperation:
    return InvalidOperation(
        f"a guest named {vm_name!r} is already placed",
        zh=f"名为 {vm_name!r} 的客户机已经放置过了",
    )


def _arch_of(vm: Demand) -> Arch | None:
    arch = getattr(vm, "arch", None)
    return (
        None
        if arch is None
        else arch_of(arch, (f"guest {vm.name!r}: arch", f"客户机 {vm.name!r} 的 arch"))
    )


_DEMAND = ("name", "vcpus", "memory_pages", "load")


def _needs_as_much(vm: Demand, than: Demand) -> bool:
    """Whether ``vm`` needs at least what ``than`` needs on any host: as many vCPUs, pages and
    busy cores, and an architecture at least as particular. Where ``than`` fits nowhere, so
    does ``vm``."""
    arch = _arch_of(than)
    return (
        vm.vcpus >= than.vcpus
        and vm.memory_pages >= than.memory_pages
        and vm.vcpus * vm.load >= than.vcpus * than.load
        and (arch is None or arch == _arch_of(vm))
    )


def _check_demand(vm: Demand) -> None:
    """A guest request the pool can reserve: a name, whole vCPUs and pages, a load in [0, 1]."""
    if not all(hasattr(vm, key) for key in _DEMAND):
        raise InvalidOperation(
            f"a guest request is a VmSpec(name, vcpus, memory_pages, load) or a Guest, not {vm!r}",
            zh="对客户机的请求应是 VmSpec(name, vcpus, memory_pages, load) 或 Guest，"
            f"而不是 {vm!r}",
        )
    name_of(vm.name, ("a guest's name", "客户机的名字"))
    whole_number(vm.vcpus, (f"guest {vm.name!r}: vcpus", f"客户机 {vm.name!r} 的 vcpus"), least=1)
    whole_number(
        vm.memory_pages,
        (f"guest {vm.name!r}: memory_pages", f"客户机 {vm.name!r} 的 memory_pages"),
        least=1,
    )
    finite_number(
        vm.load,
        (
            f"guest {vm.name!r}: load (the busy fraction of its vCPUs)",
            f"客户机 {vm.name!r} 的 load（vCPU 忙碌的比例）",
        ),
        least=0,
        most=1,
    )


def _check_threshold(threshold: float) -> None:
    finite_number(
        threshold,
        ("the CPU utilisation threshold", "CPU 利用率阈值"),
        least=0,
        hint=("e.g. 0.8 for 80 %", "例如 0.8 表示 80 %"),
    )


def optimal_bin_count(sizes: Sequence[int], capacity: int, limit: int = 16) -> int:
    """The fewest bins of ``capacity`` that hold ``sizes``: exact, by branch and bound.

    Bin packing is NP-hard, so this is only for small cases (at most ``limit`` items, and never
    more than ``MAX_EXACT_ITEMS``), to measure how far First Fit and FFD are from the optimum.
    Items go in largest first; partial packings that differ only in the order of their bins, or
    that another partial packing already reached with no more bins, are not searched twice. A
    case that still needs more than ``MAX_SEARCH_NODES`` partial packings is refused.
    """
    whole_number(capacity, ("the capacity of a bin", "每个箱子的容量"), least=1)
    whole_number(
        limit,
        ("limit (the most items)", "limit（物品数的上限）"),
        least=0,
        below=MAX_EXACT_ITEMS + 1,
        limit="MAX_EXACT_ITEMS",
    )
    if isinstance(sizes, str) or not isinstance(sizes, Sequence):
        raise InvalidOperation(
            f"the items are a list of their sizes, e.g. [51, 27, 26], not {sizes!r}",
            zh=f"物品应是由各物品大小组成的 list，例如 [51, 27, 26]，而不是 {sizes!r}",
        )
    if len(sizes) > limit:
        raise InvalidOperation(
            f"the exact optimum is exponential to compute; use at most {limit} items",
            zh=f"精确最优解的计算量是指数级的；最多只能有 {limit} 个物品",
        )
    for size in sizes:
        whole_number(size, ("the size of an item", "物品的大小"))
    if any(not 0 < s <= capacity for s in sizes):
        raise CapacityExceeded(
            f"every item must be between 1 and the capacity {capacity}",
            zh=f"每个物品的大小都必须介于 1 和容量 {capacity} 之间",
        )
    items = sorted(sizes, reverse=True)
    remaining = [0] * (len(items) + 1)
    for i in range(len(items) - 1, -1, -1):
        remaining[i] = remaining[i + 1] + items[i]
    lower = -(-remaining[0] // capacity)
    smallest = items[-1] if items else 0  # space smaller than the smallest item is lost for good
    best = len(items)
    visited = 0
    # Open bins (those with room for the smallest item) as a sorted tuple of their loads, per
    # number of items placed: the fewest closed bins any search reached that state with.
    reached: dict[tuple[int, tuple[int, ...]], int] = {}

    def place(i: int, closed: int, bins: tuple[int, ...]) -> None:
        nonlocal best, visited
        if i == len(items):
            best = min(best, closed + len(bins))
            return
        free = sum(capacity - b for b in bins)
        if closed + len(bins) + max(0, -(-(remaining[i] - free) // capacity)) >= best:
            return  # even a perfect packing of the rest cannot beat the best found
        if reached.get((i, bins), len(items) + 1) <= closed:
            return  # the same open bins were reached before with no more closed ones
        reached[(i, bins)] = closed
        visited += 1
        if visited > MAX_SEARCH_NODES:
            en, zh = limit_hint("MAX_SEARCH_NODES", MAX_SEARCH_NODES)
            raise InvalidOperation(
                f"the exact optimum of these {len(items)} items needs more than "
                f"{MAX_SEARCH_NODES} steps of branch and bound (bin packing is NP-hard); "
                f"try fewer or less similar items; {en}",
                zh=f"这 {len(items)} 个物品的精确最优解需要超过 {MAX_SEARCH_NODES} 步分支定界"
                f"（装箱问题是 NP 难的）；请减少物品，或让它们的大小差别大一些；{zh}",
            )
        item = items[i]
        options = sorted({b for b in bins if b + item <= capacity}, reverse=True)
        for load in [*options, 0]:  # fullest bin first, a new bin last
            rest = list(bins)
            if load:
                rest.remove(load)
            if capacity - (load + item) >= smallest:
                place(i + 1, closed, tuple(sorted([*rest, load + item])))
            else:
                place(i + 1, closed + 1, tuple(rest))
            if best == lower:
                return

    place(0, 0, ())
    return best
