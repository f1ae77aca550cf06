"""One physical host sliced into isolated virtual machines: lesson 1's picture, made checkable.

A virtual machine is an independent, isolated emulated hardware environment (CPU, memory, network
interface, storage) built on a physical machine. ``SlicedHost`` shows the simplest way a
hypervisor can keep that promise: it carves each guest a *slice* of every resource (cores of its
own for the vCPUs, a range of memory frames, a range of disk blocks, a share of the network
card's bandwidth) and translates every guest address into its own slice, checking the bounds. So a
guest's page 2 and another guest's page 2 are different host frames, and no guest address can
reach past its slice: isolation by translation, not by trust.

Real hypervisors are less rigid (vCPUs are time-shared, lesson 9; memory is mapped page by page and
can be overcommitted, lesson 10), but the rule they keep is this one. And precisely speaking a VM
at rest is a *set of files*: ``save`` writes its configuration, its disk image and its memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import CapacityExceeded, InvalidOperation, IsolationViolation
from .guest import VmFiles
from .hardware import Host
from .quantities import name_of, whole_number
from .trace import Trace

RESOURCES: tuple[str, ...] = ("cores", "memory", "disk", "nic")
"""The four parts of every slice, in the order a spec is checked against the host."""

ADDRESSED: tuple[str, ...] = ("memory", "disk")
"""Resources a guest reads and writes by address (its page or block number)."""

_WORDS = {
    "cores": ("cores", "个 CPU 核心"),
    "memory": ("memory pages", "页内存"),
    "disk": ("disk blocks", "个磁盘块"),
    "nic": ("Mb/s of network bandwidth", "Mb/s 网络带宽"),
}


@dataclass(frozen=True)
class Slice:
    """What one guest owns on the host: its cores, and ``[start, end)`` ranges of host frames and
    host disk blocks, plus its reserved share of the network card."""

    guest: str
    cores: tuple[int, ...]
    memory: tuple[int, int]
    disk: tuple[int, int]
    nic_mbps: int

    def size(self, resource: str) -> int:
        start, end = self.memory if resource == "memory" else self.disk
        return end - start


class SlicedHost:
    """A physical host whose hypervisor carves guests out of it, one slice each.

    ``hypervisor_pages`` frames at the bottom of memory belong to the hypervisor itself and are
    never given to a guest. Every change is an event (``slice.*``, docs/trace.md).
    """

    def __init__(self, host: Host, trace: Trace | None = None, hypervisor_pages: int = 0) -> None:
        if not isinstance(host, Host):
            raise InvalidOperation(
                f"a sliced host is built from a Host(name, cores, memory_pages), not {host!r}",
                zh=f"切分的宿主机由 Host(name, cores, memory_pages) 构成，而不是 {host!r}",
            )
        whole_number(
            hypervisor_pages,
            (
                "hypervisor_pages (the hypervisor's own pages)",
                "hypervisor_pages（虚拟机监控程序自己的页数）",
            ),
            least=0,
        )
        if not 0 <= hypervisor_pages < host.memory_pages:
            raise InvalidOperation(
                f"the hypervisor's own {hypervisor_pages} pages must leave some of the host's "
                f"{host.memory_pages} pages for guests",
                zh=f"虚拟机监控程序自己的 {hypervisor_pages} 页必须给客户机留下宿主机 "
                f"{host.memory_pages} 页内存中的一部分",
            )
        self.host = host
        self.trace = trace if trace is not None else Trace()
        self.hypervisor_pages = hypervisor_pages
        self.blocks = sum(d.blocks for d in host.disks)
        self.mbps = sum(n.mbps for n in host.nics)
        self.slices: dict[str, Slice] = {}
        self._memory: dict[int, int] = {}  # host frame -> value (0 is never stored)
        self._disk: dict[int, int] = {}  # host block -> value
        self._next_frame = hypervisor_pages
        self._next_block = 0
        self._used_nic = 0
        self.trace.emit(
            "slice.host",
            host=host.name,
            cores=host.cores,
            pages=host.memory_pages,
            blocks=self.blocks,
            nic_mbps=self.mbps,
            hypervisor_pages=hypervisor_pages,
        )

    # ----- capacity -------------------------------------------------------------------------
    def free(self) -> dict[str, int]:
        """What is left for the next guest, per resource (``RESOURCES``)."""
        used_cores = sum(len(s.cores) for s in self.slices.values())
        return {
            "cores": self.host.cores - used_cores,
            "memory": self.host.memory_pages - self._next_frame,
            "disk": self.blocks - self._next_block,
            "nic": self.mbps - self._used_nic,
        }

    def carve(
        self, name: str, vcpus: int, memory_pages: int, disk_blocks: int, nic_mbps: int
    ) -> Slice:
        """Give a new guest its slice, or refuse (``CapacityExceeded``) naming the first resource
        the host no longer has enough of. A refused guest changes nothing."""
        name_of(name, ("a guest's name", "客户机的名字"))
        if name in self.slices:
            raise InvalidOperation(
                f"a guest named {name!r} already has a slice",
                zh=f"名为 {name!r} 的客户机已经有切片了",
            )
        need = {"cores": vcpus, "memory": memory_pages, "disk": disk_blocks, "nic": nic_mbps}
        for resource, amount in need.items():
            least = 0 if resource == "nic" else 1
            if not isinstance(amount, int) or isinstance(amount, bool) or amount < least:
                raise InvalidOperation(
                    f"{name!r} asks for {amount!r} {_WORDS[resource][0]}: a guest needs a whole "
                    f"number, at least {least}",
                    zh=f"{name!r} 申请 {amount!r} {_WORDS[resource][1]}：客户机需要的是整数，"
                    f"至少为 {least}",
                )
        free = self.free()
        for resource in RESOURCES:
            if need[resource] > free[resource]:
                self.trace.emit(
                    "slice.refused",
                    guest=name,
                    resource=resource,
                    need=need[resource],
                    free=free[resource],
                )
                en, zh = _WORDS[resource]
                raise CapacityExceeded(
                    f"{name!r} asks for {need[resource]} {en} but host {self.host.name!r} has only "
                    f"{free[resource]} left: the hypervisor divides the hardware, it never "
                    "creates more of it",
                    zh=f"{name!r} 申请 {need[resource]} {zh}，但宿主机 {self.host.name!r} 只剩 "
                    f"{free[resource]}：虚拟机监控程序只是分割硬件，从不凭空多出硬件",
                )
        taken = {c for s in self.slices.values() for c in s.cores}
        cores = tuple([c for c in range(self.host.cores) if c not in taken][:vcpus])
        piece = Slice(
            name,
            cores,
            (self._next_frame, self._next_frame + memory_pages),
            (self._next_block, self._next_block + disk_blocks),
            nic_mbps,
        )
        self._next_frame += memory_pages
        self._next_block += disk_blocks
        self._used_nic += nic_mbps
        self.slices[name] = piece
        self.trace.emit(
            "slice.carve",
            guest=name,
            cores=list(cores),
            memory=list(piece.memory),
            disk=list(piece.disk),
            nic_mbps=nic_mbps,
        )
        return piece

    # ----- what a guest does ----------------------------------------------------------------
    def host_address(self, guest: str, resource: str, address: int, op: str = "access") -> int:
        """The host frame or block behind a guest's page or block: its slice's start plus the
        address, after the bounds check that keeps it inside its own slice."""
        piece = self._slice(guest)
        if resource not in ADDRESSED:
            raise InvalidOperation(
                f"a guest reads and writes 'memory' or 'disk', not {resource!r}",
                zh=f"客户机读写的是 'memory' 或 'disk'，而不是 {resource!r}",
            )
        size = piece.size(resource)
        if not isinstance(address, int) or isinstance(address, bool) or not 0 <= address < size:
            self.trace.emit("slice.refused", guest=guest, resource=resource, address=address, op=op)
            unit = "page" if resource == "memory" else "block"
            unit_zh = "页" if resource == "memory" else "块"
            where_zh = "内存" if resource == "memory" else "磁盘"
            raise IsolationViolation(
                f"{guest!r} reached for {resource} {unit} {address!r}, outside its own "
                f"{size} {unit}s (0..{size - 1}): the hypervisor's bounds check stops a guest at "
                "the edge of its slice, so it can never reach another guest's",
                zh=f"{guest!r} 试图访问{where_zh}第 {address!r} "
                f"{unit_zh}，超出了它自己的 {size} {unit_zh}（0..{size - 1}）：虚拟机监控程序的"
                "边界检查把客户机挡在它自己切片的边缘，所以它永远碰不到别的客户机的切片",
            )
        start = piece.memory[0] if resource == "memory" else piece.disk[0]
        return start + address

    def write(self, guest: str, resource: str, address: int, value: int) -> int:
        """The guest writes its page or block; returns the host frame or block that changed."""
        where = self.host_address(guest, resource, address, "write")
        store = self._memory if resource == "memory" else self._disk
        if value:
            store[where] = value
        else:
            store.pop(where, None)
        self.trace.emit(
            "slice.write",
            guest=guest,
            resource=resource,
            address=address,
            host_address=where,
            value=value,
        )
        return where

    def read(self, guest: str, resource: str, address: int) -> int:
        """What the guest sees at its page or block: only ever its own slice (0 if unwritten)."""
        where = self.host_address(guest, resource, address, "read")
        value = (self._memory if resource == "memory" else self._disk).get(where, 0)
        self.trace.emit(
            "slice.read",
            guest=guest,
            resource=resource,
            address=address,
            host_address=where,
            value=value,
        )
        return value

    def restart(self, guest: str) -> None:
        """Power the guest off and on: its memory slice is wiped, its disk slice is kept."""
        piece = self._slice(guest)
        start, end = piece.memory
        cleared = [f for f in range(start, end) if f in self._memory]
        for frame in cleared:
            del self._memory[frame]
        self.trace.emit("slice.restart", guest=guest, cleared=len(cleared))

    def files(self, guest: str) -> VmFiles:
        """The guest as the files a hypervisor keeps: configuration, disk image, saved memory."""
        piece = self._slice(guest)
        (m0, m1), (d0, d1) = piece.memory, piece.disk
        config = {
            "name": guest,
            "vcpus": len(piece.cores),
            "memory_pages": m1 - m0,
            "disks": {"disk0": d1 - d0},
            "nics": ["nic0"],
            "nic_mbps": piece.nic_mbps,
            "arch": self.host.arch.value,
        }
        disk = {b - d0: v for b, v in sorted(self._disk.items()) if d0 <= b < d1}
        memory = {f - m0: v for f, v in sorted(self._memory.items()) if m0 <= f < m1}
        return VmFiles(config, {"disk0": disk}, memory, {"pc": 0, "acc": 0})

    def save(self, guest: str) -> VmFiles:
        """Suspend the guest to its files (what would be copied to move it, lesson 3)."""
        files = self.files(guest)
        self.trace.emit("slice.save", guest=guest, files=files.names())
        return files

    def check(self) -> None:
        """Invariant: slices are disjoint, inside the host, and every stored value lies in one."""
        frames: set[int] = set(range(self.hypervisor_pages))
        blocks: set[int] = set()
        cores: set[int] = set()
        for piece in self.slices.values():
            for pool, (start, end), limit in (
                (frames, piece.memory, self.host.memory_pages),
                (blocks, piece.disk, self.blocks),
            ):
                span = set(range(start, end))
                if pool & span or end > limit:
                    raise IsolationViolation(
                        f"slice of {piece.guest!r} overlaps or overflows",
                        zh=f"{piece.guest!r} 的切片与别的切片重叠，或者超出了宿主机",
                    )
                pool |= span
            if cores & set(piece.cores):
                raise IsolationViolation(
                    f"{piece.guest!r} shares a core with another guest",
                    zh=f"{piece.guest!r} 与另一台客户机共用了一个核心",
                )
            cores |= set(piece.cores)
        if (
            not set(self._memory) <= frames - set(range(self.hypervisor_pages))
            or not set(self._disk) <= blocks
        ):
            raise IsolationViolation(
                "a value is stored outside every guest's slice",
                zh="有一个值存放在所有客户机的切片之外",
            )
        if self._used_nic > self.mbps:
            raise CapacityExceeded(
                "network reservations exceed the card's bandwidth",
                zh="网络预留超过了网卡的带宽",
            )

    def _slice(self, guest: str) -> Slice:
        try:
            return self.slices[guest]
        except KeyError:
            raise InvalidOperation(
                f"no guest named {guest!r} has a slice on this host; it has {sorted(self.slices)}",
                zh=f"这台宿主机上没有名为 {guest!r} 的客户机切片；现有的是 {sorted(self.slices)}",
            ) from None
