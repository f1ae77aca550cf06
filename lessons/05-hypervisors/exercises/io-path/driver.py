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
    kind, operation = args["kind"], args["operation"]
    path = submission.path(kind, operation)
    return {"path": draw_path(trace, kind, operation, path, machine_cycles())}


def compare(args, expected, actual, reveal=False):
    kind, operation = args["kind"], args["operation"]
    return Feedback(reveal).sequence(
        "path",
        path_of(kind, operation),
        actual["path"],
        known=LAYERS,
        allowed={layer for op in OPERATIONS for layer in path_of(kind, op)},
        **path_reasons(kind, operation),
    )
