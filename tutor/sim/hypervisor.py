"""Hypervisors of the three shapes the lessons compare: type 1, type 2 (hosted) and KVM.

A hypervisor here is what the source article says it is: a program that separates physical
resources and hands them to virtual environments, built from six resource-management components.
What differs between the types is *where the work happens*: which layers a guest's request must
cross on its way to the hardware, and which components of whose software act on it. That path is
data (``PATHS``) so that the animation, the exercises and the grader all read the same table.

Cycle costs are teaching values (approx.), chosen to show relative overheads, not measured
constants: a world switch costs more than a VM exit, a trip to user space more than one in the
kernel, and the device itself dwarfs them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .errors import InvalidOperation
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
    TYPE1 = "type1"
    TYPE2 = "type2"
    KVM = "kvm"


OPERATIONS: tuple[str, ...] = ("disk_read", "net_send", "privileged")


@dataclass(frozen=True)
class Layer:
    """One layer of a stack; ``owner`` says whose software it is (guest, hypervisor, host, hw)."""

    id: str
    owner: str
    cycles: int


LAYERS: dict[str, Layer] = {
    layer.id: layer
    for layer in (
        Layer("guest_app", "guest", 50),
        Layer("guest_kernel", "guest", 800),
        Layer("vm_exit", "cpu", 1_200),
        Layer("hypervisor", "hypervisor", 1_500),
        Layer("vmm", "hypervisor", 1_000),
        Layer("world_switch", "cpu", 4_000),
        Layer("host_vmm_driver", "host", 300),
        Layer("vmm_app", "hypervisor", 2_000),
        Layer("kvm_module", "hypervisor", 600),
        Layer("kvm_run_return", "cpu", 1_500),
        Layer("device_model", "hypervisor", 2_500),
        Layer("host_syscall", "host", 700),
        Layer("host_kernel", "host", 1_500),
        Layer("host_driver", "host", 600),
        Layer("disk", "hardware", 90_000),
        Layer("nic", "hardware", 5_000),
    )
}

# (layer, components that act in it) from the guest down to the hardware; the reply returns the
# same way up. Sources: Sugerman et al., USENIX 2001 (hosted VMM); Linux KVM api.rst (KVM_RUN).
Step = tuple[str, tuple[str, ...]]
PATHS: dict[tuple[Kind, str], tuple[Step, ...]] = {
    (Kind.TYPE1, "disk_read"): (
        ("guest_app", ()),
        ("guest_kernel", ()),
        ("vm_exit", ()),
        ("hypervisor", ("security_manager", "io_stack", "device_drivers", "memory_manager")),
        ("disk", ()),
    ),
    (Kind.TYPE1, "net_send"): (
        ("guest_app", ()),
        ("guest_kernel", ()),
        ("vm_exit", ()),
        ("hypervisor", ("security_manager", "network_stack", "device_drivers")),
        ("nic", ()),
    ),
    (Kind.TYPE1, "privileged"): (
        ("guest_kernel", ()),
        ("vm_exit", ()),
        ("hypervisor", ("security_manager", "memory_manager", "scheduler")),
    ),
    (Kind.TYPE2, "disk_read"): (
        ("guest_app", ()),
        ("guest_kernel", ()),
        ("vm_exit", ()),
        ("vmm", ("security_manager",)),
        ("world_switch", ()),
        ("host_vmm_driver", ()),
        ("vmm_app", ("io_stack", "memory_manager")),
        ("host_syscall", ()),
        ("host_kernel", ("scheduler",)),
        ("host_driver", ("device_drivers",)),
        ("disk", ()),
    ),
    (Kind.TYPE2, "net_send"): (
        ("guest_app", ()),
        ("guest_kernel", ()),
        ("vm_exit", ()),
        ("vmm", ("security_manager",)),
        ("world_switch", ()),
        ("host_vmm_driver", ()),
        ("vmm_app", ("io_stack",)),
        ("host_syscall", ()),
        ("host_kernel", ("network_stack", "scheduler")),
        ("host_driver", ("device_drivers",)),
        ("nic", ()),
    ),
    (Kind.TYPE2, "privileged"): (
        ("guest_kernel", ()),
        ("vm_exit", ()),
        ("vmm", ("security_manager", "memory_manager")),
    ),
    (Kind.KVM, "disk_read"): (
        ("guest_app", ()),
        ("guest_kernel", ()),
        ("vm_exit", ()),
        ("kvm_module", ("security_manager",)),
        ("kvm_run_return", ()),
        ("device_model", ("io_stack", "memory_manager")),
        ("host_syscall", ()),
        ("host_kernel", ("scheduler",)),
        ("host_driver", ("device_drivers",)),
        ("disk", ()),
    ),
    (Kind.KVM, "net_send"): (
        ("guest_app", ()),
        ("guest_kernel", ()),
        ("vm_exit", ()),
        ("kvm_module", ("security_manager",)),
        ("kvm_run_return", ()),
        ("device_model", ("io_stack",)),
        ("host_syscall", ()),
        ("host_kernel", ("network_stack", "scheduler")),
        ("host_driver", ("device_drivers",)),
        ("nic", ()),
    ),
    (Kind.KVM, "privileged"): (
        ("guest_kernel", ()),
        ("vm_exit", ()),
        ("kvm_module", ("security_manager", "memory_manager", "scheduler")),
    ),
}

# Without virtualization the guest kernel talks to the device directly: the baseline for overhead.
NATIVE_PATHS: dict[str, tuple[str, ...]] = {
    "disk_read": ("guest_app", "guest_kernel", "disk"),
    "net_send": ("guest_app", "guest_kernel", "nic"),
    "privileged": ("guest_kernel",),
}

EXAMPLES: dict[str, Kind] = {
    "KVM": Kind.KVM,
    "Microsoft Hyper-V": Kind.TYPE1,
    "VMware ESXi": Kind.TYPE1,
    "Xen": Kind.TYPE1,
    "VMware Workstation": Kind.TYPE2,
    "Oracle VirtualBox": Kind.TYPE2,
}


def path_of(kind: Kind | str, operation: str) -> list[str]:
    """The layers an operation crosses on its way down, as the model defines them."""
    return [layer for layer, _ in _steps(Kind(kind), operation)]


def _steps(kind: Kind, operation: str) -> tuple[Step, ...]:
    try:
        return PATHS[(kind, operation)]
    except KeyError:
        raise InvalidOperation(
            f"unknown operation {operation!r}; the model knows {', '.join(OPERATIONS)}",
            zh=f"未知的操作 {operation!r}；模型只认识 {'、'.join(OPERATIONS)}",
        ) from None


@dataclass
class Hypervisor:
    """Carries guest operations through its layers, counting what each component did."""

    kind: Kind
    trace: Trace = field(default_factory=Trace)
    acts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COMPONENTS, 0))
    # This machine's cycles per layer where they differ from the teaching table in ``LAYERS``:
    # a faster disk or a slower world switch changes what the trace measures, not the path.
    costs: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.kind = Kind(self.kind)

    def perform(self, operation: str, guest: str = "vm1") -> int:
        """Send one guest operation down to the hardware and back; return its cycle cost."""
        steps = _steps(self.kind, operation)
        self.trace.emit("op.start", hv=self.kind.value, op=operation, guest=guest)
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


def native_cycles(operation: str) -> int:
    return sum(LAYERS[layer].cycles for layer in NATIVE_PATHS[operation])
