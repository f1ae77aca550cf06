"""Runs the learner's designed workload through the model's pre-copy and grades the design:
its pause must exceed the downtime budget, it must be (nearly) the gentlest workload that does,
and the learner must predict how many live rounds pre-copy makes. Public (runs in the browser)."""

from tutor.explanations import explain
from tutor.grading.feedback import mistake
from tutor.sim import ConstantDirtyRate, precopy

MODEL_ANSWERS = {
    "tutor.sim": ("precopy", "live_migrate"),
    "tutor.sim.migration": ("precopy", "live_migrate"),
}
RETURNS = {"design": {"dirty_mbps": (float, int), "rounds": int}}
# A design may dirty at most this much faster than the gentlest one that breaks the budget.
SLACK = 1.01


def _pause(args):
    return explain(f"migration.pause.{args['rules'].replace('-', '_').replace('.', '_')}")


def run(submission, args, trace):
    answer = submission.design(dict(args))
    dirty = float(answer["dirty_mbps"])
    if not 0 < dirty <= 100 * args["bandwidth_mbps"]:
        raise mistake(explain("migration.dirty_out_of_range", dirty=f"{dirty:g}"))
    memory = args["memory_mb"]
    result = precopy(
        memory,
        ConstantDirtyRate(memory, dirty),
        bandwidth_mbps=args["bandwidth_mbps"],
        rules=args["rules"],
        trace=trace,
    )
    return {
        "dirty_mbps": dirty,
        "downtime_ms": result.downtime_ms,
        "rounds": len(result.rounds),
        "predicted_rounds": answer["rounds"],
    }


def compare(args, expected, actual, reveal=False):
    why = _pause(args)
    dirty = f"{actual['dirty_mbps']:.6g}"
    if actual["downtime_ms"] <= args["budget_ms"]:
        return explain(
            "migration.within_budget",
            dirty=dirty,
            ms=f"{actual['downtime_ms']:.4g}",
            budget=f"{args['budget_ms']:g}",
            why=why,
        )
    if actual["dirty_mbps"] > expected["dirty_mbps"] * SLACK:
        message = explain("migration.gentler_exists", dirty=dirty, why=why)
        if reveal:
            extra = explain("migration.about_rate", rate=f"{expected['dirty_mbps']:.4g}")
            message = {lang: message[lang] + extra[lang] for lang in message}
        return message
    if actual["predicted_rounds"] != actual["rounds"]:
        return explain(
            "migration.rounds_predicted",
            predicted=actual["predicted_rounds"],
            rounds=actual["rounds"],
            why=why,
        )
    return None
