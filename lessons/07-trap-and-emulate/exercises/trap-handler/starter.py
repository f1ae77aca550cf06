def emulate(vcpu, insn):
    """Emulate one trapped instruction on the guest's virtual CPU, as bare metal would run it.

    vcpu: the virtual CPU. vcpu.mode is "supervisor" (what the guest believes), vcpu.iflag,
    vcpu.base, vcpu.bound, vcpu.halted, vcpu.pc, vcpu.regs = {"a": ..., "b": ...}, vcpu.io (a
    list: what the guest sent to its output port).
    insn: the instruction that trapped, e.g. ("cli",), ("popf", "a"), ("setr", 4, 20).
    """
    op = insn[0]
    if op == "cli":
        vcpu.iflag = 0
    # sti, popf, out, setr, getr, getmode and halt trap too: emulate each one.
    vcpu.pc += 1
