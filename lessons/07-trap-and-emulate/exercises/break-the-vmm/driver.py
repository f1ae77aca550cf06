"""Runs the learner's kernel natively and under trap-and-emulate on a leaky ISA; public."""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback
from tutor.sim.testbed import kernel_runs

MAX_INSTRUCTIONS = 8
# The checker would name the answer to "is there any such kernel?" outright.
_HIDDEN = ("classify", "diverges", "kernel_runs")
MODEL_ANSWERS = dict.fromkeys(("tutor.sim", "tutor.sim.isa", "tutor.sim.testbed"), _HIDDEN)
RETURNS = {"divergent_program": ([[(str, int)]], None)}


def run(submission, args, trace):
    program = submission.divergent_program(list(args["runs_in_user_mode"]))
    return kernel_runs(args["runs_in_user_mode"], program, MAX_INSTRUCTIONS, trace)


def compare(args, expected, actual, reveal=False):
    program, example, check = actual["program"], expected["program"], Feedback(reveal)
    if actual["too_long"]:
        return explain("trap_emulate.unmask.too_long", n=len(program), most=MAX_INSTRUCTIONS)
    if example is None:  # no kernel can tell: the answer None is named only with reveal
        virtualizable = explain("trap_emulate.unmask.virtualizable")
        return None if program is None else check.revealing(virtualizable, expected=None)
    if program is not None and actual["diverges"]:
        return None
    kernel = "; ".join(" ".join(str(p) for p in insn) for insn in example)
    more = explain("trap_emulate.unmask.example", kernel=kernel)
    why = "missed" if program is None else "same_state"
    return check.revealing(explain(f"trap_emulate.unmask.{why}"), more)
