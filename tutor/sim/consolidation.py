"""Why consolidation saves energy: dedicated servers become VMs on few hosts, on a power meter.

Dedicated servers in data centres are mostly idle: an NRDC study (2014) found average server
utilisation of about 12–18 %. A server draws power even when idle, P(u) = P_idle +
(P_max − P_idle)·u with P_idle ≈ 0.5·P_max (Barroso & Hölzle 2007). Because that line is straight,
moving a VM between running hosts changes nothing on the meter (its work costs the same watts
wherever it runs); the watts saved are exactly the idle power of every host switched off. This
module keeps that visible: it places one VM per server, then drains the highest-numbered hosts
onto the lowest ones up to a target utilisation, and reads the meter after every step.

Loads are counted in whole hundredths of a core (a server at 15 % of 16 cores is 240) so the
"does it still fit under the target?" decision is exact, with no floating-point rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .errors import InvalidOperation
from .hardware import Host
from .pool import Demand, HostView, ResourcePool, VmSpec
from .quantities import finite_number, whole_number
from .trace import Trace

VCPU_RATIO = 4
"""vCPUs one core may carry: CPU is overcommitted, so only the busy load limits packing."""
SERVER_PAGES = 4_096
HOST_PAGES = 65_536
MAX_FLEET_SERVERS = 500
"""Most servers a ``Fleet`` may have: the power meter is read over every host after every move,
so the work grows with the square of the fleet."""


@dataclass(frozen=True)
class Fleet:
    """Identical dedicated servers, each busy ``utilisation_pct`` % of its cores.

    ``target_pct`` is the utilisation consolidation may raise a host to (operators keep
    headroom for peaks, so it is below 100 %). ``p_idle`` defaults to half of ``p_max``.
    """

    servers: int
    utilisation_pct: int
    cores: int = 16
    p_max: float = 200.0
    p_idle: float | None = None
    target_pct: int = 75

    def __post_init__(self) -> None:
        for key in ("servers", "utilisation_pct", "cores", "target_pct"):
            whole_number(getattr(self, key), (f"the fleet's {key}", f"服务器群的 {key}"))
        if self.servers > MAX_FLEET_SERVERS:
            whole_number(
                self.servers,
                ("the fleet's servers", "服务器群的 servers"),
                least=1,
                below=MAX_FLEET_SERVERS + 1,
                limit="MAX_FLEET_SERVERS",
            )
        finite_number(self.p_max, ("the fleet's p_max", "服务器群的 p_max"), least=0)
        if self.p_idle is not None:
            finite_number(self.p_idle, ("the fleet's p_idle", "服务器群的 p_idle"), least=0)
        if self.servers < 1 or self.cores < 1:
            raise InvalidOperation(
                "a fleet needs at least one server with at least one core",
                zh="服务器群至少需要一台服务器，每台至少一个核心",
            )
        if not 1 <= self.utilisation_pct <= self.target_pct <= 100:
            raise InvalidOperation(
                f"need 1 <= utilisation ({self.utilisation_pct} %) <= target "
                f"({self.target_pct} %) <= 100",
                zh=f"需要满足 1 <= 利用率（{self.utilisation_pct} %）<= 目标利用率"
                f"（{self.target_pct} %）<= 100",
            )
        # The hosts these servers become, checked as every Host is (p_idle <= p_max ...).
        Host("server00", self.cores, HOST_PAGES, p_max=self.p_max, p_idle=self.idle_watts)
        vcpus = self.vcpus_per_vm
        fits = min(HOST_PAGES // SERVER_PAGES, self.cores * VCPU_RATIO // vcpus)
        if self.vms_per_host > fits:
            raise InvalidOperation(
                f"with servers at {self.utilisation_pct} % and a target of {self.target_pct} %, "
                f"one host would take {self.vms_per_host} of these VMs, but it holds only {fits} "
                f"({HOST_PAGES} pages, {SERVER_PAGES} per VM; {self.cores * VCPU_RATIO} vCPUs, "
                f"{vcpus} per VM): raise utilisation_pct or lower target_pct",
                zh=f"利用率 {self.utilisation_pct} %、目标利用率 {self.target_pct} % 时，"
                f"一台宿主机要承载 {self.vms_per_host} 台这样的虚拟机，但它最多只能容纳 {fits} 台"
                f"（{HOST_PAGES} 页，每台虚拟机 {SERVER_PAGES} 页；"
                f"{self.cores * VCPU_RATIO} 个 vCPU，每台虚拟机 {vcpus} 个）："
                "请提高 utilisation_pct 或降低 target_pct",
            )

    @property
    def vcpus_per_vm(self) -> int:
        """vCPUs each server's VM reserves: the cores its load keeps busy, rounded up."""
        return max(1, math.ceil(self.utilisation_pct * self.cores / 100))

    @property
    def idle_watts(self) -> float:
        return self.p_max * 0.5 if self.p_idle is None else self.p_idle

    @property
    def vms_per_host(self) -> int:
        """How many of these servers' loads fit on one host under the target (a VM is whole)."""
        return self.target_pct // self.utilisation_pct


