"""Runs an operation mix through the cost model and hands its events to the learner; public."""

import copy

from tutor.explanations import explain, table
from tutor.grading.feedback import Feedback
from tutor.sim.isa import HARDWARE, measure_techniques

_HIDDEN = ("cheaper", "technique_cycles")
MODEL_ANSWERS = {"tutor.sim": _HIDDEN, "tutor.sim.isa": (*_HIDDEN, "measure_techniques")}
RETURNS = {"compare_techniques": {"cycles": {str: int}, "cheaper": str, "decisive": str}}


def run(submission, args, trace):
    mix = {op: int(count) for op, count in args["mix"].items()}
    measure_techniques(mix, args["hardware"], trace, measured=args.get("measured"))
    ops = [event for event in trace.events if event["kind"] == "cost.op"]
    result = submission.compare_techniques(copy.deepcopy(ops))
    return {key: result[key] for key in RETURNS["compare_techniques"]}


def compare(args, expected, actual, reveal=False):
    check, names, costs = Feedback(reveal), table("techniques.names"), HARDWARE[args["hardware"]]
    for technique in ("native", "bt", "hw"):
        want, got = expected["cycles"][technique], actual["cycles"].get(technique)
        name = names[technique]
        if got is None:
            return explain("techniques.cycles.missing", technique=technique, name=name)
        if got != want:
            published = sum(n * costs[op][technique] for op, n in args["mix"].items())
            why = "published" if args.get("measured") and got == published else "sum"
            message = explain(f"techniques.cycles.{why}", technique=technique, got=got, name=name)
            return check.revealing(message, explain("techniques.expected", value=want))
    if actual["cheaper"] != expected["cheaper"]:
        return explain("techniques.cheaper", got=actual["cheaper"])
    if actual["decisive"] != expected["decisive"]:
        winner, loser = expected["cheaper"], "bt" if expected["cheaper"] == "hw" else "hw"
        per_op = {
            op: {**costs[op], **(args.get("measured") or {}).get(op, {})} for op in args["mix"]
        }
        gaps = {op: n * (per_op[op][loser] - per_op[op][winner]) for op, n in args["mix"].items()}
        tied = gaps.get(actual["decisive"]) == gaps[expected["decisive"]]
        why = "decisive_tie" if tied else "decisive"
        message = explain(f"techniques.{why}", got=actual["decisive"])
        return check.revealing(
            message, explain("techniques.expected", value=repr(expected["decisive"]))
        )
    return None
