"""Runs a guest kernel natively, then under a trap-and-emulate VMM whose handler is the learner's.

The model does the rest (``tutor.sim.isa.compare_runs``): the real CPU runs the guest in user
mode, every sensitive instruction of the toy ISA traps, and the learner's ``emulate(vcpu, insn)``
must leave the *virtual* CPU exactly as bare metal would. The first step where the two runs
differ is found from the trace's ``isa.retire`` events, so the message names the instruction
whose emulation went wrong.
"""

from tutor.sim.isa import TOY_ISA, compare_runs

# The ISA's own semantics would emulate every instruction in one line: hidden from learner code.
MODEL_ANSWERS = {
    "tutor.sim": ("TOY_ISA", "X86_LIKE_ISA", "TrapAndEmulateVmm", "run_native", "diverges"),
    "tutor.sim.isa": (
        "TOY_ISA",
        "X86_LIKE_ISA",
        "X86_UMIP_ISA",
        "ISAS",
        "UNPROTECTED",
        "isa_variant",
        "step",
        "TrapAndEmulateVmm",
        "run_native",
        "compare_runs",
        "diverges",
        "_setr",
        "_getr",
        "_getmode",
        "_cli",
        "_sti",
        "_popf",
        "_out",
        "_halt",
    ),
}

FIELDS = ("halted", "iflag", "base", "bound", "regs", "io")

WHY = {
    "cli": {
        "en": "cli clears the guest's own interrupt flag: set vcpu.iflag to 0 (the real flag "
        "belongs to the VMM)",
        "zh": "cli 清除的是客户机自己的中断标志：把 vcpu.iflag 设为 0（真实的中断标志归 VMM 所有）",
    },
    "sti": {
        "en": "sti sets the guest's own interrupt flag: set vcpu.iflag to 1",
        "zh": "sti 设置的是客户机自己的中断标志：把 vcpu.iflag 设为 1",
    },
    "popf": {
        "en": "popf reg loads the interrupt flag from bit 0 of that register: "
        "vcpu.iflag = vcpu.regs[reg] & 1",
        "zh": "popf reg 从该寄存器的第 0 位载入中断标志：vcpu.iflag = vcpu.regs[reg] & 1",
    },
    "out": {
        "en": "out reg sends that register's value to the guest's output port: append it to "
        "vcpu.io",
        "zh": "out reg 把该寄存器的值送到客户机的输出端口：把它追加到 vcpu.io",
    },
    "setr": {
        "en": "setr base, bound sets the guest's own relocation-bounds register: both "
        "vcpu.base and vcpu.bound (the VMM composes them with where it put the guest)",
        "zh": "setr base, bound 设置的是客户机自己的重定位-界限寄存器：vcpu.base 和 vcpu.bound "
        "都要设置（VMM 再把它们和自己安放客户机的位置组合起来）",
    },
    "getr": {
        "en": "getr reg reads the relocation base the guest itself set (vcpu.base), never "
        "where the VMM really put it",
        "zh": "getr reg 读到的必须是客户机自己设置的重定位基址（vcpu.base），而不是 VMM "
        "实际安放它的位置",
    },
    "getmode": {
        "en": "getmode reg must report the mode the guest believes it is in: the virtual CPU "
        "is in supervisor mode (1), although the real CPU runs the guest in user mode",
        "zh": "getmode reg 必须报告客户机自以为所处的模式：虚拟 CPU 处于特权态（1），"
        "尽管真实 CPU 是在用户态运行客户机的",
    },
    "halt": {
        "en": "halt stops the guest: set vcpu.halted to True",
        "zh": "halt 让客户机停机：把 vcpu.halted 设为 True",
    },
}

FIELD_NAMES = {
    "halted": {"en": "whether it has halted", "zh": "是否已停机"},
    "iflag": {"en": "its interrupt flag", "zh": "中断标志"},
    "base": {"en": "its relocation base", "zh": "重定位基址"},
    "bound": {"en": "its relocation bound", "zh": "重定位界限"},
    "regs": {"en": "its registers", "zh": "寄存器"},
    "io": {"en": "what it has sent to the output port", "zh": "已送到输出端口的内容"},
}


