"""Hypervisors of the four shapes lesson 5 compares: two type 1 designs, type 2 and KVM.

A hypervisor here is what the source article says it is: a program that separates physical
resources and hands them to virtual environments, built from six resource-management components.
What differs between the designs is *where the work happens*: which layers a guest's request must
cross on its way to the hardware, and whose software each component is. That path is data
(``PATHS``) so that the animation, the exercises and the grader all read the same table.

- ``type1`` — type 1, **monolithic**: the hypervisor carries its own device drivers (VMware ESXi).
- ``type1_partition`` — type 1, **privileged partition** (microkernel-style): a small hypervisor
  schedules CPUs and memory and leaves the drivers to a privileged guest, Xen's dom0 (or a driver
  domain) or Hyper-V's root partition; guests talk to it through split drivers (Xen's
  blkfront/blkback over shared rings, Hyper-V's VSC/VSP over VMBus).
- ``type2`` — hosted: the VMM reaches devices through the host OS (Sugerman et al., USENIX ATC
  2001, on VMware Workstation).
- ``kvm`` — Linux itself is the hypervisor; an emulated device lives in a user-space program such
  as QEMU, reached when ``KVM_RUN`` returns (Linux ``Documentation/virt/kvm/api.rst``).

Besides each design's own device path (``io="default"``) the model has two faster network paths,
because a short operation shows the layers' cost most: ``vhost`` (KVM's vhost-net, the virtio
back-end moved from QEMU into the host kernel) and ``sriov`` (an SR-IOV network card gives the
guest a virtual function it drives itself, its DMA confined by the IOMMU).

Cycle costs are teaching values (approx.), chosen so that every difference between designs has a
reason the lesson can state, not measured constants:

- a VM exit with the VM entry that resumes the guest: 1,200 (on current x86 servers a round trip
  is of the order of a thousand or two cycles; Landau et al., WIOV 2011, measured about 2,000 on a
  2009 Xeon);
- the code that takes an exit (``hypervisor``, ``vmm``, ``kvm_module``): 400 in every design, so a
  privileged instruction costs the same everywhere: all of them handle it in their own
  kernel-mode code, with the same hardware mechanism;
- a world switch (the hosted VMM swapping the whole CPU state with the host OS's): 4,000, several
  VM exits' worth (Sugerman et al. 2001); a switch from the hypervisor to the privileged partition:
  2,500; a return from ``KVM_RUN`` to user space: 1,500 (no address-space swap of the machine);
- emulating a device in user space (``vmm_app``, ``device_model``): 2,000 each;
- the devices dwarf them all: a disk read 90,000, a network card's send 5,000.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import InvalidOperation
from .quantities import whole_number
from .trace import Trace

COMPONENTS: tuple[str, ...] = (
    "memory_manager",
    "scheduler",
    "io_stack",
    "device_drivers",
    "security_manager",
    "network_stack",
)


class Kind(StrEnum):
    """The four designs, in the order the lesson teaches them (and the animation draws them)."""

    TYPE1 = "type1"
    TYPE1_PARTITION = "type1_partition"
    TYPE2 = "type2"
    KVM = "kvm"


class Io(StrEnum):
    """How a guest's device access reaches the hardware: the design's own path or a faster one."""

    DEFAULT = "default"
    VHOST = "vhost"
    SRIOV = "sriov"


OPERATIONS: tuple[str, ...] = ("disk_read", "net_send", "privileged")
OWNERS: tuple[str, ...] = ("guest", "cpu", "hypervisor", "partition", "host", "hardware")


@dataclass(frozen=True)
class Layer:
    """One layer of a stack; ``owner`` says whose software it is (one of ``OWNERS``)."""

    id: str
    owner: str
    cycles: int


# Top to bottom: every design's stack lists its layers in this order, and every path goes down it.
LAYERS: dict[str, Layer] = {
    layer.id: layer
    for layer in (
        Layer("guest_app", "guest", 50),
        Layer("guest_kernel", "guest", 800),
        Layer("vm_exit", "cpu", 1_200),
        Layer("hypervisor", "hypervisor", 400),
        Layer("hypervisor_driver", "hypervisor", 1_500),
        Layer("partition_switch", "cpu", 2_500),
        Layer("backend_driver", "partition", 1_000),
        Layer("partition_driver", "partition", 600),
        Layer("vmm", "hypervisor", 400),
        Layer("world_switch", "cpu", 4_000),
        Layer("host_vmm_driver", "host", 300),
        Layer("vmm_app", "hypervisor", 2_000),
        Layer("kvm_module", "hypervisor", 400),
        Layer("kvm_run_return", "cpu", 1_500),
        Layer("device_model", "hypervisor", 2_000),
        Layer("host_syscall", "host", 700),
        Layer("vhost", "host", 800),
        Layer("host_kernel", "host", 1_500),
        Layer("host_driver", "host", 600),
        Layer("iommu", "hardware", 200),
        Layer("disk", "hardware", 90_000),
        Layer("nic", "hardware", 5_000),
    )
}

# (layer, components that act in it) from the guest down to the hardware; the reply returns the
# same way up. Sources: Sugerman et al., USENIX ATC 2001 (hosted VMM); Linux KVM api.rst
# (KVM_RUN); Xen's split drivers and Hyper-V's VSP/VSC over VMBus (privileged partition).
Step = tuple[str, tuple[str, ...]]
_GUEST: tuple[Step, ...] = (("guest_app", ()), ("guest_kernel", ()), ("vm_exit", ()))
_HOST_DISK: tuple[Step, ...] = (
    ("host_syscall", ()),
    ("host_kernel", ("scheduler",)),
    ("host_driver", ("device_drivers",)),
    ("disk", ()),
)
_HOST_NET: tuple[Step, ...] = (
    ("host_syscall", ()),
    ("host_kernel", ("network_stack", "scheduler")),
    ("host_driver", ("device_drivers",)),
    ("nic", ()),
)
_TO_PARTITION: tuple[Step, ...] = (
    ("hypervisor", ("security_manager", "scheduler")),
    ("partition_switch", ()),
)
_HOSTED: tuple[Step, ...] = (
    ("vmm", ("security_manager",)),
    ("world_switch", ()),
    ("host_vmm_driver", ()),
)
_KVM_EXIT: tuple[Step, ...] = (("kvm_module", ("security_manager",)), ("kvm_run_return", ()))

PATHS: dict[tuple[Kind, str], tuple[Step, ...]] = {
    (Kind.TYPE1, "disk_read"): (
        *_GUEST,
        ("hypervisor", ("security_manager",)),
        ("hypervisor_driver", ("io_stack", "memory_manager", "device_drivers")),
        ("disk", ()),
    ),
    (Kind.TYPE1, "net_send"): (
        *_GUEST,
        ("hypervisor", ("security_manager",)),
        ("hypervisor_driver", ("network_stack", "device_drivers")),
        ("nic", ()),
    ),
    (Kind.TYPE1, "privileged"): (
        ("guest_kernel", ()),
        ("vm_exit", ()),
        ("hypervisor", ("security_manager", "scheduler")),
    ),
    (Kind.TYPE1_PARTITION, "disk_read"): (
        *_GUEST,
        *_TO_PARTITION,
        ("backend_driver", ("io_stack", "memory_manager")),
        ("partition_driver", ("device_drivers",)),
        ("disk", ()),
    ),
    (Kind.TYPE1_PARTITION, "net_send"): (
        *_GUEST,
        *_TO_PARTITION,
        ("backend_driver", ("io_stack", "network_stack")),
        ("partition_driver", ("device_drivers",)),
        ("nic", ()),
    ),
    (Kind.TYPE1_PARTITION, "privileged"): (
        ("guest_kernel", ()),
        ("vm_exit", ()),
        ("hypervisor", ("security_manager", "scheduler")),
    ),
    (Kind.TYPE2, "disk_read"): (
        *_GUEST,
        *_HOSTED,
        ("vmm_app", ("io_stack", "memory_manager")),
        *_HOST_DISK,
    ),
    (Kind.TYPE2, "net_send"): (*_GUEST, *_HOSTED, ("vmm_app", ("io_stack",)), *_HOST_NET),
    # The hosted VMM emulates the instruction itself; scheduling is the host OS's business.
    (Kind.TYPE2, "privileged"): (
        ("guest_kernel", ()),
        ("vm_exit", ()),
        ("vmm", ("security_manager",)),
    ),
    (Kind.KVM, "disk_read"): (
        *_GUEST,
        *_KVM_EXIT,
        ("device_model", ("io_stack", "memory_manager")),
        *_HOST_DISK,
    ),
    (Kind.KVM, "net_send"): (*_GUEST, *_KVM_EXIT, ("device_model", ("io_stack",)), *_HOST_NET),
    (Kind.KVM, "privileged"): (
        ("guest_kernel", ()),
        ("vm_exit", ()),
        ("kvm_module", ("security_manager", "scheduler")),
    ),
}

# SR-IOV: the guest's own driver talks to its virtual function; the IOMMU confines its DMA. The
# hypervisor set both up beforehand and is not on the path, so no component acts.
_SRIOV_NET: tuple[Step, ...] = (
    ("guest_app", ()),
    ("guest_kernel", ()),
    ("iommu", ()),
    ("nic", ()),
)

# The faster paths, for the designs that have them. vhost-net: the guest's kick still exits, but
# the kvm module hands it to a host-kernel thread instead of returning from KVM_RUN to QEMU.
FAST_PATHS: dict[tuple[Kind, str, Io], tuple[Step, ...]] = {
    (Kind.KVM, "net_send", Io.VHOST): (
        *_GUEST,
        ("kvm_module", ("security_manager",)),
        ("vhost", ("io_stack", "memory_manager")),
        ("host_kernel", ("network_stack", "scheduler")),
        ("host_driver", ("device_drivers",)),
        ("nic", ()),
    ),
    (Kind.KVM, "net_send", Io.SRIOV): _SRIOV_NET,
    (Kind.TYPE1, "net_send", Io.SRIOV): _SRIOV_NET,
    (Kind.TYPE1_PARTITION, "net_send", Io.SRIOV): _SRIOV_NET,
}

# Why a design has no such faster path: the model says so instead of inventing one.
_NO_FAST_PATH: dict[tuple[Kind, Io], tuple[str, str]] = {
    (Kind.TYPE1, Io.VHOST): (
        "a monolithic hypervisor already runs its virtual network card's back-end in its own "
        "kernel: there is no user-space device model for vhost-net to bypass",
        "单体式虚拟机监控程序本来就在自己的内核里运行虚拟网卡的后端：没有可供 vhost-net "
        "绕过的用户态设备模型",
    ),
    (Kind.TYPE1_PARTITION, Io.VHOST): (
        "the back-end (Xen's netback, Hyper-V's network VSP) already runs in the privileged "
        "partition's kernel: vhost-net is KVM's way of getting the same",
        "后端（Xen 的 netback、Hyper-V 的网络 VSP）本来就运行在特权分区的内核里：vhost-net "
        "是 KVM 达到同样效果的办法",
    ),
    (Kind.TYPE2, Io.VHOST): (
        "vhost-net is part of the Linux host kernel and serves KVM guests; a hosted hypervisor "
        "such as VMware Workstation or VirtualBox has no such path",
        "vhost-net 属于 Linux 宿主机内核，服务于 KVM 客户机；VMware Workstation、VirtualBox "
        "这样的托管型虚拟机监控程序没有这条路径",
    ),
    (Kind.TYPE2, Io.SRIOV): (
        "handing a guest a virtual function needs the hypervisor to own the IOMMU; a hosted "
        "hypervisor runs on a host OS that owns it, and in this model (as in VMware "
        "Workstation and VirtualBox) it assigns no devices to guests",
        "把虚拟功能交给客户机，需要虚拟机监控程序掌控 IOMMU；托管型虚拟机监控程序运行在掌控 "
        "IOMMU 的宿主机操作系统之上，在本模型中（和 VMware Workstation、VirtualBox 一样）"
        "它不把设备直接分配给客户机",
    ),
}

# Without virtualization the guest kernel talks to the device directly: the baseline for overhead.
NATIVE_PATHS: dict[str, tuple[str, ...]] = {
    "disk_read": ("guest_app", "guest_kernel", "disk"),
    "net_send": ("guest_app", "guest_kernel", "nic"),
    "privileged": ("guest_kernel",),
}

# The products the lesson names for each design, in the order it names them. The seed article's
# type 1 examples are KVM and Microsoft Hyper-V; its type 2 examples VMware Workstation and
# Oracle VirtualBox.
EXAMPLES: dict[str, Kind] = {
    "VMware ESXi": Kind.TYPE1,
    "Xen": Kind.TYPE1_PARTITION,
    "Microsoft Hyper-V": Kind.TYPE1_PARTITION,
    "VMware Workstation": Kind.TYPE2,
    "Oracle VirtualBox": Kind.TYPE2,
    "KVM": Kind.KVM,
}


def examples_of(kind: Kind | str) -> list[str]:
    """The products of one design, as every text and the animation list them."""
    return [name for name, of in EXAMPLES.items() if of == Kind(kind)]


def stack_of(kind: Kind | str) -> list[str]:
    """Every layer any request of this design can cross, top to bottom (the drawn stack)."""
    kind = Kind(kind)
    used = {layer for (k, _), steps in PATHS.items() if k == kind for layer, _ in steps}
    used |= {layer for (k, _, _), steps in FAST_PATHS.items() if k == kind for layer, _ in steps}
    return [layer for layer in LAYERS if layer in used]


def path_of(kind: Kind | str, operation: str, io: Io | str = Io.DEFAULT) -> list[str]:
    """The layers an operation crosses on its way down, as the model defines them."""
    return [layer for layer, _ in _steps(_kind(kind), operation, _io(io))]


def native_cycles(operation: str) -> int:
    if operation not in NATIVE_PATHS:
        _unknown_operation(operation)
    return sum(LAYERS[layer].cycles for layer in NATIVE_PATHS[operation])


def _kind(kind: Kind | str) -> Kind:
    try:
        return Kind(kind)
    except ValueError:
        known = ", ".join(k.value for k in Kind)
        raise InvalidOperation(
            f"unknown hypervisor kind {kind!r}; the model knows {known}",
            zh=f"未知的虚拟机监控程序类型 {kind!r}；模型只认识 {'、'.join(k.value for k in Kind)}",
        ) from None


def _io(io: Io | str) -> Io:
    try:
        return Io(io)
    except ValueError:
        known = ", ".join(i.value for i in Io)
        raise InvalidOperation(
            f"unknown I/O path {io!r}; the model knows {known}",
            zh=f"未知的 I/O 路径 {io!r}；模型只认识 {'、'.join(i.value for i in Io)}",
        ) from None


def _unknown_operation(operation: str) -> None:
    raise InvalidOperation(
        f"unknown operation {operation!r}; the model knows {', '.join(OPERATIONS)}",
        zh=f"未知的操作 {operation!r}；模型只认识 {'、'.join(OPERATIONS)}",
    )


def _steps(kind: Kind, operation: str, io: Io) -> tuple[Step, ...]:
    if operation not in OPERATIONS:
        _unknown_operation(operation)
    if io == Io.DEFAULT:
        return PATHS[(kind, operation)]
    if (kind, operation, io) in FAST_PATHS:
        return FAST_PATHS[(kind, operation, io)]
    if operation != "net_send":
        raise InvalidOperation(
            f"{io.value} speeds up network sends; the model has no {io.value} path for {operation}",
            zh=f"{io.value} 用来加速网络发送；模型中没有用于 {operation} 的 {io.value} 路径",
        )
    en, zh = _NO_FAST_PATH[(kind, io)]
    raise InvalidOperation(
        f"{kind.value} has no {io.value} path: {en}", zh=f"{kind.value} 没有 {io.value} 路径：{zh}"
    )


@dataclass
class Hypervisor:
    """Carries guest operations through its layers, counting what each component did."""

    kind: Kind
    trace: Trace = field(default_factory=Trace)
    acts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COMPONENTS, 0))
    # This machine's cycles per layer where they differ from the teaching table in ``LAYERS``:
    # a faster disk or a slower world switch changes what the trace measures, not the path.
    costs: dict[str, int] = field(default_factory=dict)
    # Which device path guest I/O takes: the design's own, or vhost-net / SR-IOV where it has one.
    io: Io = Io.DEFAULT

    def __post_init__(self) -> None:
        self.kind = _kind(self.kind)
        self.io = _io(self.io)
        if not isinstance(self.costs, Mapping):
            raise InvalidOperation(
                f"costs maps layers to their cycles, e.g. {{'disk': 10000}}, not {self.costs!r}",
                zh=f"costs 应把层对应到它的周期数，例如 {{'disk': 10000}}，而不是 {self.costs!r}",
            )
        for layer, cycles in self.costs.items():
            if layer not in LAYERS:
                raise InvalidOperation(
                    f"costs names {layer!r}, which is not a layer; the layers are "
                    f"{', '.join(LAYERS)}",
                    zh=f"costs 里的 {layer!r} 不是一个层；模型的层有 {'、'.join(LAYERS)}",
                )
            whole_number(
                cycles, (f"costs[{layer!r}] (cycles)", f"costs[{layer!r}]（周期数）"), least=0
            )

    def perform(self, operation: str, guest: str = "vm1") -> int:
        """Send one guest operation down to the hardware and back; return its cycle cost."""
        steps = _steps(self.kind, operation, self.io)
        start = {"hv": self.kind.value, "op": operation, "guest": guest}
        if self.io != Io.DEFAULT:
            start["io"] = self.io.value
        self.trace.emit("op.start", **start)
        total = 0
        for layer_id, components in steps:
            cost = self.costs.get(layer_id, LAYERS[layer_id].cycles)
            total += cost
            self.trace.emit("layer.enter", layer=layer_id, dir="down", cycles=cost)
            for component in components:
                self.acts[component] += 1
                self.trace.emit("component.act", component=component, layer=layer_id)
        for layer_id, _ in reversed(steps[:-1]):
            self.trace.emit("layer.enter", layer=layer_id, dir="up", cycles=0)
        self.trace.emit("op.end", op=operation, cycles=total)
        return total
