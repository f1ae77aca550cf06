"""Runs a learner's prediction of a faster network path and checks it against the model; public.

The model is the authority: ``path_of(kind, "net_send", io)`` is the path the hypervisor really
takes (or an ``InvalidOperation`` saying why the design has none), and two model runs on this
machine's costs say how many cycles the faster path saves. The prediction is emitted into the
trace, so a replay shows it on the design's stack, flagged where it strays.
"""

from tutor.explanations import explain, table
from tutor.explanations.layers import crossing
from tutor.grading.feedback import Feedback
from tutor.sim import LAYERS, Hypervisor, InvalidOperation, path_of

OP = "net_send"
_HIDDEN = ("path_of", "Hypervisor", "stack_of", "PATHS", "FAST_PATHS", "_SRIOV_NET", "_steps")
MODEL_ANSWERS = {
    "tutor.sim": ("path_of", "Hypervisor", "stack_of"),
    "tutor.sim.hypervisor": (*_HIDDEN, "_NO_FAST_PATH"),
    "tutor.sim.kvm": ("PATHS", "_ACTING"),
}
RETURNS = {"predict": (None, {"path": [str], "saved": int})}


def run(submission, args, trace):
    kind, io, costs = args["kind"], args["io"], machine_costs(args)
    result = submission.predict(kind, io, path_of(kind, OP), dict(costs))
    if result is None:
        return {"path": None, "saved": None}
    trace.emit("op.start", hv=kind, op=OP, guest="vm1", io=io)
    for layer in result["path"]:
        trace.emit("layer.enter", layer=layer, dir="down", cycles=costs.get(layer, 0))
    trace.emit("op.end", op=OP, cycles=sum(costs.get(layer, 0) for layer in result["path"]))
    return {"path": list(result["path"]), "saved": result["saved"]}


def machine_costs(args):
    """This machine's cycles for every layer: the lesson's table, with the case's changes."""
    return {layer: int(args.get("costs", {}).get(layer, i.cycles)) for layer, i in LAYERS.items()}


def saved(kind, io, costs):
    slow = Hypervisor(kind, costs=dict(costs)).perform(OP)
    return slow - Hypervisor(kind, costs=dict(costs), io=io).perform(OP)


def compare(args, expected, actual, reveal=False):
    kind, io, got, check = args["kind"], args["io"], actual["path"], Feedback(reveal)
    try:
        want = path_of(kind, OP, io)
    except InvalidOperation as exc:  # the model says why this design has no such path
        zh = exc.zh or str(exc)
        return None if got is None else {"en": f"{exc}; return None", "zh": f"{zh}；请返回 None"}
    if got is None:
        return explain(f"layers.has_fast_path.{io}")
    removed = table(f"layers.removed.{io}")
    textbook = args.get("costs") and actual["saved"] == saved(kind, io, {})
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
            saved(kind, io, args.get("costs", {})),
            actual["saved"],
            why=explain("layers.saved_textbook" if textbook else "layers.saved"),
        ),
    )
