"""CPU virtualisation: a toy ISA, trap-and-emulate, and the Popek–Goldberg test.

Popek & Goldberg (CACM 1974) asked when a machine can run a copy of itself efficiently: most
instructions run directly on the real CPU, and the VMM only steps in when the guest does something
that would reveal or change the real machine's control state. Their Theorem 1: if every
*sensitive* instruction (one that changes or depends on the mode, the relocation register or
other control state) is *privileged* (traps when run in user mode), then a trap-and-emulate VMM
exists. Run the guest kernel in user mode; each sensitive instruction traps; the VMM performs it
on the guest's *virtual* control state; the guest cannot tell the difference.

The toy machine has a user/supervisor mode, a relocation-bounds register (every address is
offset by ``base`` and checked against ``bound``), an interrupt flag and an output port.
``TOY_ISA`` satisfies the theorem. ``X86_LIKE_ISA`` has x86's two classic flaws (Robin & Irvine,
USENIX Security 2000, §4): system registers can be *read* without privilege (their first group,
SGDT, SIDT, SLDT, SMSW, STR: here ``getr`` returns the real relocation base, so a guest kernel
sees where the VMM put it), and POPF in user mode silently leaves the interrupt flag alone
instead of trapping. The current privilege level is readable too (x86 code can read the low two
bits of CS). ``X86_UMIP_ISA`` is x86 with UMIP (User-Mode Instruction Prevention, Intel since
2017, AMD since Zen 2): those register reads now fault in user mode, but POPF and the visible
privilege level remain, so x86 still fails the theorem. ``isa_variant`` builds any mixture.
``classify`` finds all this by *running* each instruction in probe states, not by reading labels.

The cost model compares the two ways x86 was virtualised anyway: binary translation (rewrite
sensitive code on the fly) and hardware assist (VT-x/AMD-V: trap to the VMM on a VM exit).
Adams & Agesen (ASPLOS 2006) showed BT winning on page-table-heavy work on the first VT-x
CPUs; the cycle figures are theirs, approximate teaching values. Nested paging (AMD NPT 2008,
Intel EPT 2008) let the guest edit its own page tables without a VM exit, which removed most of
that cost: ``NESTED_PAGING_COSTS`` is the same table on such hardware.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .errors import InvalidOperation
from .quantities import whole_number
from .trace import Trace

MEMORY_WORDS = 64
REGISTERS = ("a", "b")

Instruction = tuple[object, ...]


@dataclass
class CpuState:
    """Everything an instruction can read or change. ``io`` is what went out of the port."""

    mode: str = "supervisor"
    base: int = 0
    bound: int = MEMORY_WORDS
    iflag: int = 1
    pc: int = 0
    halted: bool = False
    regs: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REGISTERS, 0))
    memory: list[int] = field(default_factory=lambda: [0] * MEMORY_WORDS)
    io: list[int] = field(default_factory=list)

    def copy(self) -> CpuState:
        return replace(self, regs=dict(self.regs), memory=list(self.memory), io=list(self.io))

    def control(self) -> tuple[object, ...]:
        return (self.mode, self.base, self.bound, self.iflag, self.halted, tuple(self.io))

    def window(self) -> tuple[int, ...]:
        """Memory as the running program sees it: through the relocation-bounds register."""
        return tuple(self.memory[self.base : self.base + self.bound])


class Trap(Exception):
    """The CPU refused an instruction and handed control to supervisor code (the VMM)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Semantics = Callable[[CpuState, Sequence[object]], None]


def _reg(arg: object) -> str:
    if arg not in REGISTERS:
        raise InvalidOperation(
            f"unknown register {arg!r}; the toy CPU has {REGISTERS}",
            zh=f"未知的寄存器 {arg!r}；这台玩具 CPU 的寄存器是 {REGISTERS}",
        )
    return str(arg)


def _number(arg: object) -> int:
    """An instruction's number operand (a value, an address, a base or a bound)."""
    return whole_number(arg, ("an instruction's number operand", "指令的数值操作数"))


def _addr(cpu: CpuState, arg: object) -> int:
    offset = _number(arg)
    if not 0 <= offset < cpu.bound:
        raise Trap(f"address {offset} outside bound {cpu.bound}")
    if not 0 <= cpu.base + offset < len(cpu.memory):
        # Relocation past the end (or before the start) of physical memory faults too.
        raise Trap(f"address {offset} outside memory")
    return cpu.base + offset


def _privileged(cpu: CpuState) -> None:
    if cpu.mode != "supervisor":
        raise Trap("privileged instruction in user mode")


