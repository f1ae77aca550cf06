from tutor.sim.isa import TOY_ISA, step


def emulate(vcpu, insn):
    step(TOY_ISA, vcpu, insn)
