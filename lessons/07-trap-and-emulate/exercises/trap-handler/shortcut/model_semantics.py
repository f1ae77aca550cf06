import tutor.sim.isa as isa


def emulate(vcpu, insn):
    op, *args = insn
    getattr(isa, "_" + op)(vcpu, args)
    vcpu.pc += 1
