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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidOperation, IsolationViolation
from .hardware import Arch, arch_of
from .quantities import finite_number, name_of, whole_number
from .trace import Trace

STATES_ZH = {"stopped": "关机", "running": "运行", "saved": "挂起"}
"""A guest's ``state`` as the Chinese messages name it (saved is suspended to its files)."""


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
        whole_number(
            blocks, (f"disk {name!r}: its number of blocks", f"磁盘 {name!r} 的块数"), least=1
        )
        if base is not None and base.blocks != blocks:
            raise InvalidOperation(
                "a delta must have the same size as its base image",
                zh="增量必须和它的基础镜像一样大",
            )
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
        whole_number(
            value,
            (
                f"the value written to block {block} of disk {self.name!r}",
                f"写入磁盘 {self.name!r} 第 {block} 块的值",
            ),
        )
        if self.frozen:
            raise InvalidOperation(
                f"disk image {self.name!r} is read-only: it is the base of a snapshot or of "
                "linked clones, so writes must go to a delta on top of it",
                zh=f"磁盘镜像 {self.name!r} 是只读的：它是快照或链接克隆的基础镜像，"
                "所以写入必须落到它上面的增量里",
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
        whole_number(block, (f"a block number of disk {self.name!r}", f"磁盘 {self.name!r} 的块号"))
        if not 0 <= block < self.blocks:
            raise IsolationViolation(
                f"block {block} is outside disk {self.name!r} (blocks 0..{self.blocks - 1}): "
                "a guest can only reach its own virtual disk",
                zh=f"块 {block} 在磁盘 {self.name!r} 之外（块 0..{self.blocks - 1}）："
                "客户机只能访问它自己的虚拟磁盘",
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
        name_of(self.name, ("a guest's name", "客户机的名字"))
        whole_number(
            self.vcpus, (f"guest {self.name!r}: vcpus", f"客户机 {self.name!r} 的 vcpus"), least=1
        )
        whole_number(
            self.memory_pages,
            (f"guest {self.name!r}: memory_pages", f"客户机 {self.name!r} 的 memory_pages"),
            least=1,
        )
        self._check_hardware()
        self.arch = arch_of(
            self.arch, (f"guest {self.name!r}: arch", f"客户机 {self.name!r} 的 arch")
        )
        finite_number(
            self.load,
            (f"guest {self.name!r}: load", f"客户机 {self.name!r} 的 load"),
            least=0,
            most=1,
        )
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
            raise InvalidOperation(
                f"{self.name!r} is already running", zh=f"{self.name!r} 已经在运行了"
            )
        if host is not None:
            self.host = host
        self.state = "running"
        self.trace.emit("guest.start", guest=self.name, host=self.host)

    def stop(self) -> None:
        """Power off: memory contents are lost, disks are kept (like pulling the plug)."""
        self._require_running("stop", "关机")
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
        self._require_running("write memory", "写内存")
        self._check_page(page)
        whole_number(
            value,
            (
                f"the value {self.name!r} writes to page {page}",
                f"{self.name!r} 写入第 {page} 页的值",
            ),
        )
        if value:
            self.memory[page] = value
        else:
            self.memory.pop(page, None)
        self.trace.emit("guest.mem_write", guest=self.name, page=page, value=value)

    def read_memory(self, page: int) -> int:
        self._check_page(page)
        return self.memory.get(page, 0)

    def write_disk(self, disk: str, block: int, value: int) -> None:
        self._require_running("write to disk", "写磁盘")
        self._disk(disk).write(block, value)
        self.trace.emit("guest.disk_write", guest=self.name, disk=disk, block=block, value=value)

    def read_disk(self, disk: str, block: int) -> int:
        return self._disk(disk).read(block)

    def run(self, steps: int, rng: random.Random) -> None:
        """Do some deterministic 'work': each step updates the CPU and writes memory or disk."""
        self._require_running("run", "运行")
        whole_number(steps, ("run(steps): steps", "run(steps) 的 steps"), least=0)
        if not isinstance(rng, random.Random):
            raise InvalidOperation(
                f"run(steps, rng): rng must be a random.Random(seed), not {rng!r}",
                zh=f"run(steps, rng) 的 rng 必须是一个 random.Random(seed)，而不是 {rng!r}",
            )
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
        """The VM as files without stopping it. Memory and CPU (the .vmss file) are included
        while it runs, and once it is suspended: a suspended VM's folder holds the .vmss that
        ``save()`` wrote (the same files ``save()`` returned), a powered-off one's has none."""
        with_memory = self.state in ("running", "saved")
        return VmFiles(
            self.config(),
            {d: img.contents() for d, img in sorted(self.disks.items())},
            dict(self.memory) if with_memory else None,
            dict(self.cpu) if with_memory else None,
        )

    def save(self) -> VmFiles:
        """Suspend to files: the memory state is written out and the guest stops running."""
        self._require_running("save", "挂起")
        files = self.files()
        self.state = "saved"
        self.trace.emit("guest.save", guest=self.name, files=files.names(), hash=self.state_hash())
        return files

    @classmethod
    def restore(cls, files: VmFiles, trace: Trace | None = None, host: str | None = None) -> Guest:
        """Recreate a guest from its files, on any host: same files, same state hash.

        The files are checked before anything is loaded from them: every disk they hold must be
        one of the config's, every page and block number a whole number inside the guest, every
        value a whole number, so no file can give a guest memory or blocks it does not have.
        """
        if not isinstance(files, VmFiles):
            raise InvalidOperation(
                "Guest.restore takes the VM's files as VmFiles(config, disks, memory, cpu), not "
                f"a {type(files).__name__}",
                zh="Guest.restore 需要的是虚拟机的文件：一个用 config、disks、memory 和 cpu "
                f"构造的 VmFiles，而不是 {type(files).__name__}",
            )
        cfg = _config_of(files.config)
        guest = cls(
            cfg["name"],
            vcpus=cfg["vcpus"],
            memory_pages=cfg["memory_pages"],
            disk_blocks=dict(cfg["disks"]),
            nics=tuple(cfg["nics"]),
            arch=arch_of(cfg["arch"], ("the config's arch", "config 的 arch")),
            trace=trace if trace is not None else Trace(),
            host=host,
        )
        _check_files(guest, files)
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
        name_of(label, ("a snapshot's label", "快照的标签"))
        if label in self._snapshots:
            raise InvalidOperation(
                f"{self.name!r} already has a snapshot named {label!r}",
                zh=f"{self.name!r} 已经有一个名为 {label!r} 的快照",
            )
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
        except (KeyError, TypeError):
            raise InvalidOperation(
                f"{self.name!r} has no snapshot {label!r}; it has {sorted(self._snapshots)}",
                zh=f"{self.name!r} 没有名为 {label!r} 的快照；"
                f"它有的快照是 {sorted(self._snapshots)}",
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
        name_of(name, ("a linked clone's name", "链接克隆的名字"))
        if name == self.name:
            raise InvalidOperation(
                f"a linked clone needs a name of its own: {name!r} is the name of the guest it "
                "is cloned from",
                zh=f"链接克隆需要自己的名字：{name!r} 是被克隆的那台客户机的名字",
            )
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
    def _check_hardware(self) -> None:
        """The virtual hardware asked for: disks by name with whole sizes, NICs by name."""
        if not isinstance(self.disk_blocks, Mapping):
            raise InvalidOperation(
                f"guest {self.name!r}: disk_blocks maps each disk's name to its size in blocks, "
                f"e.g. {{'disk0': 64}}, not {self.disk_blocks!r}",
                zh=f"客户机 {self.name!r} 的 disk_blocks 应把每块磁盘的名字对应到它的块数，"
                f"例如 {{'disk0': 64}}，而不是 {self.disk_blocks!r}",
            )
        for disk, blocks in self.disk_blocks.items():
            name_of(disk, (f"guest {self.name!r}: a disk's name", f"客户机 {self.name!r} 的磁盘名"))
            whole_number(
                blocks,
                (
                    f"guest {self.name!r}: the blocks of disk {disk!r}",
                    f"客户机 {self.name!r} 磁盘 {disk!r} 的块数",
                ),
                least=1,
            )
        if not isinstance(self.nics, tuple | list):
            raise InvalidOperation(
                f"guest {self.name!r}: nics is a tuple of NIC names, e.g. ('nic0',), "
                f"not {self.nics!r}",
                zh=f"客户机 {self.name!r} 的 nics 是由网卡名字组成的 tuple，例如 ('nic0',)，"
                f"而不是 {self.nics!r}",
            )
        for nic in self.nics:
            name_of(nic, (f"guest {self.name!r}: a NIC's name", f"客户机 {self.name!r} 的网卡名"))

    def _disk(self, disk: str) -> DiskImage:
        if isinstance(disk, str) and disk in self.disks:
            return self.disks[disk]
        raise InvalidOperation(
            f"{self.name!r} has no disk {disk!r}; its disks are {sorted(self.disks)}",
            zh=f"{self.name!r} 没有磁盘 {disk!r}；它的磁盘是 {sorted(self.disks)}",
        )

    def _check_page(self, page: int) -> None:
        whole_number(page, (f"a page number of {self.name!r}", f"{self.name!r} 的页号"))
        if not 0 <= page < self.memory_pages:
            raise IsolationViolation(
                f"{self.name!r} touched page {page}, outside its memory (pages 0.."
                f"{self.memory_pages - 1}): the relocation-bounds check stops a guest at the "
                "edge of its own memory",
                zh=f"{self.name!r} 访问了第 {page} 页，超出了它的内存（第 0.."
                f"{self.memory_pages - 1} 页）：重定位-界限检查把客户机挡在它自己内存的边缘",
            )

    def _require_running(self, what: str, what_zh: str) -> None:
        if self.state != "running":
            state_zh = STATES_ZH.get(self.state, self.state)
            raise InvalidOperation(
                f"cannot {what}: {self.name!r} is {self.state}, start it first",
                zh=f"无法{what_zh}：{self.name!r} 处于{state_zh}状态，请先启动它",
            )


_CONFIG_KEYS = ("name", "vcpus", "memory_pages", "disks", "nics", "arch")
_AS_INT: tuple[str, str] = (
    "page and block numbers are whole numbers; convert them with int()",
    "页号和块号都是整数；请用 int() 转换",
)


def _config_of(config: object) -> dict[str, Any]:
    """A .vmx config with every key a guest is built from."""
    if not isinstance(config, Mapping):
        raise InvalidOperation(
            f"a VM's config is a dict with {', '.join(_CONFIG_KEYS)}, not {config!r}",
            zh=f"虚拟机的 config 是含有 {'、'.join(_CONFIG_KEYS)} 的 dict，而不是 {config!r}",
        )
    missing = [key for key in _CONFIG_KEYS if key not in config]
    if missing:
        raise InvalidOperation(
            f"the VM's config has no {', '.join(missing)}: a config names "
            f"{', '.join(_CONFIG_KEYS)}",
            zh=f"虚拟机的 config 缺少 {'、'.join(missing)}："
            f"config 要写明 {'、'.join(_CONFIG_KEYS)}",
        )
    if not isinstance(config["disks"], Mapping):
        raise InvalidOperation(
            f"the config's disks maps each disk's name to its size in blocks, not "
            f"{config['disks']!r}",
            zh=f"config 的 disks 应把每块磁盘的名字对应到它的块数，而不是 {config['disks']!r}",
        )
    return dict(config)


def _numbered(
    numbers: object,
    what: tuple[str, str],
    shape: tuple[str, str] = ("{number: value}", "{号: 值}"),
) -> Mapping[object, object]:
    """The pages or blocks of a file (or its disks), as a dict of the given ``shape``."""
    if not isinstance(numbers, Mapping):
        raise InvalidOperation(
            f"{what[0]} must be a dict {shape[0]}, not {numbers!r}",
            zh=f"{what[1]}：应是 {shape[1]} 形式的 dict，而不是 {numbers!r}",
        )
    return numbers


def _check_files(guest: Guest, files: VmFiles) -> None:
    """Every disk, page, block and value in ``files`` fits the guest built from its config."""
    vm = guest.name
    disks = _numbered(
        files.disks,
        (f"VM {vm!r}: the disks", f"虚拟机 {vm!r} 的 disks"),
        ("{disk name: {block: value}}", "{磁盘名: {块号: 值}}"),
    )
    for disk, blocks in disks.items():
        if not isinstance(disk, str) or disk not in guest.disks:
            raise InvalidOperation(
                f"the files hold blocks for disk {disk!r}, but VM {vm!r} has disks "
                f"{sorted(guest.disks)} (its config's disks): key each disk's blocks by that "
                "name, not by its file's name",
                zh=f"这些文件里有磁盘 {disk!r} 的块，但虚拟机 {vm!r} 的磁盘是 "
                f"{sorted(guest.disks)}（它的 config 里的 disks）：每块磁盘的块要用这个名字作键，"
                "而不是用它的文件名",
            )
        size = guest.disks[disk].blocks
        for block, value in _numbered(
            blocks, (f"VM {vm!r}: the blocks of disk {disk!r}", f"虚拟机 {vm!r} 磁盘 {disk!r} 的块")
        ).items():
            whole_number(
                block,
                (
                    f"VM {vm!r}: a block number of disk {disk!r}",
                    f"虚拟机 {vm!r} 磁盘 {disk!r} 的块号",
                ),
                least=0,
                below=size,
                hint=_AS_INT if isinstance(block, str) else None,
            )
            whole_number(
                value,
                (f"VM {vm!r}: the value of block {block}", f"虚拟机 {vm!r} 第 {block} 块的值"),
            )
    if files.memory is not None:
        memory = _numbered(files.memory, (f"VM {vm!r}: the memory", f"虚拟机 {vm!r} 的 memory"))
        for page, value in memory.items():
            whole_number(
                page,
                (f"VM {vm!r}: a page number in the memory file", f"虚拟机 {vm!r} 内存文件里的页号"),
                least=0,
                below=guest.memory_pages,
                hint=_AS_INT if isinstance(page, str) else None,
            )
            whole_number(
                value, (f"VM {vm!r}: the value of page {page}", f"虚拟机 {vm!r} 第 {page} 页的值")
            )
    if files.cpu is not None:
        if not isinstance(files.cpu, Mapping):
            raise InvalidOperation(
                f"VM {vm!r}: the CPU state is a dict with 'pc' and 'acc', not {files.cpu!r}",
                zh=f"虚拟机 {vm!r} 的 CPU 状态是含有 'pc' 和 'acc' 的 dict，而不是 {files.cpu!r}",
            )
        for register in ("pc", "acc"):
            whole_number(
                files.cpu.get(register),
                (
                    f"VM {vm!r}: CPU register {register!r}",
                    f"虚拟机 {vm!r} 的 CPU 寄存器 {register!r}",
                ),
            )


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
        if not isinstance(guest, Guest):
            raise InvalidOperation(
                f"register() takes a Guest, not {guest!r}",
                zh=f"register() 需要一个 Guest，而不是 {guest!r}",
            )
        if guest.name in self.guests:
            raise InvalidOperation(
                f"a guest named {guest.name!r} is already registered",
                zh=f"名为 {guest.name!r} 的客户机已经登记过了",
            )
        self.guests[guest.name] = guest
        self.trace.emit("security.register", guest=guest.name)

    def read_memory(self, actor: str, owner: str, page: int) -> int:
        self._allow(actor, owner, f"memory page {page}", f"内存第 {page} 页")
        return self.guests[owner].read_memory(page)

    def write_memory(self, actor: str, owner: str, page: int, value: int) -> None:
        self._allow(actor, owner, f"memory page {page}", f"内存第 {page} 页")
        self.guests[owner].write_memory(page, value)

    def read_disk(self, actor: str, owner: str, disk: str, block: int) -> int:
        self._allow(actor, owner, f"disk {disk!r} block {block}", f"磁盘 {disk!r} 第 {block} 块")
        return self.guests[owner].read_disk(disk, block)

    def write_disk(self, actor: str, owner: str, disk: str, block: int, value: int) -> None:
        self._allow(actor, owner, f"disk {disk!r} block {block}", f"磁盘 {disk!r} 第 {block} 块")
        self.guests[owner].write_disk(disk, block, value)

    def _allow(self, actor: str, owner: str, what: str, what_zh: str) -> None:
        for name in (actor, owner):
            if not isinstance(name, str) or name not in self.guests:
                raise InvalidOperation(
                    f"no guest named {name!r} is registered",
                    zh=f"没有登记名为 {name!r} 的客户机",
                )
        if actor != owner:
            raise IsolationViolation(
                f"{actor!r} tried to access {what} of {owner!r}: the security manager keeps "
                "every guest's memory and disks private to that guest",
                zh=f"{actor!r} 试图访问 {owner!r} 的{what_zh}：安全管理器让每台客户机的内存和磁盘"
                "只属于它自己",
            )
