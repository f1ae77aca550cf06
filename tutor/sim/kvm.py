"""A KVM-style vCPU: ``run()`` enters the guest and returns only when the guest needs help.

This mirrors the contract of Linux's ``KVM_RUN`` ioctl (Documentation/virt/kvm/api.rst): the
kernel runs guest code until something it will not handle itself happens, then returns an *exit
reason* (IO, MMIO, HLT) to a user-space device model, which emulates the device and calls
``KVM_RUN`` again. Writing that loop is how a learner discovers that, in KVM, every port or
MMIO access that the kernel cannot satisfy costs a trip from the guest through the kernel module
up to user space.

What reaches user space depends on what the kernel emulates itself. Real VMMs create the
interrupt controllers in the kernel (``KVM_CREATE_IRQCHIP``: local APIC, IOAPIC, PIC; the PIT
with ``KVM_CREATE_PIT2``), and virtio back-ends can live in the kernel too (vhost); then a HLT
puts the vCPU to sleep inside the kernel until an interrupt arrives and never returns to user
space. This VM, like the minimal examples of the KVM API, has **no in-kernel irqchip**: user
space emulates interrupts, so ``KVM_RUN`` returns ``KVM_EXIT_HLT`` when the guest halts
(``kvm_emulate_halt`` in arch/x86/kvm). The lesson and the vcpu-run-loop prompt say so.

The events come in the order they happen: the guest executes an instruction; the CPU leaves
guest mode (``vm_exit``); the kvm module looks at the exit and finds it cannot satisfy it
(``kvm_module``); ``KVM_RUN`` returns to user space (``kvm_run_return``), which is when the
``vcpu.exit`` event carries the exit reason; then the device model acts, the loop hands a read's
value back (``vcpu.complete``), and the next ``run()`` (``vcpu.entry``) resumes the guest: the
access completes only when user space re-enters with ``KVM_RUN`` (api.rst).

The guest is a tiny register machine so that its final state is easy to check: registers, the
serial port output, and the disk sectors it read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .errors import InvalidOperation
from .hypervisor import LAYERS, PATHS, Kind
from .quantities import Words, whole_number
from .trace import Trace

Instruction = tuple[object, ...]
SERIAL_PORT = 0x3F8
INPUT_PORT = 0x60
DISK_SECTOR_REG = 0xD000
DISK_DATA_REG = 0xD004
REGISTERS = ("a", "b", "c", "d")
# The guest's instructions and what each operand is: a register, a number, or a port or MMIO
# address (a number of at least 0).
FORMS: dict[str, tuple[str, ...]] = {
    "mov": ("register", "number"),
    "add": ("register", "number"),
    "out": ("address", "register"),
    "in": ("register", "address"),
    "mmio_write": ("address", "register"),
    "mmio_read": ("register", "address"),
    "hlt": (),
}


@dataclass(frozen=True)
class Exit:
    """Why ``run()`` returned; the fields that do not apply to a reason are ``None``."""

    reason: Literal["IO", "MMIO", "HLT"]
    direction: Literal["in", "out"] | None = None
    port: int | None = None
    addr: int | None = None
    is_write: bool | None = None
    data: int | None = None


# Which components act in each KVM layer: the same table the lesson's disk-read path uses, so a
# replayed vCPU run lights up the same chips as the animation.
_ACTING = dict(PATHS[(Kind.KVM, "disk_read")])


def _layers_down(trace: Trace, layers: tuple[str, ...]) -> None:
    for layer in layers:
        trace.emit("layer.enter", layer=layer, dir="down", cycles=LAYERS[layer].cycles)
        for component in _ACTING.get(layer, ()):
            trace.emit("component.act", component=component, layer=layer)


# The guest is already in the guest kernel row: an exit leaves it downwards from there.
_TO_USER_SPACE = ("vm_exit", "kvm_module", "kvm_run_return")


@dataclass
class Vcpu:
    """Runs a guest program; ``state`` is ready, waiting (an IN/MMIO read to complete) or halted."""

    program: list[Instruction]
    trace: Trace = field(default_factory=Trace)
    regs: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REGISTERS, 0))
    pc: int = 0
    state: str = "ready"
    exits: dict[str, int] = field(default_factory=lambda: {"IO": 0, "MMIO": 0, "HLT": 0})
    _waiting_reg: str | None = None
    _waiting_for: str = ""
    _waiting_for_zh: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.program, str) or not isinstance(self.program, list | tuple):
            raise InvalidOperation(
                f"a guest program is a list of instructions, e.g. [('hlt',)], not {self.program!r}",
                zh=f"客户机程序是由指令组成的 list，例如 [('hlt',)]，而不是 {self.program!r}",
            )
        whole_number(self.pc, ("the vCPU's pc", "vCPU 的 pc"), least=0)

    def run(self) -> Exit:
        if self.state == "halted":
            raise InvalidOperation(
                "run() was called on a vCPU that already halted: after an HLT exit the loop "
                "must stop (KVM_RUN would never return again)",
                zh="对一个已经停机的 vCPU 调用了 run()：收到 HLT 退出后，循环必须结束"
                "（KVM_RUN 再也不会返回）",
            )
        if self.state == "waiting":
            raise InvalidOperation(
                f"the guest is still waiting for the value of its {self._waiting_for}; "
                "complete it with vcpu.complete(value) before calling run() again",
                zh=f"客户机仍在等待{self._waiting_for_zh}的值："
                "再次调用 run() 之前，先用 vcpu.complete(value) 把值交给它",
            )
        self.trace.emit("vcpu.entry", pc=self.pc)
        while True:
            if self.pc >= len(self.program):
                raise InvalidOperation(
                    "the guest ran off the end of its program without HLT",
                    zh="客户机执行到了程序末尾却没有遇到 HLT",
                )
            op, *args = _instruction(self.program[self.pc], self.pc)
            self.pc += 1
            exit_ = self._execute(str(op), args)
            if exit_ is not None:
                # First the CPU leaves the guest and the kernel declines the exit; only then does
                # KVM_RUN return to user space with the reason.
                _layers_down(self.trace, _TO_USER_SPACE)
                self.exits[exit_.reason] += 1
                self.trace.emit(
                    "vcpu.exit",
                    reason=exit_.reason,
                    port=exit_.port,
                    addr=exit_.addr,
                    direction=exit_.direction,
                    is_write=exit_.is_write,
                    data=exit_.data,
                )
                return exit_

    def complete(self, value: int) -> None:
        """Hand the guest the value its IN or MMIO read asked for (KVM: write into kvm_run)."""
        if self.state != "waiting" or self._waiting_reg is None:
            raise InvalidOperation(
                "complete() was called but the guest is not waiting for a value: only IN and "
                "MMIO-read exits need one",
                zh="调用了 complete()，但客户机并没有在等待一个值：只有 IN 和 MMIO 读退出才需要",
            )
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidOperation(
                f"complete() needs an int, got {type(value).__name__}",
                zh=f"complete() 需要一个 int，收到的却是 {type(value).__name__}",
            )
        self.regs[self._waiting_reg] = value
        self.state = "ready"
        self._waiting_reg = None
        self.trace.emit("vcpu.complete", value=value)

    def _execute(self, op: str, args: list[object]) -> Exit | None:
        self.trace.emit("guest.insn", op=op, pc=self.pc - 1)
        if op == "mov":
            self.regs[str(args[0])] = int(args[1])  # type: ignore[call-overload]
        elif op == "add":
            self.regs[str(args[0])] += int(args[1])  # type: ignore[call-overload]
        elif op == "out":
            return Exit("IO", direction="out", port=int(args[0]), data=self.regs[str(args[1])])  # type: ignore[call-overload]
        elif op == "in":
            port = int(args[1])  # type: ignore[call-overload]
            self._wait(str(args[0]), f"IN from port {port:#x}", f"端口 {port:#x} 上 IN 指令")
            return Exit("IO", direction="in", port=int(args[1]))  # type: ignore[call-overload]
        elif op == "mmio_write":
            addr = int(args[0])  # type: ignore[call-overload]
            return Exit("MMIO", addr=addr, is_write=True, data=self.regs[str(args[1])])
        elif op == "mmio_read":
            addr = int(args[1])  # type: ignore[call-overload]
            self._wait(str(args[0]), f"MMIO read at {addr:#x}", f"地址 {addr:#x} 处 MMIO 读取")
            return Exit("MMIO", addr=addr, is_write=False)
        elif op == "hlt":
            self.state = "halted"
            return Exit("HLT")
        else:
            raise InvalidOperation(
                f"unknown guest instruction {op!r}", zh=f"未知的客户机指令 {op!r}"
            )
        return None

    def _wait(self, register: str, what: str, what_zh: str) -> None:
        self.state = "waiting"
        self._waiting_reg = register
        self._waiting_for = what
        self._waiting_for_zh = what_zh


@dataclass
class DeviceModel:
    """The user-space half (QEMU's role): a serial port, an input port and a one-register disk."""

    trace: Trace = field(default_factory=Trace)
    disk: list[int] = field(default_factory=lambda: [0] * 16)
    pending_input: list[int] = field(default_factory=list)
    serial: str = ""
    _sector: int = 0

    def port_write(self, port: int, value: int) -> None:
        _layers_down(self.trace, ("device_model",))
        _check_address(
            port, ("port_write(port, value): port", "port_write(port, value) 的 port"), "exit.port"
        )
        if port != SERIAL_PORT:
            raise InvalidOperation(
                f"no device listens on port {port:#x} for OUT",
                zh=f"端口 {port:#x} 上没有接收 OUT 的设备",
            )
        _check_data(
            value,
            (
                "port_write(port, value): value (a character code)",
                "port_write(port, value) 的 value（字符编码）",
            ),
            least=0,
            below=0x110000,
        )
        self.serial += chr(value)
        self.trace.emit("device.io", device="serial", value=value)

    def port_read(self, port: int) -> int:
        _layers_down(self.trace, ("device_model",))
        _check_address(port, ("port_read(port): port", "port_read(port) 的 port"), "exit.port")
        if port != INPUT_PORT:
            raise InvalidOperation(
                f"no device answers IN on port {port:#x}",
                zh=f"端口 {port:#x} 上没有响应 IN 的设备",
            )
        value = self.pending_input.pop(0) if self.pending_input else 0
        self.trace.emit("device.io", device="input", value=value)
        return value

    def mmio_write(self, addr: int, value: int) -> None:
        _layers_down(self.trace, ("device_model",))
        _check_address(
            addr, ("mmio_write(addr, value): addr", "mmio_write(addr, value) 的 addr"), "exit.addr"
        )
        if addr != DISK_SECTOR_REG:
            raise InvalidOperation(
                f"no device register at MMIO address {addr:#x} for writes",
                zh=f"MMIO 地址 {addr:#x} 处没有可写的设备寄存器",
            )
        _check_data(
            value,
            (
                "mmio_write(addr, value): value (a sector)",
                "mmio_write(addr, value) 的 value（扇区号）",
            ),
        )
        if not 0 <= value < len(self.disk):
            raise InvalidOperation(
                f"sector {value} is outside the {len(self.disk)}-sector disk",
                zh=f"扇区 {value} 超出了这块 {len(self.disk)} 个扇区的磁盘",
            )
        self._sector = value
        self.trace.emit("device.io", device="disk", sector=value)

    def mmio_read(self, addr: int) -> int:
        _layers_down(self.trace, ("device_model",))
        _check_address(addr, ("mmio_read(addr): addr", "mmio_read(addr) 的 addr"), "exit.addr")
        if addr != DISK_DATA_REG:
            raise InvalidOperation(
                f"no device register at MMIO address {addr:#x} for reads",
                zh=f"MMIO 地址 {addr:#x} 处没有可读的设备寄存器",
            )
        _layers_down(self.trace, ("host_syscall", "host_kernel", "host_driver", "disk"))
        value = self.disk[self._sector]
        self.trace.emit("device.io", device="disk", sector=self._sector, value=value)
        return value


def _instruction(insn: object, pc: int) -> tuple[object, ...]:
    """One guest instruction, checked before it runs: a known name and the operands it takes."""
    form = FORMS.get(str(insn[0])) if isinstance(insn, tuple | list) and insn else None
    if form is None or len(insn) != len(form) + 1:  # type: ignore[arg-type]
        known = ", ".join(f"({', '.join((repr(op), *form))})" for op, form in FORMS.items())
        raise InvalidOperation(
            f"the instruction at pc {pc} is {insn!r}; the guest's instructions are {known}",
            zh=f"pc {pc} 处的指令是 {insn!r}；客户机的指令有 {known}",
        )
    for operand, kind in zip(insn[1:], form, strict=True):  # type: ignore[index]
        what = (
            f"operand {operand!r} of {insn!r} at pc {pc}",
            f"pc {pc} 处 {insn!r} 的操作数 {operand!r}",
        )
        if kind == "register" and operand not in REGISTERS:
            raise InvalidOperation(
                f"{what[0]} must be a register, one of {', '.join(REGISTERS)}",
                zh=f"{what[1]}：必须是寄存器 {'、'.join(REGISTERS)} 之一",
            )
        if kind != "register":
            whole_number(operand, what, least=0 if kind == "address" else None)
    return tuple(insn)  # type: ignore[arg-type]


def _check_address(value: object, what: Words, field: str) -> None:
    """A port number or MMIO address, as the exit reported it (``exit.port``, ``exit.addr``)."""
    whole_number(value, what, least=0, hint=(f"pass {field}", f"请传入 {field}"))


def _check_data(
    value: object, what: Words, least: int | None = None, below: int | None = None
) -> None:
    """The data an OUT or MMIO write carries: a number, the exit's ``data``."""
    if isinstance(value, Exit):
        raise InvalidOperation(
            f"{what[0]} must be the data the guest wrote, a number (exit.data), not the whole Exit",
            zh=f"{what[1]}：必须是客户机写出的数据，一个数（exit.data），而不是整个 Exit",
        )
    whole_number(value, what, least=least, below=below, hint=("pass exit.data", "请传入 exit.data"))
