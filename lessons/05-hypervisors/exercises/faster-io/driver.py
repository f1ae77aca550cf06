"""Checks a prediction of a faster network path against the model's; public."""

from tutor.explanations import explain, table
from tutor.explanations.layers import crossing
from tutor.grading.feedback import Feedback
from tutor.sim import LAYERS, InvalidOperation, path_of
from tutor.sim.testbed import cycles_saved, draw_path, machine_cycles

OP = "net_send"
_HIDDEN = ("path_of", "Hypervisor", "stack_of", "PATHS", "FAST_PATHS", "_SRIOV_NET", "_steps")
MODEL_ANSWERS = {
    "tutor.sim": ("path_of", "Hypervisor", "stack_of"),
    "tutor.sim.hypervisor": (*_HIDDEN, "_NO_FAST_PATH"),
    "tutor.sim.kvm": ("PATHS", "_ACTING"),
    "tutor.sim.testbed": ("cycles_saved",),
}
RETURNS = {"predict": (None, {"path": [str], "saved": int})}


def run(submission, args, trace):
    kind, io, costs = args["kind"], args["io"], machine_cycles(args.get("costs"))
    result = submission.predict(kind, io, path_of(kind, OP), dict(costs))
    if result is None:
        return {"path": None, "saved": None}
    return {"path": draw_path(trace, kind, OP, result["path"], costs, io), "saved": result["saved"]}


def compare(args, expected, actual, reveal=False):
    kind, io, got, check = args["kind"], args["io"], actual["path"], Feedback(reveal)
    try:
        want = path_of(kind, OP, io)
    except InvalidOperation as exc:  # the model says why this design has no such path
        why = {"en": str(exc), "zh": exc.zh or str(exc)}
        return None if got is None else check.revealing(why, expected=None)
    if got is None:
        return explain(f"layers.has_fast_path.{io}")
    removed, costs = table(f"layers.removed.{io}"), args.get("costs", {})
    textbook = costs and actual["saved"] == cycles_saved(kind, io, {})
    return check.first(
        check.members(
            "path",
            want,
            got,
            known=LAYERS,
            why_extra={layer: removed.get(layer, removed["other"]) for layer in LAYERS},
            why_missing={layer: crossing(layer, kind, OP, io) for layer in want},
            twice=explain("layers.twice"),
            order=explain("layers.order"),
        ),
        check.equal(
            "saved",
            cycles_saved(kind, io, costs),
            actual["saved"],
            why=explain("layers.saved_textbook" if textbook else "layers.saved"),
        ),
    )
