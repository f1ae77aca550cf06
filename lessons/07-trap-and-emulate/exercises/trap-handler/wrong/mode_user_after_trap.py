# expect: the mode the guest believes it is in
def emulate(vcpu, insn):
    op, *args = insn
    if op == "cli":
        vcpu.iflag = 0
    elif op == "sti":
        vcpu.iflag = 1
    elif op == "popf":
        vcpu.iflag = vcpu.regs[args[0]] & 1
    elif op == "out":
        vcpu.io.append(vcpu.regs[args[0]])
    elif op == "setr":
        vcpu.base, vcpu.bound = args[0], args[1]
    elif op == "getr":
        vcpu.regs[args[0]] = vcpu.base
    elif op == "getmode":
        vcpu.regs[args[0]] = 1 if vcpu.mode == "supervisor" else 0
    elif op == "halt":
        vcpu.halted = True
    vcpu.mode = "user"  # Misconception: a trap drops the guest to user mode, as it does the real CPU.
    vcpu.pc += 1
