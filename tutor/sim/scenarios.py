"""The other kinds of virtualisation, as small scenes built from the same parts.

The source article names five kinds. Network function virtualisation lives in ``network.py``;
the other four are here, each reduced to the one idea that makes it worth doing:

- **desktop**: hundreds of desktops are linked clones of one *golden image*, so one tool can
  configure, update and security-check all of them at once;
- **operating system**: several different OSes share one computer under a hosted hypervisor;
- **server**: one physical server acts as many, so lightly used servers consolidate onto few
  hosts and the rest are switched off;
- **data**: scattered sources are presented as one federated view, queried where they live,
  in one shape, at the moment they are needed (nothing is copied ahead of time).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InvalidOperation
from .guest import DiskImage, Guest
from .hardware import Host
from .hypervisor import Hypervisor, Kind
from .pool import Demand, HostView, ResourcePool, VmSpec
from .quantities import finite_number, name_of, whole_number, within_limit
from .trace import Trace

TYPES: tuple[str, ...] = ("desktop", "operating_system", "server", "data", "network_function")

MAX_DESKTOPS = 1_000
"""Most desktops one ``DesktopPool`` rolls out: every update recomposes each of them."""
MAX_SERVERS = 500
"""Most servers ``consolidate_servers`` consolidates in one call: placing each one back on its
own server hands a placement policy a view of every host, so the work grows with the square."""


# ----- desktop virtualisation ------------------------------------------------------------------


class DesktopPool:
    """Virtual desktops as linked clones of a golden image with an ``os`` and a ``profile`` disk.

    An update is pushed by building a new golden version and *recomposing* every desktop onto it:
    the OS disk gets a fresh delta over the new version (local OS changes are discarded, which is
    also what makes every desktop compliant again), while the user's profile disk is kept.
    """

    def __init__(self, os_blocks: int = 64, profile_blocks: int = 8, trace: Trace | None = None):
        self.trace = trace if trace is not None else Trace()
        self.golden = Guest(
            "golden", disk_blocks={"os": os_blocks, "profile": profile_blocks}, trace=self.trace
        )
        self.version = 1
        self.desktops: list[Guest] = []

    def install(self, block: int, value: int) -> None:
        """Prepare the golden image before roll-out (it is sealed once desktops exist)."""
        if self.desktops:
            raise InvalidOperation(
                "the golden image is sealed; use push_update() to change it",
                zh="黄金镜像已经封存；要改变它，请用 push_update()",
            )
        self.golden.disks["os"].write(block, value)
        self.trace.emit("desktop.install", block=block, value=value)

    def roll_out(self, count: int) -> list[Guest]:
        """Create ``count`` more desktops; each costs only its own deltas."""
        whole_number(count, ("roll_out(count): count", "roll_out(count) 的 count"), least=0)
        within_limit(
            len(self.desktops) + count,
            ("the desktops after this roll-out", "这次推出之后的桌面数"),
            "MAX_DESKTOPS",
            MAX_DESKTOPS,
        )
        start = len(self.desktops)
        for i in range(start, start + count):
            desktop = self.golden.linked_clone(f"desk{i:03d}")
            desktop.start()
            self.desktops.append(desktop)
        self.trace.emit("desktop.roll_out", count=count, total=len(self.desktops))
        return self.desktops[start:]

    def push_update(self, patch: Mapping[int, int]) -> int:
        """Build golden version n+1 from ``patch`` (block → value) and recompose every desktop."""
        if not isinstance(patch, Mapping):
            raise InvalidOperation(
                f"a patch maps OS disk blocks to their new values, e.g. {{7: 2}}, not {patch!r}",
                zh=f"补丁应把操作系统磁盘的块号对应到新的值，例如 {{7: 2}}，而不是 {patch!r}",
            )
        current = self.golden.disks["os"]
        for block, value in patch.items():
            current._check(block)
            whole_number(value, (f"the patch's value for block {block}", f"补丁中块 {block} 的值"))
        current.frozen = True
        base = current.base if current.base is not None and not current.delta else current
        new = DiskImage(f"golden-os-v{self.version + 1}", current.blocks, base=base)
        for block, value in sorted(patch.items()):
            new.write(block, value)
        new.frozen = True
        self.version += 1
        self.golden.disks["os"] = DiskImage(f"golden-os-v{self.version}+", new.blocks, base=new)
        for desktop in self.desktops:
            desktop.disks["os"] = DiskImage(f"{desktop.name}-os", new.blocks, base=new)
        self.trace.emit(
            "desktop.update",
            version=self.version,
            blocks=sorted(patch),
            desktops=len(self.desktops),
        )
        return self.version

    def audit(self, block: int, expected: int) -> list[str]:
        """One security check over every desktop: those whose OS block differs from ``expected``."""
        whole_number(
            expected, ("audit(block, expected): expected", "audit(block, expected) 的 expected")
        )
        failing = [d.name for d in self.desktops if d.read_disk("os", block) != expected]
        self.trace.emit("desktop.audit", block=block, checked=len(self.desktops), failing=failing)
        return failing


# ----- operating-system virtualisation ----------------------------------------------------------


def several_oses(oses: Sequence[str], trace: Trace | None = None) -> tuple[Hypervisor, list[Guest]]:
    """Several operating systems on one personal computer under a type 2 (hosted) hypervisor;
    each boots and reads its disk through the hosted I/O path."""
    for os_name in oses:
        name_of(os_name, ("the name of an operating system", "操作系统的名字"))
    trace = trace if trace is not None else Trace()
    hv = Hypervisor(Kind.TYPE2, trace=trace)
    guests = []
    for i, os_name in enumerate(oses):
        guest = Guest(f"vm{i}", memory_pages=32, trace=trace)
        guest.start(host="laptop")
        trace.emit("os.boot", guest=guest.name, os=os_name)
        hv.perform("disk_read", guest=guest.name)
        guests.append(guest)
    return hv, guests


# ----- server virtualisation -------------------------------------------------------------------


@dataclass(frozen=True)
class Consolidation:
    hosts_before: int
    hosts_after: int
    watts_before: float
    watts_after: float
    utilisation_before: float
    utilisation_after: float

    @property
    def saving(self) -> float:
        return 1 - self.watts_after / self.watts_before if self.watts_before else 0.0


def consolidate_servers(
    servers: int,
    utilisation: float,
    cores: int = 16,
    memory_pages: int = 65_536,
    server_pages: int = 8_192,
    trace: Trace | None = None,
) -> Consolidation:
    """``servers`` dedicated servers, each busy ``utilisation`` of its cores, become VMs packed
    First-Fit-Decreasing onto as few identical hosts as their CPU load and memory allow.

    The VMs reserve the cores they actually use (rounded up), i.e. CPU is sized to load."""
    whole_number(
        servers,
        ("consolidate_servers: servers", "consolidate_servers 的 servers"),
        least=1,
        below=MAX_SERVERS + 1,
        limit="MAX_SERVERS",
    )
    finite_number(
        utilisation,
        ("consolidate_servers: utilisation", "consolidate_servers 的 utilisation"),
        least=0,
        most=1,
        hint=(
            "the busy fraction of each server, e.g. 0.15 for 15 %",
            "每台服务器忙碌的比例，例如 0.15 表示 15 %",
        ),
    )
    for key, value in (
        ("cores", cores),
        ("memory_pages", memory_pages),
        ("server_pages", server_pages),
    ):
        whole_number(
            value, (f"consolidate_servers: {key}", f"consolidate_servers 的 {key}"), least=1
        )
    trace = trace if trace is not None else Trace()
    hosts = [Host(f"server{i:03d}", cores, memory_pages) for i in range(servers)]
    busy_cores = max(1, -(-int(utilisation * cores * 1000) // 1000))
    before = ResourcePool(hosts, trace)
    after = ResourcePool(hosts, trace)
    vms = [
        VmSpec(f"app{i:03d}", busy_cores, server_pages, load=utilisation * cores / busy_cores)
        for i in range(servers)
    ]
    for i, vm in enumerate(vms):
        before.place(vm, _on_host(f"server{i:03d}"))
    after.place_all(vms, "first_fit_decreasing")
    result = Consolidation(
        before.hosts_on(),
        after.hosts_on(),
        before.power(),
        after.power(),
        before.utilisation(),
        after.utilisation(),
    )
    trace.emit(
        "server.consolidate",
        hosts_before=result.hosts_before,
        hosts_after=result.hosts_after,
        watts_before=result.watts_before,
        watts_after=result.watts_after,
    )
    return result


def _on_host(name: str) -> Callable[[Demand, Sequence[HostView]], str | None]:
    def dedicated(vm: Demand, hosts: Sequence[HostView]) -> str | None:
        return name

    return dedicated


# ----- data virtualisation ---------------------------------------------------------------------

Row = dict[str, Any]


class FederatedView:
    """One virtual table over scattered sources, each with its own field names.

    ``mapping[source]`` renames that source's fields to the unified schema. Queries read the
    sources at query time, so the view is never stale and nothing is copied into a warehouse.
    """

    def __init__(
        self,
        sources: Mapping[str, Sequence[Row]],
        mapping: Mapping[str, Mapping[str, str]],
        trace: Trace | None = None,
    ) -> None:
        missing = set(sources) - set(mapping)
        if missing:
            raise InvalidOperation(
                f"no field mapping for source(s) {sorted(missing)}",
                zh=f"数据源 {sorted(missing)} 没有字段映射",
            )
        self.sources = sources
        self.mapping = mapping
        self.trace = trace if trace is not None else Trace()

    def query(
        self,
        fields: Sequence[str] | None = None,
        where: Callable[[Row], bool] | None = None,
    ) -> list[Row]:
        """Rows of every source in the unified schema (plus ``source``), filtered by ``where``."""
        rows: list[Row] = []
        counts: dict[str, int] = {}
        for name in sorted(self.sources):
            rename = self.mapping[name]
            counts[name] = 0
            for raw in self.sources[name]:
                row: Row = {rename[k]: v for k, v in raw.items() if k in rename}
                row["source"] = name
                if where is None or where(row):
                    rows.append(
                        row if fields is None else {f: row.get(f) for f in [*fields, "source"]}
                    )
                    counts[name] += 1
        self.trace.emit("data.query", fields=list(fields or []), rows=len(rows), per_source=counts)
        return rows