def _add(cpu: CpuState, args: Sequence[object]) -> None:
    cpu.regs[_reg(args[0])] += _number(args[1])


def _load(cpu: CpuState, args: Sequence[object]) -> None:
    cpu.regs[_reg(args[0])] = cpu.memory[_addr(cpu, args[1])]


def _store(cpu: CpuState, args: Sequence[object]) -> None:
    cpu.memory[_addr(cpu, args[0])] = cpu.regs[_reg(args[1])]


def _setr(cpu: CpuState, args: Sequence[object]) -> None:
    _privileged(cpu)
    cpu.base, cpu.bound = _number(args[0]), _number(args[1])


def _getr(cpu: CpuState, args: Sequence[object]) -> None:
    _privileged(cpu)
    cpu.regs[_reg(args[0])] = cpu.base


def _getmode(cpu: CpuState, args: Sequence[object]) -> None:
    _privileged(cpu)
    cpu.regs[_reg(args[0])] = 1 if cpu.mode == "supervisor" else 0


def _getr_unprivileged(cpu: CpuState, args: Sequence[object]) -> None:
    """Like x86 SGDT/SIDT/SLDT/SMSW/STR before UMIP: anyone may read the system register.

    Under a VMM the real register holds where the VMM put the guest, not what the guest set, so
    the guest kernel reads the host's value and no trap gives the VMM a chance to lie.
    """
    cpu.regs[_reg(args[0])] = cpu.base


def _getmode_unprivileged(cpu: CpuState, args: Sequence[object]) -> None:
    """Like x86 code reading CS's low bits (the CPL): anyone may, so a guest kernel sees 'user'."""
    cpu.regs[_reg(args[0])] = 1 if cpu.mode == "supervisor" else 0


def _cli(cpu: CpuState, args: Sequence[object]) -> None:
    _privileged(cpu)
    cpu.iflag = 0


def _sti(cpu: CpuState, args: Sequence[object]) -> None:
    _privileged(cpu)
    cpu.iflag = 1


def _popf(cpu: CpuState, args: Sequence[object]) -> None:
    _privileged(cpu)
    cpu.iflag = cpu.regs[_reg(args[0])] & 1


def _popf_x86(cpu: CpuState, args: Sequence[object]) -> None:
    """x86 POPF: in user mode the interrupt flag is silently left unchanged. No trap."""
    if cpu.mode == "supervisor":
        cpu.iflag = cpu.regs[_reg(args[0])] & 1


def _cli_unprotected(cpu: CpuState, args: Sequence[object]) -> None:
    cpu.iflag = 0


def _sti_unprotected(cpu: CpuState, args: Sequence[object]) -> None:
    cpu.iflag = 1


def _setr_unprotected(cpu: CpuState, args: Sequence[object]) -> None:
    cpu.base, cpu.bound = _number(args[0]), _number(args[1])


def _out_unprotected(cpu: CpuState, args: Sequence[object]) -> None:
    cpu.io.append(cpu.regs[_reg(args[0])])


def _halt_unprotected(cpu: CpuState, args: Sequence[object]) -> None:
    cpu.halted = True


def _out(cpu: CpuState, args: Sequence[object]) -> None:
    _privileged(cpu)
    cpu.io.append(cpu.regs[_reg(args[0])])


def _halt(cpu: CpuState, args: Sequence[object]) -> None:
    _privileged(cpu)
    cpu.halted = True


@dataclass(frozen=True)
class Isa:
    name: str
    semantics: dict[str, Semantics]
    examples: dict[str, Instruction]


_EXAMPLES: dict[str, Instruction] = {
    "add": ("add", "a", 3),
    "load": ("load", "a", 2),
    "store": ("store", 2, "b"),
    "setr": ("setr", 8, 16),
    "getr": ("getr", "a"),
    "getmode": ("getmode", "a"),
    "cli": ("cli",),
    "sti": ("sti",),
    "popf": ("popf", "a"),
    "out": ("out", "b"),
    "halt": ("halt",),
}

TOY_ISA = Isa(
    "toy",
    {
        "add": _add,
        "load": _load,
        "store": _store,
        "setr": _setr,
        "getr": _getr,
        "getmode": _getmode,
        "cli": _cli,
        "sti": _sti,
        "popf": _popf,
        "out": _out,
        "halt": _halt,
    },
    _EXAMPLES,
)

