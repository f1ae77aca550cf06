"""Runs the learner's guest kernel natively and under trap-and-emulate on a given machine.

The machine is the toy ISA with some instructions allowed to run in user mode
(``tutor.sim.isa.isa_variant``). If one of them is sensitive, Popek and Goldberg's Theorem 1 no
longer holds and some kernel must behave differently under the VMM; the learner designs one, or
answers None when every sensitive instruction still traps. The model decides: it runs the
kernel both ways (``compare_runs``) and names what differs.
"""

from tutor.explanations import explain
from tutor.sim.isa import compare_runs, isa_variant

MAX_INSTRUCTIONS = 8

# The checker would name the answer to "is there any such kernel?" outright.
MODEL_ANSWERS = {
    "tutor.sim": ("classify", "diverges"),
    "tutor.sim.isa": ("classify", "diverges"),
}

RETURNS = {"divergent_program": ([[(str, int)]], None)}


def run(submission, args, trace):
    isa = isa_variant("this machine", args["runs_in_user_mode"])
    program = submission.divergent_program(list(args["runs_in_user_mode"]))
    if program is None:
        return {"program": None, "diverges": False, "differences": [], "too_long": False}
    program = [tuple(insn) for insn in program]
    if len(program) > MAX_INSTRUCTIONS:
        return {
            "program": [list(i) for i in program],
            "diverges": False,
            "differences": [],
            "too_long": True,
        }
    result = compare_runs(isa, program, trace=trace, max_steps=50)
    return {
        "program": [list(insn) for insn in program],
        "diverges": result.diverges,
        "differences": list(result.differences),
        "too_long": False,
    }


def compare(args, expected, actual, reveal=False):
    if actual["too_long"]:
        return explain(
            "trap_emulate.unmask.too_long", n=len(actual["program"]), most=MAX_INSTRUCTIONS
        )
    if expected["program"] is None:
        if actual["program"] is None:
            return None
        return explain("trap_emulate.unmask.virtualizable")
    if actual["program"] is None:
        return explain("trap_emulate.unmask.missed")
    if not actual["diverges"]:
        message = explain("trap_emulate.unmask.same_state")
        if reveal:
            kernel = "; ".join(" ".join(str(p) for p in insn) for insn in expected["program"])
            more = explain("trap_emulate.unmask.example", kernel=kernel)
            message = {lang: message[lang] + more[lang] for lang in message}
        return message
    return None
