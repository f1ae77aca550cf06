"""Runs the learner's guest kernel natively and under trap-and-emulate on a machine where some
instructions run in user mode (``isa_variant``): if one is sensitive, Theorem 1 fails and some
kernel behaves differently under the VMM; the learner designs one, or answers None; public."""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim.isa import compare_runs, isa_variant

MAX_INSTRUCTIONS = 8
# The checker would name the answer to "is there any such kernel?" outright.
MODEL_ANSWERS = {"tutor.sim": ("classify", "diverges"), "tutor.sim.isa": ("classify", "diverges")}
RETURNS = {"divergent_program": ([[(str, int)]], None)}


def run(submission, args, trace):
    isa = isa_variant("this machine", args["runs_in_user_mode"])
    program = submission.divergent_program(list(args["runs_in_user_mode"]))
    shown = None if program is None else [list(insn) for insn in program]
    result = {"program": shown, "diverges": False, "differences": [], "too_long": False}
    if program is None or len(program) > MAX_INSTRUCTIONS:
        return {**result, "too_long": program is not None}
    runs = compare_runs(isa, [tuple(insn) for insn in program], trace=trace, max_steps=50)
    return {**result, "diverges": runs.diverges, "differences": list(runs.differences)}


def compare(args, expected, actual, reveal=False):
    program, example = actual["program"], expected["program"]
    if actual["too_long"]:
        return explain("trap_emulate.unmask.too_long", n=len(program), most=MAX_INSTRUCTIONS)
    if example is None:
        return None if program is None else explain("trap_emulate.unmask.virtualizable")
    if program is None:
        return explain("trap_emulate.unmask.missed")
    if actual["diverges"]:
        return None
    kernel = "; ".join(" ".join(str(p) for p in insn) for insn in example)
    more = explain("trap_emulate.unmask.example", kernel=kernel)
    return Feedback(reveal).revealing(explain("trap_emulate.unmask.same_state"), more)