X86_LIKE_ISA = Isa(
    "x86-like",
    {
        **TOY_ISA.semantics,
        "popf": _popf_x86,
        "getmode": _getmode_unprivileged,
        "getr": _getr_unprivileged,
    },
    _EXAMPLES,
)

# UMIP (CR4.UMIP) makes SGDT, SIDT, SLDT, SMSW and STR fault at CPL > 0, so ``getr`` traps
# again; POPF and reading the privilege level from CS are untouched.
X86_UMIP_ISA = Isa(
    "x86-umip",
    {**X86_LIKE_ISA.semantics, "getr": _getr},
    _EXAMPLES,
)

# What each sensitive instruction does on a machine that lets it run in user mode: the control
# changes take effect on the real CPU, the reads return the real value, POPF is x86's (ignored).
UNPROTECTED: dict[str, Semantics] = {
    "setr": _setr_unprotected,
    "getr": _getr_unprivileged,
    "getmode": _getmode_unprivileged,
    "cli": _cli_unprotected,
    "sti": _sti_unprotected,
    "popf": _popf_x86,
    "out": _out_unprotected,
    "halt": _halt_unprotected,
}

ISAS: dict[str, Isa] = {isa.name: isa for isa in (TOY_ISA, X86_LIKE_ISA, X86_UMIP_ISA)}


def isa_variant(name: str, runs_in_user_mode: Sequence[str] = ()) -> Isa:
    """The toy ISA with the named sensitive instructions running in user mode instead of trapping.

    ``isa_variant("toy")`` behaves like ``TOY_ISA``; ``isa_variant("m", ["getr", "popf",
    "getmode"])`` behaves like ``X86_LIKE_ISA``. Innocuous instructions (add, load, store) run
    in user mode on every machine, so naming them changes nothing.
    """
    unknown = sorted(set(runs_in_user_mode) - set(TOY_ISA.semantics))
    if unknown:
        raise InvalidOperation(
            f"{unknown} are not instructions of the toy ISA ({', '.join(TOY_ISA.semantics)})",
            zh=f"{unknown} 不是这台玩具 ISA 的指令（{'、'.join(TOY_ISA.semantics)}）",
        )
    semantics = dict(TOY_ISA.semantics)
    for op in runs_in_user_mode:
        semantics[op] = UNPROTECTED.get(op, semantics[op])
    return Isa(name, semantics, _EXAMPLES)


def step(isa: Isa, cpu: CpuState, insn: Instruction) -> None:
    """Execute one instruction on ``cpu`` in place, or raise ``Trap`` leaving it unchanged."""
    _check_instruction(isa, insn)
    op, *args = insn
    try:
        semantics = isa.semantics[str(op)]
    except KeyError:
        raise InvalidOperation(
            f"{op!r} is not an instruction of the {isa.name} ISA ({', '.join(isa.semantics)})",
            zh=f"{op!r} 不是 {isa.name} ISA 的指令（{'、'.join(isa.semantics)}）",
        ) from None
    trial = cpu.copy()
    semantics(trial, args)
    trial.pc += 1
    cpu.__dict__.update(trial.__dict__)


def _check_instruction(isa: Isa, insn: object) -> None:
    """An instruction is a tuple: its name, then as many operands as the ISA's example has."""
    if not isinstance(insn, tuple | list) or not insn:
        raise InvalidOperation(
            f"an instruction is a tuple such as ('add', 'a', 1) or ('halt',), not {insn!r}",
            zh=f"一条指令是一个 tuple，例如 ('add', 'a', 1) 或 ('halt',)，而不是 {insn!r}",
        )
    example = isa.examples.get(str(insn[0]))
    if example is not None and len(insn) != len(example):
        operands = len(example) - 1
        raise InvalidOperation(
            f"{insn[0]!r} takes {operands} operand(s), as in {example}, not {tuple(insn)}",
            zh=f"{insn[0]!r} 需要 {operands} 个操作数，例如 {example}，而不是 {tuple(insn)}",
        )


# ----- the Popek–Goldberg checker ------------------------------------------------------------


@dataclass(frozen=True)
class Classification:
    isa: str
    privileged: frozenset[str]
    control_sensitive: frozenset[str]
    behaviour_sensitive: frozenset[str]

    @property
    def sensitive(self) -> frozenset[str]:
        return self.control_sensitive | self.behaviour_sensitive

    @property
    def virtualizable(self) -> bool:
        """Theorem 1: sensitive ⊆ privileged."""
        return self.sensitive <= self.privileged

    @property
    def culprits(self) -> frozenset[str]:
        """Sensitive but unprivileged: the instructions that break trap-and-emulate."""
        return self.sensitive - self.privileged


