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
from .hypervisor import COMPONENTS, EXAMPLES, LAYERS, OPERATIONS, Hypervisor, Kind, path_of
from .kvm import DeviceModel, Exit, Vcpu
from .trace import SCHEMA_VERSION, Trace

__all__ = [
    "COMPONENTS",
    "DEFAULT_STEP_BUDGET",
    "EXAMPLES",
    "LAYERS",
    "OPERATIONS",
    "SCHEMA_VERSION",
    "CapacityExceeded",
    "DeviceModel",
    "Exit",
    "Hypervisor",
    "InvalidOperation",
    "IsolationViolation",
    "Kind",
    "SimError",
    "StepBudget",
    "StepBudgetExceeded",
    "Trace",
    "Vcpu",
    "path_of",
]
