"""Checks a learner's layer list against the path the model itself takes; public."""

from tutor.explanations.layers import path_reasons
from tutor.grading.feedback import Feedback
from tutor.sim import LAYERS, OPERATIONS, path_of
from tutor.sim.testbed import draw_path, machine_cycles

# The model's own answer: learner code that imports these gets the module without them.
MODEL_ANSWERS = {
    "tutor.sim": ("path_of", "Hypervisor"),
    "tutor.sim.hypervisor": ("path_of", "PATHS", "_steps", "Hypervisor"),
    "tutor.sim.kvm": ("PATHS", "_ACTING"),
}
RETURNS = {"path": [str]}


def run(submission, args, trace):
    path = submission.path(args["kind"], args["operation"])
    return {"path": draw_path(trace, args["kind"], args["operation"], path, machine_cycles())}


def compare(args, expected, actual, reveal=False):
    kind, operation = args["kind"], args["operation"]
    allowed = {layer for op in OPERATIONS for layer in path_of(kind, op)}
    reasons = path_reasons(kind, operation)
    return Feedback(reveal).sequence(
        "path", path_of(kind, operation), actual["path"], known=LAYERS, allowed=allowed, **reasons
    )