def _probe(mode: str, base: int, iflag: int) -> CpuState:
    cpu = CpuState(mode=mode, base=base, bound=16, iflag=iflag)
    cpu.regs = {"a": 6, "b": 9}
    for i in range(16):
        cpu.memory[base + i] = 100 + i  # the same program-visible memory at every base
    return cpu


def _outcome(isa: Isa, cpu: CpuState, insn: Instruction) -> CpuState | None:
    after = cpu.copy()
    try:
        step(isa, after, insn)
    except Trap:
        return None
    return after


def classify(isa: Isa, trace: Trace | None = None) -> Classification:
    """Run every instruction in probe states and sort it, Popek–Goldberg style.

    - privileged: traps in every user-mode probe and in no supervisor-mode probe;
    - control-sensitive: when it does not trap, it changes mode, relocation, the interrupt
      flag, halts the machine or does I/O;
    - behaviour-sensitive: its effect as the program sees it differs with the mode or with
      where relocation put the program (run from identical program-visible states).
    """
    trace = trace if trace is not None else Trace()
    privileged: set[str] = set()
    control: set[str] = set()
    behaviour: set[str] = set()
    for name in isa.semantics:
        insn = isa.examples.get(name, (name,))
        results: dict[tuple[str, int, int], CpuState | None] = {}
        for mode in ("supervisor", "user"):
            for base in (0, 32):
                for iflag in (0, 1):
                    results[(mode, base, iflag)] = _outcome(isa, _probe(mode, base, iflag), insn)
        if all(results[k] is None for k in results if k[0] == "user") and all(
            results[k] is not None for k in results if k[0] == "supervisor"
        ):
            privileged.add(name)
        for (mode, base, iflag), after in results.items():
            if after is not None and after.control() != _probe(mode, base, iflag).control():
                control.add(name)
        for (mode, base, iflag), after in results.items():
            for other_mode, other_base in (
                ("user" if mode == "supervisor" else mode, base),
                (mode, 32 - base),
            ):
                other = results[(other_mode, other_base, iflag)]
                if after is None or other is None:
                    continue
                if (after.regs, after.window(), after.iflag) != (
                    other.regs,
                    other.window(),
                    other.iflag,
                ):
                    behaviour.add(name)
    result = Classification(
        isa.name, frozenset(privileged), frozenset(control), frozenset(behaviour)
    )
    trace.emit(
        "isa.classify",
        isa=isa.name,
        privileged=sorted(result.privileged),
        sensitive=sorted(result.sensitive),
        virtualizable=result.virtualizable,
        culprits=sorted(result.culprits),
    )
    return result


# ----- native and trap-and-emulate runs ------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    """What the guest kernel can observe at the end: compare native with virtualised runs."""

    regs: dict[str, int]
    mode: str
    iflag: int
    base: int
    bound: int
    memory: tuple[int, ...]
    io: tuple[int, ...]
    traps: int = 0


GUEST_WORDS = 32


def run_native(
    isa: Isa, program: Sequence[Instruction], trace: Trace | None = None, max_steps: int = 1000
) -> RunResult:
    """The guest kernel alone on the bare machine, in supervisor mode, memory at 0."""
    _check_program(program, max_steps)
    trace = trace if trace is not None else Trace()
    cpu = CpuState(mode="supervisor", base=0, bound=GUEST_WORDS)
    for _ in range(max_steps):
        if cpu.halted or cpu.pc >= len(program):
            break
        insn = program[cpu.pc]
        _check_instruction(isa, insn)
        trace.emit("isa.exec", run="native", pc=cpu.pc, insn=list(insn), mode=cpu.mode)
        pc = cpu.pc
        try:
            step(isa, cpu, insn)
        except Trap as trap:
            raise InvalidOperation(
                f"the program faulted natively at pc {cpu.pc}: {trap}",
                zh=f"这段程序在裸机上运行到 pc {cpu.pc} 就出错了：{_trap_zh(trap.reason)}",
            ) from None
        _retire(trace, "native", pc, insn, cpu, cpu)
    return RunResult(
        dict(cpu.regs),
        cpu.mode,
        cpu.iflag,
        cpu.base,
        cpu.bound,
        tuple(cpu.memory[:GUEST_WORDS]),
        tuple(cpu.io),
    )


