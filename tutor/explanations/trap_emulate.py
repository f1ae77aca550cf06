"""Trap-and-emulate on the toy ISA (lesson 7: trap-handler, break-the-vmm)."""

EXPLANATIONS = {
    # What a handler must do to the virtual CPU for each instruction that traps.
    "emulate": {
        "cli": {
            "en": "cli clears the guest's own interrupt flag: set vcpu.iflag to 0 (the real flag "
            "belongs to the VMM)",
            "zh": "cli 清除的是客户机自己的中断标志：把 vcpu.iflag 设为 0"
            "（真实的中断标志归 VMM 所有）",
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
    },
    "direct": {"en": "{op} runs directly", "zh": "{op} 直接在真实 CPU 上运行"},
    # What the guest can see, named for a sentence "the guest sees ... as <value>".
    "sees": {
        "halted": {"en": "whether it has halted", "zh": "是否已停机"},
        "iflag": {"en": "its interrupt flag", "zh": "中断标志"},
        "base": {"en": "its relocation base", "zh": "重定位基址"},
        "bound": {"en": "its relocation bound", "zh": "重定位界限"},
        "regs": {"en": "its registers", "zh": "寄存器"},
        "io": {"en": "what it has sent to the output port", "zh": "已送到输出端口的内容"},
    },
    "pc_stuck": {
        "en": "after emulating `{shown}` at pc {pc} the guest did not continue with the next "
        "instruction: a handler must move vcpu.pc past the instruction it emulated "
        "(vcpu.pc += 1), or the guest traps on it again",
        "zh": "模拟完 pc {pc} 处的 `{shown}` 之后，客户机没有继续执行下一条指令：处理程序必须"
        "把 vcpu.pc 移过它刚模拟的指令（vcpu.pc += 1），否则客户机会在同一条指令上再次陷入",
    },
    "ran_on": {
        "en": "under your VMM the guest ran on to `{shown}` at pc {pc}, which bare metal never "
        "executes: the guest halted before it there. {why}",
        "zh": "在你的 VMM 下，客户机继续执行到了 pc {pc} 处的 `{shown}`，"
        "而裸机根本不会执行它：在裸机上客户机在此之前就停机了。{why}",
    },
    "stopped": {
        "en": "under your VMM the guest stopped before `{shown}` at pc {pc}, which bare metal "
        "still executes: only halt may set vcpu.halted",
        "zh": "在你的 VMM 下，客户机在 pc {pc} 处的 `{shown}` 之前就停下了，而裸机仍会执行它："
        "只有 halt 才能设置 vcpu.halted",
    },
    "differs": {
        "en": "after `{shown}` at pc {pc}, the guest under your VMM sees {field} as {value}, "
        "unlike on bare metal: {why}",
        "zh": "执行 pc {pc} 处的 `{shown}` 之后，你的 VMM 下的客户机看到的{field}是 {value}，"
        "与裸机上不同：{why}",
    },
    "bare_metal": {"en": " (bare metal: {value})", "zh": "（裸机上是 {value}）"},
    # Designing a kernel that unmasks the VMM (break-the-vmm).
    "unmask": {
        "too_long": {
            "en": "the kernel has {n} instructions; at most {most} are allowed: one well-chosen "
            "instruction is usually enough",
            "zh": "这个内核有 {n} 条指令；最多允许 {most} 条：通常一条选得好的指令就够了",
        },
        "virtualizable": {
            "en": "on this machine every sensitive instruction still traps (the ones that run in "
            "user mode are innocuous), so by Theorem 1 no kernel can tell the VMM from bare "
            "metal: your kernel behaved the same both ways, as every kernel would here",
            "zh": "在这台机器上，每条敏感指令仍然会陷入（能在用户态运行的都是无害指令），"
            "所以根据定理 1，没有任何内核能分辨 VMM 和裸机：你的内核两次运行结果相同，"
            "在这里任何内核都会如此",
        },
        "missed": {
            "en": "you answered None, but on this machine a sensitive instruction runs in user "
            "mode without trapping, so the VMM never sees it: Theorem 1 does not hold, and "
            "some kernel shows the difference",
            "zh": "你回答了 None，但在这台机器上有一条敏感指令能在用户态运行而不陷入，"
            "VMM 根本看不到它：定理 1 不成立，一定有内核能暴露这种差别",
        },
        "same_state": {
            "en": "your kernel ends in the same state natively and under the VMM: use an "
            "instruction that is sensitive and runs in user mode here, in a way whose effect "
            "(a register, the interrupt flag, the relocation register, the output) differs "
            "from what the guest would see on bare metal",
            "zh": "你的内核在裸机上和在 VMM 下结束时状态相同：要用一条在这里能于用户态运行的"
            "敏感指令，并让它的效果（某个寄存器、中断标志、重定位寄存器或输出）与客户机在裸机上"
            "看到的不同",
        },
        "example": {
            "en": " (one kernel that does: {kernel})",
            "zh": "（例如这个内核就可以：{kernel}）",
        },
    },
}
