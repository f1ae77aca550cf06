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
    program, example = actual["program"], expected["program"]
    if actual["too_long"]:
        return explain("trap_emulate.unmask.too_long", n=len(program), most=MAX_INSTRUCTIONS)
    if example is None or program is None:
        key = "virtualizable" if program is not None else "missed" if example is not None else None
        return key and explain(f"trap_emulate.unmask.{key}")
    if actual["diverges"]:
        return None
    kernel = "; ".join(" ".join(str(p) for p in insn) for insn in example)
    more = explain("trap_emulate.unmask.example", kernel=kernel)
    return Feedback(reveal).revealing(explain("trap_emulate.unmask.same_state"), more)