class TrapAndEmulateVmm:
    """Runs a guest kernel in real *user* mode at machine offset ``GUEST_WORDS``.

    The guest believes it is in supervisor mode with memory at 0; the VMM keeps that belief in
    the *virtual* CPU state and composes the guest's relocation register with its own. When the
    real CPU traps, the VMM emulates the instruction against the virtual state and resumes.
    ``handler`` lets a learner supply that emulation: ``handler(vcpu, insn)`` must update the
    virtual CPU exactly as the real one would have in supervisor mode.
    """

    def __init__(
        self,
        isa: Isa,
        trace: Trace | None = None,
        handler: Callable[[CpuState, Instruction], None] | None = None,
    ) -> None:
        self.isa = isa
        self.trace = trace if trace is not None else Trace()
        self.handler = handler if handler is not None else self.emulate

    def emulate(self, vcpu: CpuState, insn: Instruction) -> None:
        """The reference handler: run the instruction on the virtual CPU, in its virtual mode."""
        step(self.isa, vcpu, insn)

    def run(self, program: Sequence[Instruction], max_steps: int = 1000) -> RunResult:
        _check_program(program, max_steps)
        vcpu = CpuState(mode="supervisor", base=0, bound=GUEST_WORDS)  # what the guest believes
        real = CpuState(mode="user", base=GUEST_WORDS, bound=GUEST_WORDS)
        traps = 0
        for _ in range(max_steps):
            if vcpu.halted or real.pc >= len(program):
                break
            insn = program[real.pc]
            _check_instruction(self.isa, insn)
            pc = real.pc
            self.trace.emit("isa.exec", run="vmm", pc=pc, insn=list(insn), mode=real.mode)
            try:
                step(self.isa, real, insn)
            except Trap as trap:
                traps += 1
                self.trace.emit("isa.trap", pc=real.pc, insn=list(insn), reason=trap.reason)
                vcpu.regs, vcpu.pc = dict(real.regs), real.pc
                vcpu.memory = real.memory[GUEST_WORDS:] + [0] * (MEMORY_WORDS - GUEST_WORDS)
                try:
                    self.handler(vcpu, insn)
                except Trap as fault:
                    raise InvalidOperation(
                        f"the guest faulted at pc {real.pc} even in its virtual mode: {fault}",
                        zh=f"客户机在 pc {real.pc} 处即使在它的虚拟模式下也出错了："
                        f"{_trap_zh(fault.reason)}",
                    ) from None
                _check_vcpu(vcpu, insn)
                self.trace.emit(
                    "isa.emulate",
                    insn=list(insn),
                    iflag=vcpu.iflag,
                    base=vcpu.base,
                    bound=vcpu.bound,
                    halted=vcpu.halted,
                )
                real.regs = dict(vcpu.regs)
                real.memory[GUEST_WORDS:] = vcpu.memory[:GUEST_WORDS]
                real.pc = vcpu.pc
                real.base = GUEST_WORDS + min(vcpu.base, GUEST_WORDS)
                real.bound = max(0, min(vcpu.bound, GUEST_WORDS - vcpu.base))
                vcpu.io, real.io = list(vcpu.io), list(vcpu.io)
                _retire(self.trace, "vmm", pc, insn, real, vcpu, trapped=True)
            else:
                vcpu.regs = dict(real.regs)
                _retire(self.trace, "vmm", pc, insn, real, vcpu)
        return RunResult(
            dict(real.regs),
            vcpu.mode,
            vcpu.iflag,
            vcpu.base,
            vcpu.bound,
            tuple(real.memory[GUEST_WORDS:]),
            tuple(vcpu.io),
            traps,
        )


def _check_program(program: object, max_steps: object) -> None:
    """A guest kernel is a list of instructions; ``max_steps`` how many of them may run."""
    if isinstance(program, str) or not isinstance(program, Sequence):
        raise InvalidOperation(
            f"a program is a list of instructions, e.g. [('add', 'a', 1), ('halt',)], "
            f"not {program!r}",
            zh=f"程序是由指令组成的 list，例如 [('add', 'a', 1), ('halt',)]，而不是 {program!r}",
        )
    whole_number(max_steps, ("max_steps", "max_steps（最多执行的指令数）"), least=0)


def _trap_zh(reason: str) -> str:
    if reason.startswith("privileged"):
        return "用户态下执行了特权指令"
    return (
        reason.replace("address", "地址")
        .replace("outside bound", "超出界限")
        .replace("outside memory", "超出物理内存")
    )


_AFTER = (
    "after your handler emulated {insn}, vcpu.{field}",
    "你的处理程序模拟 {insn} 之后，vcpu.{field}",
)
_PC_HINT = (
    "it is the number of the next instruction to run, e.g. vcpu.pc += 1",
    "它是下一条要执行的指令的序号，例如 vcpu.pc += 1",
)


