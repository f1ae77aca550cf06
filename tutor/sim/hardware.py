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

PAGE_SIZE = 4096
"""Bytes in one memory page: every memory figure in the model is counted in pages."""


class Arch(StrEnum):
    """The instruction set a CPU speaks; a VMM can only virtualise the architecture it runs on."""

    X86_64 = "x86_64"
    ARM64 = "arm64"


@dataclass(frozen=True)
class Disk:
    name: str
    blocks: int


@dataclass(frozen=True)
class Nic:
    name: str
    mbps: int


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
        if self.cores <= 0 or self.memory_pages <= 0:
            raise InvalidOperation(
                f"host {self.name!r} needs at least one core and one page of memory "
                f"(got {self.cores} cores, {self.memory_pages} pages)"
            )
        object.__setattr__(self, "arch", Arch(self.arch))
        if self.p_idle is not None and not 0 <= self.p_idle <= self.p_max:
            raise InvalidOperation(
                f"host {self.name!r}: idle power {self.p_idle} W must lie between 0 and "
                f"p_max {self.p_max} W"
            )

    @property
    def idle_watts(self) -> float:
        return self.p_max * 0.5 if self.p_idle is None else self.p_idle

    def power(self, utilisation: float, powered_on: bool = True) -> float:
        """P(u) = P_idle + (P_max − P_idle)·u; a powered-off host draws nothing at all."""
        if not powered_on:
            return 0.0
        u = min(max(utilisation, 0.0), 1.0)
        return self.idle_watts + (self.p_max - self.idle_watts) * u
