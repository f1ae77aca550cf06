"""Runs an operation mix through the cost model and hands its events to the learner; public.

``measure_techniques`` (``tutor/sim/isa.py``) costs the mix under native execution, binary
translation and hardware assist on the case's hardware: first-generation VT-x (2006) or a CPU
with nested paging (EPT/NPT). Some cases measured a particular CPU (``args["measured"]``), so a
learner who copies the published table instead of reading ``per_op`` from the events fails.
"""

import copy

from tutor.explanations import explain, table
from tutor.sim.isa import HARDWARE, measure_techniques

MODEL_ANSWERS = {
    "tutor.sim": ("cheaper", "technique_cycles"),
    "tutor.sim.isa": ("cheaper", "technique_cycles", "measure_techniques"),
}

RETURNS = {"compare_techniques": {"cycles": {str: int}, "cheaper": str, "decisive": str}}

NAMES = table("techniques.names")


def run(submission, args, trace):
    mix = {op: int(count) for op, count in args["mix"].items()}
    measure_techniques(mix, args["hardware"], trace, measured=args.get("measured"))
    ops = [event for event in trace.events if event["kind"] == "cost.op"]
    result = submission.compare_techniques(copy.deepcopy(ops))
    return {key: result[key] for key in RETURNS["compare_techniques"]}


def compare(args, expected, actual, reveal=False):
    measured = args.get("measured") or {}
    for technique in ("native", "bt", "hw"):
        want, got = expected["cycles"][technique], actual["cycles"].get(technique)
        if got == want:
            continue
        name = NAMES[technique]
        if got is None:
            return explain("techniques.cycles.missing", technique=technique, name=name)
        published = sum(
            count * HARDWARE[args["hardware"]][op][technique] for op, count in args["mix"].items()
        )
        why = "published" if measured and got == published else "sum"
        message = explain(f"techniques.cycles.{why}", technique=technique, got=got, name=name)
        return _with_value(message, reveal, want)
    if actual["cheaper"] != expected["cheaper"]:
        return explain("techniques.cheaper", got=actual["cheaper"])
    if actual["decisive"] != expected["decisive"]:
        message = explain("techniques.decisive", got=actual["decisive"])
        return _with_value(message, reveal, repr(expected["decisive"]))
    return None


def _with_value(message, reveal, value):
    """Name the reference's value only where the learner may see it (see the harness)."""
    if not reveal:
        return message
    more = explain("techniques.expected", value=value)
    return {lang: message[lang] + more[lang] for lang in message}
