"""Physical hosts: the hardware that every virtual resource is ultimately carved out of.

A VM's vCPUs, memory, disks and NICs are promises; a ``Host`` is what keeps them. Keeping the
hardware a plain, immutable description (cores, memory in pages, disks, NICs, architecture) makes
the rule visible that virtualisation never creates capacity, it only divides and shares it.

The power figures follow Barroso & Hölzle (2007): a server draws about half its peak power while
idle, so ten lightly loaded hosts cost far more than three busy ones. That is why consolidation
saves energy, and why an empty host should be powered off rather than left idling.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .errors import InvalidOperation
from .quantities import Words, finite_number, name_of, whole_number

PAGE_SIZE = 4096
"""Bytes in one memory page: every memory figure in the model is counted in pages."""


class Arch(StrEnum):
    """The instruction set a CPU speaks; a VMM can only virtualise the architecture it runs on."""

    X86_64 = "x86_64"
    ARM64 = "arm64"


def arch_of(value: object, what: Words) -> Arch:
    """``value`` as an architecture the model knows (an ``Arch`` or its text, ``"arm64"``)."""
    try:
        return Arch(value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        known = ", ".join(repr(a.value) for a in Arch)
        raise InvalidOperation(
            f"{what[0]} must be one of {known} (or Arch.X86_64, Arch.ARM64), not {value!r}",
            zh=f"{what[1]}：必须是 {known} 之一（或 Arch.X86_64、Arch.ARM64），而不是 {value!r}",
        ) from None


@dataclass(frozen=True)
class Disk:
    name: str
    blocks: int

    def __post_init__(self) -> None:
        name_of(self.name, ("a disk's name", "磁盘的名字"))
        whole_number(
            self.blocks, (f"disk {self.name!r}: blocks", f"磁盘 {self.name!r} 的 blocks"), least=0
        )


@dataclass(frozen=True)
class Nic:
    name: str
    mbps: int

    def __post_init__(self) -> None:
        name_of(self.name, ("a NIC's name", "网卡的名字"))
        whole_number(
            self.mbps, (f"NIC {self.name!r}: mbps", f"网卡 {self.name!r} 的 mbps"), least=0
        )


@dataclass(frozen=True)
class Host:
    """A physical machine. ``p_idle`` defaults to half of ``p_max`` (Barroso & Hölzle 2007)."""

    name: str
    cores: int
    memory_pages: int
    arch: Arch = Arch.X86_64
    disks: tuple[Disk, ...] = field(default=(Disk("sda", 1_000_000),))
    nics: tuple[Nic, ...] = field(default=(Nic("eth0", 10_000),))
    p_max: float = 200.0
    p_idle: float | None = None

    def __post_init__(self) -> None:
        name_of(self.name, ("a host's name", "宿主机的名字"))
        whole_number(
            self.cores, (f"host {self.name!r}: cores", f"宿主机 {self.name!r} 的 cores"), least=1
        )
        whole_number(
            self.memory_pages,
            (f"host {self.name!r}: memory_pages", f"宿主机 {self.name!r} 的 memory_pages"),
            least=1,
        )
        arch = arch_of(self.arch, (f"host {self.name!r}: arch", f"宿主机 {self.name!r} 的 arch"))
        object.__setattr__(self, "arch", arch)
        finite_number(
            self.p_max, (f"host {self.name!r}: p_max", f"宿主机 {self.name!r} 的 p_max"), least=0
        )
        if self.p_idle is not None:
            finite_number(
                self.p_idle, (f"host {self.name!r}: p_idle", f"宿主机 {self.name!r} 的 p_idle")
            )
        if self.p_idle is not None and not 0 <= self.p_idle <= self.p_max:
            raise InvalidOperation(
                f"host {self.name!r}: idle power {self.p_idle} W must lie between 0 and "
                f"p_max {self.p_max} W",
                zh=f"宿主机 {self.name!r} 的空闲功率 {self.p_idle} W 必须介于 0 和 "
                f"p_max {self.p_max} W 之间",
            )

    @property
    def idle_watts(self) -> float:
        return self.p_max * 0.5 if self.p_idle is None else self.p_idle

    def power(self, utilisation: float, powered_on: bool = True) -> float:
        """P(u) = P_idle + (P_max − P_idle)·u; a powered-off host draws nothing at all."""
        finite_number(
            utilisation, (f"host {self.name!r}: utilisation", f"宿主机 {self.name!r} 的利用率")
        )
        return self._watts(utilisation, powered_on)

    def _watts(self, utilisation: float, powered_on: bool) -> float:
        """``power`` of a utilisation the pool computed itself (so no check per host)."""
        if not powered_on:
            return 0.0
        u = min(max(utilisation, 0.0), 1.0)
        return self.idle_watts + (self.p_max - self.idle_watts) * u
