def emulate(vcpu, insn):
    """在客户机的虚拟 CPU 上模拟一条陷入的指令，结果要和裸机上运行它完全一样。

    vcpu：虚拟 CPU。vcpu.mode 是 "supervisor"（客户机以为自己处于特权态），还有 vcpu.iflag、
    vcpu.base、vcpu.bound、vcpu.halted、vcpu.pc、vcpu.regs = {"a": ..., "b": ...}，以及 vcpu.io
    （一个列表：客户机送到输出端口的内容）。
    insn：陷入的那条指令，例如 ("cli",)、("popf", "a")、("setr", 4, 20)。
    """
    op = insn[0]
    if op == "cli":
        vcpu.iflag = 0
    # sti、popf、out、setr、getr、getmode 和 halt 也会陷入：逐一模拟它们。
    vcpu.pc += 1
