"""The mini-hypervisor: a pure, deterministic model of virtual machines and what runs them.

Rules (see README.md here): standard library only, no I/O, no wall-clock time, no global random
state. Every state change is an event in a ``Trace``. It must behave identically in CPython and
in Pyodide, because the browser animates what the server grades.
"""

from .budget import DEFAULT_STEP_BUDGET, StepBudget
from .errors import (
    CapacityExceeded,
    InvalidOperation,
    IsolationViolation,
    SimError,
    StepBudgetExceeded,
)
from .guest import DiskImage, Guest, SecurityManager, VmFiles, storage_blocks
from .hardware import PAGE_SIZE, Arch, Disk, Host, Nic
from .hypervisor import COMPONENTS, EXAMPLES, LAYERS, OPERATIONS, Hypervisor, Kind, path_of
from .isa import (
    COSTS,
    TOY_ISA,
    X86_LIKE_ISA,
    Classification,
    CpuState,
    Isa,
    RunResult,
    Trap,
    TrapAndEmulateVmm,
    cheaper,
    classify,
    diverges,
    run_native,
    technique_cycles,
)
from .kvm import DeviceModel, Exit, Vcpu
from .memory import (
    DEFAULT_TAU,
    Clock,
    Fifo,
    Lru,
    MachineMemory,
    ReplacementPolicy,
    TaxClient,
    idle_tax_allocation,
    page_faults,
    shares_per_page,
)
from .migration import (
    ConstantDirtyRate,
    DirtyModel,
    HotPageDirtier,
    MigrationResult,
    live_migrate,
    precopy,
    precopy_volumes,
)
from .pool import POLICIES, Demand, HostView, ResourcePool, VmSpec
from .sched import CreditScheduler, Priority, RoundRobinResult, SchedVcpu, round_robin
from .trace import SCHEMA_VERSION, Trace

__all__ = [
    "COMPONENTS",
    "COSTS",
    "DEFAULT_STEP_BUDGET",
    "DEFAULT_TAU",
    "EXAMPLES",
    "LAYERS",
    "OPERATIONS",
    "PAGE_SIZE",
    "POLICIES",
    "SCHEMA_VERSION",
    "TOY_ISA",
    "X86_LIKE_ISA",
    "Arch",
    "CapacityExceeded",
    "Classification",
    "Clock",
    "ConstantDirtyRate",
    "CpuState",
    "CreditScheduler",
    "Demand",
    "DeviceModel",
    "DirtyModel",
    "Disk",
    "DiskImage",
    "Exit",
    "Fifo",
    "Guest",
    "Host",
    "HostView",
    "HotPageDirtier",
    "Hypervisor",
    "InvalidOperation",
    "Isa",
    "IsolationViolation",
    "Kind",
    "Lru",
    "MachineMemory",
    "MigrationResult",
    "Nic",
    "Priority",
    "ReplacementPolicy",
    "ResourcePool",
    "RoundRobinResult",
    "RunResult",
    "SchedVcpu",
    "SecurityManager",
    "SimError",
    "StepBudget",
    "StepBudgetExceeded",
    "TaxClient",
    "Trace",
    "Trap",
    "TrapAndEmulateVmm",
    "Vcpu",
    "VmFiles",
    "VmSpec",
    "cheaper",
    "classify",
    "diverges",
    "idle_tax_allocation",
    "live_migrate",
    "page_faults",
    "path_of",
    "precopy",
    "precopy_volumes",
    "round_robin",
    "run_native",
    "shares_per_page",
    "storage_blocks",
    "technique_cycles",
]