def _check_vcpu(vcpu: CpuState, insn: Instruction) -> None:
    """What a trap handler left in the virtual CPU is still a CPU's state: whole numbers in its
    registers, a pc that numbers an instruction, its memory and output as lists of numbers."""
    shown = list(insn)

    def what(field: str) -> tuple[str, str]:
        return (
            _AFTER[0].format(insn=shown, field=field),
            _AFTER[1].format(insn=shown, field=field),
        )

    whole_number(vcpu.pc, what("pc"), least=0, hint=_PC_HINT)
    for register in ("base", "bound"):
        whole_number(getattr(vcpu, register), what(register), least=0)
    whole_number(vcpu.iflag, what("iflag"))
    if not isinstance(vcpu.regs, dict) or sorted(vcpu.regs) != sorted(REGISTERS):
        raise InvalidOperation(
            f"after your handler emulated {shown}, vcpu.regs must still hold the registers "
            f"{REGISTERS}, not {vcpu.regs!r}",
            zh=f"你的处理程序模拟 {shown} 之后，vcpu.regs 必须仍然只含寄存器 {REGISTERS}，"
            f"而不是 {vcpu.regs!r}",
        )
    for register, value in vcpu.regs.items():
        whole_number(value, what(f"regs[{register!r}]"))
    for part, words in (("memory", MEMORY_WORDS), ("io", None)):
        values = getattr(vcpu, part)
        if not isinstance(values, list) or (words is not None and len(values) != words):
            size = f" of {words} numbers" if words is not None else " of numbers"
            size_zh = f"由 {words} 个数组成的" if words is not None else "由数组成的"
            raise InvalidOperation(
                f"after your handler emulated {shown}, vcpu.{part} must be a list{size}, "
                f"not {values!r}",
                zh=f"你的处理程序模拟 {shown} 之后，vcpu.{part} 必须是{size_zh} list，"
                f"而不是 {values!r}",
            )
        for value in values:
            whole_number(value, what(part))


def _retire(
    trace: Trace,
    run: str,
    pc: int,
    insn: Instruction,
    real: CpuState,
    seen: CpuState,
    trapped: bool = False,
) -> None:
    """What the guest can see after one instruction: registers from the real CPU, control state
    as the guest believes it (the virtual CPU under a VMM). The animation draws these."""
    trace.emit(
        "isa.retire",
        run=run,
        pc=pc,
        insn=list(insn),
        trapped=trapped,
        regs=dict(real.regs),
        iflag=seen.iflag,
        base=seen.base,
        bound=seen.bound,
        halted=seen.halted,
        io=list(seen.io),
    )


@dataclass(frozen=True)
class Comparison:
    """A native run and a trap-and-emulate run of the same guest kernel, and where they differ."""

    isa: str
    native: RunResult
    virtual: RunResult
    differences: tuple[str, ...]

    @property
    def diverges(self) -> bool:
        return bool(self.differences)


COMPARED = ("regs", "iflag", "base", "bound", "memory", "io")


def compare_runs(
    isa: Isa,
    program: Sequence[Instruction],
    handler: Callable[[CpuState, Instruction], None] | None = None,
    trace: Trace | None = None,
    max_steps: int = 1000,
) -> Comparison:
    """Run ``program`` on bare metal, then under ``TrapAndEmulateVmm``, and name what differs.

    The trace holds the native run's events, then the VMM run's, then one ``isa.compare``.
    """
    trace = trace if trace is not None else Trace()
    native = run_native(isa, program, trace, max_steps)
    virtual = TrapAndEmulateVmm(isa, trace, handler).run(program, max_steps)
    differences = tuple(
        name for name in COMPARED if getattr(native, name) != getattr(virtual, name)
    )
    trace.emit(
        "isa.compare",
        isa=isa.name,
        diverges=bool(differences),
        differences=list(differences),
        traps=virtual.traps,
        native={name: _plain(getattr(native, name)) for name in COMPARED},
        vmm={name: _plain(getattr(virtual, name)) for name in COMPARED},
    )
    return Comparison(isa.name, native, virtual, differences)


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def diverges(isa: Isa, program: Sequence[Instruction]) -> bool:
    """Does the guest see something different under trap-and-emulate than on bare metal?"""
    native = run_native(isa, program)
    virtual = TrapAndEmulateVmm(isa).run(program)
    return replace(virtual, traps=0) != native


