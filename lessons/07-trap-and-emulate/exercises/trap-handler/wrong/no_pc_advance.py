# expect: must move vcpu.pc past the instruction
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
        vcpu.regs[args[0]] = 1
    elif op == "halt":
        vcpu.halted = True
    # Misconception: the CPU moves on by itself after a trap.
