"""Runs a guest kernel natively, then under a VMM whose trap handler is the learner's; public."""

from tutor.explanations import explain, table
from tutor.grading.feedback import Feedback
from tutor.sim.isa import TOY_ISA, compare_runs
from tutor.sim.testbed import departure

# The ISA's own semantics would emulate every instruction in one line: hidden from learner code.
_ISA = ("TOY_ISA", "X86_LIKE_ISA", "X86_UMIP_ISA", "ISAS", "UNPROTECTED", "isa_variant", "step")
_RUNS = ("TrapAndEmulateVmm", "run_native", "compare_runs", "diverges")
_OPS = ("_setr", "_getr", "_getmode", "_cli", "_sti", "_popf", "_out", "_halt")
MODEL_ANSWERS = {
    "tutor.sim": ("TOY_ISA", "X86_LIKE_ISA", "TrapAndEmulateVmm", "run_native", "diverges"),
    "tutor.sim.isa": (*_ISA, *_RUNS, *_OPS),
}
FIELDS = ("halted", "iflag", "base", "bound", "regs", "io")


def run(submission, args, trace):
    program = [tuple(insn) for insn in args["program"]]
    result = compare_runs(TOY_ISA, program, handler=submission.emulate, trace=trace, max_steps=200)
    cpu = result.virtual
    state = {"regs": dict(cpu.regs), "iflag": cpu.iflag, "base": cpu.base, "bound": cpu.bound}
    return {
        **state,
        "io": list(cpu.io),
        "traps": cpu.traps,
        "departure": departure(trace.events, FIELDS),
    }


def compare(args, expected, actual, reveal=False):
    gone, why = actual["departure"], table("trap_emulate.emulate")
    if gone is None:
        return None
    at = {"shown": " ".join(str(part) for part in gone["insn"]), "pc": gone["pc"]}
    stops = {"pc": "pc_stuck", "ran_on": "ran_on", "stopped": "stopped"}
    if gone["field"] in stops:
        return explain(f"trap_emulate.{stops[gone['field']]}", why=why["halt"], **at)
    op, field = gone["insn"][0], table("trap_emulate.sees")[gone["field"]]
    because = why.get(op) or explain("trap_emulate.direct", op=op)
    message = explain(
        "trap_emulate.differs", field=field, value=_show(gone["yours"]), why=because, **at
    )
    return Feedback(reveal).revealing(
        message, explain("trap_emulate.bare_metal", value=_show(gone["native"]))
    )


def _show(value):
    if isinstance(value, dict):
        return ", ".join(f"{key}={value[key]}" for key in sorted(value))
    return repr(value) if isinstance(value, list) else str(value)