# ----- binary translation vs hardware assist -------------------------------------------------

TECHNIQUES = ("native", "bt", "hw")

# A TLB miss walks the page tables: 4 memory references on x86-64 natively, and under binary
# translation or early VT-x too, because both point the hardware at *shadow* page tables kept by
# the VMM. With nested paging the walk is two-dimensional: each of the guest's 4 references, and
# the guest-physical address the walk ends at, needs its own 4-level host walk: 5 × 4 + 4 = 24
# references (Bhargava et al., ASPLOS 2008).
# WALK_REFERENCE_CYCLES is a teaching assumption (approx.: a reference that hits the cache).
WALK_REFERENCE_CYCLES = 10
NATIVE_WALK_REFERENCES = 4
NESTED_WALK_REFERENCES = 24

COSTS: dict[str, dict[str, int]] = {
    # cycles per operation (approx.), Adams & Agesen, ASPLOS 2006, nanobenchmarks
    # (first-generation VT-x, no nested paging)
    "pte_write": {"native": 1, "bt": 391, "hw": 12_733},
    "page_fault": {"native": 1_093, "bt": 3_927, "hw": 11_242},
    # ordinary instructions run directly under both techniques
    "plain": {"native": 1, "bt": 1, "hw": 1},
    # teaching values (not the paper's table): VT-x runs a guest system call without any exit,
    # while BT must enter translated kernel code, so here hardware assist wins
    "syscall": {"native": 250, "bt": 2_300, "hw": 250},
    # shadow page tables under both techniques: the hardware walks them as fast as native ones
    "tlb_miss": {
        "native": NATIVE_WALK_REFERENCES * WALK_REFERENCE_CYCLES,
        "bt": NATIVE_WALK_REFERENCES * WALK_REFERENCE_CYCLES,
        "hw": NATIVE_WALK_REFERENCES * WALK_REFERENCE_CYCLES,
    },
}

# The same operations on hardware with nested paging (AMD NPT, Barcelona 2008; Intel EPT,
# Nehalem 2008). The guest owns its page tables, so a PTE write is an ordinary store and a guest
# page fault goes to the guest kernel without a VM exit: both cost what they cost natively
# (AMD, "AMD-V Nested Paging" white paper, 2008; Intel SDM vol. 3C, ch. 29). The price moves to
# the TLB miss, whose walk is two-dimensional. BT still keeps shadow page tables: its row is the
# 2006 one.
NESTED_PAGING_COSTS: dict[str, dict[str, int]] = {
    **COSTS,
    "pte_write": {**COSTS["pte_write"], "hw": COSTS["pte_write"]["native"]},
    "page_fault": {**COSTS["page_fault"], "hw": COSTS["page_fault"]["native"]},
    "tlb_miss": {
        **COSTS["tlb_miss"],
        "hw": NESTED_WALK_REFERENCES * WALK_REFERENCE_CYCLES,
    },
}

# Named cost tables: which hardware the comparison is about.
HARDWARE: dict[str, dict[str, dict[str, int]]] = {
    "vt-x-2006": COSTS,
    "nested-paging": NESTED_PAGING_COSTS,
}


def technique_cycles(
    mix: dict[str, int], costs: dict[str, dict[str, int]] | None = None
) -> dict[str, int]:
    """Total cycles of an operation mix (operation → count) under each technique."""
    table = COSTS if costs is None else costs
    _check_mix(mix)
    unknown = sorted(map(str, set(mix) - set(table)))
    if unknown:
        raise InvalidOperation(
            f"no cost known for {unknown}; the model knows {sorted(table)}",
            zh=f"模型不知道 {unknown} 的代价；它知道的操作有 {sorted(table)}",
        )
    if costs is not None:
        for op in mix:
            _check_costs(op, table[op])
    return {t: sum(count * table[op][t] for op, count in mix.items()) for t in TECHNIQUES}


def cheaper(mix: dict[str, int], costs: dict[str, dict[str, int]] | None = None) -> str:
    """``"bt"`` or ``"hw"``, whichever runs the mix in fewer cycles (ties go to hardware).

    A mix of no operations at all has no cheaper technique, and is refused."""
    cycles = technique_cycles(mix, costs)
    _check_some(mix)
    return "bt" if cycles["bt"] < cycles["hw"] else "hw"


