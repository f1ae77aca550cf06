# expect: loads the interrupt flag from bit 0
def emulate(vcpu, insn):
    op, *args = insn
    if op == "cli":
        vcpu.iflag = 0
    elif op == "sti":
        vcpu.iflag = 1
    elif op == "popf":
        vcpu.iflag = 1 if vcpu.regs[args[0]] else 0  # any value but 0 sets it
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
    vcpu.pc += 1
