"""Virtualise the same architecture, emulate another one.

A VMM runs guest instructions directly on the host CPU and steps in only on traps, so a guest
must be built for the host's instruction set: an x86_64 host can virtualise x86_64 guests, not
arm64 ones. A guest built for another CPU needs an emulator or a binary translator (QEMU's TCG
translates blocks of guest instructions into host instructions), which is much slower. The
seed's point that a VMM lessens dependence on the machine *model* (which x86 server, which
disks and NICs) holds within one architecture; across architectures it takes emulation.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import ArchitectureMismatch
from .hardware import Host
from .pool import ResourcePool, VmSpec
from .trace import Trace

VIRTUALISED = "virtualised"
EMULATED = "emulated"


def mixed_pool(hosts: Iterable[Host], trace: Trace | None = None) -> ResourcePool:
    """A pool whose trace first says which instruction set each host speaks (``arch.hosts``),
    so a drawing of it can label every host before any guest arrives."""
    hosts = list(hosts)
    trace = trace if trace is not None else Trace()
    trace.emit("arch.hosts", arches={h.name: h.arch.value for h in hosts})
    return ResourcePool(hosts, trace)


def emulate(pool: ResourcePool, vm: VmSpec) -> None:
    """Run ``vm`` under QEMU TCG on the pool's first host: one ``arch.emulate`` event."""
    host = pool.hosts[0]
    pool.trace.emit(
        "arch.emulate",
        vm=vm.name,
        guest_arch=str(vm.arch),
        host=host.name,
        host_arch=host.arch.value,
        translator="QEMU TCG",
    )


def run_guest(pool: ResourcePool, vm: VmSpec) -> str:
    """Place ``vm`` in the pool if a host speaks its architecture; else run it under emulation.

    Emits ``arch.refuse`` with the rule when admission control refuses it, then
    ``arch.emulate`` naming the translator (QEMU TCG) and the host that runs the emulator.
    """
    try:
        pool.place(vm)
    except ArchitectureMismatch as refusal:
        pool.trace.emit(
            "arch.refuse",
            vm=vm.name,
            arch=str(vm.arch),
            rule=refusal.rule,
            host_arches=sorted({h.arch.value for h in pool.hosts}),
        )
        emulate(pool, vm)
        return EMULATED
    return VIRTUALISED
