"""Checks a predicted break-even point against the cost model; public.

The learner predicts how many page-table writes a workload can add before binary translation
becomes cheaper than hardware assist. The model then runs the mix with that many writes, and
with one fewer (``measure_techniques``), so the trace and the verdict are the model's own.
"""

from tutor.explanations import explain
from tutor.grading.feedback import mistake
from tutor.sim.isa import HARDWARE, measure_techniques

MODEL_ANSWERS = {
    "tutor.sim": ("cheaper", "technique_cycles"),
    "tutor.sim.isa": ("cheaper", "technique_cycles", "measure_techniques"),
}

RETURNS = {"break_even": (int, None)}


def costs_of(args):
    """The per-operation costs of this case's CPU: the published table with its measurements."""
    table = {op: dict(cycles) for op, cycles in HARDWARE[args["hardware"]].items()}
    for op, cycles in (args.get("measured") or {}).items():
        table[op].update(cycles)
    return table


def _bt_wins(args, writes, trace):
    mix = {op: int(n) for op, n in args["mix"].items()}
    mix["pte_write"] = mix.get("pte_write", 0) + writes
    totals = measure_techniques(mix, args["hardware"], trace, measured=args.get("measured"))
    return totals["bt"] < totals["hw"]


def run(submission, args, trace):
    answer = submission.break_even(dict(args["mix"]), costs_of(args))
    if answer is None:
        return {"writes": None, "bt_wins_at": False, "bt_wins_before": False}
    if answer < 0:
        raise mistake(explain("techniques.break_even.negative", n=answer))
    before = answer > 0 and _bt_wins(args, answer - 1, trace)
    return {"writes": answer, "bt_wins_at": _bt_wins(args, answer, trace), "bt_wins_before": before}


def compare(args, expected, actual, reveal=False):
    costs = costs_of(args)["pte_write"]
    if expected["writes"] is None:
        if actual["writes"] is None:
            return None
        return explain("techniques.break_even.never", hw=costs["hw"], bt=costs["bt"])
    if actual["writes"] is None:
        return explain("techniques.break_even.missed", hw=costs["hw"], bt=costs["bt"])
    n = actual["writes"]
    if not actual["bt_wins_at"]:
        message = explain("techniques.break_even.too_small", n=n)
    elif actual["bt_wins_before"]:
        message = explain("techniques.break_even.too_large", n=n - 1)
    else:
        return None
    if reveal:
        more = explain("techniques.expected", value=expected["writes"])
        message = {lang: message[lang] + more[lang] for lang in message}
    return message
