"""Checks a predicted break-even point against the cost model: the model runs the mix with that
many page-table writes, and with one fewer, so the trace and the verdict are its own; public."""

from tutor.explanations import explain
from tutor.grading.feedback import Feedback, mistake
from tutor.sim.testbed import bt_wins, cpu_costs

_HIDDEN = ("cheaper", "technique_cycles")
MODEL_ANSWERS = {
    "tutor.sim": _HIDDEN,
    "tutor.sim.isa": (*_HIDDEN, "measure_techniques"),
    "tutor.sim.testbed": ("bt_wins",),
}
RETURNS = {"break_even": (int, None)}


def run(submission, args, trace):
    answer = submission.break_even(
        dict(args["mix"]), cpu_costs(args["hardware"], args.get("measured"))
    )
    if answer is None:
        return {"writes": None, "bt_wins_at": False, "bt_wins_before": False}
    if answer < 0:
        raise mistake(explain("techniques.break_even.negative", n=answer))
    before = answer > 0 and bt_wins(args, answer - 1, trace)
    return {"writes": answer, "bt_wins_at": bt_wins(args, answer, trace), "bt_wins_before": before}


def compare(args, expected, actual, reveal=False):
    costs, n = cpu_costs(args["hardware"], args.get("measured"))["pte_write"], actual["writes"]
    if expected["writes"] is None or n is None:
        key = "never" if n is not None else "missed" if expected["writes"] is not None else None
        return key and explain(f"techniques.break_even.{key}", hw=costs["hw"], bt=costs["bt"])
    if actual["bt_wins_at"] and not actual["bt_wins_before"]:
        return None
    key, shown = ("too_large", n - 1) if actual["bt_wins_at"] else ("too_small", n)
    message = explain(f"techniques.break_even.{key}", n=shown)
    return Feedback(reveal).revealing(
        message, explain("techniques.expected", value=expected["writes"])
    )