def _check_some(mix: Mapping[str, int]) -> None:
    """A mix to compare the techniques on: at least one operation that happens."""
    if not any(mix.values()):
        raise InvalidOperation(
            f"the mix {dict(mix)!r} has no operations, so neither technique is cheaper; give "
            "at least one operation a count above 0, e.g. {'pte_write': 500, 'plain': 10**6}",
            zh=f"操作组合 {dict(mix)!r} 里没有任何操作，所以谈不上哪种技术更便宜；"
            "请至少让一种操作的次数大于 0，例如 {'pte_write': 500, 'plain': 10**6}",
        )


def _check_mix(mix: object) -> None:
    """An operation mix: a dict of operation → count, every count a whole number of 0 or more."""
    if not isinstance(mix, Mapping):
        raise InvalidOperation(
            f"a mix maps operations to their counts, e.g. {{'pte_write': 500}}, not {mix!r}",
            zh=f"操作组合应把操作对应到它的次数，例如 {{'pte_write': 500}}，而不是 {mix!r}",
        )
    for op, count in mix.items():
        whole_number(count, (f"the count of {op!r}", f"{op!r} 的次数"), least=0)


def _check_costs(op: str, cycles: object) -> None:
    """One operation's row of a cost table: cycles, a whole number of 0 or more, per technique."""
    if not isinstance(cycles, Mapping) or set(cycles) != set(TECHNIQUES):
        raise InvalidOperation(
            f"the costs of {op!r} map each of {', '.join(TECHNIQUES)} to cycles, not {cycles!r}",
            zh=f"{op!r} 的代价应把 {'、'.join(TECHNIQUES)} 各自对应到周期数，而不是 {cycles!r}",
        )
    for technique, value in cycles.items():
        whole_number(
            value,
            (f"the cycles of {op!r} under {technique!r}", f"{op!r} 在 {technique!r} 下的周期数"),
            least=0,
        )


def measure_techniques(
    mix: dict[str, int],
    hardware: str = "vt-x-2006",
    trace: Trace | None = None,
    measured: dict[str, dict[str, int]] | None = None,
) -> dict[str, int]:
    """Run an operation mix under each technique on the named hardware, one event per operation.

    Each ``cost.op`` event carries the per-operation cycles and the mix's count, so the
    animation (and a learner) can see which operation makes the difference; ``cost.total`` ends
    the run with the totals and the cheaper technique. ``measured`` replaces some per-operation
    costs of that hardware (``{"pte_write": {"hw": 9000}}``): a particular CPU measured instead of
    the published table.
    """
    if hardware not in HARDWARE:
        raise InvalidOperation(
            f"unknown hardware {hardware!r}; the model knows {', '.join(HARDWARE)}",
            zh=f"未知的硬件 {hardware!r}；模型知道的有 {'、'.join(HARDWARE)}",
        )
    _check_mix(mix)
    table = {op: dict(cycles) for op, cycles in HARDWARE[hardware].items()}
    if measured is not None and not isinstance(measured, Mapping):
        raise InvalidOperation(
            f"measured maps operations to their measured cycles, e.g. "
            f"{{'pte_write': {{'hw': 6000}}}}, not {measured!r}",
            zh=f"measured 应把操作对应到实测的周期数，例如 {{'pte_write': {{'hw': 6000}}}}，"
            f"而不是 {measured!r}",
        )
    for op, cycles in (measured or {}).items():
        if op not in table or not isinstance(cycles, Mapping) or set(cycles) - set(TECHNIQUES):
            shown = sorted(map(str, cycles)) if isinstance(cycles, Mapping) else cycles
            raise InvalidOperation(
                f"cannot measure {op!r} {shown!r}; the model knows {sorted(table)} "
                f"under {', '.join(TECHNIQUES)}",
                zh=f"无法测量 {op!r} {shown!r}；模型知道的操作有 {sorted(table)}，"
                f"技术有 {'、'.join(TECHNIQUES)}",
            )
        for technique, value in cycles.items():
            whole_number(
                value,
                (
                    f"the measured cycles of {op!r} under {technique!r}",
                    f"{op!r} 在 {technique!r} 下实测的周期数",
                ),
                least=0,
            )
        table[op].update(cycles)
    totals = technique_cycles(mix, table)
    _check_some(mix)
    trace = trace if trace is not None else Trace()
    trace.emit("cost.hardware", hardware=hardware, ops=sorted(mix))
    for op, count in mix.items():
        trace.emit(
            "cost.op",
            hardware=hardware,
            op=op,
            count=count,
            per_op=dict(table[op]),
            cycles={t: count * table[op][t] for t in TECHNIQUES},
        )
    trace.emit("cost.total", hardware=hardware, cycles=totals, cheaper=cheaper(mix, table))
    return totals
