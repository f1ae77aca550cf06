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
``TOY_ISA`` satisfies the theorem. ``X86_LIKE_ISA`` has x86's flaw (Robin & Irvine, USENIX
Security 2000): POPF in user mode silently leaves the interrupt flag alone instead of trapping,
and the mode can be read without privilege, so a guest kernel behaves differently under the VMM.
``classify`` finds this by *running* each instruction in probe states, not by reading labels.

The cost model compares the two ways x86 was virtualised anyway: binary translation (rewrite
sensitive code on the fly) and early hardware assist (VT-x: trap to the VMM on a VM exit). Adams
& Agesen (ASPLOS 2006) showed BT winning on page-table-heavy work; the cycle figures are theirs,
approximate teaching values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from .errors import InvalidOperation
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
        raise InvalidOperation(f"unknown register {arg!r}; the toy CPU has {REGISTERS}")
    return str(arg)


def _addr(cpu: CpuState, arg: object) -> int:
    offset: int = int(arg)  # type: ignore[call-overload]
    if not 0 <= offset < cpu.bound:
        raise Trap(f"address {offset} outside bound {cpu.bound}")
    return cpu.base + offset


def _privileged(cpu: CpuState) -> None:
    if cpu.mode != "supervisor":
        raise Trap("privileged instruction in user mode")


def _add(cpu: CpuState, args: Sequence[object]) -> None:
    cpu.regs[_reg(args[0])] += int(args[1])  # type: ignore[call-overload]


def _load(cpu: CpuState, args: Sequence[object]) -> None:
    cpu.regs[_reg(args[0])] = cpu.memory[_addr(cpu, args[1])]


def _store(cpu: CpuState, args: Sequence[object]) -> None:
    cpu.memory[_addr(cpu, args[0])] = cpu.regs[_reg(args[1])]


def _setr(cpu: CpuState, args: Sequence[object]) -> None:
    _privileged(cpu)
    cpu.base, cpu.bound = int(args[0]), int(args[1])  # type: ignore[call-overload]


def _getr(cpu: CpuState, args: Sequence[object]) -> None:
    _privileged(cpu)
    cpu.regs[_reg(args[0])] = cpu.base


def _getmode(cpu: CpuState, args: Sequence[object]) -> None:
    _privileged(cpu)
    cpu.regs[_reg(args[0])] = 1 if cpu.mode == "supervisor" else 0


def _getmode_unprivileged(cpu: CpuState, args: Sequence[object]) -> None:
    """Like x86 SMSW/PUSHF: anyone may read the mode, so a guest kernel sees 'user'."""
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
    {**TOY_ISA.semantics, "popf": _popf_x86, "getmode": _getmode_unprivileged},
    _EXAMPLES,
)


def step(isa: Isa, cpu: CpuState, insn: Instruction) -> None:
    """Execute one instruction on ``cpu`` in place, or raise ``Trap`` leaving it unchanged."""
    op, *args = insn
    try:
        semantics = isa.semantics[str(op)]
    except KeyError:
        raise InvalidOperation(
            f"{op!r} is not an instruction of the {isa.name} ISA ({', '.join(isa.semantics)})"
        ) from None
    trial = cpu.copy()
    semantics(trial, args)
    trial.pc += 1
    cpu.__dict__.update(trial.__dict__)


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
    trace = trace if trace is not None else Trace()
    cpu = CpuState(mode="supervisor", base=0, bound=GUEST_WORDS)
    for _ in range(max_steps):
        if cpu.halted or cpu.pc >= len(program):
            break
        insn = program[cpu.pc]
        trace.emit("isa.exec", run="native", pc=cpu.pc, insn=list(insn), mode=cpu.mode)
        try:
            step(isa, cpu, insn)
        except Trap as trap:
            raise InvalidOperation(f"the program faulted natively at pc {cpu.pc}: {trap}") from None
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
        vcpu = CpuState(mode="supervisor", base=0, bound=GUEST_WORDS)  # what the guest believes
        real = CpuState(mode="user", base=GUEST_WORDS, bound=GUEST_WORDS)
        traps = 0
        for _ in range(max_steps):
            if vcpu.halted or real.pc >= len(program):
                break
            insn = program[real.pc]
            self.trace.emit("isa.exec", run="vmm", pc=real.pc, insn=list(insn), mode=real.mode)
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
                        f"the guest faulted at pc {real.pc} even in its virtual mode: {fault}"
                    ) from None
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
            else:
                vcpu.regs = dict(real.regs)
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


def diverges(isa: Isa, program: Sequence[Instruction]) -> bool:
    """Does the guest see something different under trap-and-emulate than on bare metal?"""
    native = run_native(isa, program)
    virtual = TrapAndEmulateVmm(isa).run(program)
    return replace(virtual, traps=0) != native


# ----- binary translation vs hardware assist -------------------------------------------------

TECHNIQUES = ("native", "bt", "hw")

COSTS: dict[str, dict[str, int]] = {
    # cycles per operation (approx.), Adams & Agesen, ASPLOS 2006
    "pte_write": {"native": 1, "bt": 391, "hw": 12_733},
    "page_fault": {"native": 1_093, "bt": 3_927, "hw": 11_242},
    # ordinary instructions run directly under both techniques
    "plain": {"native": 1, "bt": 1, "hw": 1},
    # teaching values (not the paper's table): VT-x runs a guest system call without any exit,
    # while BT must enter translated kernel code, so here hardware assist wins
    "syscall": {"native": 250, "bt": 2_300, "hw": 250},
}


def technique_cycles(
    mix: dict[str, int], costs: dict[str, dict[str, int]] | None = None
) -> dict[str, int]:
    """Total cycles of an operation mix (operation → count) under each technique."""
    table = COSTS if costs is None else costs
    unknown = set(mix) - set(table)
    if unknown:
        raise InvalidOperation(
            f"no cost known for {sorted(unknown)}; the model knows {sorted(table)}"
        )
    return {t: sum(count * table[op][t] for op, count in mix.items()) for t in TECHNIQUES}


def cheaper(mix: dict[str, int], costs: dict[str, dict[str, int]] | None = None) -> str:
    """``"bt"`` or ``"hw"``, whichever runs the mix in fewer cycles (ties go to hardware)."""
    cycles = technique_cycles(mix, costs)
    return "bt" if cycles["bt"] < cycles["hw"] else "hw"
