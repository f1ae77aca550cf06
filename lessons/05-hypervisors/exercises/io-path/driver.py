"""Checks a learner's layer list against the path the model itself takes; public."""

from tutor.explanations import explain, table
from tutor.grading.feedback import Feedback
from tutor.sim import LAYERS, path_of
from tutor.sim.hypervisor import OPERATIONS

# The model's own answer: learner code that imports these gets the module without them.
MODEL_ANSWERS = {
    "tutor.sim": ("path_of", "Hypervisor"),
    "tutor.sim.hypervisor": ("path_of", "PATHS", "_steps", "Hypervisor"),
    "tutor.sim.kvm": ("PATHS", "_ACTING"),
}
RETURNS = {"path": [str]}


def run(submission, args, trace):
    layers = list(submission.path(args["kind"], args["operation"]))
    trace.emit("op.start", hv=args["kind"], op=args["operation"], guest="vm1")
    for layer in layers:
        cycles = LAYERS[layer].cycles if layer in LAYERS else 0
        trace.emit("layer.enter", layer=layer, dir="down", cycles=cycles)
    trace.emit(
        "op.end", op=args["operation"], cycles=sum(LAYERS[x].cycles for x in layers if x in LAYERS)
    )
    return {"path": layers}


def compare(args, expected, actual, reveal=False):
    kind, operation = args["kind"], args["operation"]
    return Feedback(reveal).sequence(
        "path",
        path_of(kind, operation),
        actual["path"],
        known=LAYERS,
        allowed={layer for op in OPERATIONS for layer in path_of(kind, op)},
        where={"en": f"a {kind} stack", "zh": f" {kind} 的分层结构"},
        why=table("layers.crossed"),
        needs=table("layers.needs"),
        twice=explain("layers.twice"),
        end=explain(f"layers.ends.{operation}"),
    )