def run(submission, args, trace):
    program = [tuple(insn) for insn in args["program"]]
    result = compare_runs(TOY_ISA, program, handler=submission.emulate, trace=trace, max_steps=200)
    virtual = result.virtual
    return {
        "regs": dict(virtual.regs),
        "iflag": virtual.iflag,
        "base": virtual.base,
        "bound": virtual.bound,
        "io": list(virtual.io),
        "traps": virtual.traps,
        "departure": _departure(trace.events),
    }


def _departure(events):
    """The first instruction after which the guest under the VMM sees something bare metal
    would not show it, or None."""
    native = [e for e in events if e["kind"] == "isa.retire" and e["run"] == "native"]
    vmm = [e for e in events if e["kind"] == "isa.retire" and e["run"] == "vmm"]
    for k in range(max(len(native), len(vmm))):
        if k >= len(native):
            return {"step": k, "field": "ran_on", "pc": vmm[k]["pc"], "insn": vmm[k]["insn"]}
        if k >= len(vmm):
            return {"step": k, "field": "stopped", "pc": native[k]["pc"], "insn": native[k]["insn"]}
        if vmm[k]["pc"] != native[k]["pc"]:
            blame = vmm[k - 1] if k else vmm[k]
            return {"step": k, "field": "pc", "pc": blame["pc"], "insn": blame["insn"]}
        for field in FIELDS:
            if vmm[k][field] != native[k][field]:
                return {
                    "step": k,
                    "field": field,
                    "pc": vmm[k]["pc"],
                    "insn": vmm[k]["insn"],
                    "yours": vmm[k][field],
                    "native": native[k][field],
                }
    return None


def compare(args, expected, actual, reveal=False):
    gone = actual["departure"]
    if gone is None:
        return None
    op, pc = gone["insn"][0], gone["pc"]
    shown = " ".join(str(part) for part in gone["insn"])
    why = WHY.get(op, {"en": f"{op} runs directly", "zh": f"{op} 直接在真实 CPU 上运行"})
    field = gone["field"]
    if field == "pc":
        return {
            "en": f"after emulating `{shown}` at pc {pc} the guest did not continue with the next "
            "instruction: a handler must move vcpu.pc past the instruction it emulated "
            "(vcpu.pc += 1), or the guest traps on it again",
            "zh": f"模拟完 pc {pc} 处的 `{shown}` 之后，客户机没有继续执行下一条指令：处理程序必须"
            "把 vcpu.pc 移过它刚模拟的指令（vcpu.pc += 1），否则客户机会在同一条指令上再次陷入",
        }
    if field == "ran_on":
        return {
            "en": f"under your VMM the guest ran on to `{shown}` at pc {pc}, which bare metal "
            "never executes: the guest halted before it there. " + WHY["halt"]["en"],
            "zh": f"在你的 VMM 下，客户机继续执行到了 pc {pc} 处的 `{shown}`，"
            "而裸机根本不会执行它：在裸机上客户机在此之前就停机了。" + WHY["halt"]["zh"],
        }
    if field == "stopped":
        return {
            "en": f"under your VMM the guest stopped before `{shown}` at pc {pc}, which bare "
            "metal still executes: only halt may set vcpu.halted",
            "zh": f"在你的 VMM 下，客户机在 pc {pc} 处的 `{shown}` 之前就停下了，而裸机仍会执行它："
            "只有 halt 才能设置 vcpu.halted",
        }
    name = FIELD_NAMES[field]
    message = {
        "en": f"after `{shown}` at pc {pc}, the guest under your VMM sees {name['en']} as "
        f"{_show(gone['yours'])}, unlike on bare metal: {why['en']}",
        "zh": f"执行 pc {pc} 处的 `{shown}` 之后，你的 VMM 下的客户机看到的{name['zh']}是 "
        f"{_show(gone['yours'])}，与裸机上不同：{why['zh']}",
    }
    if reveal:
        message["en"] += f" (bare metal: {_show(gone['native'])})"
        message["zh"] += f"（裸机上是 {_show(gone['native'])}）"
    return message


def _show(value):
    if isinstance(value, dict):
        return ", ".join(f"{key}={value[key]}" for key in sorted(value))
    return repr(value) if isinstance(value, list) else str(value)
