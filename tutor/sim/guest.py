"""Guests: virtual machines with vCPUs, memory, disks and NICs — and, at rest, a set of files.

Strictly speaking a VM *is* its files: a configuration (how many vCPUs, how much memory, which
disks and NICs), one image per virtual disk, and, when suspended, a memory-state file. That is
what makes a VM portable: copy the files to any host with a compatible hypervisor and restore,
and the guest continues exactly where it stopped. ``state_hash`` makes "exactly" checkable.

Disks are where the cheap tricks live. A *snapshot* freezes the current disk contents and sends
new writes to a delta, so rolling back is just dropping the delta. A *linked clone* is a new VM
whose disk is a read-only base image shared with its siblings plus its own copy-on-write delta:
a hundred desktops cost one base image plus a hundred small deltas.

Isolation is the security manager's job: one guest can never read or write another guest's
memory or disks, and a guest cannot reach beyond its own memory size.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidOperation, IsolationViolation
from .hardware import Arch
from .trace import Trace


class DiskImage:
    """A virtual disk image: own blocks (a copy-on-write delta) over an optional frozen base.

    Unwritten blocks read as 0. A frozen image backs clones or snapshots and refuses writes,
    because changing it would silently change every disk built on it.
    """

    name: str
    blocks: int
    base: DiskImage | None
    delta: dict[int, int]
    frozen: bool

    def __init__(self, name: str, blocks: int, base: DiskImage | None = None) -> None:
        if blocks < 1:
            raise InvalidOperation(f"disk {name!r} needs at least one block")
        if base is not None and base.blocks != blocks:
            raise InvalidOperation("a delta must have the same size as its base image")
        self.name = name
        self.blocks = blocks
        self.base = base
        self.delta: dict[int, int] = {}
        self.frozen = False

    def read(self, block: int) -> int:
        self._check(block)
        image: DiskImage | None = self
        while image is not None:
            if block in image.delta:
                return image.delta[block]
            image = image.base
        return 0

    def write(self, block: int, value: int) -> None:
        self._check(block)
        if self.frozen:
            raise InvalidOperation(
                f"disk image {self.name!r} is read-only: it is the base of a snapshot or of "
                "linked clones, so writes must go to a delta on top of it"
            )
        self.delta[block] = value

    def contents(self) -> dict[int, int]:
        """Every non-zero block as the guest sees it (base layers flattened)."""
        chain: list[DiskImage] = []
        image: DiskImage | None = self
        while image is not None:
            chain.append(image)
            image = image.base
        merged: dict[int, int] = {}
        for layer in reversed(chain):
            merged.update(layer.delta)
        return {b: v for b, v in sorted(merged.items()) if v != 0}

    def chain(self) -> list[str]:
        names: list[str] = []
        image: DiskImage | None = self
        while image is not None:
            names.append(image.name)
            image = image.base
        return names

    def _check(self, block: int) -> None:
        if not 0 <= block < self.blocks:
            raise IsolationViolation(
                f"block {block} is outside disk {self.name!r} (blocks 0..{self.blocks - 1}): "
                "a guest can only reach its own virtual disk"
            )


@dataclass(frozen=True)
class VmFiles:
    """A VM at rest: the files a hypervisor would write, as plain JSON-able data."""

    config: dict[str, Any]
    disks: dict[str, dict[int, int]]
    memory: dict[int, int] | None
    cpu: dict[str, int] | None

    def names(self) -> list[str]:
        """File names as VMware would lay them out: .vmx config, .vmdk disks, .vmss memory."""
        vm = self.config["name"]
        files = [f"{vm}.vmx"] + [f"{vm}-{d}.vmdk" for d in sorted(self.disks)]
        if self.memory is not None:
            files.append(f"{vm}.vmss")
        return files


@dataclass
class _Snapshot:
    memory: dict[int, int]
    cpu: dict[str, int]
    disks: dict[str, DiskImage]


@dataclass
class Guest:
    """A virtual machine. ``host`` is where it runs; ``state`` is stopped, running or saved."""

    name: str
    vcpus: int = 1
    memory_pages: int = 16
    disk_blocks: dict[str, int] = field(default_factory=lambda: {"disk0": 64})
    nics: tuple[str, ...] = ("nic0",)
    arch: Arch = Arch.X86_64
    load: float = 1.0
    trace: Trace = field(default_factory=Trace)
    host: str | None = None
    state: str = "stopped"
    memory: dict[int, int] = field(default_factory=dict)
    cpu: dict[str, int] = field(default_factory=lambda: {"pc": 0, "acc": 0})
    disks: dict[str, DiskImage] = field(default_factory=dict)
    _snapshots: dict[str, _Snapshot] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.vcpus < 1 or self.memory_pages < 1:
            raise InvalidOperation(f"guest {self.name!r} needs at least 1 vCPU and 1 page")
        self.arch = Arch(self.arch)
        if not self.disks:
            self.disks = {
                d: DiskImage(f"{self.name}-{d}", blocks) for d, blocks in self.disk_blocks.items()
            }
        self.trace.emit(
            "guest.create",
            guest=self.name,
            vcpus=self.vcpus,
            pages=self.memory_pages,
            disks=dict(self.disk_blocks),
            nics=list(self.nics),
            arch=self.arch.value,
        )

    # ----- life cycle -----------------------------------------------------------------------
    def start(self, host: str | None = None) -> None:
        if self.state == "running":
            raise InvalidOperation(f"{self.name!r} is already running")
        if host is not None:
            self.host = host
        self.state = "running"
        self.trace.emit("guest.start", guest=self.name, host=self.host)

    def stop(self) -> None:
        """Power off: memory contents are lost, disks are kept (like pulling the plug)."""
        self._require_running("stop")
        self.state = "stopped"
        self.memory = {}
        self.cpu = {"pc": 0, "acc": 0}
        self.trace.emit("guest.stop", guest=self.name)

    def move_to(self, host: str) -> None:
        """Run on another host. The VM's identity and state travel; only ``host`` changes."""
        old = self.host
        self.host = host
        self.trace.emit("guest.move", guest=self.name, source=old, host=host)

    # ----- what runs inside -----------------------------------------------------------------
    def write_memory(self, page: int, value: int) -> None:
        self._require_running("write memory")
        self._check_page(page)
        if value:
            self.memory[page] = value
        else:
            self.memory.pop(page, None)
        self.trace.emit("guest.mem_write", guest=self.name, page=page, value=value)

    def read_memory(self, page: int) -> int:
        self._check_page(page)
        return self.memory.get(page, 0)

    def write_disk(self, disk: str, block: int, value: int) -> None:
        self._require_running("write to disk")
        self._disk(disk).write(block, value)
        self.trace.emit("guest.disk_write", guest=self.name, disk=disk, block=block, value=value)

    def read_disk(self, disk: str, block: int) -> int:
        return self._disk(disk).read(block)

    def run(self, steps: int, rng: random.Random) -> None:
        """Do some deterministic 'work': each step updates the CPU and writes memory or disk."""
        self._require_running("run")
        for _ in range(steps):
            self.cpu["pc"] += 1
            self.cpu["acc"] = (self.cpu["acc"] * 31 + rng.randrange(1000)) % 1_000_003
            if rng.random() < 0.7:
                self.write_memory(rng.randrange(self.memory_pages), self.cpu["acc"])
            else:
                disk = sorted(self.disks)[rng.randrange(len(self.disks))]
                self.write_disk(disk, rng.randrange(self.disks[disk].blocks), self.cpu["acc"])

    # ----- files, save and restore ----------------------------------------------------------
    def config(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "vcpus": self.vcpus,
            "memory_pages": self.memory_pages,
            "disks": dict(sorted(self.disk_blocks.items())),
            "nics": list(self.nics),
            "arch": self.arch.value,
        }

    def state_hash(self) -> str:
        """A digest of everything the guest could observe: config, CPU, memory and disks."""
        state = {
            "config": self.config(),
            "cpu": self.cpu,
            "memory": sorted(self.memory.items()),
            "disks": {d: sorted(img.contents().items()) for d, img in sorted(self.disks.items())},
        }
        blob = json.dumps(state, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()

    def files(self) -> VmFiles:
        """The VM as files without stopping it (memory included only if it is running)."""
        running = self.state == "running"
        return VmFiles(
            self.config(),
            {d: img.contents() for d, img in sorted(self.disks.items())},
            dict(self.memory) if running else None,
            dict(self.cpu) if running else None,
        )

    def save(self) -> VmFiles:
        """Suspend to files: the memory state is written out and the guest stops running."""
        self._require_running("save")
        files = self.files()
        self.state = "saved"
        self.trace.emit("guest.save", guest=self.name, files=files.names(), hash=self.state_hash())
        return files

    @classmethod
    def restore(cls, files: VmFiles, trace: Trace | None = None, host: str | None = None) -> Guest:
        """Recreate a guest from its files, on any host: same files, same state hash."""
        cfg = files.config
        guest = cls(
            cfg["name"],
            vcpus=cfg["vcpus"],
            memory_pages=cfg["memory_pages"],
            disk_blocks=dict(cfg["disks"]),
            nics=tuple(cfg["nics"]),
            arch=Arch(cfg["arch"]),
            trace=trace if trace is not None else Trace(),
            host=host,
        )
        for d, blocks in files.disks.items():
            guest.disks[d].delta.update(blocks)
        if files.memory is not None and files.cpu is not None:
            guest.memory = dict(files.memory)
            guest.cpu = dict(files.cpu)
            guest.state = "running"
        guest.trace.emit("guest.restore", guest=guest.name, host=host, hash=guest.state_hash())
        return guest

    # ----- snapshots ------------------------------------------------------------------------
    def snapshot(self, label: str) -> None:
        """Freeze disks (new writes go to fresh deltas) and remember CPU and memory."""
        if label in self._snapshots:
            raise InvalidOperation(f"{self.name!r} already has a snapshot named {label!r}")
        frozen: dict[str, DiskImage] = {}
        for d, img in self.disks.items():
            img.frozen = True
            frozen[d] = img
            self.disks[d] = DiskImage(f"{img.name}@{label}", img.blocks, base=img)
        self._snapshots[label] = _Snapshot(dict(self.memory), dict(self.cpu), frozen)
        self.trace.emit("guest.snapshot", guest=self.name, label=label, hash=self.state_hash())

    def rollback(self, label: str) -> None:
        """Back to the snapshot: drop what was written since, restore CPU and memory."""
        try:
            snap = self._snapshots[label]
        except KeyError:
            raise InvalidOperation(
                f"{self.name!r} has no snapshot {label!r}; it has {sorted(self._snapshots)}"
            ) from None
        self.memory = dict(snap.memory)
        self.cpu = dict(snap.cpu)
        self.disks = {
            d: DiskImage(f"{base.name}@{label}", base.blocks, base=base)
            for d, base in snap.disks.items()
        }
        self.trace.emit("guest.rollback", guest=self.name, label=label, hash=self.state_hash())

    def snapshots(self) -> list[str]:
        return list(self._snapshots)

    # ----- linked clones --------------------------------------------------------------------
    def linked_clone(self, name: str) -> Guest:
        """A new, powered-off guest sharing this guest's disks read-only, with its own deltas.

        This guest's current disks are frozen into the shared base, and this guest itself moves
        onto a fresh delta too, so neither can change what the other sees.
        """
        clone = Guest(
            name,
            vcpus=self.vcpus,
            memory_pages=self.memory_pages,
            disk_blocks=dict(self.disk_blocks),
            nics=self.nics,
            arch=self.arch,
            load=self.load,
            trace=self.trace,
            host=self.host,
        )
        for d, img in list(self.disks.items()):
            img.frozen = True
            self.disks[d] = DiskImage(f"{self.name}-{d}+", img.blocks, base=img)
            clone.disks[d] = DiskImage(f"{name}-{d}", img.blocks, base=img)
        self.trace.emit(
            "guest.clone",
            guest=name,
            parent=self.name,
            bases={d: img.base.name for d, img in clone.disks.items() if img.base},
        )
        return clone

    def own_blocks(self) -> int:
        """Blocks stored in this guest's own deltas (what a linked clone costs in storage)."""
        return sum(len(img.delta) for img in self.disks.values())

    # ----- helpers --------------------------------------------------------------------------
    def _disk(self, disk: str) -> DiskImage:
        try:
            return self.disks[disk]
        except KeyError:
            raise InvalidOperation(
                f"{self.name!r} has no disk {disk!r}; its disks are {sorted(self.disks)}"
            ) from None

    def _check_page(self, page: int) -> None:
        if not 0 <= page < self.memory_pages:
            raise IsolationViolation(
                f"{self.name!r} touched page {page}, outside its memory (pages 0.."
                f"{self.memory_pages - 1}): the relocation-bounds check stops a guest at the "
                "edge of its own memory"
            )

    def _require_running(self, what: str) -> None:
        if self.state != "running":
            raise InvalidOperation(f"cannot {what}: {self.name!r} is {self.state}, start it first")


def copy_files(files: VmFiles, source: str | None, target: str, trace: Trace) -> VmFiles:
    """Copy a VM's files from one host to another, as a file copy over the network would.

    The copy is independent data: changing it never changes the original, which is why two hosts
    can each open "the same" VM — and why only one of them should run it.
    """
    copied = VmFiles(
        json.loads(json.dumps(files.config)),
        {d: dict(blocks) for d, blocks in files.disks.items()},
        dict(files.memory) if files.memory is not None else None,
        dict(files.cpu) if files.cpu is not None else None,
    )
    trace.emit(
        "guest.copy",
        guest=files.config["name"],
        files=files.names(),
        source=source,
        host=target,
        blocks=sum(len(blocks) for blocks in files.disks.values()),
        pages=len(files.memory or {}),
    )
    return copied


def storage_blocks(guests: list[Guest]) -> int:
    """Blocks actually stored for these guests: every distinct image layer counted once."""
    seen: dict[int, DiskImage] = {}
    for guest in guests:
        for img in guest.disks.values():
            layer: DiskImage | None = img
            while layer is not None:
                seen[id(layer)] = layer
                layer = layer.base
    return sum(len(layer.delta) for layer in seen.values())


class SecurityManager:
    """The hypervisor component that mediates every cross-guest request, and refuses them.

    Guests that need to talk use a virtual network; nothing else crosses between them.
    """

    def __init__(self, trace: Trace | None = None) -> None:
        self.trace = trace if trace is not None else Trace()
        self.guests: dict[str, Guest] = {}

    def register(self, guest: Guest) -> None:
        if guest.name in self.guests:
            raise InvalidOperation(f"a guest named {guest.name!r} is already registered")
        self.guests[guest.name] = guest
        self.trace.emit("security.register", guest=guest.name)

    def read_memory(self, actor: str, owner: str, page: int) -> int:
        self._allow(actor, owner, f"memory page {page}")
        return self.guests[owner].read_memory(page)

    def write_memory(self, actor: str, owner: str, page: int, value: int) -> None:
        self._allow(actor, owner, f"memory page {page}")
        self.guests[owner].write_memory(page, value)

    def read_disk(self, actor: str, owner: str, disk: str, block: int) -> int:
        self._allow(actor, owner, f"disk {disk!r} block {block}")
        return self.guests[owner].read_disk(disk, block)

    def write_disk(self, actor: str, owner: str, disk: str, block: int, value: int) -> None:
        self._allow(actor, owner, f"disk {disk!r} block {block}")
        self.guests[owner].write_disk(disk, block, value)

    def _allow(self, actor: str, owner: str, what: str) -> None:
        for name in (actor, owner):
            if name not in self.guests:
                raise InvalidOperation(f"no guest named {name!r} is registered")
        if actor != owner:
            raise IsolationViolation(
                f"{actor!r} tried to access {what} of {owner!r}: the security manager keeps "
                "every guest's memory and disks private to that guest"
            )
