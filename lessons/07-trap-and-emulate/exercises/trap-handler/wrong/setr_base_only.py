# expect: both vcpu.base and vcpu.bound
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
        vcpu.base = args[0]
    elif op == "getr":
        vcpu.regs[args[0]] = vcpu.base
    elif op == "getmode":
        vcpu.regs[args[0]] = 1
    elif op == "halt":
        vcpu.halted = True
    vcpu.pc += 1
