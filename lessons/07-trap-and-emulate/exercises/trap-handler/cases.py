"""Guest kernels for the trap handler: every sensitive instruction of the toy ISA in practice.

A case's kinds are the sensitive instructions its kernel uses, so a handler that passes the
practice cases has emulated every instruction a hidden kernel can trap on. Hidden kernels are
random (values, registers, relocation, order, a halt before the end) per learner; the last one
always pops the flags from an even register and from an odd one above 1, so only bit 0 decides.
"""

SENSITIVE = ("cli", "sti", "popf", "out", "setr", "getr", "getmode", "halt")


def _case(name, zh, program):
    kinds = sorted({insn[0] for insn in program if insn[0] in SENSITIVE})
    return {
        "name": name,
        "title": {"en": name, "zh": zh},
        "args": {"program": [list(insn) for insn in program]},
        "kinds": kinds,
    }


PRACTICE = [
    _case(
        "interrupts off and on",
        "关中断再开中断",
        [
            ("add", "a", 5),
            ("cli",),
            ("add", "b", 1),
            ("sti",),
            ("cli",),
            ("halt",),
            ("add", "a", 1),
        ],
    ),
    _case(
        "output and popf",
        "输出与 popf",
        [("add", "a", 6), ("out", "a"), ("popf", "a"), ("add", "b", 3), ("out", "b"), ("halt",)],
    ),
    _case(
        "relocation",
        "重定位",
        [
            ("add", "a", 7),
            ("store", 3, "a"),
            ("setr", 4, 16),
            ("getr", "b"),
            ("store", 3, "b"),
            ("load", "a", 3),
            ("out", "a"),
            ("halt",),
        ],
    ),
    # getmode after another trap: a handler that switches the vCPU to user mode on a trap
    # (a classic mix-up of the guest's mode with the real CPU's) shows only then.
    _case("mode", "模式", [("cli",), ("getmode", "a"), ("out", "a"), ("add", "b", 2), ("halt",)]),
]

REGS = ("a", "b")


def _instruction(rng, op):
    reg = rng.choice(REGS)
    if op == "add":
        return ("add", reg, rng.randint(-5, 9))
    if op == "load":
        return ("load", reg, rng.randint(0, 15))
    if op == "store":
        return ("store", rng.randint(0, 15), reg)
    if op == "setr":
        return ("setr", rng.randint(1, 8), rng.randint(16, 24))
    if op in ("cli", "sti", "halt"):
        return (op,)
    return (op, reg)


def _getmode_after_a_trap(ops):
    """Moves getmode after another sensitive instruction, if it comes first of them."""
    traps = [i for i, op in enumerate(ops) if op in SENSITIVE]
    if len(traps) > 1 and ops[traps[0]] == "getmode":
        ops[traps[0]], ops[traps[1]] = ops[traps[1]], ops[traps[0]]


def hidden(rng):
    cases = []
    for n in range(5):
        ops = rng.sample(SENSITIVE[:-1], k=rng.randint(3, 6))
        if n == 0 and "getmode" not in ops:  # every learner's kernels read the mode once
            ops[0] = "getmode"
        ops += [rng.choice(("add", "load", "store")) for _ in range(rng.randint(3, 6))]
        rng.shuffle(ops)
        _getmode_after_a_trap(ops)
        program = [("add", "a", rng.randint(1, 9)), ("add", "b", rng.randint(1, 9))]
        program += [_instruction(rng, op) for op in ops]
        if n > 0 and rng.random() < 0.5:  # the first kernel runs to its end
            program.insert(rng.randint(3, len(program)), ("halt",))
        else:
            program.append(("halt",))
        cases.append(_case(f"kernel {n + 1}", f"内核 {n + 1}", program))
    even, odd = rng.sample(REGS, 2)
    program = [("add", even, rng.choice((2, 4, 6, 8))), ("add", odd, rng.choice((3, 5, 7, 9)))]
    program += [("popf", even), ("out", even), ("popf", odd), ("cli",), ("popf", odd), ("halt",)]
    cases.append(_case("kernel 6", "内核 6", program))
    return cases