@dataclass(frozen=True)
class ConsolidationResult:
    hosts_before: int
    hosts_after: int
    watts_before: float
    watts_after: float
    utilisation_before: float
    utilisation_after: float

    @property
    def watts_saved(self) -> float:
        return self.watts_before - self.watts_after


def consolidate_fleet(fleet: Fleet, trace: Trace | None = None) -> ConsolidationResult:
    """One VM per server, then drain the last hosts onto the first ones, up to the target.

    Every VM moves at most once: the lowest-numbered running host that stays at or under the
    target takes it, and a host whose last VM left powers off (``host.power``). A
    ``power.meter`` event follows the placement and every move.
    """
    trace = trace if trace is not None else Trace()
    cores = fleet.cores
    load = fleet.utilisation_pct * cores  # hundredths of a core
    cap = fleet.target_pct * cores
    vcpus = fleet.vcpus_per_vm
    hosts = [
        Host(f"server{i:02d}", cores, HOST_PAGES, p_max=fleet.p_max, p_idle=fleet.idle_watts)
        for i in range(fleet.servers)
    ]
    vms = [
        VmSpec(f"app{i:02d}", vcpus, SERVER_PAGES, load=load / 100 / vcpus)
        for i in range(fleet.servers)
    ]
    trace.emit(
        "fleet.create",
        servers=fleet.servers,
        cores=cores,
        utilisation_pct=fleet.utilisation_pct,
        target_pct=fleet.target_pct,
        p_max=fleet.p_max,
        p_idle=fleet.idle_watts,
        hosts=[h.name for h in hosts],
        vms=[vm.name for vm in vms],
    )
    pool = ResourcePool(hosts, trace, vcpu_ratio=VCPU_RATIO)
    busy = [0] * fleet.servers
    for i, vm in enumerate(vms):
        pool.place(vm, _dedicated(hosts[i].name))
        busy[i] = load
    _meter(pool, trace)
    before = (pool.hosts_on(), pool.power(), pool.utilisation())
    for donor in range(fleet.servers - 1, 0, -1):
        for vm_name in pool.guests_on(hosts[donor].name):
            receivers = (j for j in range(donor) if pool.powered_on(hosts[j].name))
            target = next((j for j in receivers if busy[j] + load <= cap), -1)
            if target < 0:
                break
            pool.move(vm_name, hosts[target].name)
            busy[target] += load
            busy[donor] -= load
            _meter(pool, trace)
        else:
            continue
        break
    result = ConsolidationResult(
        before[0], pool.hosts_on(), before[1], pool.power(), before[2], pool.utilisation()
    )
    trace.emit(
        "fleet.consolidated",
        hosts_before=result.hosts_before,
        hosts_after=result.hosts_after,
        watts_before=round(result.watts_before, 1),
        watts_after=round(result.watts_after, 1),
    )
    return result


def _dedicated(name: str) -> Callable[[Demand, Sequence[HostView]], str | None]:
    """A placement policy that puts the VM back on its own old server."""

    def own_server(vm: Demand, hosts: Sequence[HostView]) -> str | None:
        return name

    return own_server


def _meter(pool: ResourcePool, trace: Trace) -> None:
    """What the power meter reads now: the pool's watts, hosts on and their utilisation."""
    trace.emit(
        "power.meter",
        watts=round(pool.power(), 1),
        hosts_on=pool.hosts_on(),
        utilisation=round(pool.utilisation(), 4),
    )
