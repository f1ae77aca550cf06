"""Runs a guest kernel natively, then under a trap-and-emulate VMM whose handler is the learner's.

The model does the rest (``tutor.sim.isa.compare_runs``): the real CPU runs the guest in user
mode, every sensitive instruction of the toy ISA traps, and the learner's ``emulate(vcpu, insn)``
must leave the *virtual* CPU exactly as bare metal would. The first step where the two runs
differ is found from the trace's ``isa.retire`` events, so the message names the instruction
whose emulation went wrong.
"""

from tutor.explanations import explain, table
from tutor.sim.isa import TOY_ISA, compare_runs

# The ISA's own semantics would emulate every instruction in one line: hidden from learner code.
MODEL_ANSWERS = {
    "tutor.sim": ("TOY_ISA", "X86_LIKE_ISA", "TrapAndEmulateVmm", "run_native", "diverges"),
    "tutor.sim.isa": (
        "TOY_ISA",
        "X86_LIKE_ISA",
        "X86_UMIP_ISA",
        "ISAS",
        "UNPROTECTED",
        "isa_variant",
        "step",
        "TrapAndEmulateVmm",
        "run_native",
        "compare_runs",
        "diverges",
        "_setr",
        "_getr",
        "_getmode",
        "_cli",
        "_sti",
        "_popf",
        "_out",
        "_halt",
    ),
}

FIELDS = ("halted", "iflag", "base", "bound", "regs", "io")
WHY = table("trap_emulate.emulate")
SEES = table("trap_emulate.sees")


def run(submission, args, trace):
    program = [tuple(insn) for insn in args["program"]]
    result = compare_runs(TOY_ISA, program, handler=submission.emulate, trace=trace, max_steps=200)
    virtual = result.virtual
    return {
        "regs": dict(virtual.regs),
        "iflag": virtual.iflag,
        "base": virtual.base,
        "bound": virtual.bound,
        "io": list(virtual.io),
        "traps": virtual.traps,
        "departure": _departure(trace.events),
    }


def _departure(events):
    """The first instruction after which the guest under the VMM sees something bare metal
    would not show it, or None."""
    native = [e for e in events if e["kind"] == "isa.retire" and e["run"] == "native"]
    vmm = [e for e in events if e["kind"] == "isa.retire" and e["run"] == "vmm"]
    for k in range(max(len(native), len(vmm))):
        if k >= len(native):
            return {"step": k, "field": "ran_on", "pc": vmm[k]["pc"], "insn": vmm[k]["insn"]}
        if k >= len(vmm):
            return {"step": k, "field": "stopped", "pc": native[k]["pc"], "insn": native[k]["insn"]}
        if vmm[k]["pc"] != native[k]["pc"]:
            blame = vmm[k - 1] if k else vmm[k]
            return {"step": k, "field": "pc", "pc": blame["pc"], "insn": blame["insn"]}
        for field in FIELDS:
            if vmm[k][field] != native[k][field]:
                return {
                    "step": k,
                    "field": field,
                    "pc": vmm[k]["pc"],
                    "insn": vmm[k]["insn"],
                    "yours": vmm[k][field],
                    "native": native[k][field],
                }
    return None


def compare(args, expected, actual, reveal=False):
    gone = actual["departure"]
    if gone is None:
        return None
    op, pc = gone["insn"][0], gone["pc"]
    shown = " ".join(str(part) for part in gone["insn"])
    why = WHY.get(op) or explain("trap_emulate.direct", op=op)
    field = gone["field"]
    if field == "pc":
        return explain("trap_emulate.pc_stuck", shown=shown, pc=pc)
    if field == "ran_on":
        return explain("trap_emulate.ran_on", shown=shown, pc=pc, why=WHY["halt"])
    if field == "stopped":
        return explain("trap_emulate.stopped", shown=shown, pc=pc)
    message = explain(
        "trap_emulate.differs",
        shown=shown,
        pc=pc,
        field=SEES[field],
        value=_show(gone["yours"]),
        why=why,
    )
    if reveal:
        more = explain("trap_emulate.bare_metal", value=_show(gone["native"]))
        message = {lang: message[lang] + more[lang] for lang in message}
    return message


def _show(value):
    if isinstance(value, dict):
        return ", ".join(f"{key}={value[key]}" for key in sorted(value))
    return repr(value) if isinstance(value, list) else str(value)
